"""The outside view: documented rewrites with known outcomes, and how near a plan is to each.

The rules are the team's inside view, written down. A case library holds rewrites that really
happened, each answered on the question bank from the facts known when its team decided, with
how it ended. This module loads a library (``cases.yaml`` and one answers file per case),
measures how near a plan is to each case, and says how the nearest ones ended.

* **Which answers, how much.** The questions the rules look at, each weighted by how much it
  can move the verdict (:meth:`~.scoring.ScoringModel.weights`: the penalties of the rules
  that look at it). Texts and dates are not compared; a number is compared by which side of
  each value the rules compare it with it falls on, never by its size alone.
* **Choices by meaning.** Where the library orders a question's choices (``none < one_way <
  two_way``), two answers differ by how far apart they are in that order; otherwise they are
  equal or different. Several choices: the share of choices not in common.
* **"Don't know" is not a wrong answer.** Where one side knows and the other does not, the
  question counts as half a difference, what two answers differ by when nothing is known of
  one of them; where neither knows, it is not compared. A question that applies to only one
  side is not compared either: the answers it depends on already differ.
* **Distance** is the weighted mean of the differences over the questions compared, from 0
  (alike on all) to 1; the memo shows ``100 x (1 - distance)`` as how alike they are.

Loading reads files; everything else is pure. Nothing here imports a renderer.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import fsio, resources, yamlio
from .answers import Answers, bind, parse_answers
from .bank import VERDICTS, Bank, Question, VerdictId
from .conditions import AnswerState, AnswerView, comparisons
from .errors import AdvisorError, AnswersError
from .memo import CaseAnswer, CaseOutcome, NearestCase, OutsideView
from .validation import validate

LIBRARY_FILE = "cases.yaml"
KIND = "rewrite-advisor/cases"
SHOWN = 3
"""How many of the nearest cases a memo shows in full."""
DIFFERS, ALIKE = 3, 2
"""How many differences and likenesses a memo names for each case shown."""

Shape = Literal[
    "whole_product",
    "strangler",
    "traffic_cutover",
    "beside_old",
    "segment_by_segment",
    "bought_or_contracted",
    "internal",
    "client_app",
    "in_place",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Comparison(_Strict):
    """How one question's answers are compared: its short name, and its choices in order."""

    name: str | None = Field(default=None, min_length=1, description="A few words for the memo.")
    order: list[str] | None = Field(
        default=None,
        min_length=2,
        description="Choices ordered by meaning; a choice left out is only equal or different.",
    )


