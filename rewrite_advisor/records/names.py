r"""Record names: numbers as typed, and file names from titles in any script.

A file name is at most 255 bytes on common file systems, and a character can take four bytes
in UTF-8, so names are cut by bytes, never by characters alone.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from ..errors import RecordError

SLUG_MAX = 60
"""At most this many characters of the title go into a file name ..."""
SLUG_MAX_BYTES = 120
"""... and at most this many bytes (UTF-8): room for the number, ``.md`` and temporary names."""
ASCII_SLUG_MAX_BYTES = 200
"""pyadr compares the whole title's slug with the file name, so ASCII slugs are cut later."""

NUMBER_MAX_DIGITS = 9
_NOT_WORD = re.compile(r"[\W_]+")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);")


def _cut(slug: str, max_chars: int, max_bytes: int) -> str:
    slug = slug[:max_chars]
    while len(slug.encode("utf-8")) > max_bytes:
        slug = slug[:-1]
    # Never end on a combining mark cut from its letter, or on a separator.
    while slug and unicodedata.combining(slug[-1]):
        slug = slug[:-1]
    return slug.rstrip("-")


def slugify(title: str) -> str:
    r"""A safe file-name part from a title in any language.

    Letters and digits of every script are kept (lower-cased, NFKC-normalised); everything
    else, including ``.``, ``/``, ``\\`` and control characters, becomes a single ``-``. The
    result is at most :data:`SLUG_MAX` characters and :data:`SLUG_MAX_BYTES` bytes, and never
    empty.
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    text = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    slug = _NOT_WORD.sub("-", text).strip("-")
    return _cut(slug, SLUG_MAX, SLUG_MAX_BYTES) or "decision"


def ascii_slugify(title: str) -> str:
    """The slug pyadr expects in a file name: ASCII letters and digits only, no length limit.

    It follows python-slugify, which pyadr uses, for Latin text: HTML entities decoded, accents
    dropped, apostrophes and other punctuation turned into ``-``, commas between digits
    removed. Letters of other scripts are dropped (pyadr transliterates them, which needs a
    table this program does not ship).
    """
    text = title.replace("'", "-")
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("'", "")
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    slug = re.sub(r"-{2,}", "-", re.sub(r"[^-a-z0-9]+", "-", text)).strip("-")
    return _cut(slug, ASCII_SLUG_MAX_BYTES, ASCII_SLUG_MAX_BYTES) or "decision"


def record_stem(number: int, slug: str) -> str:
    """``NNNN-slug``: the name of a record's Markdown file (without ``.md``) and folder."""
    return f"{number:04d}-{slug}"


def parse_number(text: str) -> int:
    """A record number as typed: ``7``, ``0007`` or ``0007-slug.md``.

    Raises:
        RecordError: If it is not a positive number of at most nine digits.
    """
    name = Path(text).name if text else ""
    match = re.match(r"^(\d+)(?:-[^/\\]*)?$", name)
    digits = match.group(1).lstrip("0") if match else ""
    if not match or not digits or len(digits) > NUMBER_MAX_DIGITS:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise RecordError(f"'{shown}' is not a record number (use 1, 0001 or 0001-title.md)")
    return int(digits)


def href(name: str) -> str:
    """A relative path as a Markdown link target: spaces, brackets and controls percent-encoded."""
    return "".join(
        f"%{ord(ch):02X}" if ch in " ()<>[]\\\"'`" or ord(ch) < 32 or ord(ch) == 127 else ch
        for ch in name
    )
