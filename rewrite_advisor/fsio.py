"""Reading and writing the user's files: bounded reads, atomic writes, nothing lost.

Every file the program writes goes through :func:`write_atomic` (or :func:`write_output`,
which adds ``-`` for standard output), and every input file is read through
:func:`read_input`. What each kind of path means:

* a regular file, or a new name, is written to a temporary file in the same folder and renamed
  over it: a crash leaves the old file or the new one, never half of one; the old file's
  permissions are kept;
* a symbolic link is followed: the file it points to is replaced atomically, and the link stays;
* a device (``/dev/null``, a terminal) or a named pipe (FIFO) is written in place, as the
  shell's ``>`` would: it is never replaced by a regular file;
* a folder or a socket is refused, and so is a file the user may not write (read-only);
* with ``new=True`` (archived records) nothing is ever overwritten: the temporary file is
  hard-linked to the name, which fails if anything has it.

Temporary files are named ``.rewrite-advisor-NAME.XXXXXXXX.tmp``; the records journal's
recovery removes those a killed writer left (:func:`remove_leftovers`).

Inputs are read only from regular files and named pipes, and at most a stated size; a device
such as ``/dev/zero`` is refused before anything is read from it. A named pipe waits for its
writer, as ``cat`` does.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import AdvisorError, OutputError

MB = 1024 * 1024
ANSWERS_LIMIT = 10 * MB
"""The largest answers file (or question bank file) that is read."""
PDF_LIMIT = 50 * MB
"""The largest PDF memo that is read."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"  # pragma: no cover - every kind is named above


def _megabytes(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit:,} bytes"


STDIN = Path("<stdin>")
"""How standard input is named in messages, when ``-`` is given for an input (``report -``)."""


def read_standard_input(limit: int = ANSWERS_LIMIT, what: str = "an answers file") -> bytes:
    """Read at most ``limit`` bytes piped to standard input (``report - < answers.yaml``).

    Raises:
        AdvisorError: If standard input is closed, a terminal (nothing was piped: it would
            wait for typing), empty, or larger than ``limit``.
    """
    stream = getattr(sys.stdin, "buffer", None)
    try:
        if stream is None or stream.closed:
            raise OSError("closed")
        if _is_terminal(stream):
            raise AdvisorError(
                f"nothing is piped in ('-' reads {what} from standard input, which is the "
                "terminal here): give a file, or pipe one, as in 'report - < answers.yaml'",
                STDIN,
            )
        data: bytes = stream.read(limit + 1)
    except (OSError, ValueError):  # closed (<&-), or not a file at all
        raise AdvisorError(
            f"standard input is closed: give {what} as a file, or pipe one in with '-'", STDIN
        ) from None
    if not data:
        raise AdvisorError(
            f"standard input is empty: pipe {what} in, as in 'report - < answers.yaml'", STDIN
        )
    if len(data) > limit:
        raise AdvisorError(
            f"standard input holds more than {_megabytes(limit)}: give {what}", STDIN
        )
    return data


def _is_terminal(stream: object) -> bool:
    try:
        return os.isatty(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):  # a stream with no descriptor
        return False


