"""What kind of file someone gave where an answers file belongs, said in a few words.

``report README.md``, ``report memo.html`` or ``report questions/bank.yaml`` are easy slips. A
YAML parse error or a "missing key" about such a file sends the person hunting for a typo in
a file that was never an answers file; instead the error says what the file looks like. The
file is judged by what it holds, not by its name: a memo renamed ``.yaml`` is still a memo.

Pure: it reads text and parsed data, and never raises.
"""

from __future__ import annotations

import re
from typing import Any

_ANSWERS_KEYS = re.compile(
    r'^(?:kind|bank|answers)\s*:|^\s*\{?\s*"(?:kind|bank|answers)"\s*:', re.M
)
"""A top-level key of an answers file, in YAML or JSON: a file with one is an answers file
with a mistake in it, whose own error (a located YAML error) is the one to show."""

_HEADING = re.compile(r"^#{1,6} \S", re.M)
_MARKDOWN_SIGNS = (
    re.compile(r"^```", re.M),  # a fenced block
    re.compile(r"\]\([^)\s]+\)"),  # a link
    re.compile(r"^\s*(?:[-*+]|\d+\.) \S", re.M),  # a list item
    re.compile(r"\*\*\S|\*\S[^*\n]*\*|`[^`\n]+`"),  # emphasis or code
    re.compile(r"^\|.*\|\s*$", re.M),  # a table row
)
_SECTION = re.compile(r"^\[[\w.\- \"']+\]\s*$", re.M)
_SETTING = re.compile(r"^[\w.-]+\s*=\s*\S", re.M)
_FENCED = re.compile(r"^```.*?^```", re.M | re.S)

_KINDS = {
    "rewrite-advisor/cases": "a case library's cases.yaml; give its folder with --cases",
    "rewrite-advisor/memo": "a JSON memo; report reads the answers file it was made from",
}

ANSWERS_FORM = "an answers file is YAML with bank: and answers: ('rewrite-advisor schema answers')"
"""What an answers file looks like, for a message about a file that is none."""


def _not_answers(looks: str, *, hint: bool = False) -> str:
    return f"this is not an answers file ({looks})" + (f"; {ANSWERS_FORM}" if hint else "")


def of_text(text: str) -> str | None:
    """Why a file that is not valid YAML is no answers file, or ``None`` if it may be one.

    ``None`` for a file with an answers file's top-level key (``kind:``, ``bank:``,
    ``answers:``) outside a Markdown code block, or one that looks like nothing else: that is
    YAML with a typo, perhaps an answers file, and its located YAML error helps more.
    """
    start = text.lstrip("\ufeff \t\r\n")
    head = start[:4000].lower()
    if head.startswith(("<!doctype html", "<html")) or (start.startswith("<") and "</" in head):
        if 'name="generator" content="rewrite-advisor' in head:
            if 'id="form-config"' in text or "answer form</title>" in head:
                return _not_answers(
                    "it is the answer form: open it in a browser, and give report the file "
                    "its Save answers button downloads"
                )
            return _not_answers(
                "it is an HTML memo; report reads the answers file it was made from, "
                "or a PDF memo, which carries its answers"
            )
        return _not_answers("it is an HTML page")
    prose = _FENCED.sub("", text)
    if _ANSWERS_KEYS.search(prose):
        return None
    if _SECTION.search(prose) and _SETTING.search(prose):
        return _not_answers("it looks like TOML or INI settings: [section] and key = value")
    if _HEADING.search(prose) and "*Rewrite decision memo*" in prose:
        return _not_answers("it is a Markdown memo; report reads the answers file it was made from")
    if _HEADING.search(prose) and any(sign.search(text) for sign in _MARKDOWN_SIGNS):
        return _not_answers("it looks like Markdown: # headings and prose")
    if _SETTING.search(prose):
        return _not_answers("it looks like settings: key = value")
    return None  # YAML with a mistake, perhaps an answers file: where it breaks helps most


def of_data(data: Any) -> str | None:
    """Why parsed YAML is no answers file, or ``None`` if it may be one.

    An empty file is left to the reader's own message (``found nothing``).
    """
    if data is None:
        return None
    if isinstance(data, str):
        return _not_answers("it holds plain text, not keys and values", hint=True)
    if isinstance(data, list):
        return _not_answers("it holds a list, not keys and values", hint=True)
    if not isinstance(data, dict):
        return _not_answers("it holds a single value, not keys and values", hint=True)
    kind = data.get("kind")
    if isinstance(kind, str) and kind in _KINDS:
        return _not_answers(f"kind is '{kind}': {_KINDS[kind]}")
    if kind is not None or "answers" in data or "bank" in data:
        return None  # an answers file, perhaps with a mistake, or another kind (said by kind)
    if "sections" in data:
        return _not_answers("it is a question bank's bank.yaml; give its folder with --bank")
    if {"rules", "scoring", "verdicts"} & set(data):
        return _not_answers("it is a question bank's rules.yaml; give its folder with --bank")
    if "$schema" in data:
        return _not_answers("it is a JSON Schema; report reads an answers file made to fit it")
    keys = ", ".join(str(key)[:40] for key in list(data)[:3])
    return _not_answers(f"it has none of the keys kind, bank and answers, but {keys}", hint=True)
