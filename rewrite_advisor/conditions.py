"""Conditions over answers, kept as data, and their evaluation.

A condition is a small tree written in YAML::

    all: [ ... ]                       # every part holds
    any: [ ... ]                       # at least one part holds
    not: { ... }                       # the part does not hold
    {question: ID, equals: VALUE}      # and: in, includes, includes_any, gt, gte, lt, lte, is

Evaluation uses three values (Kleene logic): a comparison on a question that is unanswered,
answered "don't know" or does not apply is *undetermined*, and ``not`` of an undetermined part
stays undetermined. A rule fires only when its condition is definitely true, so a rule about a
"no" is never triggered by a "don't know"; unknowns are reported as open questions instead.
``is: unknown`` and its siblings look at the state of an answer and are always determined.

The browser answer form evaluates the same conditions with ``conditions.js``, next to this
file; a randomized test requires both to give identical results, so change them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Scalar = bool | int | float | str

AnswerState = Literal["known", "unknown", "unanswered", "skipped"]
"""What is known of a question: a value, "don't know", nothing yet, or it does not apply."""


class QuestionRef(BaseModel):
    """An operand that stands for another question's answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    question: str


Operand = QuestionRef | Scalar

_OPERATORS = ("equals", "in_", "includes", "includes_any", "gt", "gte", "lt", "lte", "is_")


class Compare(BaseModel):
    """One comparison of one question's answer (exactly one operator is given)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    question: str
    equals: Operand | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    includes: Scalar | None = None
    includes_any: list[Scalar] | None = None
    gt: Operand | None = None
    gte: Operand | None = None
    lt: Operand | None = None
    lte: Operand | None = None
    is_: AnswerState | Literal["answered"] | None = Field(default=None, alias="is")

    @model_validator(mode="after")
    def _one_operator(self) -> Compare:
        given = [name for name in _OPERATORS if getattr(self, name) is not None]
        if len(given) != 1:
            names = ", ".join(n.rstrip("_") for n in _OPERATORS)
            raise ValueError(f"a comparison needs exactly one of: {names}")
        return self

    @property
    def operator(self) -> str:
        """The name of the operator, as written in YAML."""
        return next(n for n in _OPERATORS if getattr(self, n) is not None).rstrip("_")

    @property
    def operand(self) -> Any:
        """The value compared against."""
        return next(getattr(self, n) for n in _OPERATORS if getattr(self, n) is not None)


class All(BaseModel):
    """Holds when every part holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    all: list[Condition] = Field(min_length=1)


class Any_(BaseModel):
    """Holds when at least one part holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    any: list[Condition] = Field(min_length=1)


class Not(BaseModel):
    """Holds when its part does not hold."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: Condition = Field(alias="not")


def _kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {All: "all", Any_: "any", Not: "not", Compare: "compare"}.get(type(value))
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "compare"
    return None


Condition = Annotated[
    Annotated[All, Tag("all")]
    | Annotated[Any_, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Compare, Tag("compare")],
    Discriminator(_kind),
]

All.model_rebuild()
Any_.model_rebuild()
Not.model_rebuild()


class AnswerView:
    """What a condition may know of the answers: each question's state and typed value."""

    def __init__(self, states: Mapping[str, AnswerState], values: Mapping[str, Any]):
        self.states = states
        self.values = values

    def state(self, question: str) -> AnswerState:
        """Return the state of ``question``'s answer."""
        return self.states.get(question, "unanswered")

    def value(self, question: str) -> Any:
        """Return the typed value of a known answer, or ``None``."""
        return self.values.get(question) if self.state(question) == "known" else None


Truth = bool | None
"""True, False, or None for undetermined."""


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _as_comparable(value: Any) -> Any:
    """A ``YYYY-MM-DD`` text as a date (so that it compares with date answers), else as is.

    Only this one shape is a date, whatever the Python version reads as ISO 8601, so that
    the form's JavaScript twin (``conditions.js``) gives every comparison the same meaning.
    """
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _compare(cond: Compare, view: AnswerView) -> Truth:
    op = cond.operator
    if op == "is":
        state = view.state(cond.question)
        if cond.is_ == "answered":
            return state in ("known", "unknown")
        return state == cond.is_
    if view.state(cond.question) != "known":
        return None
    left = view.value(cond.question)
    right = cond.operand
    if isinstance(right, QuestionRef):
        if view.state(right.question) != "known":
            return None
        right = view.value(right.question)
    try:
        if op == "equals":
            return bool(_as_comparable(left) == _as_comparable(right))
        if op == "in":
            return any(_as_comparable(left) == _as_comparable(item) for item in right)
        if op == "includes":
            return right in (left or [])
        if op == "includes_any":
            return any(item in (left or []) for item in right)
        left_c, right_c = _as_comparable(left), _as_comparable(right)
        if op == "gt":
            return bool(left_c > right_c)
        if op == "gte":
            return bool(left_c >= right_c)
        if op == "lt":
            return bool(left_c < right_c)
        return bool(left_c <= right_c)
    except TypeError:
        return None


