"""Answers files: the model, loading against a bank, and atomic saving.

An answers file is human-editable YAML (JSON is accepted too)::

    kind: rewrite-advisor/answers
    format: 1
    bank: {id: rewrite-advisor-default, version: "1.0.0"}
    title: Replace the billing engine
    date: "2026-11-20"
    participants: [Ana Souza]
    answers:
      strategic_goal: enter_new_market                 # the value alone
      duration_months: {value: 14, confidence: estimate, note: from the plan}
      sync_cost: {dont_know: true, note: nobody has estimated it}

A question left out, or given an empty value, is unanswered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from . import fsio, yamlio
from .bank import Bank, Confidence, Question
from .conditions import AnswerState, AnswerView
from .errors import AnswersError
from .validation import validate

KIND = "rewrite-advisor/answers"
FORMAT = 1


class AnswerEntry(BaseModel):
    """One answer as written in the file: a value or "don't know", with a note and confidence."""

    model_config = ConfigDict(extra="forbid")

    value: Any = None
    dont_know: bool = False
    note: str | None = None
    confidence: Confidence | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return data
        return {"value": data}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Document the shorthand too: an answer may be written as its value alone."""
        full = handler(core_schema)
        shorthand = {
            "description": "The value alone (no note or confidence).",
            "anyOf": [
                {"type": "string"},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "array", "items": {"type": "string"}},
                {"type": "null"},
            ],
        }
        return {"anyOf": [full, shorthand]}

    @model_validator(mode="after")
    def _not_both(self) -> AnswerEntry:
        if self.dont_know and self.value is not None:
            raise ValueError("an answer cannot have both a value and dont_know: true")
        return self


class BankRef(BaseModel):
    """Which question bank, and which version of it, the answers were given to."""

    model_config = ConfigDict(extra="forbid")

    id: str
    version: str


class AnswersFile(BaseModel):
    """The contents of an answers file, before it is checked against its bank."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["rewrite-advisor/answers"] = "rewrite-advisor/answers"
    format: Literal[1] = 1
    bank: BankRef
    title: str = Field(default="Rewrite assessment", min_length=1)
    date: dt.date | None = None
    participants: list[str] = []
    currency: str | None = None
    answers: dict[str, AnswerEntry] = {}


@dataclass
class Answer:
    """A checked answer: its state, typed value, note and confidence."""

    state: AnswerState
    value: Any = None
    note: str | None = None
    confidence: Confidence | None = None


@dataclass
class Answers:
    """Answers checked against a bank, with each question's state worked out."""

    bank: Bank
    title: str
    date: dt.date | None
    participants: list[str]
    currency: str
    given: dict[str, Answer] = field(default_factory=dict)
    source: str | None = None

    def view(self) -> AnswerView:
        """The answers as conditions see them, with ``when`` applied in bank order."""
        return resolve_view(self.bank, self.given)

    def answer(self, question_id: str) -> Answer:
        """The answer to a question with its final state (``skipped`` if it does not apply)."""
        state = self.view().state(question_id)
        given = self.given.get(question_id)
        if given is None or state in ("skipped", "unanswered"):
            return Answer(state=state)
        return given

    def to_file(self) -> AnswersFile:
        """The data to save, in bank order (answers to unknown questions are never kept)."""
        entries: dict[str, AnswerEntry] = {}
        for qid in self.bank.questions:
            answer = self.given.get(qid)
            if answer is None or (answer.state == "unanswered" and not answer.note):
                continue
            value = answer.value.isoformat() if isinstance(answer.value, dt.date) else answer.value
            entries[qid] = AnswerEntry(
                value=value if answer.state == "known" else None,
                dont_know=answer.state == "unknown",
                note=answer.note,
                confidence=answer.confidence,
            )
        return AnswersFile(
            bank=BankRef(id=self.bank.id, version=self.bank.version),
            title=self.title,
            date=self.date,
            participants=self.participants,
            currency=self.currency if self.currency != self.bank.meta.currency else None,
            answers=entries,
        )


