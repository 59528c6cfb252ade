"""The one place that reads and writes YAML.

Files are parsed safely into plain Python data (dicts, lists, strings, numbers, booleans,
``None``) and every value keeps the line it came from, so that later validation can say
``FILE:LINE: what is wrong``. Scalars follow the YAML 1.2 core schema: ``no``, ``on`` and
``yes`` stay strings and dates stay strings. Anchors and aliases, duplicate keys and
language-specific tags are refused. JSON is read by the same parser (JSON is YAML 1.2).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import AdvisorError
from .terminal import has_control, json_escape

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary")
}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")

Path_ = tuple[str | int, ...]

MAX_NUMBER = 10**15
"""The largest number (in size) a file may hold: larger ones are refused where they are read,
so that no calculation meets a number it cannot convert, compare or print."""
TOO_LARGE = "the number is too large: numbers up to 10^15 are supported (quote it if it is text)"


@dataclass
class Document:
    """Plain data parsed from a file, with the line each value came from."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, location: Iterable[str | int]) -> int | None:
        """Return the line of the deepest known value along ``location``."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())

    def error(self, message: str, location: Iterable[str | int] = ()) -> AdvisorError:
        """Build an error that points at ``location`` in this document."""
        return AdvisorError(message, self.path, self.line_of(location))


def _resolve_plain(value: str) -> Any:
    """Resolve an unquoted scalar by the YAML 1.2 core schema (dates stay text)."""
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        # Python refuses to convert more than 4,300 digits; such a number is out of range anyway.
        return int(value) if len(value) <= 40 else float(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


def too_large(value: object) -> bool:
    """Whether ``value`` is a number beyond :data:`MAX_NUMBER` (an explicit ``.inf`` is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return abs(value) > MAX_NUMBER


UNQUOTED_DATE = (
    'write the date in quotes, like "2026-11-20": unquoted, other YAML tools and JSON Schema '
    "validators read it as a date, not as text"
)


def _scalar(node: yaml.ScalarNode, dates: bool) -> Any:
    if node.tag not in _ALLOWED_TAGS:
        raise _NodeError(node, f"the tag {node.tag} is not allowed")
    if node.tag == _CORE + "timestamp" and node.style in (None, "") and not dates:
        raise _NodeError(node, UNQUOTED_DATE)
    if node.style not in (None, "") or node.tag == _CORE + "str":
        return node.value
    value = _resolve_plain(node.value)
    if too_large(value) and not _INF.match(node.value):
        raise _NodeError(node, TOO_LARGE)
    return value


class _NodeError(Exception):
    def __init__(self, node: yaml.Node, message: str):
        super().__init__(message)
        self.node = node
        self.message = message


def _convert(
    node: yaml.Node, where: Path_, lines: dict[Path_, int], seen: set[int], dates: bool = True
) -> Any:
    if id(node) in seen:
        raise _NodeError(node, "anchors and aliases (& and *) are not allowed")
    seen.add(id(node))
    lines.setdefault(where, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, dates)
    if node.tag not in _ALLOWED_TAGS:
        raise _NodeError(node, f"the tag {node.tag} is not allowed")
    if isinstance(node, yaml.SequenceNode):
        if any(id(item) in seen for item in node.value):
            # The alias's own position is lost by the parser: point at the list that uses it.
            raise _NodeError(node, "anchors and aliases (& and *) are not allowed")
        return [
            _convert(item, (*where, i), lines, seen, dates) for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if id(key_node) in seen or id(value_node) in seen:
                raise _NodeError(key_node, "anchors and aliases (& and *) are not allowed")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _NodeError(key_node, "a key must be a plain word, not a list or a mapping")
            seen.add(id(key_node))
            key = str(key_node.value)
            if key in result:
                raise _NodeError(key_node, f"the key '{key}' appears twice")
            here = (*where, key)
            lines[here] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, here, lines, seen, dates)
            lines[here] = key_node.start_mark.line + 1
        return result
    raise _NodeError(node, "unsupported YAML node")  # pragma: no cover - PyYAML has three kinds


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str) -> AdvisorError:
    """One located line for a YAML syntax error, pointing where the person has to look."""
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    # An unclosed bracket or quote is best shown where it opened; anything else (a bad
    # indentation, a stray character) where it was found.
    if exc.context_mark is not None and ("flow" in context or "quoted" in context):
        mark = exc.context_mark
        problem = f"{problem}, {context} that starts here"
    missing_colon = False
    if exc.context_mark is not None and "expected ':'" in problem:
        # The parser notices a key without its ':' only on the next line; the key is here.
        mark = exc.context_mark
        missing_colon = True
    line = mark.line + 1 if mark is not None else None
    lines = text.splitlines()
    if line is not None and "mapping values are not allowed" in problem and mark is not None:
        start = _key_without_colon(lines, line, mark.column)
        if start is not None:
            line, missing_colon = start, True
    if missing_colon:
        problem = "this line has no ':' after its key (write 'key: value')"
    elif line is not None:
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        if (
            "\t" in source[: len(source) - len(source.lstrip())]
            or "found character '\\t'" in problem
        ):
            problem = "a tab is used for indentation; YAML needs spaces"
        elif "did not find expected key" in problem or "mapping values are not allowed" in problem:
            problem += " (check the indentation of this line and the ones above it)"
    return AdvisorError(f"invalid YAML: {problem}", path, line)


