"""The records folder on disk: layout, reading and writing, the lock and the journal.

Each file's place, how it is read and written, and how a change to several files is made safe
against a crash and against a second writer.

Layout (new records; records made before the ``assessments/`` folder keep their folder beside
the Markdown file, ``NNNN-slug/``, and are read just the same)::

    docs/decisions/
      0001-replace-the-billing-engine.md      the decision record, read by ADR tools
      assessments/
        0001-replace-the-billing-engine/      what reproduces and checks it (record.json, ...)

ADR tools look for ``NNNN-*`` entries in the records folder, and some of them open every such
entry as a file; the ``assessments/`` folder keeps the numbered folders out of their way.

Safety:

* Every file is written through a temporary file and a rename (or a hard link, for files
  that must not already exist), so a crash leaves the old file or the new one.
* A change to several files (``record status``, ``record supersede``) first writes a journal,
  ``.rewrite-advisor-journal.json``, with the new content of every file and the SHA-256 of the
  old one. If the process dies half way, the next command that changes the folder (or
  ``record verify --repair``) finishes the change; a file edited since is never overwritten.
  ``record add`` journals the record it is making, and an interrupted add is removed.
* Commands that change the folder hold an exclusive lock on it (``flock`` on the folder), so
  two ``record add`` at the same time get different numbers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import fsio
from ..errors import OutputError, RecordError
from .heading import read_heading
from .manifest import CLOSED_STATUSES, Manifest, parse_manifest

try:  # POSIX; elsewhere the folder is not locked
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

ASSESSMENTS = "assessments"
"""The sub-folder of the records folder that holds one folder per record."""
ANSWERS_FILE = "answers.yaml"
MEMO_HTML = "memo.html"
MEMO_PDF = "memo.pdf"
MEMO_JSON = "memo.json"
MANIFEST = "record.json"
BANK_FILES = ("bank/bank.yaml", "bank/rules.yaml")
JOURNAL = ".rewrite-advisor-journal.json"
LINKS_START = "<!-- rewrite-advisor:links -->"
"""Every record's Markdown has this marker; it tells our records from other ADRs."""

MARKDOWN_LIMIT = 4 * 1024 * 1024
"""A record's Markdown is read up to this size; anything longer is not a record we made."""
STORED_LIMIT = 256 * 1024 * 1024
"""A stored file (the PDF memo is the largest) is read up to this size."""
LOCK_WAIT_S = 60.0

_RECORD_MD = re.compile(r"^(\d{4,9})-(.+)\.md$")
_RECORD_DIR = re.compile(r"^(\d{4,9})-(.+)$")
_NUMBERED = re.compile(r"^(\d{4,9})-")
# The assessment folder, as a record names it: a link to its record.json, or (log4brains style,
# whose published site has no such files) its path in a code span.
_FOLDER_LINK = re.compile(r"(?:\]\(|`)([^()`\s]*?)/record\.json(?:\)|`)")


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def inside(root: Path, relative: str | Path) -> Path:
    """``root / relative``, refused if it would resolve anywhere outside ``root``.

    Raises:
        RecordError: If the path escapes the folder (``..``, an absolute path, a symlink).
    """
    base = root.resolve()
    target = (base / relative).resolve()
    if target == base or not target.is_relative_to(base):
        raise RecordError("refusing to write outside the records folder", root / relative)
    return target


# --------------------------------------------------------------------------- reading and writing