class CaseEntry(_Strict):
    """One documented rewrite: what it was, how it ended, and its answers file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    years: str = Field(pattern=r"^[0-9]{4}(-[0-9]{4})?$", description="YYYY or YYYY-YYYY.")
    shape: list[Shape] = Field(min_length=1)
    outcome: CaseOutcome
    what_happened: str = Field(min_length=1, description="One line on what happened.")
    sources: list[str] = Field(default=[], description="Where it was reported.")
    answers: str = Field(min_length=1, description="The answers file, relative to the library.")


class LibraryFile(_Strict):
    """The contents of a library's ``cases.yaml``."""

    kind: Literal["rewrite-advisor/cases"] = "rewrite-advisor/cases"
    format: Literal[1] = 1
    nearest: int | None = Field(
        default=None, ge=1, description="How many nearest cases the base rate is taken over."
    )
    questions: dict[str, Comparison] = Field(
        default={}, description="How answers are compared, by question id."
    )
    cases: list[CaseEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Case:
    """A documented rewrite, its answers on the library's bank, and what was carried over.

    A memo needs only ``view`` (each question's state and value), ``source`` and
    ``currency``, which a warm load takes from the user's cache; the whole answers (notes,
    confidence, dissent) are read from the bytes the view came from when first asked for.
    """

    entry: CaseEntry
    view: AnswerView
    source: str
    """The answers file: the library's folder as it was given, joined with the entry's file."""
    currency: str
    """The currency of the case's amounts (its own, or its bank's)."""
    read: Callable[[], Answers] = field(repr=False, compare=False)
    """What gives :attr:`answers`, when they are first asked for."""
    migrated_from: str | None = None
    dropped: tuple[str, ...] = ()

    @cached_property
    def answers(self) -> Answers:
        """The case's answers, bound to the library's bank (carried over to it if need be)."""
        return self.read()


@dataclass
class Library:
    """A case library loaded against one question bank."""

    folder: Path
    bank: Bank
    cases: list[Case]
    nearest: int
    questions: dict[str, Comparison]
    label: str
    _measure: Measure | None = field(default=None, repr=False)

    @property
    def measure(self) -> Measure:
        """The distance of this library's bank and comparisons, made once."""
        if self._measure is None:
            self._measure = Measure.of(self.bank, self.questions)
        return self._measure


DEFAULT_NEAREST = 5


# --- Loading --------------------------------------------------------------------------------


def parse_library(doc: yamlio.Document) -> LibraryFile:
    """Validate a parsed ``cases.yaml`` (its structure only)."""
    if isinstance(doc.data, dict) and doc.data.get("kind") not in (None, KIND):
        raise doc.error(f"this is not a case library (kind is '{doc.data.get('kind')}')", ["kind"])
    return validate(LibraryFile, doc)


def is_library(folder: Path) -> bool:
    """Whether ``folder`` holds a case library."""
    return (folder / LIBRARY_FILE).is_file()


def load_library(folder: Path, bank: Bank, *, defaults: LibraryFile | None = None) -> Library:
    """Load the library in ``folder`` and check every case against ``bank``.

    A case answered on an earlier version of the bundled bank is carried over to ``bank``
    (answers whose question is gone are dropped, and said so); a case on another bank, or on
    a version that cannot be carried over, is refused. ``defaults`` (the bundled library's
    file) lends its comparisons and ``nearest`` to a library that names none.

    Each case's view (what the distance reads) is kept in the user's cache (see
    :class:`_KeptViews`), so that a later load with the same files, bank and program reads
    the files' bytes but neither parses nor checks them again: they were checked when kept.

    Raises:
        AdvisorError: With file and line, for the first problem found.
    """
    if not folder.is_dir():
        what = "this is a file" if folder.exists() else "no such folder"
        raise AdvisorError(f"{what}: a case library is a folder with {LIBRARY_FILE}", folder)
    if not is_library(folder):
        raise AdvisorError(f"no {LIBRARY_FILE} here: a case library is a folder with one", folder)
    doc = yamlio.read_kept(folder / LIBRARY_FILE)
    parsed = parse_library(doc)
    questions = _check_comparisons(parsed, bank, doc)
    if not parsed.questions and defaults is not None:
        questions = {q: c for q, c in defaults.questions.items() if q in bank.questions}
    # The files first, then the cache entry (its size is bounded by theirs), then the cases;
    # a problem with a file is raised after those of the cases before it, as it is found.
    seen: set[str] = set()
    files: list[tuple[CaseEntry, Path, bytes]] = []
    problem: AdvisorError | None = None
    for index, entry in enumerate(parsed.cases):
        try:
            if entry.id in seen:
                raise doc.error(f"case '{entry.id}' is listed twice", ["cases", index, "id"])
            seen.add(entry.id)
            path = _case_file(folder, entry, doc, index)
            raw = fsio.read_regular(path, fsio.ANSWERS_LIMIT, "a YAML or JSON file")
            files.append((entry, path, raw))
        except AdvisorError as exc:
            problem = exc
            break
    kept = _KeptViews.open(folder, bank, sum(len(raw) for _, _, raw in files))
    cases = [_load_case(entry, path, raw, bank, kept) for entry, path, raw in files]
    if problem is not None:
        raise problem
    kept.save()
    nearest = parsed.nearest or (defaults.nearest if defaults else None) or DEFAULT_NEAREST
    count = len(cases)
    label = f"{count} documented rewrite{'s' if count != 1 else ''} from {folder}"
    return Library(folder, bank, cases, nearest, questions, label)


def _check_comparisons(
    parsed: LibraryFile, bank: Bank, doc: yamlio.Document
) -> dict[str, Comparison]:
    for qid, comparison in parsed.questions.items():
        question = bank.questions.get(qid)
        if question is None:
            raise doc.error(
                f"unknown question '{qid}' in the bank {bank.id} {bank.version}", ["questions", qid]
            )
        if comparison.order is None:
            continue
        if question.type != "single":
            raise doc.error(
                f"{qid}: only the choices of a single-choice question can be ordered",
                ["questions", qid, "order"],
            )
        values = [c.value for c in question.choices or []]
        for index, value in enumerate(comparison.order):
            if value not in values:
                raise doc.error(
                    f"{qid}: '{value}' is not one of its choices ({', '.join(values)})",
                    ["questions", qid, "order", index],
                )
            if comparison.order.index(value) != index:
                raise doc.error(
                    f"{qid}: '{value}' is ordered twice", ["questions", qid, "order", index]
                )
    return dict(parsed.questions)


def _case_file(folder: Path, entry: CaseEntry, index_doc: yamlio.Document, index: int) -> Path:
    where: list[str | int] = ["cases", index, "answers"]
    if Path(entry.answers).is_absolute():
        raise index_doc.error(
            f"case '{entry.id}': give the answers file relative to the library", where
        )
    path = folder / entry.answers
    if not path.is_file():
        raise index_doc.error(f"case '{entry.id}': no answers file {entry.answers}", where)
    return path


def _load_case(entry: CaseEntry, path: Path, raw: bytes, bank: Bank, kept: _KeptViews) -> Case:
    """A case from its file's bytes: its view from the cache, or the file read and checked."""
    digest = hashlib.sha256(raw).hexdigest()
    found = kept.find(digest)
    if found is not None:
        view, currency = found
        read = functools.partial(_read_answers, path, raw, bank)
        return Case(entry, view, str(path), currency, lambda: read()[0])
    answers, migrated_from, dropped = _read_answers(path, raw, bank)
    view = answers.view()
    if migrated_from is None:  # a carried-over case also depends on the earlier bank: not kept
        kept.keep(digest, view, answers.currency)
    return Case(entry, view, str(path), answers.currency, lambda: answers, migrated_from, dropped)


def _read_answers(
    path: Path, raw: bytes, bank: Bank
) -> tuple[Answers, str | None, tuple[str, ...]]:
    """A case file's answers on ``bank``, with the version they were carried over from.

    The third item is the questions whose answers were dropped in carrying them over.

    Raises:
        AnswersError: For answers on another bank, or on a version that cannot be carried over.
        AdvisorError: For a file that is not valid answers.
    """
    doc = yamlio.read_kept(path, raw)
    parsed = parse_answers(doc)
    if parsed.bank.id != bank.id:
        raise AnswersError(
            f"this case is answered on the question bank '{parsed.bank.id}', but the memo's "
            f"bank is '{bank.id}': a library's cases must be answered on the same bank",
            doc.path,
            doc.line_of(["bank"]),
        )
    if parsed.bank.version == bank.version:
        return bind(parsed, bank, doc), None, ()
    earlier = _earlier_bank(bank, parsed.bank.version)
    if earlier is None:
        raise AnswersError(
            f"this case is answered on version {parsed.bank.version} of the question bank, "
            f"which cannot be carried over to version {bank.version}: answer it again on "
            f"{bank.version}",
            doc.path,
            doc.line_of(["bank"]),
        )
    from .upgrade import carry_over

    carried = carry_over(bind(parsed, earlier, doc), bank)
    return carried.answers, parsed.bank.version, tuple(carried.dropped)


def _earlier_bank(bank: Bank, version: str) -> Bank | None:
    """The bundled bank's archived ``version``, when it is older than ``bank``'s."""
    from .bank import load_bank

    def key(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in text.split(".") if p.isdigit())

    folder = resources.archived_bank_dir(version)
    if folder is None or key(version) >= key(bank.version):
        return None
    earlier = load_bank(folder)
    return earlier if earlier.id == bank.id else None


# --- Kept views -----------------------------------------------------------------------------


_STATE_CODES: dict[str, AnswerState] = {
    "k": "known",
    "u": "unknown",
    "n": "unanswered",
    "s": "skipped",
}
_CODE_OF = {state: code for code, state in _STATE_CODES.items()}
_KEPT_LIMIT_FACTOR = 32
"""A library's entry larger than this many times its case files (plus 1 MiB) is not read."""


class _KeptViews:
    """The views of a library's cases, kept in the user's cache between runs.

    One entry per library folder and bank id and version (so the cache grows with the libraries
    read, not with edits), holding the hash of what every view in it depends on besides its file
    (this program's source, Python's and the libraries' versions, and the whole bank) and, under
    the hash of each case file's bytes, that file's view: each question's state (a letter each,
    in bank order), the known values in the same order, and the currency. A changed file has
    another hash and is read again; a changed bank or program makes the whole entry a miss. The
    entry is read as :func:`resources.read_entry` reads one, and everything in it is checked
    against the bank (every state, every value's type and choices) before it is used: an entry
    that does not fit, damaged or written by hand, is a miss, never an error. It is written
    whole, renamed over the old one (:func:`fsio.write_kept`), and only when something changed.
    """

    def __init__(self, bank: Bank, path: Path | None, source: str, found: Mapping[str, Any]):
        self.bank = bank
        self.path = path
        self.source = source
        self.found = found
        self.used: dict[str, Any] = {}
        self.changed = False
        self._checks: dict[str, Callable[[Any], Any]] | None = None

    @classmethod
    def open(cls, folder: Path, bank: Bank, size: int) -> _KeptViews:
        """The entry of ``folder``'s library on ``bank``; ``size``: its case files' bytes."""
        try:
            cache = resources.cache_dir("cases")
            if cache is None:
                return cls(bank, None, "", {})
            where = f"{folder.resolve()}\0{bank.id}\0{bank.version}"
            name = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
            source = hashlib.sha256(_program_identity() + bank.identity.encode()).hexdigest()
        except (OSError, RuntimeError, ValueError):  # a link that loops, a bank not in JSON
            return cls(bank, None, "", {})
        path = cache / f"{name}.json"
        entry = resources.read_entry(path, _KEPT_LIMIT_FACTOR * size + fsio.MB)
        found: Mapping[str, Any] = {}
        if isinstance(entry, dict) and entry.get("from") == source:
            cases = entry.get("cases")
            found = cases if isinstance(cases, dict) else {}
        return cls(bank, path, source, found)

    def find(self, digest: str) -> tuple[AnswerView, str] | None:
        """The view and currency kept for the file of hash ``digest``, or None."""
        if self.path is None or digest not in self.found:
            return None
        data = self.found[digest]
        found = self._decode(data)
        if found is None:
            return None
        self.used[digest] = data
        return found

    def keep(self, digest: str, view: AnswerView, currency: str) -> None:
        """Keep ``view`` for the file of hash ``digest``, if it reads back exactly."""
        if self.path is None:
            return
        data = self._encode(view, currency)
        back = None if data is None else self._decode(data)
        if back is None or not _same_view(back[0], view) or back[1] != currency:
            return
        self.used[digest] = data
        self.changed = True

    def save(self) -> None:
        """Write the entry, with the views of this load only, when they are not what it held."""
        if self.path is None or not (self.changed or self.used.keys() != self.found.keys()):
            return
        import json

        try:
            text = json.dumps({"from": self.source, "cases": self.used}, allow_nan=False)
            fsio.write_kept(self.path, text.encode("utf-8"))
        except (AdvisorError, ValueError, TypeError, RecursionError):
            return  # not kept: the next load reads the files again

    def _encode(self, view: AnswerView, currency: str) -> dict[str, Any] | None:
        states = [view.states.get(qid, "unanswered") for qid in self.bank.questions]
        if any(state not in _CODE_OF for state in states) or list(view.values) != [
            qid for qid, state in zip(self.bank.questions, states, strict=True) if state == "known"
        ]:
            return None
        values = [v.isoformat() if isinstance(v, date) else v for v in view.values.values()]
        return {
            "currency": currency,
            "states": "".join(_CODE_OF[state] for state in states),
            "values": values,
        }

    def _decode(self, data: Any) -> tuple[AnswerView, str] | None:
        """The view in ``data``, when every part of it fits the bank; else None."""
        checks = self._value_checks()
        try:
            codes, given, currency = data["states"], data["values"], data["currency"]
            if not (
                isinstance(codes, str)
                and len(codes) == len(checks)
                and isinstance(given, list)
                and isinstance(currency, str)
            ):
                return None
            states = dict(zip(checks, map(_STATE_CODES.__getitem__, codes), strict=True))
            known = [qid for qid, code in zip(checks, codes, strict=True) if code == "k"]
            if len(known) != len(given):
                return None
            values = {qid: checks[qid](value) for qid, value in zip(known, given, strict=True)}
        except Exception:  # anything that does not fit is a miss
            return None
        return AnswerView(states, values), currency

    def _value_checks(self) -> dict[str, Callable[[Any], Any]]:
        """Each question's check of a kept value, in bank order."""
        if self._checks is None:
            self._checks = {
                qid: _value_check(question) for qid, question in self.bank.questions.items()
            }
        return self._checks


def _value_check(question: Question) -> Callable[[Any], Any]:
    """What turns a kept value back into the question's value, raising when it does not fit."""
    choices = [c.value for c in question.choices or []]
    allowed = frozenset(choices)

    def single(value: Any) -> Any:
        if value.__class__ is not str or value not in allowed:
            raise ValueError(value)
        return value

    def multi(value: Any) -> Any:
        if not isinstance(value, list) or value != [c for c in choices if c in value]:
            raise ValueError(value)
        return list(value)

    def yesno(value: Any) -> Any:
        if not isinstance(value, bool):
            raise ValueError(value)
        return value

    def number(value: Any) -> Any:
        if type(value) not in (int, float) or not abs(value) <= yamlio.MAX_NUMBER:
            raise ValueError(value)
        return value

    def day(value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)

    def text(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(value)
        return value

    kinds = {"single": single, "multi": multi, "yesno": yesno, "number": number, "date": day}
    return kinds.get(question.type, text)


def _same_view(a: AnswerView, b: AnswerView) -> bool:
    """Whether two views hold the same states, and the same values of the same types."""
    if dict(a.states) != dict(b.states) or list(a.values) != list(b.values):
        return False
    return all(_same_value(a.values[q], b.values[q]) for q in a.values)


def _same_value(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@functools.cache
def _program_identity() -> bytes:
    """What a kept view depends on besides its file and bank: this program and its libraries."""
    return _identity_of(Path(__file__).resolve().parent)


def _identity_of(package: Path) -> bytes:
    """The hash of every module's source in ``package`` and of Python, pydantic and PyYAML.

    Every module, not only those that read, check and resolve answers today: a change to any
    of them reads every case again, once.
    """
    import pydantic
    import yaml

    found = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0{yaml.__version__}\0".encode())
    for module in sorted(package.rglob("*.py")):
        source = module.read_bytes()
        found.update(f"{module.relative_to(package)}\0{len(source)}\0".encode())
        found.update(source)
    return found.digest()


def bundled_folder() -> Path:
    """The folder of the case library shipped with the tool."""
    return resources.cases_dir()


_BUNDLED: dict[tuple[str, str], Library] = {}


def bundled_settings() -> LibraryFile:
    """The bundled library's file: the comparisons a team's own library may borrow."""
    return parse_library(yamlio.read_kept(bundled_folder() / LIBRARY_FILE))


def combined(libraries: Sequence[Library]) -> Library:
    """Several libraries on one bank as one: the first one's comparisons and ``nearest``.

    Raises:
        AdvisorError: When two libraries hold a case of the same id.
    """
    first = libraries[0]
    seen: dict[str, Path] = {}
    for library in libraries:
        for case in library.cases:
            if case.entry.id in seen:
                raise AdvisorError(
                    f"case '{case.entry.id}' is in two libraries: {seen[case.entry.id]} and "
                    f"{library.folder}; give one of them another id",
                    library.folder / LIBRARY_FILE,
                )
            seen[case.entry.id] = library.folder
    if len(libraries) == 1:
        return first
    label = " and ".join(library.label for library in libraries)
    cases = [case for library in libraries for case in library.cases]
    return Library(first.folder, first.bank, cases, first.nearest, first.questions, label)


def bundled_library(bank: Bank) -> Library | None:
    """The shipped library, on ``bank`` when that is the bundled bank as it is now.

    None for an archived version or a team's own bank: the cases are not answered on it.
    """
    try:
        bundled = Path(bank.directory).resolve() == resources.default_bank_dir().resolve()
    except OSError:
        bundled = False
    if not bundled:
        return None
    key = (bank.directory, bank.version)
    if key not in _BUNDLED:
        library = load_library(bundled_folder(), bank)
        count = len(library.cases)
        library.label = f"{count} documented rewrites shipped with rewrite-advisor"
        _BUNDLED[key] = library
    return _BUNDLED[key]


# --- Distance -------------------------------------------------------------------------------


Known = tuple[Literal["known", "not_known", "skipped"], Any]


@dataclass(frozen=True)
class Compared:
    """One question as the distance compares it."""

    id: str
    kind: Literal["choice", "yesno", "multi", "number"]
    weight: float
    order: Mapping[str, int] | None = None
    cuts: tuple[float, ...] = ()


@dataclass(frozen=True)
class Part:
    """How one question contributes to a distance."""

    question: str
    weight: float
    difference: float
    both_known: bool


@dataclass
class Measure:
    """The distance between two sets of answers on one bank."""

    bank: Bank
    compared: list[Compared]
    names: dict[str, str]

    @classmethod
    def of(cls, bank: Bank, questions: Mapping[str, Comparison]) -> Measure:
        """The questions the rules look at, weighted and with their orders and cut points."""
        from .scoring import model_for

        weights = model_for(bank).weights(bank)
        cuts = number_cuts(bank)
        compared: list[Compared] = []
        for qid, question in bank.questions.items():
            weight = weights.get(qid, 0.0)
            if weight <= 0:
                continue
            comparison = questions.get(qid)
            if question.type == "single":
                order = comparison.order if comparison else None
                ranks = {v: i for i, v in enumerate(order)} if order else None
                compared.append(Compared(qid, "choice", weight, ranks))
            elif question.type in ("yesno", "multi"):
                compared.append(Compared(qid, question.type, weight))
            elif question.type == "number" and cuts.get(qid):
                compared.append(Compared(qid, "number", weight, cuts=tuple(cuts[qid])))
        names = {
            qid: (c.name if c.name else bank.questions[qid].text)
            for qid, c in questions.items()
            if qid in bank.questions
        }
        return cls(bank, compared, names)

    def name(self, qid: str) -> str:
        """A few words for the question, or its text."""
        return self.names.get(qid) or self.bank.questions[qid].text

    def parts(self, a: AnswerView, b: AnswerView) -> list[Part]:
        """Each compared question's weighted difference between ``a`` and ``b``."""
        found: list[Part] = []
        for item in self.compared:
            sa, sb = _state(a, item.id), _state(b, item.id)
            if sa == "skipped" or sb == "skipped" or (sa == sb == "not_known"):
                continue
            if sa == "known" and sb == "known":
                diff = _difference(item, a.values[item.id], b.values[item.id])
                found.append(Part(item.id, item.weight, diff, True))
            else:
                found.append(Part(item.id, item.weight, 0.5, False))
        return found

    def distance(self, a: AnswerView, b: AnswerView) -> float:
        """From 0 (alike on every question compared) to 1; 1 when nothing can be compared."""
        return self.distances(a, [b])[0]

    def distances(self, a: AnswerView, others: Iterable[AnswerView]) -> list[float]:
        """:meth:`distance` from ``a`` to each of ``others``, in their order.

        The weighted mean of :meth:`parts`, summed in the same order (so to the same bits),
        without making them: a memo measures every case of every library. What ``a`` answers
        is looked up once, not once for each case.
        """
        plan = []
        for item in self.compared:
            state = a.states.get(item.id, "unanswered")
            if state != "skipped":
                known = state == "known"
                value = a.values[item.id] if known else None
                plan.append((item.id, item.weight, known, value, item))
        found = []
        for b in others:
            total = weighted = 0.0
            states, values = b.states, b.values
            for qid, weight, known, value, item in plan:
                state = states.get(qid, "unanswered")
                if state == "known":
                    diff = _difference(item, value, values[qid]) if known else 0.5
                elif state == "skipped" or not known:
                    continue  # it does not apply to b, or neither side knows
                else:
                    diff = 0.5
                total += weight
                weighted += weight * diff
            found.append(1.0 if total == 0 else weighted / total)
        return found


def _state(view: AnswerView, qid: str) -> Literal["known", "not_known", "skipped"]:
    state = view.state(qid)
    if state == "known":
        return "known"
    return "skipped" if state == "skipped" else "not_known"


def _difference(item: Compared, a: Any, b: Any) -> float:
    if item.kind == "multi":
        union = set(a) | set(b)
        return 0.0 if not union else 1 - len(set(a) & set(b)) / len(union)
    if item.kind == "number":
        return abs(_side(item.cuts, float(a)) - _side(item.cuts, float(b))) / len(item.cuts)
    if item.kind == "choice" and item.order and a in item.order and b in item.order:
        return abs(item.order[a] - item.order[b]) / (len(item.order) - 1)
    return 0.0 if a == b else 1.0


def _side(cuts: Sequence[float], value: float) -> float:
    """Where ``value`` falls among the cut points: past each one counts 1, at one a half."""
    return sum(1.0 if value > c else 0.5 if value == c else 0.0 for c in cuts)


def number_cuts(bank: Bank) -> dict[str, list[float]]:
    """The numbers each number question is compared with, in the rules and the conditions."""
    found: dict[str, set[float]] = {}
    for cond in bank.conditions:
        for comp in comparisons(cond):
            if bank.questions[comp.question].type != "number":
                continue
            for operand in (comp.equals, comp.gt, comp.gte, comp.lt, comp.lte):
                if isinstance(operand, int | float) and not isinstance(operand, bool):
                    found.setdefault(comp.question, set()).add(float(operand))
    return {qid: sorted(values) for qid, values in found.items()}


# --- Nearest cases --------------------------------------------------------------------------


@dataclass(frozen=True)
class Near:
    """A case and how far it is from a plan."""

    case: Case
    distance: float

    @property
    def similarity(self) -> int:
        """How alike, 0..100."""
        return round(100 * (1 - self.distance))


def nearest(
    library: Library,
    view: AnswerView,
    *,
    leave_out: str | None = None,
    source: str | None = None,
) -> list[Near]:
    """Every case of ``library`` by distance from ``view``, nearest first (ties by id).

    ``leave_out`` is a case's id, ``source`` an answers file: a memo of a case's own answers
    file is not compared with that case.
    """
    own = _SameFile(source)
    cases = [
        case for case in library.cases if case.entry.id != leave_out and not own.holds(case.source)
    ]
    distances = library.measure.distances(view, [case.view for case in cases])
    found = [Near(case, distance) for case, distance in zip(cases, distances, strict=True)]
    found.sort(key=lambda n: (n.distance, n.case.entry.id))
    return found


class _SameFile:
    """Whether a path names the same file as ``source``, once both are resolved.

    A file that is not ``source``'s (another device or inode) is told apart by one ``stat``;
    only one that is is resolved, as the memo's own file is once.
    """

    def __init__(self, source: str | None):
        self.source = source
        self._resolved: Path | None = None
        self._inode: tuple[int, int] | None = None
        if source is not None:
            with contextlib.suppress(OSError, ValueError):
                found = Path(source).stat()
                self._inode = (found.st_dev, found.st_ino)

    def holds(self, path: str) -> bool:
        """Whether ``path`` and the source resolve to the same path."""
        if self.source is None:
            return False
        if self._inode is not None:
            try:
                found = Path(path).stat()
            except (OSError, ValueError):
                found = None
            if found is not None and (found.st_dev, found.st_ino) != self._inode:
                return False  # the same path, resolved, would be the same file
        try:
            if self._resolved is None:
                self._resolved = Path(self.source).resolve()
            return Path(path).resolve() == self._resolved
        except (OSError, RuntimeError):
            return False


def tally(near: Sequence[Near]) -> dict[CaseOutcome, int]:
    """How many of ``near`` failed, succeeded, or had mixed results."""
    counts: dict[CaseOutcome, int] = {"failed": 0, "succeeded": 0, "mixed": 0}
    for n in near:
        counts[n.case.entry.outcome] += 1
    return counts


def predict(near: Sequence[Near]) -> CaseOutcome | None:
    """The outcome most of ``near`` had: failed against succeeded.

    Mixed ones count for neither; a tie goes to the nearest case that failed or succeeded;
    None when none did.
    """
    counts = tally(near)
    if counts["failed"] != counts["succeeded"]:
        return "failed" if counts["failed"] > counts["succeeded"] else "succeeded"
    for n in near:
        if n.case.entry.outcome != "mixed":
            return n.case.entry.outcome
    return None


def expects(verdict: VerdictId) -> CaseOutcome:
    """What a verdict expects of a plan: Go and Go with conditions, success; else failure."""
    return (
        "succeeded" if VERDICTS.index(verdict) <= VERDICTS.index("go_with_conditions") else "failed"
    )


def _count_text(counts: Mapping[CaseOutcome, int]) -> str:
    parts = [f"{counts['failed']} failed", f"{counts['succeeded']} succeeded"]
    if counts["mixed"]:
        parts.append(f"{counts['mixed']} had mixed results")
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def outside_view(
    library: Library | None,
    answers: Answers,
    view: AnswerView,
    verdict: VerdictId,
    verdict_title: str,
) -> OutsideView | None:
    """The nearest documented rewrites to ``answers`` and how they ended.

    None when there is no library, or its cases are not on the answers' bank.
    """
    if (
        library is None
        or library.bank.id != answers.bank.id
        or library.bank.version != answers.bank.version
    ):
        return None
    ranked = nearest(library, view, source=answers.source)
    if not ranked:
        return None
    k = min(library.nearest, len(ranked))
    counts = tally(ranked[:k])
    base = f"Of the {k} documented rewrites nearest to this plan, {_count_text(counts)}."
    if k == 1:
        base = f"The documented rewrite nearest to this plan {ranked[0].case.entry.outcome}."
    disagreement = None
    outlook = predict(ranked[:k])
    if outlook is not None and outlook != expects(verdict):
        how = counts[outlook]
        disagreement = (
            f"The rules say {verdict_title}; {how} of the {k} nearest documented rewrites "
            f"{outlook}."
        )
    return OutsideView(
        library=library.label,
        cases=[_shown(library.measure, answers, view, n) for n in ranked[:SHOWN]],
        nearest=k,
        failed=counts["failed"],
        succeeded=counts["succeeded"],
        mixed=counts["mixed"],
        base_rate=base,
        disagreement=disagreement,
    )


def _shown(measure: Measure, answers: Answers, view: AnswerView, near: Near) -> NearestCase:
    case = near.case
    parts = [p for p in measure.parts(view, case.view) if p.both_known]
    differs = sorted(
        (p for p in parts if p.difference > 0),
        key=lambda p: (-p.weight * p.difference, list(measure.bank.questions).index(p.question)),
    )[:DIFFERS]
    alike = sorted(
        (p for p in parts if p.difference == 0),
        key=lambda p: (-p.weight, list(measure.bank.questions).index(p.question)),
    )[:ALIKE]

    def answer(part: Part) -> CaseAnswer:
        question = measure.bank.questions[part.question]
        return CaseAnswer(
            question=part.question,
            name=measure.name(part.question),
            text=question.text,
            this_plan=question.format_answer(view.values[part.question], answers.currency),
            that_case=question.format_answer(case.view.values[part.question], case.currency),
        )

    entry = case.entry
    return NearestCase(
        id=entry.id,
        name=entry.name,
        years=entry.years,
        outcome=entry.outcome,
        what_happened=entry.what_happened,
        sources=list(entry.sources),
        similarity=near.similarity,
        differs=[answer(p) for p in differs],
        alike=[answer(p) for p in alike],
    )


# --- Leave-one-out --------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """One case's outcome as its nearest others predict it."""

    case: Case
    predicted: CaseOutcome | None
    neighbours: tuple[Near, ...]

    @property
    def right(self) -> bool:
        """Whether the prediction matches what happened."""
        return self.predicted == self.case.entry.outcome


def leave_one_out(library: Library) -> list[Prediction]:
    """Predict each failed or succeeded case from its nearest others, itself left out."""
    found: list[Prediction] = []
    for case in library.cases:
        if case.entry.outcome == "mixed":
            continue
        ranked = nearest(library, case.view, leave_out=case.entry.id)[: library.nearest]
        found.append(Prediction(case, predict(ranked), tuple(ranked)))
    return found
