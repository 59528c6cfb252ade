"""Turn pydantic validation errors into one-line, located user errors."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .yamlio import Document

M = TypeVar("M", bound=BaseModel)

_UNION_TAGS = {"all", "any", "not", "compare", "QuestionRef", "bool", "int", "float", "str"}


def data_path(data: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Keep the parts of a pydantic location that exist in the raw data (drop union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == "not_" and "not" in node:
            path.append("not")
            node = node["not"]
        elif isinstance(node, dict) and isinstance(part, str) and part.rstrip("_") in node:
            path.append(part.rstrip("_"))
            node = node[part.rstrip("_")]
    return tuple(path)


def _describe(error: dict[str, Any], path: tuple[str | int, ...]) -> str:
    kind = error["type"]
    loc = [p for p in error["loc"] if p not in _UNION_TAGS and not str(p).startswith("function-")]
    last = str(loc[-1]).rstrip("_") if loc else ""
    where = ".".join(str(p).rstrip("_") for p in path)
    if kind == "extra_forbidden":
        return f"unknown key '{last}'" + (
            f" in {'.'.join(str(p) for p in path[:-1])}" if len(path) > 1 else ""
        )
    if kind == "missing":
        return f"missing key '{last}'" + (f" in {where}" if where else "")
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    message = message[:1].lower() + message[1:]
    target = where or last
    return f"{target}: {message}" if target else message


def validate(model: type[M], doc: Document) -> M:
    """Validate ``doc.data`` as ``model``; raise one located :class:`AdvisorError` on failure."""
    if not isinstance(doc.data, dict):
        found = "nothing" if doc.data is None else f"a {type(doc.data).__name__}"
        raise doc.error(f"expected a mapping of keys to values at the top, found {found}")
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: doc.line_of(data_path(doc.data, e["loc"])) or 0)
        # The first error in file order is the one a person fixes first.
        error = errors[0]
        path = data_path(doc.data, tuple(error["loc"]))
        raise doc.error(_describe(dict(error), path), path) from None
