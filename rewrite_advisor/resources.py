"""Where the bundled question bank and templates live.

In a source checkout they are the top-level ``questions/`` and ``templates/`` folders; in an
installed wheel they are shipped inside the package as ``rewrite_advisor/_data/``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

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


def archived_bank_dir(version: str) -> Path | None:
    """The folder of an earlier version of the default bank, kept so old answers still score."""
    if not version.replace(".", "").isdigit():
        return None
    folder = default_bank_dir() / "archive" / version
    return folder if (folder / "bank.yaml").is_file() else None


def cache_dir(kind: str) -> Path | None:
    """A private folder of the user's cache, or None when it cannot be made.

    It holds what is computed once and kept: compiled templates and parsed question banks.
    Everything kept there can be thrown away at any time: it is made again when needed. A
    folder that another user owns, or that others may write to, is not used.
    """
    try:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "rewrite-advisor" / kind
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        found = folder.lstat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to expand
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o022:
        return None
    return folder
