"""The HTML memo passes axe-core's checks (WCAG 2 A and AA, and best practices) in Chromium.

axe-core runs from a local file (``npm install --no-save axe-core@4`` in the repository, as
``.ci/run`` does, or a global install, or ``AXE_CORE``) in the system's headless Chromium,
driven by Playwright for Python; no browser is downloaded. Without one of the three the test
is skipped, saying which one is missing and how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT


def missing(axe: Path | None, browser_path: str | None, playwright: bool) -> str | None:
    """Why the test cannot run (the one piece missing, and how to install it), or None."""
    from browser import AXE_HINT, CHROMIUM_HINT, PLAYWRIGHT_HINT

    if not playwright:
        return PLAYWRIGHT_HINT
    if browser_path is None:
        return CHROMIUM_HINT
    if axe is None:
        return AXE_HINT + " (or set AXE_CORE to axe.min.js)"
    return None


def axe_script() -> Path | None:
    candidates = [os.environ.get("AXE_CORE", ""), str(ROOT / "node_modules/axe-core/axe.min.js")]
    npm = shutil.which("npm")
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        candidates.append(f"{root}/axe-core/axe.min.js")
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def chromium() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    axe, browser_path = axe_script(), chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(missing(axe, browser_path, playwright=False) or "")
    reason = missing(axe, browser_path, playwright=True)
    if reason is not None:
        pytest.skip(reason)
    assert axe is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"]
        )
        tab = browser.new_page()
        tab.axe_source = axe.read_text(encoding="utf-8")
        yield tab
        browser.close()


MEMOS = {
    **{path.stem: [path] for path in sorted(EXAMPLES.glob("*.yaml"))},
    "team-agenda": sorted((EXAMPLES / "workshop").glob("*.yaml")),
}


@pytest.mark.parametrize("name", list(MEMOS))
def test_the_html_memo_has_no_accessibility_violations(
    run, page: Any, tmp_path: Path, name: str
) -> None:
    memo = tmp_path / f"{name}.html"
    assert run("report", *MEMOS[name], "-o", memo).code == 0
    page.goto(memo.resolve().as_uri())
    page.add_script_tag(content=page.axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]
    assert not found, "\n".join(found)


def test_a_skip_names_what_is_missing() -> None:
    """Issue 19 polish: the skip message named all three and an install that .ci/run does not
    use (npm install axe-core, where the repository's axe-core@4 is looked for)."""
    axe, browser_path = Path("axe.min.js"), "/usr/bin/chromium"
    assert missing(axe, browser_path, playwright=True) is None
    assert missing(None, browser_path, playwright=True).startswith(  # type: ignore[union-attr]
        "axe-core is not installed: npm install --no-save axe-core@4"
    )
    assert "Chromium is not installed" in (missing(axe, None, playwright=True) or "")
    assert "Playwright is not installed" in (missing(axe, browser_path, playwright=False) or "")
