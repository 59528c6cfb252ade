"""Markdown escapes only what CommonMark would read as markup: typed text reads as typed."""

from __future__ import annotations

from html import unescape

import pytest
from conftest import EXAMPLES
from markdown_it import MarkdownIt

from rewrite_advisor.render import escape_markdown

PLAIN = [
    "4.5 people",
    "rewrite-advisor-default 1.0.0",
    "(+5)",
    "+5",
    "-5 degrees",
    "first_switch_date",
    "R&D says a < b and b > c",
    "issue #5 and 2 * 3",
    "about ~5 to ~8 people",
    "1999 was a year",
    "C:\\temp\\new",
]

MARKUP = [
    "# Not a heading",
    "- not a list",
    "+ nor this",
    "1. nor this",
    "2) nor this",
    "> not a quote",
    "---",
    "===",
    "~~~",
    "```",
    "*not emphasis* _nor this_ `nor code` ~~nor this~~",
    "**not bold** __nor this__",
    "[a link](http://example.com) ![an image](x.png)",
    "<b>not bold</b> <!-- not a comment --> <http://example.com>",
    "&lt;already escaped&gt; &#65;",
    "| a | b |",
    "ends with a backslash \\",
    "a \\*backslash\\* before punctuation",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_not_escaped(text: str) -> None:
    assert escape_markdown(text) == text


@pytest.mark.parametrize("text", PLAIN + MARKUP)
@pytest.mark.parametrize("before", ["", "Answer: "])
def test_every_text_renders_literally(text: str, before: str) -> None:
    html = MarkdownIt("commonmark").enable("strikethrough").render(before + escape_markdown(text))
    assert html.startswith("<p>") and html.count("<") == 2, html  # one paragraph, no markup
    assert unescape(html[len("<p>") : -len("</p>\n")]) == before + text


def test_the_lines_of_an_answer_stay_inside_it() -> None:
    escaped = escape_markdown("# one\n- two\n1. three\n===")
    html = MarkdownIt("commonmark").render(escaped)
    assert html == "<p># one<br />\n- two<br />\n1. three<br />\n===</p>\n"


def test_diff_shows_a_signed_change_plainly(cli) -> None:
    result = cli(
        "diff",
        EXAMPLES / "not-yet-unknowns.yaml",
        EXAMPLES / "go-billing-strangler.yaml",
        "--format",
        "md",
    )
    assert result.code == 0, result.err
    assert "\\+" not in result.out and "\\." not in result.out
    assert "/100 (+" in result.out
