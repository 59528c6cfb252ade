"""The question bank and its rules: models, loading and cross-checks.

A bank is a folder with two YAML files:

* ``bank.yaml``: the bank's id and version, its sections and questions, and the "plan at a
  glance" that the memo shows;
* ``rules.yaml``: the scoring policy, the text of the four verdicts, and the rules.

Loading validates both files, then checks what a schema cannot: unique ids, ``when``
conditions that name earlier questions only, and rules whose questions and choices exist.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container
from datetime import date
from decimal import Decimal
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from . import resources, yamlio
from .conditions import (
    All,
    AnswerView,
    Compare,
    Condition,
    QuestionRef,
    Test,
    comparisons,
    compile_condition,
)
from .errors import BankError
from .validation import validate

Id = str
QuestionType = Literal["single", "multi", "yesno", "number", "date", "text"]
Unit = Literal["months", "weeks", "days", "people", "money", "percent", "count"]
Severity = Literal["blocker", "high", "medium", "low", "strength"]
VerdictId = Literal["go", "go_with_conditions", "not_yet", "dont_rewrite"]
Confidence = Literal["sure", "estimate", "guess"]

SEVERITIES: tuple[Severity, ...] = ("blocker", "high", "medium", "low", "strength")
VERDICTS: tuple[VerdictId, ...] = ("go", "go_with_conditions", "not_yet", "dont_rewrite")
"""The four verdicts, best first."""

BANK_FILE = "bank.yaml"
RULES_FILE = "rules.yaml"

# The words a yes/no answer accepts, besides YAML's true and false (the YAML is read so that
# yes, no, on and off stay words; "on" and "off" answer no yes/no question in the bank).
_YES = ("yes", "y", "true")
_NO = ("no", "n", "false")

_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_RULE_ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
_UNIT_SUFFIX = {
    "months": "months",
    "weeks": "weeks",
    "days": "days",
    "people": "people",
    "percent": "%",
    "count": "",
    "money": "",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    """One option of a single- or multiple-choice question."""

    value: str = Field(pattern=_ID_PATTERN)
    label: str = Field(min_length=1)
    exclusive: bool = False
    """In a multiple-choice question, a choice that cannot be ticked with others ("none")."""


class Question(_Strict):
    """One question of the bank, with the pure methods that interpret its answers."""

    id: Id = Field(pattern=_ID_PATTERN)
    type: QuestionType
    text: str = Field(min_length=1)
    short: str | None = Field(default=None, min_length=1, max_length=60)
    """A few words naming what is asked ("Duration"), for a line that shows the answer beside
    it on page 1; where it is missing, the whole question is shown."""
    help: str = Field(min_length=1)
    choices: list[Choice] | None = None
    unit: Unit | None = None
    min: float | None = None
    max: float | None = None
    critical: bool | Condition = False
    """Whether the question matters to the decision: always, never, or when a condition holds."""
    when: Condition | None = None
    counts_in_knowledge: bool = True
    """Whether its answer, or its "don't know", counts toward how much is known. False for a
    question recorded for the memo only (a cost, a date to review): answering it or not leaves
    the score as it is. Rules may still look at its answer."""
    besides: Id | None = None
    """For a multiple choice that asks for others besides an earlier single choice (the other
    goals, after the main goal): that question's id. The choice given there is not offered
    again here, and an answer that ticks it anyway counts it once, as the main one."""

    def offered(self, taken: Any) -> list[Choice]:
        """The choices to offer, once ``taken`` is the answer to :attr:`besides` (or ``None``)."""
        return [c for c in self.choices or [] if self.besides is None or c.value != taken]

    @field_validator("critical", mode="before")
    @classmethod
    def _critical_is_a_flag_or_a_condition(cls, value: Any) -> Any:
        if isinstance(value, bool | dict):
            return value
        shown = "nothing" if value is None else f"'{value}'"
        raise ValueError(
            f"expected true, false or a condition (such as {{question: motive, equals: "
            f"customer}}) saying when the question matters, got {shown}"
        )

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        if self.type in ("single", "multi"):
            if not self.choices or len(self.choices) < 2:
                raise ValueError(f"a {self.type} question needs at least two choices")
            values = [c.value for c in self.choices]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"the choice '{dupes[0]}' appears twice")
            if self.type == "single" and any(c.exclusive for c in self.choices):
                raise ValueError("'exclusive' applies only to choices of a multi question")
        elif self.choices is not None:
            raise ValueError(f"a {self.type} question takes no choices")
        if self.type != "number" and (self.unit or self.min is not None or self.max is not None):
            raise ValueError("only a number question takes unit, min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is larger than max")
        if self.besides is not None and self.type != "multi":
            raise ValueError("only a multi question takes 'besides'")
        if not self.counts_in_knowledge and self.critical is not False:
            raise ValueError(
                "a question that matters (critical) counts in knowledge: "
                "drop 'counts_in_knowledge: false' or 'critical'"
            )
        return self

    @cached_property
    def labels(self) -> dict[str, str]:
        """Map each choice value to its label."""
        return {c.value: c.label for c in self.choices or []}

    def cast_answer(self, raw: Any) -> Any:
        """Turn a raw answer (from YAML, JSON or the prompt) into this question's value type.

        Raises:
            ValueError: With a message for the user when the answer does not fit.
        """
        if self.type == "single":
            if not isinstance(raw, str) or raw not in self.labels:
                raise ValueError(
                    f"'{as_written(raw)}' is not one of the choices: {', '.join(self.labels)}"
                )
            return raw
        if self.type == "multi":
            items = raw if isinstance(raw, list) else [raw]
            for item in items:
                if not isinstance(item, str) or item not in self.labels:
                    raise ValueError(
                        f"'{as_written(item)}' is not one of the choices: " + ", ".join(self.labels)
                    )
            if len(set(items)) != len(items):
                raise ValueError("a choice is listed twice")
            alone = [c.value for c in self.choices or [] if c.exclusive and c.value in items]
            if alone and len(items) > 1:
                raise ValueError(f"'{alone[0]}' cannot be combined with other choices")
            return [c for c in self.labels if c in items]
        if self.type == "yesno":
            if isinstance(raw, bool):
                return raw
            word = raw.strip().lower() if isinstance(raw, str) else None
            if word in _YES or word in _NO:
                return word in _YES
            raise ValueError(f"expected yes or no (or true or false), got '{as_written(raw)}'")
        if self.type == "number":
            return self._cast_number(raw)
        if self.type == "date":
            if isinstance(raw, date):
                return raw
            text = str(raw).strip()
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                    raise ValueError(text)  # fromisoformat takes 20270301 and 2027-W09 too
                return date.fromisoformat(text)
            except ValueError:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    raise ValueError(f"'{raw}' is not a date in the calendar") from None
                raise ValueError(
                    f"expected a date as YYYY-MM-DD, got '{as_written(raw)}'"
                ) from None
        if isinstance(raw, bool) or raw is None or isinstance(raw, list | dict):
            raise ValueError("expected text")
        return str(raw)

    def cast_typed(self, text: str, currency: str = "") -> Any:
        """Understand an answer typed at the prompt: numbers as people write them.

        A number question takes ``120k``, ``1.5m``, ``$120,000``, ``120 000 EUR``, ``20%`` or
        ``18 months``: thousands separators, a multiplier (for money and counts), the
        currency of the answers (``currency``) and the question's own unit. Anything else is
        read as :meth:`cast_answer` reads a file.

        Raises:
            ValueError: With a message for the user when the answer does not fit.
        """
        if self.type != "number":
            return self.cast_answer(text)
        if _FILE_NUMBER.match(text.strip()):
            return self._cast_number(text.strip())
        return self._cast_number(read_number(text, self.unit, currency))

    def _cast_number(self, raw: Any) -> int | float:
        if isinstance(raw, bool):
            raise ValueError(
                f"expected a number, got '{as_written(raw)}': {number_example(self.unit)}"
            )
        value: int | float
        if isinstance(raw, int | float):
            value = raw
        elif isinstance(raw, str):
            text = raw.strip().replace(",", "").replace("_", "")
            if re.fullmatch(r"[+-]?(?:inf|infinity|nan)", text, re.IGNORECASE):
                raise ValueError("expected a finite number")
            try:
                # Python converts at most 4,300 digits; longer numbers are out of range anyway.
                value = int(text) if len(text) <= 40 else float(text)
            except ValueError:
                try:
                    value = float(text)
                except ValueError:
                    raise ValueError(self._file_hint(raw)) from None
        else:
            raise ValueError(f"expected a number, got '{as_written(raw)}'")
        if isinstance(value, float) and (
            math.isnan(value) or (math.isinf(value) and not isinstance(raw, str))
        ):
            raise ValueError("expected a finite number")
        if yamlio.too_large(value):  # a typed number past the bound, or one that overflowed
            raise ValueError("too large: numbers up to 10^15 are supported")
        if self.min is not None and value < self.min:
            raise ValueError(f"must be at least {_plain_number(self.min)}")
        if self.max is not None and value > self.max:
            raise ValueError(f"must be at most {_plain_number(self.max)}")
        return value

    def _file_hint(self, raw: str) -> str:
        """Why a file's text is not a number, with the plain number a person meant.

        ``120k``: write 120000; ``1.5 years`` for months: write 18.
        """
        try:
            meant = read_number(raw, self.unit)
        except ValueError as exc:
            if str(exc).startswith("the answer is in "):
                return str(exc)
            return f"expected a number, got '{raw}': {number_example(self.unit)}"
        return f"expected a plain number, got '{raw}': write {meant} in an answers file"

    def format_answer(self, value: Any, currency: str = "") -> str:
        """Show a typed value the way a reader expects (labels, units, dates)."""
        if self.type == "single":
            return self.labels.get(value, str(value))
        if self.type == "multi":
            return "; ".join(self.labels.get(v, str(v)) for v in value) if value else "none"
        if self.type == "yesno":
            return "Yes" if value else "No"
        if self.type == "number":
            shown = f"{value:,}" if isinstance(value, int) else _plain_number(value)
            if self.unit == "money":
                return f"{shown} {currency}".strip()
            suffix = _UNIT_SUFFIX.get(self.unit or "count", "")
            if suffix == "%":
                return f"{shown}%"
            if value == 1 and suffix.endswith("s"):
                suffix = {"people": "person"}.get(suffix, suffix[:-1])
            return f"{shown} {suffix}".strip()
        if self.type == "date":
            return value.isoformat() if isinstance(value, date) else str(value)
        return str(value)

    @cached_property
    def _applies_test(self) -> Test | None:
        return None if self.when is None else compile_condition(self.when, skipped_is_false=True)

    @cached_property
    def _matters_test(self) -> Test | None:
        if isinstance(self.critical, bool):
            return None
        return compile_condition(self.critical, skipped_is_false=True)

    @property
    def may_matter(self) -> bool:
        """Whether the question can ever matter to the decision."""
        return self.critical is not False

    def matters(self, view: AnswerView) -> bool:
        """Whether the question matters to the decision, given the answers.

        An undetermined condition (it depends on a "don't know") counts as mattering: an open
        question held back wrongly costs less than a verdict given too early.
        """
        test = self._matters_test
        return bool(self.critical) if test is None else test(view) is not False

    def surely_applies(self, view: AnswerView) -> bool:
        """Whether the question applies for certain (its ``when`` depends on no "don't know")."""
        test = self._applies_test
        return test is None or test(view) is True

    def applies(self, view: AnswerView) -> bool:
        """Whether this question is asked, given the answers so far.

        An undetermined ``when`` (it depends on a "don't know") counts as applying: asking
        one question too many is cheaper than missing one.
        """
        test = self._applies_test
        return test is None or test(view) is not False


# How people write numbers at a prompt: a currency sign or code before or after, thousands
# separators, a multiplier, and the unit.
# The patterns are written in the syntax Python and JavaScript share (ASCII digits, no
# Unicode classes): the answer form carries them as data (see :func:`number_rules`).
_WRITTEN_NUMBER_PATTERN = (
    r"^(?P<before>[$€£¥₹]|[A-Za-z]{3}(?=[ 0-9$€£¥₹+-]))? ?"
    r"(?P<sign>[+-])? ?"
    r"(?P<digits>[0-9](?:[0-9,.' _]*[0-9])?|\.[0-9]+) ?"
    r"(?P<multiplier>thousand|million|billion|mio|mn|bn|k|m|b)?(?![A-Za-z])\.? ?"
    r"(?P<after>[$€£¥₹%]|[A-Za-z]+)?$"
)
_WRITTEN_NUMBER = re.compile(_WRITTEN_NUMBER_PATTERN, re.IGNORECASE)
_MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mio": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_CURRENCY_SIGNS = {
    "$": ("USD", "AUD", "CAD", "HKD", "MXN", "NZD", "SGD"),
    "€": ("EUR",),
    "£": ("GBP",),
    "¥": ("JPY", "CNY"),
    "₹": ("INR",),
}
_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "months": ("months", "month", "mo"),
    "weeks": ("weeks", "week", "wk"),
    "days": ("days", "day"),
    "people": ("people", "person", "persons"),
    "percent": ("%", "percent", "pct"),
}
# A duration written in years, for a question in months, weeks or days: the hint converts it.
_YEAR_WORDS = ("years", "year", "yrs", "yr")
_PER_YEAR = {"months": 12, "weeks": 52, "days": 365}
_GROUPED_PATTERN = r"^[0-9]{1,3}(?P<sep>[,' _])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:\.[0-9]+)?$"
_DOT_GROUPED_PATTERN = r"^[0-9]{1,3}(?:\.[0-9]{3}){2,}$"
_GROUPED = re.compile(_GROUPED_PATTERN)
_DOT_GROUPED = re.compile(_DOT_GROUPED_PATTERN)
# A number as an answers file holds it (``1e3``, ``inf``): typed, it is read as in a file.
_FILE_NUMBER_PATTERN = (
    r"^[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+|inf|infinity|nan)$"
)
_FILE_NUMBER = re.compile(_FILE_NUMBER_PATTERN, re.IGNORECASE)


def _js_pattern(pattern: str) -> str:
    """A pattern of this module in JavaScript's syntax (named groups differ)."""
    return pattern.replace("(?P<", "(?<").replace("(?P=sep)", "\\k<sep>")


