"""Which ADR tool a repository uses, so that new records are written the way it reads them.

Looked for from the current folder upwards (to the top of the repository):

* ``.log4brains.yml``: log4brains; its ``project.adrFolder`` is the records folder.
* ``.adr-dir``: adr-tools; the file holds the records folder.
* ``.adr`` (an INI file with an ``[adr]`` section, in the current folder): pyadr; its
  ``records-dir`` is the records folder (``docs/adr`` when it names none). pyadr checks that a
  file name is the ASCII slug of the title, and reads the MADR 2 header as log4brains does.

A tool's file applies when no ``--dir`` is given, or when it names that same folder. Otherwise
the records already in the folder decide (the style of the newest one), and a new folder gets
MADR 4.

With no tool's file and no ``--dir``, the records folder is found as git finds its root: the
nearest ``docs/decisions`` from the current folder up to the top of the repository, else a new
one at that top (in the current folder outside a repository).
"""

from __future__ import annotations

import configparser
import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from .. import yamlio
from ..errors import AdvisorError
from .heading import Style, read_heading
from .store import MARKDOWN_LIMIT, read_file, scan

DEFAULT_DIR = Path("docs/decisions")
INDEX_NAME = "README.md"


@dataclass(frozen=True)
class Convention:
    """How records are written in one records folder."""

    directory: Path
    style: Style
    tool: str
    """What decided it: ``log4brains``, ``adr-tools``, ``pyadr``, ``records`` or ``default``."""
    ascii_slugs: bool = False
    index_name: str = INDEX_NAME
    adr_tools_finds_it: bool = False
    """True when adr-tools' ``.adr-dir`` names this folder (``adr list`` then lists it)."""
    found_above: bool = False
    """True when the folder is not under the current folder (found by walking up)."""


@dataclass(frozen=True)
class _ToolFile:
    tool: str
    style: Style
    directory: Path


def _top(start: Path) -> list[Path]:
    """``start`` and its parents, up to the folder that holds ``.git`` (or the root)."""
    folders = []
    for folder in (start, *start.parents):
        folders.append(folder)
        if (folder / ".git").exists():
            break
    return folders


def _log4brains(folder: Path) -> _ToolFile | None:
    path = folder / ".log4brains.yml"
    if not path.is_file():
        return None
    adr_folder = "docs/adr"
    with contextlib.suppress(AdvisorError, UnicodeDecodeError):
        data = yamlio.parse_bytes(read_file(path, MARKDOWN_LIMIT), str(path)).data
        project = data.get("project") if isinstance(data, dict) else None
        if isinstance(project, dict) and isinstance(project.get("adrFolder"), str):
            adr_folder = project["adrFolder"]
    return _ToolFile("log4brains", "log4brains", folder / adr_folder)


def _adr_tools(folder: Path) -> _ToolFile | None:
    path = folder / ".adr-dir"
    if not path.is_file():
        return None
    try:
        named = read_file(path, 4096).decode("utf-8").strip()
    except (AdvisorError, UnicodeDecodeError):
        return None
    return _ToolFile("adr-tools", "nygard", folder / named) if named else None


def _pyadr(folder: Path) -> _ToolFile | None:
    path = folder / ".adr"
    if not path.is_file():
        return None
    config = configparser.ConfigParser()
    try:
        config.read_string(read_file(path, 65536).decode("utf-8"))
    except (AdvisorError, UnicodeDecodeError, configparser.Error):
        return None
    if not config.has_section("adr"):
        return None
    return _ToolFile("pyadr", "log4brains", folder / config["adr"].get("records-dir", "docs/adr"))


def _tool_files(cwd: Path) -> list[_ToolFile]:
    found: list[_ToolFile] = []
    pyadr = _pyadr(cwd)  # pyadr reads its file in the current folder only
    if pyadr is not None:
        found.append(pyadr)
    for folder in _top(cwd):
        for reader in (_log4brains, _adr_tools):
            tool = reader(folder)
            if tool is not None:
                found.append(tool)
    return found


def _in_repository(start: Path) -> Path:
    """Where the records go when no tool's file says: found as git finds its root.

    The nearest ``docs/decisions`` from ``start`` up to the repository's top, else a new one
    at that top; outside a repository, ``start``'s own.
    """
    folders = _top(start)
    if not (folders[-1] / ".git").exists():
        return start / DEFAULT_DIR
    for folder in folders:
        if (folder / DEFAULT_DIR).is_dir():
            return folder / DEFAULT_DIR
    return folders[-1] / DEFAULT_DIR


def _shown(target: Path, here: Path) -> tuple[Path, bool]:
    """``target`` as a path from ``here``, and whether it lies outside ``here``."""
    try:
        return target.relative_to(here), False
    except ValueError:
        try:
            return Path(os.path.relpath(target, here)), True
        except ValueError:  # another drive
            return target, True


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _style_of_records(directory: Path) -> Style | None:
    for record in reversed(scan(directory)):
        if record.markdown is None:
            continue
        try:
            text = read_file(record.markdown, MARKDOWN_LIMIT).decode("utf-8", errors="replace")
        except AdvisorError:
            continue
        style = read_heading(text).style
        if style is not None:
            return style
    return None


def detect(directory: Path | None, cwd: Path | None = None) -> Convention:
    """The records folder and how to write in it, from the ADR tool the repository uses."""
    here = Path.cwd() if cwd is None else cwd
    tools = _tool_files(here)
    adr_dirs = [t.directory for t in tools if t.tool == "adr-tools"]
    chosen: _ToolFile | None = None
    for tool in tools:
        if directory is None or _same(tool.directory, directory):
            chosen = tool
            break
    if chosen is not None:
        target = chosen.directory if directory is None else directory
        above = False
        if directory is None:
            target, above = _shown(chosen.directory, here)
        return Convention(
            directory=target,
            style=chosen.style,
            tool=chosen.tool,
            ascii_slugs=chosen.tool == "pyadr",
            index_name="index.md" if chosen.tool == "pyadr" else INDEX_NAME,
            adr_tools_finds_it=any(_same(d, chosen.directory) for d in adr_dirs),
            found_above=above,
        )
    above = False
    if directory is None:
        target, above = _shown(_in_repository(here), here)
    else:
        target = directory
    style = _style_of_records(target)
    return Convention(
        directory=target,
        style=style or "madr",
        tool="records" if style else "default",
        adr_tools_finds_it=any(_same(d, target) for d in adr_dirs),
        found_above=above,
    )
