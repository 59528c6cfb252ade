"""Text a user typed shows literally and never runs, in HTML and in Markdown."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK
from markdown_it import MarkdownIt

from rewrite_advisor import yamlio

HOSTILE = [
    "<script>alert('x')</script>",
    "{{ 7*7 }}",
    "{% include '/etc/passwd' %}",
    '<img src="file:///etc/passwd">',
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "[click](javascript:alert(1))",
    "# Not a heading\n- not a list\n1. nor this",
    "| a | b |",
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
    "&lt;already escaped&gt;",
    "*not emphasis* _nor this_ `nor code`",
]


class Elements(HTMLParser):
    """Collects the elements and the visible text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def hostile_answers(tmp_path: Path) -> Path:
    data = yamlio.read(MINI_ANSWERS).data
    data["title"] = HOSTILE[0] + " " + HOSTILE[1]
    data["participants"] = [HOSTILE[4], HOSTILE[5]]
    data["answers"]["story"] = {"value": "\n".join(HOSTILE), "note": HOSTILE[3] + HOSTILE[9]}
    data["answers"]["sync_cost"]["note"] = HOSTILE[6]
    path = tmp_path / "hostile.yaml"
    path.write_text(yamlio.dump(data))
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return hostile_answers(tmp_path)


def test_html_shows_hostile_text_literally(run, hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "memo.html"
    assert run("report", hostile, "--bank", MINI_BANK, "-o", out).code == 0
    html = out.read_text()
    page = Elements()
    page.feed(html)
    assert not {"script", "img", "iframe", "a", "link", "object", "embed"} & set(page.tags)
    assert not [name for name, _ in page.attrs if name.startswith("on")]
    assert not any(value and "javascript:" in value for _, value in page.attrs)
    assert not any(value and "file:" in value for _, value in page.attrs)
    text = "".join(page.text)
    for line in HOSTILE:
        for part in line.split("\n"):
            assert part in text, part
    assert "49" not in text.replace("2049", "")  # {{ 7*7 }} was not evaluated


def test_markdown_shows_hostile_text_literally(run, hostile: Path) -> None:
    result = run("report", hostile, "--bank", MINI_BANK, "-o", "-", "--format", "md")
    assert result.code == 0
    md = result.out
    assert "{{ 7\\*7 }}" in md
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    page = Elements()
    page.feed(rendered)
    assert not {"script", "img", "iframe", "a", "svg"} & set(page.tags)
    assert not [name for name, _ in page.attrs if name.startswith("on")]
    text = "".join(page.text)
    for line in HOSTILE:
        for part in line.split("\n"):
            if "|" in part:
                continue  # a pipe in a table cell is escaped; its text is checked below
            assert part in text, part
    assert "| a | b |" in text
    # The answer's lines stay inside the answer: no heading or list was created by them.
    assert rendered.count("<h1>") == 1
    assert "Not a heading" not in "".join(t for t in page.tags)


def test_json_keeps_hostile_text_as_data(run, hostile: Path) -> None:
    import json

    result = run("report", hostile, "--bank", MINI_BANK, "-o", "-", "--format", "json")
    data = json.loads(result.out)
    assert data["title"] == HOSTILE[0] + " " + HOSTILE[1]
    assert data["answers"]["answers"]["story"]["value"] == "\n".join(HOSTILE)


def test_a_multi_line_answer_reads_as_one_line_in_a_table_cell(run, tmp_path: Path) -> None:
    data = yamlio.read(MINI_ANSWERS).data
    data["answers"]["story"] = {"value": "A letter\nthen a call\n\nand a party \\", "note": "a\nb"}
    path = tmp_path / "multi.yaml"
    path.write_text(yamlio.dump(data))
    result = run("report", path, "--bank", MINI_BANK, "-o", "-", "--format", "md")
    assert result.code == 0, result.err
    row = next(line for line in result.out.splitlines() if line.startswith("| How will"))
    cells = MarkdownIt("commonmark").enable("table").render(result.out)
    assert "A letter then a call and a party \\\\ |" in row, row
    assert "A letter then a call and a party \\</td>" in cells
    assert "\\ then" not in row