def number_rules() -> dict[str, Any]:
    """How :func:`read_number` reads a written number, as data for the answer form's script.

    The form runs the same patterns and tables; a test feeds one table of inputs to both.
    """
    return {
        "written": _js_pattern(_WRITTEN_NUMBER_PATTERN),
        "grouped": _js_pattern(_GROUPED_PATTERN),
        "dotGrouped": _DOT_GROUPED_PATTERN,
        "fileNumber": _FILE_NUMBER_PATTERN,
        "multipliers": _MULTIPLIERS,
        "currencySigns": {sign: list(codes) for sign, codes in _CURRENCY_SIGNS.items()},
        "unitWords": {unit: list(words) for unit, words in _UNIT_WORDS.items()},
        "yearWords": list(_YEAR_WORDS),
        "perYear": _PER_YEAR,
        "examples": {unit: list(pair) for unit, pair in _NUMBER_EXAMPLES.items()},
        "exampleDefault": list(_DEFAULT_NUMBER_EXAMPLE),
    }


def as_written(raw: Any) -> str:
    """A value from a file as the person wrote it: a yes/no as YAML spells it, not ``True``."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


# A plain number, and the ways a person may also type it at the prompt, by unit.
_NUMBER_EXAMPLES: dict[str, tuple[str, str]] = {
    "money": ("120000", "120000, 120,000 or 120k"),
    "months": ("18", "18 or 18 months"),
    "weeks": ("6", "6 or 6 weeks"),
    "days": ("10", "10 or 10 days"),
    "people": ("12", "12 or 12 people"),
    "percent": ("40", "40 or 40%"),
}


_DEFAULT_NUMBER_EXAMPLE = ("40", "40 or 2.5")


def number_example(unit: str | None, *, typed: bool = False) -> str:
    """What to write instead of something that is not a number, with an example.

    In an answers file a plain number; at the prompt also with its unit (``typed``).
    """
    plain, written = _NUMBER_EXAMPLES.get(unit or "", _DEFAULT_NUMBER_EXAMPLE)
    if typed:
        return f"write a number, such as {written}"
    return f"write a plain number, such as {plain}"


def read_number(text: str, unit: str | None, currency: str = "") -> int | float:
    """Read a number as a person writes it (see :meth:`Question.cast_typed`).

    Raises:
        ValueError: With a message for the person, saying what is wrong.
    """
    cleaned = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    match = _WRITTEN_NUMBER.match(cleaned)
    if match is None:
        raise ValueError(f"expected a number, got '{text}': {number_example(unit, typed=True)}")
    in_years = bool(match["after"]) and match["after"].lower() in _YEAR_WORDS
    in_years = in_years and unit in _PER_YEAR and not match["multiplier"]
    for mark in (match["before"], None if in_years else match["after"]):
        if mark:
            _check_mark(mark, unit, currency, text)
    digits = match["digits"]
    if _GROUPED.match(digits):
        digits = re.sub(r"[,' _]", "", digits)
    elif _DOT_GROUPED.match(digits):
        digits = digits.replace(".", "")
    elif re.search(r"[,' _]", digits):
        raise ValueError(
            f"'{text}' is not a number: a comma or a space separates thousands "
            "(120,000); the decimal mark is a point (1.5)"
        )
    try:
        value: int | float = int(digits)
    except ValueError:  # a fraction, or more digits than Python converts (4,300)
        try:
            value = float(digits)
        except ValueError:
            raise ValueError(f"expected a number, got '{text}'") from None
        if math.isinf(value):
            raise ValueError("too large: numbers up to 10^15 are supported") from None
    if in_years:
        per = _PER_YEAR[str(unit)]
        raise ValueError(
            f"the answer is in {unit}: write {_plain_number(float(value) * per)} "
            f"for '{text}' ({per} {unit} a year)"
        )
    if match["multiplier"]:
        if unit not in (None, "money", "count"):
            raise ValueError(f"expected a number of {unit}, got '{text}'")
        exact = Decimal(digits) * _MULTIPLIERS[match["multiplier"].lower()]
        value = int(exact) if exact == exact.to_integral_value() else float(exact)
    return -value if match["sign"] == "-" else value


def _check_mark(mark: str, unit: str | None, currency: str, text: str) -> None:
    """Check a currency or unit written next to a number; raise ``ValueError`` if it is wrong."""
    word = mark.lower()
    if unit is not None and word in _UNIT_WORDS.get(unit, ()):
        return
    other = next((u for u, words in _UNIT_WORDS.items() if word in words), None)
    if other is not None:
        if unit == "money":
            wanted = f"is an amount of money{f' in {currency}' if currency else ''}"
        elif unit in (None, "count"):
            wanted = "is a plain number"
        else:
            wanted = f"is in {unit}"
        raise ValueError(f"the answer {wanted}, not in {other}: got '{text}'")
    if mark in _CURRENCY_SIGNS or (len(mark) == 3 and mark.isalpha() and word not in _MULTIPLIERS):
        if unit != "money":
            raise ValueError(f"this question does not ask for an amount of money, got '{text}'")
        known = _CURRENCY_SIGNS.get(mark, (mark.upper(),))
        if currency and currency.upper() not in known:
            raise ValueError(f"amounts here are in {currency}, not {mark}: convert '{text}' first")
        return
    raise ValueError(f"expected a number, got '{text}'")


def _plain_number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


class Section(_Strict):
    """A group of questions a team would recognise, asked and scored together."""

    id: Id = Field(pattern=_ID_PATTERN)
    title: str = Field(min_length=1)
    intro: str = Field(min_length=1)
    owner: str | None = Field(default=None, min_length=1)
    """The role that usually answers for this section's findings ("Engineering lead")."""
    when: Condition | None = None
    """Asks the whole section only if this holds: it joins every question's own ``when``."""
    questions: list[Question] = Field(min_length=1)


