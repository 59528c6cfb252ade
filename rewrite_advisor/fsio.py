"""Writing files so that a crash never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Raises:
        OutputError: If the folder does not exist or cannot be written.
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"the folder {folder} does not exist", path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary = Path(tmp)
        if path.exists():
            with contextlib.suppress(OSError):
                temporary.chmod(path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            temporary.chmod(0o666 & ~umask)
        temporary.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        if isinstance(exc, IsADirectoryError) or path.is_dir():
            raise OutputError("this is a folder, not a file", path) from None
        raise OutputError(f"cannot write the file: {exc.strerror}", path) from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def write_output(target: str, data: bytes) -> None:
    """Write to the file ``target`` atomically, or to standard output when it is ``-``."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomic(Path(target), data)
