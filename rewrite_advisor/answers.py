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

A team file (written by ``rewrite-advisor workshop``) is an answers file with two additions:
an answer may carry ``dissent`` (who disagreed with the agreed answer, what they would answer,
and why), and a top-level ``workshop`` record names the participants' files it came from and
which disputed questions have been settled::

    participants: [Ana, Ben, Carla]
    workshop:
      sources:
        - {participant: Ana, file: answers/ana.yaml, sha256: 9f86d0...}
      disputed: [freeze, motive]
      settled: [freeze]
    answers:
      freeze:
        value: 6
        dissent:
          - {participant: Ben, answer: 12, reason: the data migration alone takes a year}
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from . import filekind, fsio, yamlio
from .bank import Bank, Confidence, Question
from .conditions import AnswerState, AnswerView
from .errors import AdvisorError, AnswersError
from .validation import validate

KIND = "rewrite-advisor/answers"
FORMAT = 1
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class DissentEntry(BaseModel):
    """A participant who does not share the agreed answer: what they would answer, and why."""

    model_config = ConfigDict(extra="forbid")

    participant: str = Field(min_length=1)
    answer: Any = Field(default=None, description="What they would answer (a value).")
    dont_know: bool = Field(default=False, description='They would answer "don\'t know".')
    reason: str | None = None
    confidence: Confidence | None = Field(
        default=None, description="How sure they are of their own answer: sure, estimate or guess."
    )

    @model_validator(mode="after")
    def _not_both(self) -> DissentEntry:
        if self.dont_know and self.answer is not None:
            raise ValueError("a dissent cannot have both an answer and dont_know: true")
        return self