class PlanItem(_Strict):
    """One line of the memo's "plan at a glance": a label and the answers that fill it."""

    label: str = Field(min_length=1)
    questions: list[Id] = Field(min_length=1)


class PreviousVersion(_Strict):
    """An earlier version of this bank, and how its answers carry over to this one."""

    version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
    renamed: dict[Id, Id] = {}
    """Questions of that version whose answers now belong to another question id."""


class BankFile(_Strict):
    """The contents of ``bank.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
    title: str = Field(min_length=1)
    description: str = ""
    currency: str = Field(default="USD", min_length=1, max_length=8)
    sections: list[Section] = Field(min_length=1)
    plan: list[PlanItem] = []
    previous: list[PreviousVersion] = []


class Rule(_Strict):
    """A condition over answers and the finding it produces."""

    id: str = Field(pattern=_RULE_ID_PATTERN)
    section: Id
    severity: Severity
    title: str = Field(min_length=1)
    why: str = Field(min_length=1)
    action: str = Field(min_length=1)
    when: Condition
    caps: VerdictId | None = None
    """The best verdict possible while this finding stands (else the severity's cap)."""
    warning_sign: str | None = Field(default=None, min_length=1)
    """The early signal that this risk is coming true, in one short sentence."""
    decision: str | None = Field(default=None, min_length=1)
    """For a rule that caps the verdict at Don't rewrite: the memo's decision and verdict text
    in place of the usual ones, where those would not be true ("this is not a rewrite")."""
    fixed_by: Condition | None = None
    """What is true once the action is done, where some answers that clear the finding cannot
    come true (a stop condition met in the past is not "none met" after the decision): the
    memo scores its ask only with answers that meet this condition."""


class VerdictText(_Strict):
    """How the memo names and explains a verdict."""

    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)