def _key_without_colon(lines: list[str], line: int, column: int) -> int | None:
    """The line of a key that lost its ':', when the parser stopped at the ':' of a later one.

    ``budget 100`` over ``total_cost: 200`` (at the same indentation) reads as one text,
    ``budget 100 total_cost``, whose ':' is then out of place: the line to fix is the first
    of those, not the one with the ':'. ``None`` when the ':' is on the line where its text
    starts (``a: b: c``), where the error already points.
    """
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    head = here[:column]
    if ":" in head or not head.strip():
        return None
    indent = len(here) - len(here.lstrip(" "))
    start = None
    number = line - 1
    while number >= 1:
        above = lines[number - 1]
        stripped = above.strip()
        if not stripped or stripped.startswith("#"):
            number -= 1
            continue
        if len(above) - len(above.lstrip(" ")) != indent or ":" in stripped:
            break
        if stripped.startswith(("-", "[", "{", '"', "'")):
            break
        start = number
        number -= 1
    return start


MAX_VALUES = 400_000
"""The most values (keys, list items, texts and numbers) a file may hold. Reading a value
takes about 500 bytes of memory, so a file is read in at most about 200 MB whatever it holds;
a bank of 20,000 questions holds about 300,000 values, its answers 40,000."""


def _count_values(text: str, path: str) -> None:
    """Refuse a file of more than :data:`MAX_VALUES` values, before any value is built.

    The values are counted as the parser reads them, in little memory.

    Raises:
        AdvisorError: At the line of the value that is one too many.
    """
    kinds = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, kinds):
            count += 1
            if count > MAX_VALUES:
                raise AdvisorError(
                    f"the file holds more than {MAX_VALUES:,} values (keys, list items, texts): "
                    "too many for an answers file or a question bank",
                    path,
                    event.start_mark.line + 1 if event.start_mark else None,
                )


def parse(text: str, path: str = "<string>", *, unquoted_dates: bool = True) -> Document:
    """Parse YAML or JSON text into a :class:`Document`.

    With ``unquoted_dates=False`` (how files from the person are read: :func:`read`,
    :func:`parse_bytes`), an unquoted date such as ``2026-11-20`` is refused: this reader would
    take it as text, but YAML 1.1 readers, and the validators built on them, as a date.

    Raises:
        AdvisorError: On a syntax error, a duplicate key, an alias or a disallowed tag, or more
            than :data:`MAX_VALUES` values.
    """
    try:
        if len(text) > 2 * MAX_VALUES:  # a shorter text cannot hold more values
            _count_values(text, path)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from None
    except yaml.YAMLError as exc:
        raise AdvisorError(f"invalid YAML: {exc}", path) from None
    lines: dict[Path_, int] = {}
    if root is None:
        return Document(path, None, {(): 1})
    try:
        data = _convert(root, (), lines, set(), unquoted_dates)
    except _NodeError as exc:
        raise AdvisorError(exc.message, path, exc.node.start_mark.line + 1) from None
    except RecursionError:
        raise AdvisorError("the file is nested too deeply", path) from None
    return Document(path, data, lines)


def read(path: Path) -> Document:
    """Read and parse a YAML or JSON file.

    Raises:
        AdvisorError: If the file cannot be read, is not UTF-8 text, or is invalid.
    """
    return parse_bytes(read_bytes(path), str(path))