def resolve_view(bank: Bank, given: dict[str, Answer]) -> AnswerView:
    """Work out every question's state in bank order, applying each ``when``."""
    states: dict[str, AnswerState] = {}
    values: dict[str, Any] = {}
    view = AnswerView(states, values)
    for qid, question in bank.questions.items():
        if not question.applies(view):
            states[qid] = "skipped"
            continue
        answer = given.get(qid)
        if answer is None:
            states[qid] = "unanswered"
        else:
            states[qid] = answer.state
            if answer.state == "known":
                values[qid] = answer.value
    return view


def _entry_to_answer(question: Question, entry: AnswerEntry) -> Answer:
    if entry.dont_know:
        return Answer("unknown", None, entry.note, entry.confidence)
    if entry.value is None or entry.value == "" or entry.value == []:
        return Answer("unanswered", None, entry.note, entry.confidence)
    return Answer("known", question.cast_answer(entry.value), entry.note, entry.confidence)


def bind(parsed: AnswersFile, bank: Bank, doc: yamlio.Document | None = None) -> Answers:
    """Check parsed answers against ``bank`` and type every value.

    Raises:
        AnswersError: For another bank, an unknown question or an answer that does not fit.
    """
    path = doc.path if doc else None

    def fail(message: str, *where: str | int) -> AnswersError:
        return AnswersError(message, path, doc.line_of(where) if doc else None)

    if parsed.bank.id != bank.id:
        raise fail(
            f"these answers are for the question bank '{parsed.bank.id}', not '{bank.id}'", "bank"
        )
    if parsed.bank.version != bank.version:
        raise fail(
            f"these answers were made with version {parsed.bank.version} of the question bank, "
            f"but version {bank.version} is loaded",
            "bank",
        )
    given: dict[str, Answer] = {}
    for qid, entry in parsed.answers.items():
        question = bank.questions.get(qid)
        if question is None:
            raise fail(f"unknown question '{qid}'", "answers", qid)
        try:
            answer = _entry_to_answer(question, entry)
        except ValueError as exc:
            raise fail(f"{qid}: {exc}", "answers", qid) from None
        if answer.state != "unanswered" or answer.note:
            given[qid] = answer
    return Answers(
        bank=bank,
        title=parsed.title,
        date=parsed.date,
        participants=parsed.participants,
        currency=parsed.currency or bank.meta.currency,
        given=given,
        source=path,
    )


def parse_answers(doc: yamlio.Document) -> AnswersFile:
    """Validate a parsed document as an answers file (its structure only)."""
    if isinstance(doc.data, dict) and doc.data.get("kind") not in (None, KIND):
        raise doc.error(f"this is not an answers file (kind is '{doc.data.get('kind')}')", ["kind"])
    parsed = validate(AnswersFile, doc)
    return parsed


def load_answers(path: Path, bank: Bank) -> Answers:
    """Read an answers file and check it against ``bank``."""
    doc = yamlio.read(path)
    return bind(parse_answers(doc), bank, doc)


def dumps(answers: Answers) -> str:
    """The answers as the YAML text of an answers file."""
    data = answers.to_file().model_dump(mode="json", exclude_none=True)
    for entry in data.get("answers", {}).values():
        if not entry.get("dont_know"):
            entry.pop("dont_know", None)
    data["answers"] = {
        qid: (
            entry["value"]
            if set(entry) == {"value"} and not isinstance(entry["value"], dict)
            else entry
        )
        for qid, entry in data.get("answers", {}).items()
    }
    header = "# rewrite-advisor answers. Edit freely; `rewrite-advisor report` checks this file.\n"
    return header + yamlio.dump(data)


def save(answers: Answers, path: Path) -> None:
    """Write the answers file atomically: a crash leaves the old file or the new, never half."""
    fsio.write_atomic(path, dumps(answers).encode("utf-8"))