class Thresholds(_Strict):
    """The overall readiness a verdict needs at least (scoring model 1)."""

    go: int = Field(ge=0, le=100)
    go_with_conditions: int = Field(ge=0, le=100)


RiskSeverity = Literal["blocker", "high", "medium", "low"]
RISK_SEVERITIES: tuple[RiskSeverity, ...] = ("blocker", "high", "medium", "low")


def _complete_tables(**tables: dict[RiskSeverity, Any]) -> None:
    for name, table in tables.items():
        missing = [s for s in RISK_SEVERITIES if s not in table]
        if missing:
            raise ValueError(f"{name} has no entry for {', '.join(missing)}")


class ScoringV1(_Strict):
    """Scoring model 1 (banks up to 1.x): section readiness from penalties, mean of sections.

    Kept so that answers and records made with an old bank score exactly as they did.
    """

    model: Literal[1] = 1
    penalties: dict[RiskSeverity, int]
    strength_bonus: int = Field(ge=0)
    unknown_penalty: int = Field(ge=0)
    critical_unknown_penalty: int = Field(ge=0)
    thresholds: Thresholds
    severity_caps: dict[RiskSeverity, VerdictId]
    critical_unknown_cap: VerdictId = "not_yet"

    @model_validator(mode="after")
    def _complete(self) -> ScoringV1:
        _complete_tables(penalties=self.penalties, severity_caps=self.severity_caps)
        if self.thresholds.go < self.thresholds.go_with_conditions:
            raise ValueError("the go threshold is lower than the go_with_conditions threshold")
        return self


