"""Render a memo as HTML, Markdown or JSON with the templates in ``templates/``.

User text is only ever a *value* passed to a template, never a template itself. In HTML it is
escaped by Jinja's autoescaping; in Markdown every printed value passes through
:func:`escape_markdown`, so that a ``<script>``, a link or a heading typed into an answer shows
literally. Control characters (an ESC that would act on a terminal showing the file) are
replaced by a visible escape in HTML and Markdown, and written as ``\\u`` escapes in JSON (see
:mod:`rewrite_advisor.terminal`). The templates reference nothing outside themselves: no file,
font or URL is fetched.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import resources
from .memo import Memo
from .terminal import clean, json_escape

if TYPE_CHECKING:
    import jinja2

FORMATS = ("html", "pdf", "md", "json")
SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
}

# Escape only what CommonMark (and GitHub's strikethrough) would read as markup, so that
# "4.5 people", "version 2.0.0", "(+5)" and "first_switch_date" print as typed:
_MD_INLINE = re.compile(
    r"[`|\[\]]"  # code spans, table cells, links and images
    r"|(?<!\s)\*|\*(?!\s)"  # emphasis (a star with a space on both sides is only a star)
    r"|\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape the next character or break
    r"|<(?=[A-Za-z/!?])"  # an HTML tag, comment or autolink
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity such as &lt;
    r"|(?<![^\W_])_|_(?![^\W_])"  # an underscore that is not inside a word
    r"|(?<=\S)~"  # a tilde that could close a strikethrough
)
# At the start of a line: a list item, heading, quote, or a line that underlines a heading or
# draws a rule.
_MD_LINE_START = re.compile(r"^(?:[-+](?=\s|$)|-[-\s]*$|=+\s*$|#{1,6}(?=\s|$)|>)")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


class MarkdownText(str):
    """Markdown written by a template or this module: printed without escaping."""


def _escape_line(line: str) -> str:
    line = _MD_INLINE.sub(lambda m: "\\" + m.group(0), line)
    line = _MD_LINE_START.sub(lambda m: "\\" + m.group(0), line, count=1)
    return _MD_ORDERED.sub(r"\1\\\2", line, count=1)


def escape_markdown(value: Any) -> str:
    """Make ``value`` print literally in CommonMark: no HTML, links, emphasis or blocks.

    Only what would be read as markup is escaped (every line of the value is treated as if it
    began a line of the document), so numbers, versions and identifiers stay as typed.
    """
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return ""
    text = clean(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_escape_line(line.strip()) for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    # A backslash at the end of a line is a hard line break; blank lines would end the block.
    return "\\\n".join(line for line in lines if line) if lines else ""


def _oneline(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _cell(markdown: Any) -> str:
    """Markdown already escaped (a macro's output) on one line, for a table cell.

    The hard line breaks that :func:`escape_markdown` puts between the lines of a value (a
    backslash before the newline) become spaces: a table cell cannot hold a line break.
    """
    return _oneline(str(markdown).replace("\\\n", " ")) if markdown is not None else ""


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def fit(value: Any, limit: int) -> str:
    """Shorten text to ``limit`` characters without cutting a word.

    Whole sentences are kept while they fit; when even the first does not, the text is cut
    at the last space that fits and ends with an ellipsis.
    """
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    head = text[: limit - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(",;:-– ") + "…"


def format_for(output: str | None, given: str | None) -> str:
    """The output format: as given, else from the output's suffix, else Markdown."""
    if given:
        return given
    if output and output != "-":
        return SUFFIXES.get(Path(output).suffix.lower(), "")
    return "md"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder, keyed by the template's text.

    A template is compiled again, never failing a render, when the folder cannot be written.
    Jinja unpickles what an entry holds, so an entry is read only when it is a small regular
    file of the user's own that nobody else may write; anything else (another user's file, a
    named pipe, a device, a link) is passed over, never opened for reading or waited on.
    """
    import jinja2

    folder = resources.cache_dir("templates")
    if folder is None:
        return None

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            try:
                fd = os.open(self._get_cache_filename(bucket), flags)
            except OSError:
                return
            try:
                found = os.fstat(fd)
                if (
                    stat.S_ISREG(found.st_mode)
                    and found.st_uid == os.getuid()
                    and not found.st_mode & 0o022
                    and found.st_size <= _BYTECODE_LIMIT
                ):
                    with os.fdopen(fd, "rb", closefd=False) as handle:
                        bucket.load_bytecode(handle)
            except Exception:  # a damaged entry is only a miss
                bucket.reset()
            finally:
                os.close(fd)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return QuietBytecodeCache(str(folder))


_BYTECODE_LIMIT = 4 * 1024 * 1024
"""A compiled template kept in the cache is read up to this size (ours are under 200 kB)."""


@cache
def _environment(kind: str) -> jinja2.Environment:
    import jinja2  # here, so that JSON output never loads Jinja

    loader = jinja2.FileSystemLoader(str(resources.templates_dir()))
    common: dict[str, Any] = {
        "loader": loader,
        "bytecode_cache": _bytecode_cache(),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if kind == "html":
        env = jinja2.Environment(autoescape=True, **common)
    else:
        env = jinja2.Environment(autoescape=False, finalize=escape_markdown, **common)
        env.filters["raw"] = MarkdownText
    env.filters["oneline"] = _oneline
    env.filters["cell"] = _cell
    env.filters["fit"] = fit
    return env


def html_environment() -> jinja2.Environment:
    """The Jinja environment for HTML templates (autoescaped), shared with the answer form."""
    return _environment("html")


def _context(memo: Memo) -> dict[str, Any]:
    severity_titles = {
        "blocker": "Blockers",
        "high": "High",
        "medium": "Medium",
        "low": "Low",
        "strength": "Strengths",
    }
    groups = [
        (sev, severity_titles[sev], [f for f in memo.findings if f.severity == sev])
        for sev in ("blocker", "high", "medium", "low")
    ]
    return {
        "memo": memo,
        "risk_groups": [g for g in groups if g[2]],
        "strengths": memo.strengths,
        "by_id": {e.question: e for s in memo.appendix for e in s.questions},
        "open_reason": {o.question: o.reason for o in memo.open_questions},
    }


def render_html(memo: Memo, *, for_print: bool = False, paper: str = "A4") -> str:
    """The memo as one self-contained HTML page (its style inline).

    Args:
        memo: The memo.
        for_print: Lay it out for paper (the PDF): a one-page executive summary first,
            running headers and page numbers.
        paper: The CSS page size (``A4`` or ``letter``): of the PDF when ``for_print``, else
            of the page when the browser prints it.
    """
    template = _environment("html").get_template("memo.html.j2")
    return clean(template.render(**_context(memo), for_print=for_print, paper=paper))


def render_markdown(memo: Memo) -> str:
    """The memo as CommonMark, with every user-typed value escaped."""
    template = _environment("md").get_template("memo.md.j2")
    return clean(template.render(**_context(memo)))


def render_json(memo: Memo) -> str:
    """The memo as JSON (see ``rewrite-advisor schema memo``); control characters escaped."""
    return json_escape(memo.model_dump_json(indent=2)) + "\n"


PAPER_SIZES = {"a4": "A4", "letter": "letter"}
"""The ``--paper`` choices, as CSS page sizes."""


def render(memo: Memo, fmt: str, *, paper: str = "a4") -> bytes:
    """Render ``memo`` in ``fmt`` (html, md or json).

    ``paper`` (``a4`` or ``letter``) is the page size of the HTML memo's print stylesheet.
    """
    if fmt == "html":
        return render_html(memo, paper=PAPER_SIZES[paper]).encode("utf-8")
    if fmt == "md":
        return render_markdown(memo).encode("utf-8")
    if fmt == "json":
        return render_json(memo).encode("utf-8")
    raise ValueError(f"unknown format {fmt}")


def markdown_template(name: str) -> jinja2.Template:
    """A Markdown template from ``templates/``, with the memo's escaping (every value literal)."""
    return _environment("md").get_template(name)