def read_input(path: Path, limit: int = ANSWERS_LIMIT, what: str = "an input file") -> bytes:
    """Read at most ``limit`` bytes of a regular file or a named pipe.

    Args:
        path: The file to read.
        limit: The most bytes accepted; a larger file is refused.
        what: What the file should be, for the message (``an answers file``).

    Raises:
        AdvisorError: If the file is missing, a folder or a device, larger than ``limit``, or
            cannot be read.
    """
    try:
        mode = path.stat().st_mode
        kind = _kind(mode)
        if kind == "a folder":
            raise AdvisorError("this is a folder, not a file", path)
        if kind not in (None, "a named pipe"):
            raise AdvisorError(f"this is {kind}, not a file: give {what}", path)
        with path.open("rb") as handle:  # a named pipe waits here for its writer
            found = os.fstat(handle.fileno())
            if _kind(found.st_mode) not in (None, "a named pipe"):
                raise AdvisorError(f"this is not a regular file: give {what}", path)
            # As much as the file holds, and one byte more: a buffer of the whole limit takes
            # longer to make than a small file takes to read. A file that grew meanwhile, and
            # a pipe (size 0), are read on, up to the limit.
            first = min(found.st_size, limit) + 1
            data = handle.read(first)
            if len(data) == first and first <= limit:
                data += handle.read(limit + 1 - first)
    except FileNotFoundError:
        if str(path) == "-":
            raise AdvisorError(
                "'-' (standard input) is read only by 'report'; give a file here", path
            ) from None
        if set("*?[") & set(path.name):
            # The shell passes a wildcard on unchanged when it matches nothing.
            raise AdvisorError("no file matches this pattern", path) from None
        raise AdvisorError("no such file", path) from None
    except IsADirectoryError:
        raise AdvisorError("this is a folder, not a file", path) from None
    except OSError as exc:
        raise AdvisorError(f"cannot read the file: {exc.strerror or exc}", path) from None
    if len(data) > limit:
        raise AdvisorError(f"the file is larger than {_megabytes(limit)}: give {what}", path)
    return data


def read_regular(path: Path, limit: int = ANSWERS_LIMIT, what: str = "an input file") -> bytes:
    """Read at most ``limit`` bytes of a regular file, in few system calls.

    For the many small files that must be regular files (a case library's answers files).
    As :func:`read_input`, a path that is not a regular file is refused before it is opened;
    unlike it, a named pipe is refused too, and the file is opened without waiting, so that
    one put in its place meanwhile is refused rather than waited on.

    Raises:
        AdvisorError: As :func:`read_input`, and for a named pipe.
    """
    try:
        kind = _kind(path.stat().st_mode)
    except (OSError, ValueError):
        return read_input(path, limit, what)  # the same message as any other input's
    if kind is not None:
        raise AdvisorError(f"this is {kind}, not a file: give {what}", path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise AdvisorError(f"cannot read the file: {exc.strerror or exc}", path) from None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise AdvisorError(f"this is not a regular file: give {what}", path)
        data = os.read(fd, min(found.st_size, limit) + 1)
        while len(data) <= limit:  # to the end, which a file that grew meanwhile is not at
            more = os.read(fd, limit + 1 - len(data))
            if not more:
                break
            data += more
    except OSError as exc:
        raise AdvisorError(f"cannot read the file: {exc.strerror or exc}", path) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise AdvisorError(f"the file is larger than {_megabytes(limit)}: give {what}", path)
    return data


def same_file(one: Path | str, other: Path | str) -> bool:
    """Whether two paths name the same file (through links, hard links, ``..``)."""
    try:
        return Path(one).samefile(other)
    except (OSError, ValueError):
        return False


def refuse_inputs(target: Path | str, inputs: Iterable[Path | str], what: str) -> None:
    """Refuse to write ``target`` when it is one of the command's ``inputs``.

    Raises:
        OutputError: Naming the input it would overwrite.
    """
    if str(target) == "-":
        return
    for source in inputs:
        if same_file(target, source):
            raise OutputError(
                f"this is {what} this command reads; it is never overwritten: "
                "write the output to another file",
                target,
            )


def _final_target(path: Path) -> Path:
    """The file a write to ``path`` lands in: the target of a symbolic link, followed."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        # A dangling link: the file it names is created, as the shell's '>' would.
        return Path(os.path.realpath(path))
    except OSError as exc:
        raise OutputError(f"cannot follow this symbolic link: {exc.strerror}", path) from None


def _write_in_place(path: Path, data: bytes, shown: Path) -> None:
    """Write to a device or a named pipe as it is (it waits for a reader, like '>')."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BrokenPipeError:
        raise OutputError("the reader of this pipe closed it before the end", shown) from None
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror}", shown) from None