class KnowledgeWeights(_Strict):
    """How the share of known answers is worked out."""

    matters_share: float = Field(gt=0, lt=1)
    """The part of knowledge that the questions that matter make up; the rest make up the rest."""
    guess: float = Field(ge=0, le=1)
    """The share of a known answer that a guess counts for."""


class ScoreStep(_Strict):
    """The least overall score a verdict needs."""

    verdict: VerdictId
    score: int = Field(ge=0, le=100)


class ScoringV2(_Strict):
    """Scoring model 2: how much is known and how good the known answers are, kept apart.

    quality = 100 - penalties of risk findings + strengths' bonus (0..100); knowledge = the
    weighted share of applicable questions with a known answer; score = quality x knowledge.
    """

    model: Literal[2]
    knowledge: KnowledgeWeights
    penalties: dict[RiskSeverity, int]
    strength_bonus: int = Field(ge=0)
    strength_bonus_max: int = Field(ge=0)
    severity_caps: dict[RiskSeverity, VerdictId]
    critical_unknown_cap: VerdictId
    critical_guess_cap: VerdictId
    score_allows: list[ScoreStep] = Field(min_length=1)
    range_budget: int = Field(default=256, ge=1, le=100_000)

    @model_validator(mode="after")
    def _complete(self) -> ScoringV2:
        _complete_tables(penalties=self.penalties, severity_caps=self.severity_caps)
        steps = self.score_allows
        ranks = [VERDICTS.index(s.verdict) for s in steps]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            raise ValueError("score_allows must list each verdict once, best first")
        if any(a.score <= b.score for a, b in pairwise(steps)):
            raise ValueError("score_allows must need less score for each worse verdict")
        if steps[-1].score != 0:
            raise ValueError("the last entry of score_allows must need a score of 0")
        return self

    def allows(self, score: int) -> VerdictId:
        """The best verdict an overall score reaches on its own."""
        return next(s.verdict for s in self.score_allows if score >= s.score)


