"""Where the bundled question bank, templates and case library live.

In a source checkout they are the top-level ``questions/``, ``templates/`` and ``cases/``
folders; in an installed wheel they are shipped inside the package as ``rewrite_advisor/_data/``
(with ``examples/cases/``, whose calibration cases the library names).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    shipped = _PACKAGE / "_data" / name
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent / name


def default_bank_dir() -> Path:
    """The folder of the default question bank."""
    return _data_dir("questions")


def templates_dir() -> Path:
    """The folder of the memo templates."""
    return _data_dir("templates")


def cases_dir() -> Path:
    """The folder of the bundled case library (the outside view)."""
    return _data_dir("cases")


def archived_bank_dir(version: str) -> Path | None:
    """The folder of an earlier version of the default bank, kept so old answers still score."""
    if not version.replace(".", "").isdigit():
        return None
    folder = default_bank_dir() / "archive" / version
    return folder if (folder / "bank.yaml").is_file() else None


def cache_dir(kind: str) -> Path | None:
    """A private folder of the user's cache, or None when it cannot be made safely.

    It holds what is computed once and kept: compiled templates, parsed question banks and
    the answers of case libraries as the distance reads them.
    Everything kept there can be thrown away at any time: it is made again when needed. The
    folder is used only when no other user can change it or the way to it: it and the
    ``rewrite-advisor`` folder above it must be the user's own and closed to others, and every
    folder above those the user's or the system's, and closed to others or sticky (as
    ``/tmp`` is). A relative ``XDG_CACHE_HOME`` is ignored, as the XDG specification says.
    """
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME", ""))
        if not base.is_absolute():
            base = Path.home() / ".cache"
        folder = base / "rewrite-advisor" / kind
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        real = folder.resolve(strict=True)
        ours = [real, real.parent]
        if any(not _private(path) for path in ours):
            return None
        if any(not _closed(path) for path in real.parent.parents):
            return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder to expand, or a link loop
        return None
    return real


def _private(path: Path) -> bool:
    """A folder of the user's own that nobody else may write to."""
    found = path.lstat()
    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o022


def _closed(path: Path) -> bool:
    """A folder above the cache that no other user can change entries of."""
    found = path.lstat()
    owner_ok = found.st_uid in (0, os.getuid())
    sticky = bool(found.st_mode & stat.S_ISVTX)
    return owner_ok and (not found.st_mode & 0o022 or sticky)


def read_entry(entry: Path, limit: int) -> Any:
    """The JSON data of a cache entry, or None for anything but a small file of the user's.

    The entry is opened without following a link or waiting on a named pipe, and read only when
    it is a regular file of the user's own of at most ``limit`` bytes. JSON's reading cannot run
    code or ask for more memory than the entry's size suggests; a damaged entry of any kind
    (not JSON, nested too deeply, unreadable) is None, as a missing one is. What the data says
    is for the caller to check.
    """
    import json

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(entry, flags)
    except OSError:
        return None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_uid != os.getuid() or found.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(found.st_size + 1)  # not a buffer of the whole limit: faster
            if len(data) > found.st_size:  # it grew meanwhile
                data += handle.read(limit + 1 - len(data))
        return None if len(data) > limit else json.loads(data)
    except Exception:  # any failure to read an entry is a miss
        return None
    finally:
        os.close(fd)
