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
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import RecordError
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
TEMPORARY_PREFIX = ".rewrite-advisor-"
TEMPORARY_SUFFIX = ".tmp"
LINKS_START = "<!-- rewrite-advisor:links -->"
"""Every record's Markdown has this marker; it tells our records from other ADRs."""

MARKDOWN_LIMIT = 4 * 1024 * 1024
"""A record's Markdown is read up to this size; anything longer is not a record we made."""
STORED_LIMIT = 256 * 1024 * 1024
"""A stored file (the PDF memo is the largest) is read up to this size."""
LOCK_WAIT_S = 60.0

_RECORD_MD = re.compile(r"^(\d{4,})-(.+)\.md$")
_RECORD_DIR = re.compile(r"^(\d{4,})-(.+)$")
_NUMBERED = re.compile(r"^(\d{4,})-")
_FOLDER_LINK = re.compile(r"\]\(([^()\s]*?)/record\.json\)")


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


def _temporary(folder: Path, data: bytes, mode: int | None) -> Path:
    fd, name = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=folder)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        temporary.chmod(mode)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def create_file(path: Path, data: bytes) -> None:
    """Write a new file atomically; fail if it exists (a record is never overwritten).

    Raises:
        RecordError: If the file exists or cannot be written.
    """
    temporary: Path | None = None
    try:
        temporary = _temporary(path.parent, data, None)
        os.link(temporary, path)
    except FileExistsError:
        raise RecordError("this file exists already; a record is never overwritten", path) from None
    except OSError as exc:
        raise RecordError(f"cannot write the file: {exc.strerror}", path) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()


def replace_file(path: Path, data: bytes) -> None:
    """Replace (or create) a file atomically, keeping its permissions.

    Raises:
        RecordError: If it cannot be written.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    temporary: Path | None = None
    try:
        temporary = _temporary(path.parent, data, mode)
        temporary.replace(path)
        temporary = None
    except OSError as exc:
        raise RecordError(f"cannot write the file: {exc.strerror}", path) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
    _sync_folder(path.parent)


def remove_temporary_files(folder: Path) -> None:
    """Remove what a killed writer of this program left in ``folder``: its temporary files."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if (
                entry.name.startswith(TEMPORARY_PREFIX)
                and entry.name.endswith(TEMPORARY_SUFFIX)
                and entry.is_file(follow_symlinks=False)
            ):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()


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


class Journal(_Model):
    """What a change to several files is about to do, written before it does it."""

    kind: Literal["rewrite-advisor/journal"] = "rewrite-advisor/journal"
    format: Literal[1] = 1
    operation: str
    writes: list[PlannedWrite] = []
    adding: PlannedRecord | None = None


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


def pending(directory: Path) -> Journal | None:
    """The journal of a change that was interrupted, if there is one.

    Raises:
        RecordError: If the journal cannot be read.
    """
    path = directory / JOURNAL
    if not path.exists() and not path.is_symlink():
        return None
    raw = read_file(path)
    try:
        return Journal.model_validate_json(raw)
    except ValidationError:
        raise RecordError("not a journal of rewrite-advisor; move it away to go on", path) from None


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
    """Finish an interrupted change; return what it was (``None`` when nothing was pending).

    An interrupted ``record add`` is removed; an interrupted multi-file change is completed.
    Call it holding :func:`locked`.

    Raises:
        RecordError: If a file was changed by someone else since, so that the change cannot be
            finished without overwriting their work.
    """
    remove_temporary_files(directory)
    journal = pending(directory)
    if journal is None:
        return None
    if journal.adding is not None:
        _roll_back_add(directory, journal.adding)
    _apply(directory, journal)
    _drop(directory)
    return journal.operation


def _apply(directory: Path, journal: Journal) -> None:
    """Write every planned file that is not written yet; first check that none was edited."""
    to_write: list[tuple[Path, bytes]] = []
    for write in journal.writes:
        target = inside(directory, write.path)
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


def _roll_back_add(directory: Path, adding: PlannedRecord) -> None:
    markdown = inside(directory, adding.markdown)
    if markdown.exists():
        return  # the Markdown file is written last: the record was complete
    folder = inside(directory, adding.folder)
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)


def _drop(directory: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (directory / JOURNAL).unlink()
    _sync_folder(directory)


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
    from .markdown import read_heading

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