def _scoring_model(value: Any) -> str:
    if isinstance(value, dict):
        return "2" if value.get("model") == 2 else "1"
    return "2" if isinstance(value, ScoringV2) else "1"


Scoring = Annotated[
    Annotated[ScoringV1, Tag("1")] | Annotated[ScoringV2, Tag("2")],
    Discriminator(_scoring_model),
]


class Safeguard(_Strict):
    """Something in a plan that holds a failure mode, named when its condition is true."""

    when: Condition
    text: str = Field(min_length=1)


class FailureMode(_Strict):
    """A way plans of some shape usually fail, and the answers that show a plan holds it.

    The memo's summary names the failure modes that apply even when no rule fires, so that a
    Go never reads as "no risk".
    """

    id: str = Field(pattern=_RULE_ID_PATTERN)
    title: str = Field(min_length=1)
    applies: Condition
    held_by: list[Safeguard] = Field(min_length=1)
    unheld: str = Field(min_length=1, description="What is missing when nothing holds it.")
    broken_by: list[str] = Field(
        default=[],
        description="Rules whose finding shows the plan does not hold it, whatever holds it "
        "otherwise.",
    )


class RulesFile(_Strict):
    """The contents of ``rules.yaml``."""

    scoring: Scoring
    verdicts: dict[VerdictId, VerdictText]
    rules: list[Rule] = Field(min_length=1)
    failure_modes: list[FailureMode] = []

    @model_validator(mode="after")
    def _all_verdicts(self) -> RulesFile:
        missing = [v for v in VERDICTS if v not in self.verdicts]
        if missing:
            raise ValueError(f"verdicts has no text for {', '.join(missing)}")
        return self