def read_file(path: Path, limit: int = STORED_LIMIT) -> bytes:
    """The bytes of a regular file, without waiting on a FIFO or reading a device.

    Raises:
        RecordError: If it cannot be read, is not a regular file, or is larger than ``limit``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise RecordError(f"cannot read the file: {exc.strerror}", path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a special file"
            raise RecordError(f"this is {kind}, not a regular file", path)
        if info.st_size > limit:
            raise RecordError(f"the file is larger than {limit // (1024 * 1024)} MB", path)
        chunks = []
        size = 0
        while chunk := os.read(fd, 1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise RecordError(f"the file is larger than {limit // (1024 * 1024)} MB", path)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise RecordError(f"cannot read the file: {exc.strerror}", path) from None
    finally:
        os.close(fd)


def create_file(path: Path, data: bytes) -> None:
    """Write a new file atomically; fail if it exists (a record is never overwritten).

    Raises:
        RecordError: If the file exists or cannot be written.
    """
    try:
        fsio.write_atomic(path, data, new=True)
    except OutputError as exc:
        message = exc.message.replace("it is never overwritten", "a record is never overwritten")
        raise RecordError(message, path) from None


def replace_file(path: Path, data: bytes) -> None:
    """Replace (or create) a file atomically, keeping its permissions.

    Raises:
        RecordError: If it cannot be written.
    """
    try:
        fsio.write_atomic(path, data)
    except OutputError as exc:
        raise RecordError(exc.message, path) from None


def remove_temporary_files(folder: Path) -> None:
    """Remove what a killed writer of this program left in ``folder``: its temporary files."""
    fsio.remove_leftovers(folder)


# --------------------------------------------------------------------------- the lock


@contextlib.contextmanager
def locked(directory: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold a lock on the records folder: exclusive to change it, shared to read it.

    Raises:
        RecordError: If the folder cannot be opened, or another process holds the lock for
            longer than :data:`LOCK_WAIT_S` seconds.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise RecordError(f"cannot open the records folder: {exc.strerror}", directory) from None
    try:
        mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, mode)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise RecordError(
                        "another rewrite-advisor is changing this records folder; try again",
                        directory,
                    ) from None
                time.sleep(0.02)
            except OSError:  # a file system without locks: go on unlocked
                break
        yield
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- the journal


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlannedWrite(_Model):
    """One file a multi-file change writes: its path in the records folder and contents."""

    path: str
    before: str | None
    """SHA-256 of the file before the change; ``None`` if it did not exist."""
    after: str
    """The whole new text of the file."""


class PlannedRecord(_Model):
    """The record that ``record add`` is making: removed if the add is interrupted."""

    folder: str
    markdown: str
    files: dict[str, str] = {}
    """SHA-256 of each file the add writes in ``folder``, by relative path: an interrupted add
    deletes only files that have one of these names and hashes."""


class Journal(_Model):
    """What a change to several files is about to do, written before it does it."""

    kind: Literal["rewrite-advisor/journal"] = "rewrite-advisor/journal"
    format: Literal[1] = 1
    operation: str
    writes: list[PlannedWrite] = []
    adding: PlannedRecord | None = None


class ForeignJournal(RecordError):
    """A journal that this program cannot have written for this folder: it is not acted on."""


JOURNAL_LIMIT = 64 * 1024 * 1024
"""A journal holds the new text of the files it changes; a larger one is not ours."""
ADDED_FILES = (ANSWERS_FILE, MEMO_HTML, MEMO_PDF, MEMO_JSON, *BANK_FILES, MANIFEST)
"""Every file ``record add`` writes in a record's assessment folder."""
KEPT_PREFIX = ".rewrite-advisor-kept-"
"""What an interrupted add left that it cannot be shown to have written is moved to a folder
of this name in the records folder, never deleted."""
_OPERATION = re.compile(r"^record (?:add|status|supersede|verify)(?: [a-z0-9 -]{1,60})?$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_WRITTEN_MARKDOWN = re.compile(r"^\d{4,9}-[^/]+\.md$")
_WRITTEN_MANIFEST = re.compile(rf"^(?:{ASSESSMENTS}/)?\d{{4,9}}-[^/]+/{re.escape(MANIFEST)}$")


def _foreign(journal: Journal) -> str | None:
    """Why ``journal`` cannot be one that this program wrote (``None`` when it can be).

    This program journals only these changes: ``record add`` (a new assessment folder and its
    Markdown, with the hash of every file it writes), and ``record status``, ``supersede`` and
    ``verify --repair`` (new text for the Markdown files and ``record.json`` of records that
    exist, with the hash of each as it was).
    """
    if not _OPERATION.match(journal.operation):
        return "it names no operation of this program"
    if journal.adding is not None:
        adding = journal.adding
        stem = adding.folder.removeprefix(ASSESSMENTS + "/")
        if (
            not adding.folder.startswith(ASSESSMENTS + "/")
            or not re.match(r"^\d{4,9}-[^/]+$", stem)
            or stem in (".", "..")
            or adding.markdown != stem + ".md"
        ):
            return "the record it adds is not named as this program names records"
        if journal.writes or not journal.operation.startswith("record add "):
            return "it adds a record and does something else too"
        for name, digest in adding.files.items():
            if name not in ADDED_FILES or not _HASH.match(digest):
                return f"'record add' writes no file '{name[:60]}' with that hash"
        return None
    seen: set[str] = set()
    for write in journal.writes:
        if write.path in seen:
            return "it changes the same file twice"
        seen.add(write.path)
        if write.before is None or not _HASH.match(write.before):
            return "it would create a file instead of changing one"
        if _WRITTEN_MARKDOWN.match(write.path):
            if LINKS_START not in write.after:
                return f"the new text of {write.path[:60]} is not a record of this program"
        elif _WRITTEN_MANIFEST.match(write.path):
            try:
                parse_manifest(write.after.encode("utf-8"), Path(write.path))
            except RecordError:
                return f"the new {write.path[:60]} is not a record manifest"
        else:
            return f"it would change '{write.path[:60]}', which only a person edits"
    return None


def planned_write(directory: Path, path: Path, after: bytes) -> PlannedWrite:
    """A write of ``after`` to ``path``, with the hash of what is there now."""
    try:
        before: str | None = sha256(read_file(path))
    except RecordError:
        before = None
    return PlannedWrite(
        path=str(path.resolve().relative_to(directory.resolve())),
        before=before,
        after=after.decode("utf-8"),
    )


_REFUSED = "nothing was changed; check it, then move it away to go on"


def pending(directory: Path) -> Journal | None:
    """The journal of a change that was interrupted, if there is one.

    The journal is a file in a folder that others may write to: it is checked as untrusted
    input (see :func:`_foreign`) before anything is done with it.

    Raises:
        ForeignJournal: If it cannot be read, or it is not a journal this program wrote.
    """
    path = directory / JOURNAL
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ForeignJournal(f"cannot read the journal: {exc.strerror}", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise ForeignJournal(f"this journal is not a regular file; {_REFUSED}", path)
    try:
        raw = read_file(path, JOURNAL_LIMIT)
    except RecordError as exc:
        raise ForeignJournal(f"{exc.message}; {_REFUSED}", path) from None
    try:
        journal = Journal.model_validate_json(raw)
    except ValidationError:
        raise ForeignJournal(f"not a journal of rewrite-advisor; {_REFUSED}", path) from None
    why = _foreign(journal)
    if why is not None:
        raise ForeignJournal(f"not a journal that rewrite-advisor wrote ({why}); {_REFUSED}", path)
    return journal


def begin(directory: Path, journal: Journal) -> None:
    """Write the journal of a change before making it. Call it holding :func:`locked`."""
    replace_file(directory / JOURNAL, journal.model_dump_json(indent=1).encode("utf-8"))


def end(directory: Path) -> None:
    """Drop the journal once the change is made."""
    _drop(directory)


def run(directory: Path, journal: Journal) -> None:
    """Make a change to several files: journal first, then each file, then drop the journal.

    Call it holding :func:`locked`.
    """
    begin(directory, journal)
    _apply(directory, journal)
    end(directory)


def finish(directory: Path) -> str | None:
    """Finish an interrupted change; say what it was (``None`` when nothing was pending).

    An interrupted ``record add`` is removed: the files it provably wrote are deleted, and
    anything else found in its folder is moved aside (see :data:`KEPT_PREFIX`). An
    interrupted multi-file change is completed. Call it holding :func:`locked`.

    Returns:
        ``the interrupted 'OPERATION'``, and where anything was moved aside.

    Raises:
        ForeignJournal: If the journal is not one this program wrote (nothing is changed).
        RecordError: If a file was changed by someone else since, so that the change cannot be
            finished without overwriting their work.
    """
    journal = pending(directory)  # checked before anything is touched
    remove_temporary_files(directory)
    if journal is None:
        return None
    kept = None
    if journal.adding is not None:
        kept = _roll_back_add(directory, journal.adding)
    _apply(directory, journal)
    _drop(directory)
    done = f"the interrupted '{journal.operation}'"
    if kept is not None:
        done += f" (what it cannot be shown to have written is kept in {kept.name})"
    return done


def _apply(directory: Path, journal: Journal) -> None:
    """Write every planned file that is not written yet; first check that none was edited."""
    to_write: list[tuple[Path, bytes]] = []
    base = directory.resolve()
    for write in journal.writes:
        target = inside(directory, write.path)
        if target != base / write.path:
            raise ForeignJournal(f"the journal would write through a link; {_REFUSED}", target)
        data = write.after.encode("utf-8")
        try:
            now: str | None = sha256(read_file(target))
        except RecordError:
            now = None
        if now == sha256(data):
            continue
        if now != write.before:
            raise RecordError(
                f"cannot finish the interrupted '{journal.operation}': this file was changed "
                f"since; check it, then remove {JOURNAL} to go on",
                target,
            )
        to_write.append((target, data))
    for target, data in to_write:
        remove_temporary_files(target.parent)
        replace_file(target, data)


def _roll_back_add(directory: Path, adding: PlannedRecord) -> Path | None:
    """Undo an interrupted add; return the folder where what it did not write was moved.

    Raises:
        ForeignJournal: If the folder it names is not one the add can have made.
    """
    markdown = directory / adding.markdown
    if markdown.exists() or markdown.is_symlink():
        return None  # the Markdown file is written last: the record was complete
    folder = directory / adding.folder
    try:
        info = folder.lstat()
    except FileNotFoundError:
        return None
    stem = folder.name
    if not stat.S_ISDIR(info.st_mode) or inside(directory, adding.folder) != (
        directory.resolve() / adding.folder
    ):
        raise ForeignJournal(f"the record the journal adds is not a folder; {_REFUSED}", folder)
    number = stem.split("-", 1)[0]
    for parent in (directory, directory / ASSESSMENTS):
        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                match = _NUMBERED.match(entry.name)
                if match and int(match.group(1)) == int(number) and entry.path != str(folder):
                    raise ForeignJournal(
                        f"the journal would remove a folder numbered as {entry.name} is; "
                        f"{_REFUSED}",
                        directory / JOURNAL,
                    )
    for root, dirs, names in os.walk(folder, topdown=False):
        here = Path(root)
        for name in names:
            if _written_by(here / name, (here / name).relative_to(folder).as_posix(), adding):
                with contextlib.suppress(OSError):
                    (here / name).unlink()
        for name in dirs:
            with contextlib.suppress(OSError):
                (here / name).rmdir()  # only when empty; a link to a folder is not one
    try:
        folder.rmdir()
    except OSError:
        return _set_aside(directory, folder)
    fsio.sync_folder(folder.parent)
    return None


def _written_by(path: Path, relative: str, adding: PlannedRecord) -> bool:
    """Whether ``path`` is provably what the add wrote: its name, and the hash it recorded."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        digest = sha256(read_file(path))
    except (OSError, RecordError):
        return False
    if relative in adding.files:
        return adding.files[relative] == digest
    name = path.name
    if name.startswith(fsio.TEMPORARY_PREFIX) and name.endswith(fsio.TEMPORARY_SUFFIX):
        return digest in adding.files.values()  # a file it was writing when it was killed
    return False


def _set_aside(directory: Path, folder: Path) -> Path:
    """Move ``folder`` to a new ``.rewrite-advisor-kept-*`` name in ``directory``."""
    for attempt in range(1, 1000):
        suffix = f"-{attempt}" if attempt > 1 else ""
        target = directory / f"{KEPT_PREFIX}{folder.name}{suffix}"
        if target.exists() or target.is_symlink():
            continue
        try:
            folder.rename(target)
        except OSError as exc:
            raise RecordError(
                f"cannot move aside what an interrupted 'record add' left: {exc.strerror}", folder
            ) from None
        fsio.sync_folder(directory)
        return target
    raise RecordError("too many folders set aside already; remove some", directory)


def _drop(directory: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (directory / JOURNAL).unlink()
    fsio.sync_folder(directory)


# --------------------------------------------------------------------------- the records


@dataclass
class Record:
    """A decision record found in the folder.

    For an ADR made by another tool only ``markdown``, ``title`` and ``status`` are set. For
    one of ours, ``folder`` is its assessment folder and ``manifest`` its ``record.json``;
    either can be missing when files were deleted, which ``record verify`` reports.
    """

    number: int
    stem: str
    markdown: Path | None
    folder: Path | None
    manifest: Manifest | None
    title: str
    status: str
    ours: bool
    manifest_error: RecordError | None = None
    expected_folder: Path | None = None
    """Where the Markdown says the assessment folder is (for a report when it is missing)."""

    def review_state(self, today: dt.date) -> Literal["overdue", "due", ""]:
        """``overdue`` after the review date, ``due`` on it, else empty (or closed)."""
        if self.manifest is None or self.manifest.review_by is None:
            return ""
        if self.status_word in CLOSED_STATUSES:
            return ""
        if self.manifest.review_by < today:
            return "overdue"
        return "due" if self.manifest.review_by == today else ""

    @property
    def status_word(self) -> str:
        """The status as one word: ``superseded`` for "superseded by [0002](...)"."""
        words = self.status.split()
        return words[0].lower().rstrip(":") if words else ""

    @property
    def name(self) -> str:
        """The record's Markdown file name (``NNNN-slug.md``)."""
        return self.stem + ".md"


def record_folder(directory: Path, stem: str) -> Path:
    """Where a new record's assessment folder goes."""
    return directory / ASSESSMENTS / stem


def _folder_for(directory: Path, stem: str, text: str) -> tuple[Path | None, Path]:
    """The assessment folder of a record (found, or ``None``), and where it should be."""
    candidates: list[Path] = []
    match = _FOLDER_LINK.search(text)
    if match:
        with contextlib.suppress(RecordError):
            candidates.append(inside(directory, match.group(1)))
    candidates += [directory / ASSESSMENTS / stem, directory / stem]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate, candidate
    return None, candidates[0]


def _manifest_of(folder: Path) -> tuple[Manifest | None, RecordError | None]:
    path = folder / MANIFEST
    try:
        raw = read_file(path)
    except RecordError as exc:
        if not path.exists():
            return None, RecordError("missing", path)
        return None, exc
    try:
        return parse_manifest(raw, path), None
    except RecordError as exc:
        return None, exc


def scan(directory: Path) -> list[Record]:
    """Every decision record in ``directory``, by number.

    Records made by this tool carry their manifest; other ADRs in the folder (MADR, log4brains,
    adr-tools, pyadr) are listed with the title and status read from their Markdown. An
    assessment folder whose Markdown file is gone is listed too (``markdown`` is ``None``).
    """
    if not directory.is_dir():
        return []
    journal: Journal | None = None
    with contextlib.suppress(RecordError):
        journal = pending(directory)
    adding = journal.adding.folder if journal and journal.adding else None
    found: list[Record] = []
    claimed: set[Path] = set()
    for entry in os.scandir(directory):
        match = _RECORD_MD.match(entry.name)
        if not match or not entry.is_file():
            continue
        markdown = Path(entry.path)
        stem = markdown.stem
        try:
            text = read_file(markdown, MARKDOWN_LIMIT).decode("utf-8", errors="replace")
        except RecordError:
            text = ""
        heading = read_heading(text)
        folder, expected = _folder_for(directory, stem, text)
        ours = folder is not None or LINKS_START in text or _FOLDER_LINK.search(text) is not None
        manifest, error = _manifest_of(folder) if folder is not None else (None, None)
        if folder is not None:
            claimed.add(folder.resolve())
        title = manifest.title if manifest else heading.title or match.group(2)
        status = manifest.status if manifest else heading.status
        found.append(
            Record(
                number=int(match.group(1)),
                stem=stem,
                markdown=markdown,
                folder=folder,
                manifest=manifest,
                title=title,
                status=status,
                ours=ours,
                manifest_error=error,
                expected_folder=expected if ours else None,
            )
        )
    for folder in _assessment_folders(directory):
        if folder.resolve() in claimed:
            continue
        relative = str(folder.relative_to(directory))
        if adding is not None and relative == adding:
            continue  # an add in progress (or interrupted): not a record yet
        manifest, error = _manifest_of(folder)
        if manifest is None and folder.parent == directory:
            continue  # a numbered folder beside the records that is not ours
        match = _RECORD_DIR.match(folder.name)
        assert match is not None
        found.append(
            Record(
                number=int(match.group(1)),
                stem=folder.name,
                markdown=None,
                folder=folder,
                manifest=manifest,
                title=manifest.title if manifest else match.group(2),
                status=manifest.status if manifest else "",
                ours=True,
                manifest_error=error,
                expected_folder=folder,
            )
        )
    found.sort(key=lambda r: (r.number, r.stem))
    return found


_PROPOSAL_MD = re.compile(r"^XXXX-(.+)\.md$")


def scan_proposals(directory: Path) -> list[Record]:
    """The proposed records of pyadr, ``XXXX-slug.md``: numbered only once ``pyadr accept`` runs.

    They have number 0 and are never ours; :func:`scan` leaves them out, so that numbering,
    ``find`` and ``verify`` see numbered records only.
    """
    found: list[Record] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            match = _PROPOSAL_MD.match(entry.name)
            if not match or not entry.is_file():
                continue
            markdown = Path(entry.path)
            try:
                text = read_file(markdown, MARKDOWN_LIMIT).decode("utf-8", errors="replace")
            except RecordError:
                text = ""
            heading = read_heading(text)
            found.append(
                Record(
                    number=0,
                    stem=markdown.stem,
                    markdown=markdown,
                    folder=None,
                    manifest=None,
                    title=heading.title or match.group(1),
                    status=heading.status,
                    ours=False,
                )
            )
    found.sort(key=lambda r: r.stem)
    return found


def _assessment_folders(directory: Path) -> list[Path]:
    """Numbered folders in ``assessments/``, and old-style ones beside the Markdown files."""
    folders = []
    for parent in (directory / ASSESSMENTS, directory):
        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                if _RECORD_DIR.match(entry.name) and entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
    return folders


def is_dated(prefix: str) -> bool:
    """True for log4brains' ``YYYYMMDD-`` file name prefixes, which are dates, not numbers."""
    if len(prefix) != 8:
        return False
    try:
        dt.date(int(prefix[:4]), int(prefix[4:6]), int(prefix[6:]))
    except ValueError:
        return False
    return prefix[:2] in ("19", "20")


def taken_numbers(directory: Path) -> set[int]:
    """Numbers in use: by any ``NNNN-*`` entry of the folder or of ``assessments/``.

    log4brains names its records by date (``20261120-use-a-queue.md``): those are not numbers.
    """
    numbers: set[int] = set()
    for parent in (directory, directory / ASSESSMENTS):
        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                match = _NUMBERED.match(entry.name)
                if match and not is_dated(match.group(1)):
                    numbers.add(int(match.group(1)))
    return numbers


def require_folder(directory: Path) -> None:
    """Raise unless ``directory`` is an existing folder.

    Raises:
        RecordError: If it does not exist or is not a folder.
    """
    if not directory.is_dir():
        what = "not a folder" if directory.exists() else "no such records folder"
        raise RecordError(f"{what} (give --dir, or run 'record add' first)", directory)


def find(directory: Path, number: int) -> Record:
    """The record with this number, made by this tool, with its manifest.

    Raises:
        RecordError: If there is none, it is an ADR this tool did not make, or its manifest is
            missing or broken.
    """
    require_folder(directory)
    for record in scan(directory):
        if record.number != number:
            continue
        if record.manifest is not None:
            return record
        if record.manifest_error is not None:
            raise RecordError(
                f"record {number:04d} cannot be used: {record.manifest_error.message} "
                "(run 'record verify')",
                record.manifest_error.path,
            )
        raise RecordError(
            f"record {number:04d} was not made by rewrite-advisor: it has no assessment "
            f"(no {MANIFEST})",
            record.markdown,
        )
    raise RecordError(f"there is no record {number:04d} in this folder", directory)


def locate(path: Path) -> Record | None:
    """Our record at ``path`` (its ``.md`` file or its assessment folder), if it is one."""
    path = Path(path)
    if path.is_dir() and (path / MANIFEST).is_file():
        directory = path.parent.parent if path.parent.name == ASSESSMENTS else path.parent
        stem = path.name
    elif path.suffix == ".md" and path.is_file():
        directory, stem = path.parent, path.stem
    else:
        return None
    for record in scan(directory):
        if record.stem == stem and record.manifest is not None:
            return record
    return None
