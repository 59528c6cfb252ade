"""Reading what a record's Markdown says about itself: its title, status and style.

Below both :mod:`.store` (which lists the records in a folder) and :mod:`.markdown` (which
writes them), so that neither imports the other. Works on ADRs written by any of the tools
whose styles :mod:`.markdown` writes: MADR 4, log4brains (and pyadr) and adr-tools (Nygard).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Style = Literal["madr", "log4brains", "nygard"]

HEADER_ITEM = r"^(\s*[*-]\s*{key}\s*:[ \t]*)(.*)$"
_COMMENT = re.compile(r"<!--.*?-->")


@dataclass
class Heading:
    """What a record's Markdown says about itself."""

    title: str
    status: str
    style: Style | None
    """The style its status is written in; ``None`` when it has no status at all."""


def front_matter(text: str) -> tuple[str, str] | None:
    """Split ``---`` front matter from the body; ``None`` when there is none."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    return text[4 : end + 1], text[end + 5 :]


def _first_title(body: str) -> str:
    return next((ln[2:].strip() for ln in body.splitlines() if ln.startswith("# ")), "")


def header_part(body: str) -> str:
    """The part of a body before its first ``##`` heading."""
    match = re.search(r"^##\s", body, re.MULTILINE)
    return body[: match.start()] if match else body


def status_section(body: str) -> tuple[int, int] | None:
    """Start and end offsets of the lines of a ``## Status`` section."""
    match = re.search(r"^## Status[ \t]*$\n?", body, re.MULTILINE)
    if match is None:
        return None
    after = re.search(r"^#", body[match.end() :], re.MULTILINE)
    end = match.end() + after.start() if after else len(body)
    return match.end(), end


def read_heading(text: str) -> Heading:
    """Title and status of a record in any of the styles, best effort."""
    split = front_matter(text)
    if split is not None:
        head, body = split
        match = re.search(r"^status:[ \t]*(.*)$", head, re.MULTILINE)
        status = match.group(1).strip().strip("'\"") if match else ""
        return Heading(_first_title(body), status, "madr" if match else None)
    header = header_part(text)
    item = re.search(HEADER_ITEM.format(key="Status"), header, re.MULTILINE | re.IGNORECASE)
    if item is not None:
        status = _COMMENT.sub("", item.group(2)).strip()
        if status.startswith("["):  # the template's placeholder: log4brains shows a draft
            status = "draft"
        return Heading(_first_title(text), status, "log4brains")
    section = status_section(text)
    if section is not None:
        lines = [ln.strip() for ln in text[section[0] : section[1]].splitlines() if ln.strip()]
        superseded = [ln for ln in lines if ln.lower().startswith("superseded by")]
        status = superseded[0] if superseded else (lines[0] if lines else "")
        title = re.sub(r"^\d+\.\s+", "", _first_title(text))
        return Heading(title, status, "nygard")
    return Heading(_first_title(text), "", None)