class Bank(BaseModel):
    """A validated question bank with its rules, ready to ask and to score."""

    model_config = ConfigDict(frozen=True)

    directory: str
    meta: BankFile
    rules_file: RulesFile
    _sources: str = PrivateAttr(default="")
    """The hash of the files the bank was loaded from, when it was loaded from files."""

    @property
    def id(self) -> str:
        """The bank's id, as answers files name it."""
        return self.meta.id

    @property
    def version(self) -> str:
        """The bank's version, as answers files name it."""
        return self.meta.version

    @property
    def sections(self) -> list[Section]:
        """The sections, in the order they are asked."""
        return self.meta.sections

    @property
    def rules(self) -> list[Rule]:
        """The rules, in file order."""
        return self.rules_file.rules

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question by id, in the order they are asked."""
        return {q.id: q for s in self.meta.sections for q in s.questions}

    @cached_property
    def rule_tests(self) -> list[tuple[Rule, Test]]:
        """Every rule with its condition compiled, in file order."""
        return [(rule, compile_condition(rule.when)) for rule in self.rules]

    @cached_property
    def conditions(self) -> list[Condition]:
        """Every condition that decides something.

        Each rule's ``when``, and each question's ``when`` and conditional ``critical``.
        """
        found: list[Condition] = [rule.when for rule in self.rules]
        for question in self.questions.values():
            if question.when is not None:
                found.append(question.when)
            if not isinstance(question.critical, bool):
                found.append(question.critical)
        return found

    @cached_property
    def failure_mode_tests(self) -> list[tuple[FailureMode, Test, list[tuple[str, Test]]]]:
        """Every failure mode with its conditions compiled: applies, then each safeguard."""
        return [
            (
                mode,
                compile_condition(mode.applies),
                [(guard.text, compile_condition(guard.when)) for guard in mode.held_by],
            )
            for mode in self.rules_file.failure_modes
        ]

    @cached_property
    def section_of(self) -> dict[str, Section]:
        """The section each question belongs to."""
        return {q.id: s for s in self.meta.sections for q in s.questions}

    @cached_property
    def identity(self) -> str:
        """The hash of the whole bank as JSON (folder, questions, conditions and rules).

        What is computed from answers on this bank and kept between runs is kept under it.
        """
        import hashlib

        if self._sources:  # the files it was loaded from, read by this program, decide it
            return hashlib.sha256(f"{self.directory}\0{self._sources}".encode()).hexdigest()
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()


def _check_condition(
    cond: Condition,
    questions: dict[str, Question],
    doc: yamlio.Document,
    where: tuple[str | int, ...],
    allowed: Container[str] | None = None,
) -> None:
    """Check that ``cond`` names known questions and choices and compares fitting types."""
    for comp in comparisons(cond):
        _check_compare(comp, questions, doc, where, allowed)


def _check_compare(
    comp: Compare,
    questions: dict[str, Question],
    doc: yamlio.Document,
    where: tuple[str | int, ...],
    allowed: Container[str] | None,
) -> None:
    names = [comp.question] + [
        o.question
        for o in (comp.equals, comp.gt, comp.gte, comp.lt, comp.lte)
        if isinstance(o, QuestionRef)
    ]
    for name in names:
        if name not in questions:
            raise BankError(f"unknown question '{name}'", doc.path, doc.line_of(where))
        if allowed is not None and name not in allowed:
            raise BankError(
                f"'when' may only name questions asked before this one, not '{name}'",
                doc.path,
                doc.line_of(where),
            )
    question = questions[comp.question]
    op, operand = comp.operator, comp.operand
    line = doc.line_of(where)
    if op == "is":
        return
    if op in ("gt", "gte", "lt", "lte") and question.type not in ("number", "date"):
        raise BankError(
            f"'{op}' needs a number or date question; '{question.id}' is {question.type}",
            doc.path,
            line,
        )
    values = operand if isinstance(operand, list) else [operand]
    if op in ("includes", "includes_any") and question.type != "multi":
        raise BankError(
            f"'{op}' needs a multi question; '{question.id}' is {question.type}", doc.path, line
        )
    if op == "in" and question.type not in ("single", "number", "text"):
        raise BankError(
            f"'in' needs a single-choice question; '{question.id}' is {question.type}",
            doc.path,
            line,
        )
    for value in values:
        if isinstance(value, QuestionRef):
            continue
        if question.type in ("single", "multi") and value not in question.labels:
            raise BankError(
                f"'{value}' is not a choice of question '{question.id}'", doc.path, line
            )
        if question.type == "yesno" and not isinstance(value, bool):
            raise BankError(
                f"question '{question.id}' is yes/no: compare it with true or false", doc.path, line
            )
        if question.type == "number" and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            raise BankError(
                f"question '{question.id}' is a number: compare it with a number", doc.path, line
            )
        if question.type == "date":
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise BankError(
                    f"question '{question.id}' is a date: compare it with YYYY-MM-DD",
                    doc.path,
                    line,
                ) from None


def _check_bank(meta: BankFile, doc: yamlio.Document) -> dict[str, Question]:
    # Linear in the number of questions: each 'when' is checked against the ones before it.
    every_id = {q.id for s in meta.sections for q in s.questions}
    questions: dict[str, Question] = {}
    section_ids: set[str] = set()
    for si, section in enumerate(meta.sections):
        if section.id in section_ids:
            raise BankError(
                f"the section id '{section.id}' appears twice",
                doc.path,
                doc.line_of(("sections", si, "id")),
            )
        section_ids.add(section.id)
        for qi, question in enumerate(section.questions):
            where = ("sections", si, "questions", qi)
            if question.id in questions:
                raise BankError(
                    f"the question id '{question.id}' appears twice",
                    doc.path,
                    doc.line_of((*where, "id")),
                )
            if question.when is not None:
                names = {c.question for c in comparisons(question.when)}
                if question.id in names:
                    raise BankError(
                        f"question '{question.id}' depends on itself in 'when'",
                        doc.path,
                        doc.line_of((*where, "when")),
                    )
                cyc = sorted(n for n in names if n in every_id and n not in questions)
                if cyc:
                    raise BankError(
                        f"question '{question.id}' has a 'when' that names '{cyc[0]}', "
                        "which is asked later "
                        "(a question can depend only on earlier ones, so cycles cannot form)",
                        doc.path,
                        doc.line_of((*where, "when")),
                    )
                _check_condition(question.when, questions, doc, (*where, "when"), questions)
            if question.besides is not None:
                main = questions.get(question.besides)
                if main is None or main.type != "single":
                    raise BankError(
                        f"question '{question.id}' has 'besides: {question.besides}', which is "
                        "not an earlier single-choice question",
                        doc.path,
                        doc.line_of((*where, "besides")),
                    )
            questions[question.id] = question
    for si, section in enumerate(meta.sections):
        for qi, question in enumerate(section.questions):
            if not isinstance(question.critical, bool):
                _check_condition(
                    question.critical, questions, doc, ("sections", si, "questions", qi, "critical")
                )
    for vi, earlier in enumerate(meta.previous):
        for name, target in earlier.renamed.items():
            if target not in questions:
                raise BankError(
                    f"unknown question '{target}'",
                    doc.path,
                    doc.line_of(("previous", vi, "renamed", name)),
                )
    for pi, item in enumerate(meta.plan):
        for qi, name in enumerate(item.questions):
            if name not in questions:
                raise BankError(
                    f"unknown question '{name}'",
                    doc.path,
                    doc.line_of(("plan", pi, "questions", qi)),
                )
    return questions


def _check_rules(
    rules: RulesFile, meta: BankFile, questions: dict[str, Question], doc: yamlio.Document
) -> None:
    seen: set[str] = set()
    sections = {s.id for s in meta.sections}
    for ri, rule in enumerate(rules.rules):
        where = ("rules", ri)
        if rule.id in seen:
            raise BankError(
                f"the rule id '{rule.id}' appears twice", doc.path, doc.line_of((*where, "id"))
            )
        seen.add(rule.id)
        if rule.section not in sections:
            raise BankError(
                f"unknown section '{rule.section}'", doc.path, doc.line_of((*where, "section"))
            )
        _check_condition(rule.when, questions, doc, (*where, "when"))
        if rule.fixed_by is not None:
            _check_condition(rule.fixed_by, questions, doc, (*where, "fixed_by"))
    for mi, mode in enumerate(rules.failure_modes):
        where = ("failure_modes", mi)
        for bi, rule_id in enumerate(mode.broken_by):
            if rule_id not in seen:
                raise BankError(
                    f"unknown rule '{rule_id}'", doc.path, doc.line_of((*where, "broken_by", bi))
                )
        _check_condition(mode.applies, questions, doc, (*where, "applies"))
        for si, guard in enumerate(mode.held_by):
            _check_condition(guard.when, questions, doc, (*where, "held_by", si, "when"))


def _with_section_conditions(meta: BankFile) -> BankFile:
    """``meta`` with each section's ``when`` joined to the ``when`` of each of its questions."""
    sections = []
    for section in meta.sections:
        if section.when is None:
            sections.append(section)
            continue
        questions = [
            q.model_copy(
                update={"when": section.when if q.when is None else All(all=[section.when, q.when])}
            )
            for q in section.questions
        ]
        sections.append(section.model_copy(update={"questions": questions}))
    return meta.model_copy(update={"sections": sections})