def evaluate(cond: Condition, view: AnswerView) -> Truth:
    """Evaluate ``cond`` with three-valued logic; ``None`` means undetermined."""
    if isinstance(cond, All):
        results = [evaluate(part, view) for part in cond.all]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if isinstance(cond, Any_):
        results = [evaluate(part, view) for part in cond.any]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if isinstance(cond, Not):
        inner = evaluate(cond.not_, view)
        return None if inner is None else not inner
    return _compare(cond, view)


def comparisons(cond: Condition) -> Iterator[Compare]:
    """Yield every comparison in ``cond``, depth first."""
    if isinstance(cond, All):
        for part in cond.all:
            yield from comparisons(part)
    elif isinstance(cond, Any_):
        for part in cond.any:
            yield from comparisons(part)
    elif isinstance(cond, Not):
        yield from comparisons(cond.not_)
    else:
        yield cond


def questions_in(cond: Condition) -> list[str]:
    """Return the ids of the questions ``cond`` looks at, in order, without repeats."""
    seen: dict[str, None] = {}
    for comp in comparisons(cond):
        seen[comp.question] = None
        for operand in (comp.equals, comp.gt, comp.gte, comp.lt, comp.lte):
            if isinstance(operand, QuestionRef):
                seen[operand.question] = None
    return list(seen)


_WORDS = {
    "equals": "is",
    "in": "is one of",
    "includes": "includes",
    "includes_any": "includes any of",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "is": "is",
}


def _operand_text(value: Any) -> str:
    if isinstance(value, QuestionRef):
        return value.question
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "[" + ", ".join(_operand_text(v) for v in value) + "]"
    return str(value)


def describe(cond: Condition) -> str:
    """A short, readable form of ``cond`` using question ids, for listings."""
    if isinstance(cond, All):
        return " and ".join(
            f"({describe(c)})" if isinstance(c, Any_) else describe(c) for c in cond.all
        )
    if isinstance(cond, Any_):
        return " or ".join(
            f"({describe(c)})" if isinstance(c, All) else describe(c) for c in cond.any
        )
    if isinstance(cond, Not):
        return f"not ({describe(cond.not_)})"
    return f"{cond.question} {_WORDS[cond.operator]} {_operand_text(cond.operand)}"


Test = Callable[[AnswerView], Truth]
"""A condition compiled to a function: the same three-valued result as :func:`evaluate`."""


def compile_condition(cond: Condition, *, skipped_is_false: bool = False) -> Test:
    """Compile ``cond`` once into a function that gives the same result as :func:`evaluate`.

    Scoring evaluates every rule for every combination of answers it tries; compiled, the
    tree is walked once instead of on every call.

    With ``skipped_is_false``, a comparison on a question that does not apply is false rather
    than undetermined: that question has no answer, for certain. Applicability (``when``) and
    whether a question matters (``critical``) are read this way, so that a question that
    depends on one that does not apply does not apply either. Rules keep the plain meaning.
    """
    if isinstance(cond, All | Any_):
        parts = [
            compile_condition(p, skipped_is_false=skipped_is_false)
            for p in (cond.all if isinstance(cond, All) else cond.any)
        ]
        decisive = isinstance(cond, Any_)

        def combine(view: AnswerView) -> Truth:
            undetermined = False
            for part in parts:
                result = part(view)
                if result is decisive:
                    return decisive
                if result is None:
                    undetermined = True
            return None if undetermined else not decisive

        return combine
    if isinstance(cond, Not):
        inner = compile_condition(cond.not_, skipped_is_false=skipped_is_false)

        def negate(view: AnswerView) -> Truth:
            result = inner(view)
            return None if result is None else not result

        return negate
    test = _compile_compare(cond)
    if not skipped_is_false or cond.operator == "is":
        return test
    names = [cond.question] + [
        o.question
        for o in (cond.equals, cond.gt, cond.gte, cond.lt, cond.lte)
        if isinstance(o, QuestionRef)
    ]

    def unless_skipped(view: AnswerView) -> Truth:
        if any(view.states.get(name) == "skipped" for name in names):
            return False
        return test(view)

    return unless_skipped


def _compile_compare(cond: Compare) -> Test:
    op, question, right = cond.operator, cond.question, cond.operand
    if op == "is":
        wanted = cond.is_

        def state_is(view: AnswerView) -> Truth:
            state = view.states.get(question, "unanswered")
            return state in ("known", "unknown") if wanted == "answered" else state == wanted

        return state_is
    if isinstance(right, QuestionRef) or op not in ("equals", "in"):
        return lambda view: _compare(cond, view)
    members = _as_comparable(right) if op == "equals" else [_as_comparable(m) for m in right]

    def simple(view: AnswerView) -> Truth:
        if view.states.get(question, "unanswered") != "known":
            return None
        left = _as_comparable(view.values.get(question))
        return bool(left == members) if op == "equals" else any(left == m for m in members)

    return simple