class AnswerEntry(BaseModel):
    """One answer as written in the file: a value or "don't know", with a note and confidence."""

    model_config = ConfigDict(extra="forbid")

    value: Any = None
    dont_know: bool = False
    note: str | None = None
    confidence: Confidence | None = None
    dissent: list[DissentEntry] = Field(
        default=[], description="Team files: participants who disagree with this answer."
    )

    @model_serializer(mode="wrap")
    def _drop_empty_dissent(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and not self.dissent:
            data.pop("dissent", None)
        return data

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


class SourceFile(BaseModel):
    """One participant's answers file that a team file was made from."""

    model_config = ConfigDict(extra="forbid")

    participant: str = Field(min_length=1)
    file: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class WorkshopRecord(BaseModel):
    """Where a team file came from, and how far the facilitation has got."""

    model_config = ConfigDict(extra="forbid")

    sources: list[SourceFile] = Field(min_length=2)
    disputed: list[str] = Field(
        default=[], description="The disputed questions, most important first."
    )
    settled: list[str] = Field(default=[], description="Disputed questions the team has settled.")


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
    workshop: WorkshopRecord | None = None
    answers: dict[str, AnswerEntry] = {}

    @field_validator("date", mode="before")
    @classmethod
    def _calendar_date(cls, value: Any) -> Any:
        # Only "YYYY-MM-DD", as the schema says (pydantic alone would take 1700000000 too).
        if value is not None and not (
            isinstance(value, dt.date) or (isinstance(value, str) and DATE_PATTERN.match(value))
        ):
            raise ValueError('expected a date like "2026-11-20" (YYYY-MM-DD, in quotes)')
        return value


@dataclass
class Dissent:
    """A checked dissent: who, the state and typed value of their answer, and why."""

    participant: str
    state: AnswerState
    value: Any = None
    reason: str | None = None
    confidence: Confidence | None = None


@dataclass
class Answer:
    """A checked answer: its state, typed value, note and confidence (and dissent, in teams)."""

    state: AnswerState
    value: Any = None
    note: str | None = None
    confidence: Confidence | None = None
    dissent: list[Dissent] = field(default_factory=list)


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
    workshop: WorkshopRecord | None = None

    def view(self) -> AnswerView:
        """The answers as conditions see them, with ``when`` applied in bank order."""
        return resolve_view(self.bank, self.given)

    def answer(self, question_id: str, view: AnswerView | None = None) -> Answer:
        """The answer to a question with its final state (``skipped`` if it does not apply).

        ``view`` is :meth:`view`, when the caller asks for many answers: working it out is
        linear in the bank, so a loop over the questions passes it once.
        """
        state = (view or self.view()).state(question_id)
        given = self.given.get(question_id)
        if given is None or state in ("skipped", "unanswered"):
            return Answer(state=state)
        return given

    def to_file(self) -> AnswersFile:
        """The data to save, in bank order (answers to unknown questions are never kept)."""
        entries: dict[str, AnswerEntry] = {}
        for qid in self.bank.questions:
            answer = self.given.get(qid)
            if answer is None or (
                answer.state == "unanswered" and not answer.note and not answer.dissent
            ):
                continue
            value = answer.value.isoformat() if isinstance(answer.value, dt.date) else answer.value
            entries[qid] = AnswerEntry(
                value=value if answer.state == "known" else None,
                dont_know=answer.state == "unknown",
                note=answer.note,
                confidence=answer.confidence,
                dissent=[_dissent_entry(d) for d in answer.dissent],
            )
        return AnswersFile(
            bank=BankRef(id=self.bank.id, version=self.bank.version),
            title=self.title,
            date=self.date,
            participants=self.participants,
            currency=self.currency if self.currency != self.bank.meta.currency else None,
            workshop=self.workshop,
            answers=entries,
        )


def _dissent_entry(dissent: Dissent) -> DissentEntry:
    value = dissent.value.isoformat() if isinstance(dissent.value, dt.date) else dissent.value
    return DissentEntry(
        participant=dissent.participant,
        answer=value if dissent.state == "known" else None,
        dont_know=dissent.state == "unknown",
        reason=dissent.reason,
        confidence=dissent.confidence,
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


def _cast_from_file(question: Question, raw: Any) -> Any:
    """A value from a file, typed: as the prompt's, but a number must be written as one.

    A file holds what its JSON Schema (``rewrite-advisor schema answers``) allows, so that an
    editor's validator and ``report`` accept the same files.
    """
    value = question.cast_answer(raw)
    if question.type == "number" and isinstance(raw, str):
        raise ValueError(f"write the number without quotes: {value}, not '{raw}'")
    return value


def _entry_to_answer(question: Question, entry: AnswerEntry) -> Answer:
    if entry.dont_know:
        return Answer("unknown", None, entry.note, entry.confidence)
    if entry.value is None or entry.value == "" or entry.value == []:
        return Answer("unanswered", None, entry.note, entry.confidence)
    return Answer("known", _cast_from_file(question, entry.value), entry.note, entry.confidence)


def _entry_to_dissent(question: Question, entry: DissentEntry) -> Dissent:
    if entry.dont_know:
        return Dissent(entry.participant, "unknown", None, entry.reason, entry.confidence)
    if entry.answer is None or entry.answer == "" or entry.answer == []:
        return Dissent(entry.participant, "unanswered", None, entry.reason, entry.confidence)
    value = _cast_from_file(question, entry.answer)
    return Dissent(entry.participant, "known", value, entry.reason, entry.confidence)


def unknown_question(qid: str, bank: Bank) -> str:
    """Say that ``qid`` is not a question of ``bank``, with the id it most likely meant."""
    import difflib

    close = difflib.get_close_matches(qid, list(bank.questions), n=1)
    return f"unknown question '{qid}'" + (f": did you mean '{close[0]}'?" if close else "")


class OtherBankVersion(AnswersError):
    """Answers made with another version of the question bank than the one loaded."""


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
        raise OtherBankVersion(
            f"these answers were made with version {parsed.bank.version} of the question bank, "
            f"but version {bank.version} is loaded",
            path,
            doc.line_of(["bank"]) if doc else None,
        )
    given: dict[str, Answer] = {}
    for qid, entry in parsed.answers.items():
        question = bank.questions.get(qid)
        if question is None:
            raise fail(unknown_question(qid, bank), "answers", qid)
        try:
            answer = _entry_to_answer(question, entry)
        except ValueError as exc:
            raise fail(f"{qid}: {exc}", "answers", qid) from None
        for index, item in enumerate(entry.dissent):
            where = ("answers", qid, "dissent", index)
            if item.participant not in parsed.participants:
                raise fail(
                    f"{qid}: the dissent of '{item.participant}', "
                    "who is not among the participants",
                    *where,
                )
            try:
                answer.dissent.append(_entry_to_dissent(question, item))
            except ValueError as exc:
                raise fail(f"{qid}: dissent of {item.participant}: {exc}", *where) from None
        if answer.state != "unanswered" or answer.note or answer.dissent:
            given[qid] = answer
    if parsed.workshop is not None:
        for key in ("disputed", "settled"):
            for index, qid in enumerate(getattr(parsed.workshop, key)):
                if qid not in bank.questions:
                    raise fail(unknown_question(qid, bank), "workshop", key, index)
    return Answers(
        bank=bank,
        title=parsed.title,
        date=parsed.date,
        participants=parsed.participants,
        currency=parsed.currency or bank.meta.currency,
        given=given,
        source=path,
        workshop=parsed.workshop,
    )


def read_document(raw: bytes, path: str) -> yamlio.Document:
    """Parse the bytes of what should be an answers file.

    Raises:
        AnswersError: For a file of another kind (Markdown, HTML, a memo, settings, ...),
            saying what it looks like rather than where its YAML breaks.
        AdvisorError: For an answers file that is not valid YAML, with the line.
    """
    try:
        return yamlio.parse_bytes(raw, path)
    except AdvisorError as exc:
        text = raw.decode("utf-8-sig", errors="replace")
        other = filekind.of_text(text) if "\ufffd" not in text else None
        if other is None:
            raise exc from None  # not UTF-8, or an answers file with a mistake: as it is
        raise AnswersError(other, path) from None


def parse_answers(doc: yamlio.Document) -> AnswersFile:
    """Validate a parsed document as an answers file (its structure only).

    Raises:
        AdvisorError: For a file of another kind (a bank, a case library, a memo, plain
            text), saying what it is, or a located error in an answers file.
    """
    other = filekind.of_data(doc.data)
    if other is not None and "(kind is" in other:
        raise doc.error(other, ["kind"])
    if other is not None:
        raise AnswersError(other, doc.path)
    if isinstance(doc.data, dict) and doc.data.get("kind") not in (None, KIND):
        raise doc.error(f"this is not an answers file (kind is '{doc.data.get('kind')}')", ["kind"])
    parsed = validate(AnswersFile, doc)
    return parsed


def load_answers(path: Path, bank: Bank) -> Answers:
    """Read an answers file and check it against ``bank``."""
    doc = read_document(yamlio.read_bytes(path), str(path))
    return bind(parse_answers(doc), bank, doc)


SCHEMA_FILE = "answers.schema.json"
HEADER = f"""\
# yaml-language-server: $schema={SCHEMA_FILE}
# rewrite-advisor answers. Edit freely; `rewrite-advisor report` checks this file.
# Editors complete and check it with: rewrite-advisor schema answers > {SCHEMA_FILE}
"""
"""The first lines of a new answers file: a modeline for editors, and what the file is."""

_TOP_ORDER = ("kind", "format", "bank", "title", "date", "participants", "currency", "workshop")


def file_data(answers: Answers) -> dict[str, Any]:
    """The answers as the plain data of an answers file (an answer alone is its value)."""
    data = answers.to_file().model_dump(mode="json", exclude_none=True)
    for entry in data.get("answers", {}).values():
        if not entry.get("dont_know"):
            entry.pop("dont_know", None)
        for dissent in entry.get("dissent", []):
            if not dissent.get("dont_know"):
                dissent.pop("dont_know", None)
    data["answers"] = {
        qid: (
            entry["value"]
            if set(entry) == {"value"} and not isinstance(entry["value"], dict)
            else entry
        )
        for qid, entry in data.get("answers", {}).items()
    }
    return data


def dumps(answers: Answers) -> str:
    """The answers as the YAML text of a new answers file."""
    return HEADER + yamlio.dump(file_data(answers))


def save(answers: Answers, path: Path) -> None:
    """Write a new answers file atomically: a crash leaves the old file or the new, never half."""
    fsio.write_atomic(path, dumps(answers).encode("utf-8"))


@dataclass
class _Saved:
    """What the file holds, as last read or written: the baseline that changes are found from."""

    title: str
    date: dt.date | None
    participants: list[str]
    currency: str
    workshop: WorkshopRecord | None
    given: dict[str, Answer]

    @classmethod
    def of(cls, answers: Answers) -> _Saved:
        return cls(
            answers.title,
            answers.date,
            list(answers.participants),
            answers.currency,
            copy.deepcopy(answers.workshop),
            copy.deepcopy(answers.given),
        )


class AnswersWriter:
    """Saves answers into a file a person may have edited, changing only what changed.

    A new file is written whole, with a modeline for editors. In an existing file, each save
    rewrites only the lines of the answers (and top-level keys) that differ from what the file
    held, so comments, key order and layout stay as the person left them; a file that is not
    changed is not written at all. A file written as JSON stays JSON.

    Args:
        path: The answers file.
        baseline: The answers as read from ``path`` (``None`` when it does not exist yet).
    """

    def __init__(self, path: Path, baseline: Answers | None = None):
        self.path = path
        self._saved = _Saved.of(baseline) if baseline is not None else None

    def save(self, answers: Answers) -> None:
        """Write what changed since the last save (or the whole file, if it is new).

        Raises:
            AdvisorError: If the file cannot be written.
        """
        if self._saved is None or not self.path.exists():
            save(answers, self.path)
        else:
            changes, top = self._changes(answers)
            if not changes and not top:
                return
            text = fsio.read_input(self.path).decode("utf-8-sig")
            fsio.write_atomic(self.path, _edited(text, answers, changes, top).encode("utf-8"))
        self._saved = _Saved.of(answers)

    def _changes(self, answers: Answers) -> tuple[dict[str, Any], dict[str, Any]]:
        saved = self._saved
        assert saved is not None
        data = file_data(answers)
        entries = data["answers"]
        changes = {
            qid: entries.get(qid, yamlio.DELETE)
            for qid in {**saved.given, **answers.given}
            if saved.given.get(qid) != answers.given.get(qid)
        }
        now = _Saved.of(answers)
        top = {
            key: data.get(key, yamlio.DELETE)
            for key in ("title", "date", "participants", "currency", "workshop")
            if getattr(saved, key) != getattr(now, key)
        }
        return changes, top


def _edited(text: str, answers: Answers, changes: dict[str, Any], top: dict[str, Any]) -> str:
    """``text`` with the changed answers and keys rewritten, or the whole file if it must be."""
    import json

    order = list(answers.bank.questions)
    data = file_data(answers)
    try:
        try:
            edited = yamlio.edit_mapping(text, ["answers"], changes, order) if changes else text
        except yamlio.CannotEdit:
            top = {**top, "answers": data["answers"]}  # no block of answers yet: write one
            edited = text
        if top:
            edited = yamlio.edit_mapping(edited, [], top, [*_TOP_ORDER, "answers"])
        if _holds(edited, answers, [*changes], [*top]):
            return edited
    except yamlio.CannotEdit:
        pass
    if text.lstrip().startswith("{"):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return dumps(answers)


def _holds(text: str, answers: Answers, questions: list[str], keys: list[str]) -> bool:
    """Whether ``text`` reads back with these answers and keys as ``answers`` has them."""
    try:
        doc = yamlio.parse(text)
        read = bind(parse_answers(doc), answers.bank, doc)
    except AdvisorError:
        return False
    if any(read.given.get(q) != answers.given.get(q) for q in questions):
        return False
    return all(getattr(read, key) == getattr(answers, key) for key in keys if key != "answers")