TEMPORARY_PREFIX = ".rewrite-advisor-"
TEMPORARY_SUFFIX = ".tmp"
"""Every temporary file is named ``.rewrite-advisor-NAME.XXXXXXXX.tmp``: what a killed writer
left can be told from anyone's files (:func:`remove_leftovers`)."""


def _temporary(folder: Path, name: str, data: bytes, shown: Path) -> Path:
    """A new temporary file in ``folder`` holding ``data``, on disk (fsync), mode 0600.

    Raises:
        OutputError: Naming ``shown``, if it cannot be made or written.
    """
    stem = name.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f"{TEMPORARY_PREFIX}{stem}.", suffix=TEMPORARY_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", shown) from None
    temporary = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the file: {exc.strerror}", shown) from None
        raise
    return temporary


def sync_folder(folder: Path) -> None:
    """Make a rename or an unlink in ``folder`` durable (where the system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_leftovers(folder: Path) -> None:
    """Remove the temporary files that a killed writer of this program left in ``folder``."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if (
                entry.name.startswith(TEMPORARY_PREFIX)
                and entry.name.endswith(TEMPORARY_SUFFIX)
                and entry.is_file(follow_symlinks=False)
            ):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()


def write_atomic(path: Path, data: bytes, *, new: bool = False) -> None:
    """Write ``data`` to ``path``: atomically for a file, in place for a device or pipe.

    A symbolic link is followed and its target replaced atomically; see the module's notes.
    With ``new``, the file must not exist yet and is never overwritten: it is made by a hard
    link from the temporary file, which fails if anything has the name meanwhile (what
    archived records need).

    Raises:
        OutputError: If the folder does not exist or cannot be written, ``path`` is a folder
            or a socket, or (with ``new``) anything has that name already.
    """
    if new:
        _write_new(path, data)
        return
    try:
        mode: int | None = path.stat().st_mode  # through links: /dev/stdout is a pipe, say
    except OSError:
        mode = None
    kind = None if mode is None else _kind(mode)
    if kind in ("a device", "a named pipe"):
        _write_in_place(path, data, path)
        return
    target = _final_target(path)
    if kind == "a folder":
        raise OutputError("this is a folder, not a file", path)
    if kind is not None:
        raise OutputError(f"this is {kind}; give a file name", path)
    if mode is not None and not os.access(target, os.W_OK):
        raise OutputError("this file is read-only, so it is not replaced", path)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"the folder {folder} does not exist", path)
    temporary = _temporary(folder, target.name, data, path)
    try:
        if mode is not None:
            with contextlib.suppress(OSError):
                old = target.stat()
                temporary.chmod(stat.S_IMODE(old.st_mode))
                if (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
                    os.chown(temporary, old.st_uid, old.st_gid)
        else:
            temporary.chmod(0o666 & ~_umask())
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(exc, IsADirectoryError) or target.is_dir():
            raise OutputError("this is a folder, not a file", path) from None
        raise OutputError(f"cannot write the file: {exc.strerror}", path) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    sync_folder(folder)


def write_kept(path: Path, data: bytes) -> None:
    """Write an entry of the user's cache atomically, replacing whatever has its name.

    Unlike :func:`write_atomic`, a link, a named pipe or any other file at ``path`` is neither
    followed nor written through: the new file (mode 0600, on disk) is renamed over the name.
    Concurrent writers each rename a whole file of their own, so a reader finds one of them
    whole, never a mix.

    Raises:
        OutputError: If the entry cannot be written (the caller treats it as not kept).
    """
    temporary = _temporary(path.parent, path.name, data, path)
    try:
        temporary.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise OutputError(f"cannot write the file: {exc.strerror}", path) from None


def _write_new(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path()
    temporary: Path | None = None
    try:
        temporary = _temporary(folder, path.name, data, path)
        temporary.chmod(0o666 & ~_umask())
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise OutputError("this file exists already; it is never overwritten", path) from None
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror}", path) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
    sync_folder(folder)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_output(target: str, data: bytes) -> None:
    """Write to the file ``target`` (see :func:`write_atomic`), or to stdout when it is ``-``."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomic(Path(target), data)