def read_kept(path: Path, raw: bytes | None = None) -> Document:
    """Read a file that seldom changes (a question bank's), through the user's cache.

    Each file has one entry in the cache (see :func:`resources.cache_dir`), named by the hash
    of its full path, which holds its parse and the hash of what that came from: the bytes,
    this module's source and the YAML library. A changed file, reader or library is parsed
    again and replaces the entry, so the cache grows with the number of banks read, not with
    the number of edits. An entry that is not a small regular file of the user's is passed
    over, never followed or waited on; a cache that cannot be read or written costs only the
    parse.

    ``raw`` is the file's bytes, when the caller has read them already: they are parsed, not
    what the file holds by now.

    Raises:
        AdvisorError: As :func:`read`.
    """
    import hashlib

    from . import fsio, resources

    if raw is None:
        raw = read_bytes(path)
    try:
        folder = resources.cache_dir("parsed")
        source = hashlib.sha256(_reader_identity() + raw).hexdigest()
        where = str(path.resolve()).encode("utf-8", "surrogateescape")
    except (OSError, RuntimeError):  # no source to hash, or a link that loops
        folder = None
    if folder is None:
        return parse_bytes(raw, str(path))
    kept = folder / f"{hashlib.sha256(where).hexdigest()}.json"
    found = _load_kept(kept, source, limit=_KEPT_LIMIT_FACTOR * len(raw) + fsio.MB)
    if found is not None:
        data, lines = found
        return Document(str(path), data, lines)
    doc = parse_bytes(raw, str(path))
    _keep(kept, source, doc)
    return doc


_KEPT_LIMIT_FACTOR = 32
"""A kept parse larger than this many times its file (plus 1 MiB) is not read."""


def _load_kept(kept: Path, source: str, limit: int) -> tuple[Any, dict[Path_, int]] | None:
    """The data and lines kept in ``kept`` for ``source``, or None for anything else.

    Entries are JSON (read by :func:`resources.read_entry`); a damaged or foreign entry of any
    kind is only a cache miss.
    """
    from . import resources

    entry = resources.read_entry(kept, limit)
    try:
        if entry["from"] != source:
            return None
        lines = {tuple(where): int(line) for where, line in entry["lines"]}
        return entry["data"], lines
    except Exception:  # any entry not of this shape is a miss
        return None


def _keep(kept: Path, source: str, doc: Document) -> None:
    """Write the entry, when JSON gives back exactly the parsed data and lines.

    A new file is renamed over the entry's name, so a link there is replaced, not followed.
    """
    import json
    import tempfile

    lines = [[list(where), line] for where, line in doc.lines.items()]
    try:
        content = json.dumps({"from": source, "data": doc.data, "lines": lines})
        back = json.loads(content)
        if back["data"] != doc.data or back["lines"] != lines:
            return  # a value JSON would change (bytes, a key that is not text, NaN)
        fd, name = tempfile.mkstemp(prefix=".kept.", suffix=".tmp", dir=kept.parent)
    except (OSError, ValueError, TypeError, RecursionError):
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        Path(name).replace(kept)
    except OSError:
        with contextlib.suppress(OSError):
            Path(name).unlink()


@functools.cache
def _reader_identity() -> bytes:
    """What a kept parse depends on besides the file: this reader, PyYAML and Python."""
    source = Path(__file__).read_bytes()
    versions = f"{sys.version}\0{yaml.__version__}\0{_Loader.__name__}\0{len(source)}\0"
    return versions.encode() + source + b"\0"


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes, with the user-facing errors of :func:`read`.

    Only a regular file or a named pipe is read, and at most :data:`fsio.ANSWERS_LIMIT`.
    """
    from . import fsio

    return fsio.read_input(path, fsio.ANSWERS_LIMIT, "a YAML or JSON file")


def parse_bytes(raw: bytes, path: str) -> Document:
    """Decode UTF-8 bytes (a BOM is allowed) and parse them as YAML or JSON.

    Raises:
        AdvisorError: If the bytes are not UTF-8 text, or the text is invalid.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AdvisorError("the file is not UTF-8 text", path, line) from None
    return parse(text, path, unquoted_dates=False)


class _AnswersDumper(_Dumper):  # type: ignore[misc]
    """A safe dumper that quotes every string the YAML 1.2 reader would not read back as text."""


def _represent_str(dumper: Any, value: str) -> Any:
    style = None if _resolve_plain(value) == value and value.strip() == value else "'"
    if "\n" in value:
        style = (
            "|"
            if value.strip() == value and all(ch.isprintable() for ch in value.replace("\n", ""))
            else '"'
        )
    if has_control(value):
        style = '"'  # where dump() can write each of them as an escape (see there)
    return dumper.represent_scalar(_CORE + "str", value, style=style)


_AnswersDumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Serialise plain data as block-style YAML that :func:`parse` reads back unchanged."""
    text: str = yaml.dump(
        data,
        Dumper=_AnswersDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    # PyYAML writes the bidirectional controls (U+202E...) as they are, even in double quotes:
    # text with any control is double-quoted (above), so each can be written as an escape.
    return json_escape(text)


# --- Changing a file a person wrote, line by line --------------------------------------------

DELETE = object()
"""A value for :func:`edit_mapping`: remove the key and its lines."""


class CannotEdit(Exception):
    """The file is not laid out so that a key's lines can be changed alone (flow style, say)."""


def _last_line(node: yaml.Node) -> int:
    """The 0-based line of the last character of ``node``'s content."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        mark = node.end_mark
        # A block scalar ends at the start of the line after it.
        return mark.line if mark.column > 0 or mark.line == node.start_mark.line else mark.line - 1
    last = node.start_mark.line
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            last = max(last, _last_line(item))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            last = max(last, _last_line(key), _last_line(value))
    return last


def _entry_lines(key: str, value: Any, indent: int, newline: str) -> list[str]:
    text = dump({key: value})
    return [" " * indent + line + newline for line in text.splitlines()]


def edit_mapping(
    text: str, at: Sequence[str], changes: Mapping[str, Any], order: Sequence[str] = ()
) -> str:
    """Change some keys of a block mapping in YAML ``text``, leaving every other line as it is.

    Args:
        text: The YAML text, as the person wrote it (comments and layout are kept).
        at: The keys that lead from the top of the document to the mapping to change.
        changes: The new plain value of each key to change, or :data:`DELETE`.
        order: The order keys belong in: a new key goes after the last key before it that the
            mapping has.

    Returns:
        The text with each changed key's lines replaced, new keys inserted, removed keys gone.

    Raises:
        CannotEdit: If the mapping is missing, is written in flow style (``{...}``, JSON), or
            shares lines with other content.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        raise CannotEdit("the file is not valid YAML") from None
    node = root
    for key in at:
        if not isinstance(node, yaml.MappingNode):
            raise CannotEdit(f"no mapping at {key}")
        node = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
        raise CannotEdit("not a block mapping")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    indent = node.value[0][0].start_mark.column
    spans: dict[str, tuple[int, int, int | None]] = {}  # first line, last line, end column
    for key_node, value_node in node.value:
        start, column = key_node.start_mark.line, key_node.start_mark.column
        if column != indent or lines[start][:column].strip():
            raise CannotEdit("a key does not start its line")
        last = min(_last_line(value_node), len(lines) - 1)
        while last > start and not lines[last].strip():
            last -= 1  # the blank lines a block scalar ends with belong to the layout
        single = value_node.end_mark.line == start and (
            isinstance(value_node, yaml.ScalarNode) or getattr(value_node, "flow_style", False)
        )
        spans[str(key_node.value)] = (start, last, value_node.end_mark.column if single else None)
    replaced: dict[int, tuple[int, list[str]]] = {}  # first line -> (end line, new lines)
    inserted: dict[int, list[str]] = {}  # before this line -> new lines, in order
    rank = {key: index for index, key in enumerate(order)}
    for key in sorted(changes, key=lambda k: rank.get(k, len(rank))):
        value = changes[key]
        if key in spans:
            start, last, end_column = spans[key]
            new = [] if value is DELETE else _entry_lines(key, value, indent, newline)
            if new and len(new) == 1 and end_column is not None:
                # Keep a comment at the end of a one-line answer.
                rest = lines[start].rstrip("\r\n")[end_column:]
                if re.fullmatch(r"\s+#.*", rest):
                    new[0] = new[0].rstrip("\r\n") + rest + newline
            replaced[start] = (last + 1, new)
        elif value is not DELETE:
            before = [k for k in order[: rank[key]] if k in spans] if key in rank else []
            if before:
                where = spans[before[-1]][1] + 1
            elif key in rank:
                where = min(first for first, _, _ in spans.values())
            else:
                where = max(last for _, last, _ in spans.values()) + 1
            inserted.setdefault(where, []).extend(_entry_lines(key, value, indent, newline))
    for line in sorted({*replaced, *inserted}, reverse=True):
        end, new = replaced.get(line, (line, []))
        lines[line:end] = inserted.get(line, []) + (new if line in replaced else lines[line:end])
    return "".join(lines)
