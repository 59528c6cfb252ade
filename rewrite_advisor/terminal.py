"""Text from files made harmless before it reaches a terminal (or a memo).

A title, a note or a question id comes from a file someone else may have written. Printed as
it is, an ESC or OSC sequence in it could recolour the terminal, rewrite the window title,
hide the line before it or, in some terminals, run a command. :func:`clean` replaces every
character that a terminal would treat as a control (C0 controls but the tab and the newline,
DEL, the C1 controls, and the bidirectional overrides that reorder what is shown) with a
visible escape such as ``\\x1b``, so the person sees what the file holds and nothing happens.

Every line the command line prints passes through :func:`clean`, and so does every memo and
record, which are text meant to be read (in a terminal with ``cat`` too). The JSON formats
keep the exact text instead, written with ``\\u`` escapes (:func:`json_escape`), which every
JSON reader turns back into the same characters.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a terminal may act on instead of showing: C0 but tab and newline, DEL, C1, and the
bidirectional embeddings, overrides and isolates that change the order text is shown in."""


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with every control character replaced by a visible escape (``\\x1b``)."""
    return _CONTROL.sub(_visible, text)


def has_control(text: str) -> bool:
    """Whether :func:`clean` would change ``text``."""
    return _CONTROL.search(text) is not None


def json_escape(text: str) -> str:
    """JSON text with every control character written as a ``\\u`` escape.

    Such characters can only stand inside JSON strings, where ``\\uXXXX`` means the same
    character: the data is unchanged, but nothing in the text acts on a terminal.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
