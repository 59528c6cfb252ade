"""The memo's layout as a reader meets it: the executive summary first and the same in every
format, the decision, cost and asks on page 1, the leadership part within two pages, and the
four examples short."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, Renders
from markupsafe import escape
from pypdf import PdfReader

from rewrite_advisor.cli import build_memo
from rewrite_advisor.memo import Memo, Summary
from rewrite_advisor.render import escape_markdown, render_html, render_markdown

FOUR = sorted(EXAMPLES.glob("*.yaml"))
CASES = sorted((EXAMPLES / "cases").glob("*.yaml"))
SHAPES = sorted((EXAMPLES / "shapes").glob("*.yaml"))


def _param(path: Path) -> object:
    # The same group as tests/test_pdf.py for the four examples: one render per session.
    group = f"pdf-{path.stem}" if path.parent == EXAMPLES else f"pdf-{path.parent.name}-{path.stem}"
    name = path.stem if path.parent == EXAMPLES else f"{path.parent.name}/{path.stem}"
    return pytest.param(path, id=name, marks=pytest.mark.xdist_group(group))


def _summary(path: Path) -> tuple[Memo, Summary]:
    memo = build_memo(path, None)
    assert memo.summary is not None, "every current bank's memo has a summary"
    return memo, memo.summary


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(path: Path) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(path).pages]


def _appendix_page(path: Path) -> int:
    """The page (from 1) on which the "Appendix" heading starts, from the PDF's bookmarks."""
    reader = PdfReader(path)

    def flat(items: list[object]) -> list[object]:
        out: list[object] = []
        for item in items:
            out.extend(flat(item) if isinstance(item, list) else [item])
        return out

    pages = [
        reader.get_destination_page_number(item) + 1  # type: ignore[arg-type]
        for item in flat(reader.outline)
        if getattr(item, "title", None) == "Appendix"
    ]
    assert len(pages) == 1, "one Appendix heading"
    return pages[0]


@pytest.mark.parametrize("path", [_param(p) for p in FOUR + CASES])
def test_page_one_holds_the_decision_cost_and_first_ask(path: Path, pdfs: Renders) -> None:
    _, summary = _summary(path)
    first = _pages(pdfs(path).path)[0]
    assert _flat(summary.decision) in first
    for line in summary.cost:
        assert line.label in first
    if summary.asks:
        assert _flat(summary.asks[0].outcome) in first
    else:
        assert summary.asks_note and _flat(summary.asks_note) in first


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("path", [_param(p) for p in FOUR + CASES + SHAPES])
def test_what_leadership_reads_ends_by_page_two(path: Path, paper: str, pdfs: Renders) -> None:
    args = (path,) if paper == "a4" else (path, "--paper", "letter")
    assert _appendix_page(pdfs(*args).path) <= 3


@pytest.mark.parametrize("path", [_param(p) for p in FOUR])
def test_the_four_examples_are_short(path: Path, pdfs: Renders) -> None:
    assert len(PdfReader(pdfs(path).path).pages) <= 8


@pytest.mark.parametrize("path", [_param(p) for p in FOUR + CASES + SHAPES])
def test_html_and_markdown_show_the_json_summary(path: Path) -> None:
    memo, summary = _summary(path)
    html = render_html(memo)
    markdown = render_markdown(memo)
    top_html = html.split('<section class="back"', 1)[0]
    top_md = markdown.split("\n## Appendix\n", 1)[0]
    assert '<section class="summary"' in top_html and "## Verdict:" in top_md
    texts = [summary.decision, summary.status]
    texts += [line.label for line in summary.cost] + [line.text for line in summary.cost]
    texts += [ask.text for ask in summary.asks] + [ask.outcome for ask in summary.asks]
    texts += [summary.asks_note] if summary.asks_note else []
    for text in texts:
        assert str(escape(text)) in top_html, text
        assert escape_markdown(_flat(text)) in top_md, text
    # In the same order in both.
    for top, esc in ((top_html, lambda t: str(escape(t))), (top_md, escape_markdown)):
        marks = [esc(_flat(summary.decision))] + [esc(_flat(a.text)) for a in summary.asks]
        positions = [top.index(m) for m in marks]
        assert positions == sorted(positions)


def test_the_readme_shows_page_1_and_true_page_counts(pdfs: Renders) -> None:
    """The README's picture exists, and its page table is what the four examples render to."""
    import re

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "](docs/memo-page-1.png)" in readme
    assert (root / "docs" / "memo-page-1.png").stat().st_size > 10_000
    rows = dict(
        (name, (int(pages), int(start)))
        for name, pages, start in re.findall(
            r"^\| `([a-z-]+)\.yaml` \| [^|]+ \| (\d+) \| (\d+) \|$", readme, re.MULTILINE
        )
    )
    assert sorted(rows) == [p.stem for p in FOUR]
    for path in FOUR:
        rendered = pdfs(path).path
        assert rows[path.stem] == (len(PdfReader(rendered).pages), _appendix_page(rendered))
