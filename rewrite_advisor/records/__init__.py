"""Decision records: an archive of assessments in the repository, next to the code.

A record is a Markdown file that ADR tools read, ``NNNN-slug.md``, in the style of the tool
the team uses (MADR 4, log4brains or adr-tools), and an assessment folder that keeps what is
needed to reproduce and check it::

    docs/decisions/
      0001-replace-the-billing-engine.md        the decision record
      assessments/0001-replace-the-billing-engine/
        answers.yaml                            the answers, byte for byte as given
        memo.html                               the memo as rendered when recorded
        memo.pdf                                the same as PDF, when PDF output is available
        memo.json                               the memo as data (for verify and diff)
        bank/bank.yaml, bank/rules.yaml         a copy of the question bank it was scored with
        record.json                             the manifest: SHA-256 of each file, bank id
                                                and version, status history, review date, links

The copy of the bank makes a record self-contained: it re-scores as it did after the default
bank changes. Records are referred to by number. Nothing is written outside the records folder,
and an existing record is never overwritten. This package never prints; it raises
:class:`~rewrite_advisor.errors.RecordError`.

Modules: :mod:`.manifest` (``record.json``), :mod:`.names` (numbers and file names),
:mod:`.heading` (reading a record's title and status in any style), :mod:`.store` (the
folder on disk: layout, lock, journal), :mod:`.markdown` (writing the Markdown in each style,
the index), :mod:`.convention` (which ADR tool a
repository uses), :mod:`.lifecycle` (add, status, supersede, index), :mod:`.verify`, and
:mod:`.scoring` (the one call into the scoring engine).
"""

from __future__ import annotations

from .convention import DEFAULT_DIR, Convention, detect
from .heading import Style, read_heading
from .lifecycle import Change, RecordRequest, add, set_status, supersede, write_index
from .manifest import CLOSED_STATUSES, SETTABLE_STATUSES, Manifest, StatusChange
from .markdown import STYLES
from .names import SLUG_MAX, SLUG_MAX_BYTES, ascii_slugify, parse_number, record_stem, slugify
from .store import (
    ANSWERS_FILE,
    ASSESSMENTS,
    BANK_FILES,
    JOURNAL,
    MANIFEST,
    MEMO_HTML,
    MEMO_JSON,
    MEMO_PDF,
    Record,
    create_file,
    find,
    inside,
    locate,
    scan,
    sha256,
)
from .verify import FolderVerification, Problem, Verification, verify

__all__ = [
    "ANSWERS_FILE",
    "ASSESSMENTS",
    "BANK_FILES",
    "CLOSED_STATUSES",
    "DEFAULT_DIR",
    "JOURNAL",
    "MANIFEST",
    "MEMO_HTML",
    "MEMO_JSON",
    "MEMO_PDF",
    "SETTABLE_STATUSES",
    "SLUG_MAX",
    "SLUG_MAX_BYTES",
    "STYLES",
    "Change",
    "Convention",
    "FolderVerification",
    "Manifest",
    "Problem",
    "Record",
    "RecordRequest",
    "StatusChange",
    "Style",
    "Verification",
    "add",
    "ascii_slugify",
    "create_file",
    "detect",
    "find",
    "inside",
    "locate",
    "parse_number",
    "read_heading",
    "record_stem",
    "scan",
    "set_status",
    "sha256",
    "slugify",
    "supersede",
    "verify",
    "write_index",
]
