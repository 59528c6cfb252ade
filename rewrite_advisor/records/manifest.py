"""``record.json``: what a record is made of, and what happened to it since."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import RecordError

RECORD_KIND = "rewrite-advisor/record"

RecordNumber = Annotated[int, Field(ge=1, le=999_999_999)]
"""A record's number: at most nine digits, as in its file name (a larger one is refused)."""

Status = Literal["proposed", "accepted", "rejected", "deprecated", "superseded"]
SETTABLE_STATUSES: tuple[str, ...] = ("proposed", "accepted", "rejected", "deprecated")
CLOSED_STATUSES: tuple[str, ...] = ("rejected", "deprecated", "superseded")
"""Statuses whose review date no longer matters."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusChange(_Model):
    """One entry of a record's status history."""

    status: Status
    date: dt.date
    note: str | None = None


class RecordBank(_Model):
    """The question bank a record was scored with; a copy is kept in ``bank/``."""

    id: str
    version: str
    title: str


class RecordVerdict(_Model):
    """The verdict as recorded, for listings that should not re-read the memo."""

    id: str
    title: str
    score: int = Field(ge=-1_000_000, le=1_000_000)


class RecordLinks(_Model):
    """Links between records, both ways."""

    supersedes: list[RecordNumber] = []
    superseded_by: RecordNumber | None = None


class Manifest(_Model):
    """``record.json``: what a record is made of and what happened to it since."""

    kind: Literal["rewrite-advisor/record"] = "rewrite-advisor/record"
    format: Literal[1] = 1
    number: RecordNumber
    title: str
    slug: str
    created: dt.date = Field(description="The day the record was made.")
    memo_date: dt.date = Field(description="The memo's date; re-scoring uses it as 'today'.")
    review_by: dt.date | None = None
    status: Status
    status_history: list[StatusChange]
    verdict: RecordVerdict
    bank: RecordBank
    generator: str
    answers_sha256: str = Field(description="SHA-256 of answers.yaml, also listed in files.")
    files: dict[str, str] = Field(description="SHA-256 of each stored file, by relative path.")
    links: RecordLinks = RecordLinks()
    markdown_sha256: str | None = Field(
        default=None,
        description="SHA-256 of the record's Markdown as 'record' last wrote it (or as "
        "'record verify --repair' took it over); absent in records made before 0.2.",
    )

    def with_markdown(self, text: str) -> Manifest:
        """A copy that holds the SHA-256 of the record's Markdown ``text``."""
        import hashlib

        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self.model_copy(update={"markdown_sha256": digest})

    def with_status(self, status: str, day: dt.date, note: str | None = None) -> Manifest:
        """A copy with ``status`` set and the change added to the history."""
        change = StatusChange.model_validate({"status": status, "date": day, "note": note})
        return self.model_copy(
            update={"status": change.status, "status_history": [*self.status_history, change]}
        )


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest as it is stored: indented JSON and a final newline."""
    return manifest.model_dump_json(indent=2).encode("utf-8") + b"\n"


def parse_manifest(raw: bytes, path: Path) -> Manifest:
    """Validate a ``record.json`` read from ``path``.

    Raises:
        RecordError: If it is not JSON, or not a record manifest.
    """
    try:
        return Manifest.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = (
            f"not a valid record manifest: {where}: {first['msg']}"
            if where
            else (f"not a valid record manifest: {first['msg']}")
        )
        raise RecordError(message, path) from None