def own_condition(question: Question, section: Section) -> Condition | None:
    """``question``'s own ``when``, without the section's that loading joined to it (above)."""
    when = question.when
    if section.when is None or when is None:
        return when
    if when == section.when:
        return None
    if isinstance(when, All) and when.all and when.all[0] == section.when:
        rest = when.all[1:]
        return rest[0] if len(rest) == 1 else All(all=rest)
    return when


def load_bank(directory: Path | None = None) -> Bank:
    """Load and check the bank in ``directory`` (the bundled default bank when ``None``).

    Raises:
        BankError: With file and line, for the first problem found.
    """
    folder = directory if directory is not None else resources.default_bank_dir()
    if not folder.is_dir():
        what = "this is a file" if folder.exists() else "no such folder"
        raise BankError(
            f"{what}: a question bank is a folder with bank.yaml and rules.yaml", folder
        )
    import hashlib

    raw_bank = yamlio.read_bytes(folder / BANK_FILE)
    bank_doc = yamlio.read_kept(folder / BANK_FILE, raw_bank)
    raw_rules = yamlio.read_bytes(folder / RULES_FILE)
    rules_doc = yamlio.read_kept(folder / RULES_FILE, raw_rules)
    meta = _with_section_conditions(validate(BankFile, bank_doc))
    questions = _check_bank(meta, bank_doc)
    rules = validate(RulesFile, rules_doc)
    _check_rules(rules, meta, questions, rules_doc)
    bank = Bank(directory=str(folder), meta=meta, rules_file=rules)
    sources = hashlib.sha256()
    for raw in (raw_bank, raw_rules):
        sources.update(f"{len(raw)}\0".encode())
        sources.update(raw)
    bank._sources = sources.hexdigest()
    return bank
