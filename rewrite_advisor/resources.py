"""Where the bundled question bank and templates live.

In a source checkout they are the top-level ``questions/`` and ``templates/`` folders; in an
installed wheel they are shipped inside the package as ``rewrite_advisor/_data/``.
"""

from __future__ import annotations

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
