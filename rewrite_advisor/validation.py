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


# Items of a list that a person knows by their id (or value, or label), and whether naming one
# is enough on its own (a question's id is unique in the bank; a choice's value only in its
# question).
_NAMED_ITEMS = {
    "sections": ("section", True),
    "questions": ("question", True),
    "rules": ("rule", True),
    "choices": ("choice", False),
    "plan": ("plan item", True),
    "previous": ("previous version", True),
    "cases": ("case", True),
}


def place(data: Any, path: tuple[str | int, ...]) -> str:
    """Name a place in the raw data as a person would: ``question 'goals', type``.

    List items with an id (a value, a label or a version) are named by it rather than by
    their position, so an error says ``question 'motive'``, not ``sections.0.questions.0``.
    """
    names: list[str] = []
    keys: list[str] = []
    node = data
    for part in path:
        kind = _NAMED_ITEMS.get(keys[-1]) if keys else None
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            ident = _identity(node)
            if kind is None or ident is None:
                keys.append(str(part))
                continue
            keys.pop()  # "questions" is implied by "question 'x'"
            if kind[1]:
                names = []
            elif keys:
                names.append(".".join(keys))
            names.append(f"{kind[0]} '{ident}'")
            keys = []
        else:
            keys.append(str(part).rstrip("_"))
            node = node.get(part) if isinstance(node, dict) else None
    return ", ".join([*names, ".".join(keys)] if keys else names)


def _identity(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in ("id", "value", "label", "version"):
        value = item.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
    return None


def _describe(error: dict[str, Any], data: Any, path: tuple[str | int, ...]) -> str:
    kind = error["type"]
    loc = [p for p in error["loc"] if p not in _UNION_TAGS and not str(p).startswith("function-")]
    last = str(loc[-1]).rstrip("_") if loc else ""
    where = place(data, path)
    if kind == "extra_forbidden":
        parent = place(data, path[:-1])
        return f"unknown key '{last}'" + (f" in {parent}" if parent else "")
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
    if doc.data is None:
        raise doc.error("the file is empty")
    if not isinstance(doc.data, dict):
        found = f"a {type(doc.data).__name__}"
        raise doc.error(f"expected a mapping of keys to values at the top, found {found}")
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: doc.line_of(data_path(doc.data, e["loc"])) or 0)
        # The first error in file order is the one a person fixes first.
        error = errors[0]
        path = data_path(doc.data, tuple(error["loc"]))
        raise doc.error(_describe(dict(error), doc.data, path), path) from None
