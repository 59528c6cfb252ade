"""The HTML memo passes axe-core's checks (WCAG 2 A and AA, and best practices) in Chromium.

axe-core runs from a local file (``npm install -g axe-core``) in the system's headless
Chromium, driven by Playwright for Python; no browser is downloaded. Without any of the
three the test is skipped with what to install; ``.ci/run`` installs all of them.
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

INSTALL = (
    "needs Chromium, Playwright for Python and axe-core: apt-get install chromium; "
    "pip install playwright; npm install axe-core (or set AXE_CORE to axe.min.js)"
)


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
        pytest.skip(INSTALL)
    if axe is None or browser_path is None:
        pytest.skip(INSTALL)
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
