"""A real browser for the answer form's tests: Playwright driving the system's Chromium.

Playwright never downloads a browser here: it is pointed at an installed Chromium (Debian:
``apt-get install chromium``; or set ``CHROMIUM`` to a Chrome or Chromium executable). Where
either is missing, the browser tests skip and say how to install it. axe-core, the
accessibility checker, comes from npm into ``node_modules/`` (or set ``AXE_CORE``).

The fixtures are registered once for every test module by an import in ``conftest.py``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_HINT = (
    "Chromium is not installed: apt-get install chromium (Debian, Ubuntu), "
    "or set CHROMIUM to a Chrome or Chromium executable"
)
PLAYWRIGHT_HINT = "Playwright is not installed: .venv/bin/pip install -e '.[test]'"
AXE_HINT = "axe-core is not installed: npm install --no-save axe-core@4 (in the repository)"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "out" / "screenshots"


def chromium_executable() -> str | None:
    """The Chromium to drive: $CHROMIUM, else the first one on PATH."""
    given = os.environ.get("CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def axe_script() -> Path:
    """axe-core's script, or skip the test with how to install it."""
    given = os.environ.get("AXE_CORE")
    path = Path(given) if given else ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.skip(AXE_HINT)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module.

    Not per session: Playwright's sync API keeps an event loop running while it is open, and
    the terminal prompts that later tests drive need to start their own.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(PLAYWRIGHT_HINT)
    executable = chromium_executable()
    if executable is None:
        pytest.skip(CHROMIUM_HINT)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable)
        yield chromium
        chromium.close()


@dataclass
class FormPage:
    """A form opened in a fresh browser context, with everything it asked of the network."""

    context: Any
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self) -> FormPage:
        self.page.goto(self.url)
        self.page.wait_for_selector("html.ready")
        return self

    def reload(self) -> None:
        """Reload the page once what it has kept reached the browser's storage."""
        self.kept()
        self.page.reload()
        self.page.wait_for_selector("html.ready")

    def kept(self) -> None:
        """Wait until another tab sees what this page last kept in local storage.

        A page hands its local storage to the browser a moment after writing it; a reload
        within that moment may read the older value. A person reloads seconds later.
        """
        key = self.page.evaluate(
            "() => JSON.parse(document.getElementById('form-config').textContent).storageKey"
        )
        mine = self.page.evaluate("k => localStorage.getItem(k)", key)
        other = self.context.new_page()
        try:
            other.goto(self.url)
            # Under load (both cores busy with other tests) the hand-over has taken over 5 s.
            for _ in range(600):
                if other.evaluate("k => localStorage.getItem(k)", key) == mine:
                    return
                other.wait_for_timeout(50)
            raise AssertionError("the page's local storage never reached the browser in 30 s")
        finally:
            other.close()

    def box(self, question: str) -> Any:
        return self.page.locator(f"#q-{question}")

    def visible(self, question: str) -> bool:
        return bool(self.box(question).is_visible())

    def save(self, folder: Path) -> Path:
        """Press "Save answers" in the review and keep the download in ``folder``."""
        with self.page.expect_download() as info:
            self.page.click("#save")
        download = info.value
        target = folder / download.suggested_filename
        download.save_as(target)
        return target

    def load(self, path: Path) -> None:
        """Choose ``path`` in "Continue from an answers file" and wait for what the form says."""
        self.page.evaluate("() => { document.getElementById('status').textContent = ''; }")
        self.page.set_input_files("#load-file", str(path))
        self.page.locator("#status:not(:empty)").wait_for()

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (WCAG 2 A and AA, best practice)."""
        self.page.evaluate(axe_script().read_text(encoding="utf-8"))
        result: dict[str, Any] = self.page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
            "'best-practice']})"
        )
        violations: list[dict[str, Any]] = result["violations"]
        return violations


def new_form_page(
    browser: Any, path: Path, viewport: dict[str, int] | None = None, **options: Any
) -> FormPage:
    """A form file in a fresh context (its own local storage), noting what it logs; call
    ``open()`` to load it."""
    context = browser.new_context(viewport=viewport or DESKTOP, accept_downloads=True, **options)
    page = context.new_page()
    form = FormPage(context, page, path.resolve().as_uri())
    page.on("request", lambda request: form.requests.append(request.url))
    page.on("pageerror", lambda error: form.problems.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: (
            form.problems.append(f"console: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )

    def on_dialog(dialog: Any) -> None:
        form.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    page.on("dialog", on_dialog)
    return form


@pytest.fixture
def form_page(browser: Any) -> Iterator[Callable[..., FormPage]]:
    """Open a form file in a fresh context (its own local storage); close it afterwards.

    Fails the test if the page logs an error, throws, or breaks its Content-Security-Policy.
    """
    opened: list[FormPage] = []

    def open_form(path: Path, viewport: dict[str, int] | None = None, **options: Any) -> FormPage:
        form = new_form_page(browser, path, viewport, **options)
        opened.append(form)
        return form.open()

    yield open_form
    for form in opened:
        form.context.close()
    for form in opened:
        assert not form.problems, form.problems
