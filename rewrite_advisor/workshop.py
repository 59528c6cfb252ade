"""Team workshops: merge participants' answers, find where they disagree, and rank what matters.

Each participant answers privately (``assess --participant NAME``). This module reads their
files, compares them question by question, and works out:

* **the team's answers** (the *base*): per question, the majority choice, set or yes/no, the
  median number or date, and "don't know" when the team is split evenly or most of it does not
  know. Notes are kept with the names of who wrote them;
* **the disagreements**, of five kinds (see :func:`disagreement_kinds`);
* **what is at stake** in each: the memo is scored again with each side's answer in place of
  the team's, and a dispute whose outcome changes the verdict ranks above one that changes a
  blocker or high finding, which ranks above one that changes nothing that matters.

It also holds the facilitation state of ``rewrite-advisor workshop``: a team file (an answers
file with dissent and a ``workshop`` record) that is created from the base, filled in one
settled dispute at a time, and resumed from where it stopped. Pure apart from reading the
participants' files and saving the team file; never prints.
"""

from __future__ import annotations

import copy
import hashlib
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from . import answers as answers_io
from . import yamlio
from .answers import Answer, Answers, Dissent, SourceFile, WorkshopRecord
from .bank import VERDICTS, Bank, Question
from .engine import assess, describe
from .errors import AdvisorError, Interrupted
from .memo import (
    Disagreement,
    DisagreementKind,
    Impact,
    Memo,
    Outcome,
    ParticipantAnswer,
    Team,
    TeamSource,
)
from .session import Progress

NUMBER_RATIO = 1.5
"""Numbers disagree when the largest is more than this many times the smallest."""
DATE_DAYS = 21
"""Dates disagree when they are more than this many days apart."""

_IMPACT_ORDER: tuple[Impact, ...] = ("verdict", "serious_finding", "finding", "none")
_SERIOUS = ("blocker", "high")
_CONFIDENCE_ORDER = ("sure", "estimate", "guess")


class TeamError(AdvisorError):
    """Participants' answers files that cannot be merged, or a team file that does not fit."""


@dataclass(frozen=True)
class Participant:
    """One participant's answers, checked against the bank, and the file they came from."""

    name: str
    file: str
    sha256: str
    answers: Answers


@dataclass
class Comparison:
    """Every participant's answer to one question, and how they disagree (if they do)."""

    question: Question
    positions: list[tuple[str, Answer]]
    kinds: list[DisagreementKind]

    @property
    def disputed(self) -> bool:
        """Whether the participants disagree on this question."""
        return bool(self.kinds)

    @property
    def opinions(self) -> list[tuple[str, Answer]]:
        """The answers that take a position: a value or "don't know"."""
        return [(n, a) for n, a in self.positions if a.state in ("known", "unknown")]


# --- Reading the participants' files -------------------------------------------------------


def load_participants(
    paths: Sequence[Path], bank: Bank, contents: Sequence[bytes] | None = None
) -> list[Participant]:
    """Read each participant's answers file and check that they can be compared.

    ``contents`` are the files' bytes when the caller has read them already (each input is
    read once: a named pipe cannot be read twice).

    Raises:
        TeamError: For no files, a pattern that matched nothing, a file with no participant
            name or with several, a team file, the same participant twice, or files made with
            different question banks, versions or currencies.
        AdvisorError: For a file that cannot be read or does not fit the bank.
    """
    if not paths:
        raise TeamError("no answers files were given")
    participants: list[Participant] = []
    first: tuple[str, answers_io.AnswersFile] | None = None
    seen: dict[str, str] = {}
    for index, path in enumerate(paths):
        raw = contents[index] if contents is not None else yamlio.read_bytes(path)
        doc = yamlio.parse_bytes(raw, str(path))
        parsed = answers_io.parse_answers(doc)
        where = doc.line_of(["participants"])
        if parsed.workshop is not None:
            raise TeamError(
                "this is a team file from 'rewrite-advisor workshop'; "
                "give the participants' own answers files",
                path,
                doc.line_of(["workshop"]),
            )
        names = [" ".join(n.split()) for n in parsed.participants if n.strip()]
        if not names:
            raise TeamError(
                "no participant name: add 'participants: [NAME]' "
                "(or answer with 'assess --participant NAME')",
                path,
                where,
            )
        if len(names) > 1:
            raise TeamError(
                f"answered by several participants ({', '.join(names)}); "
                "a workshop compares one person's answers per file",
                path,
                where,
            )
        name = names[0]
        if name.casefold() in seen:
            raise TeamError(
                f"'{name}' answered twice (also in {seen[name.casefold()]})", path, where
            )
        seen[name.casefold()] = str(path)
        if first is None:
            first = (str(path), parsed)
        else:
            other_path, other = first
            if (parsed.bank.id, parsed.bank.version) != (other.bank.id, other.bank.version):
                raise TeamError(
                    f"answered with the question bank {parsed.bank.id} {parsed.bank.version}, "
                    f"but {other_path} with {other.bank.id} {other.bank.version}; "
                    "everyone must answer the same bank",
                    path,
                    doc.line_of(["bank"]),
                )
            if (parsed.currency or bank.meta.currency) != (other.currency or bank.meta.currency):
                raise TeamError(
                    f"amounts are in {parsed.currency or bank.meta.currency}, but in "
                    f"{other.currency or bank.meta.currency} in {other_path}",
                    path,
                    doc.line_of(["currency"]),
                )
        answers = answers_io.bind(parsed, bank, doc)
        answers.participants = [name]
        digest = hashlib.sha256(raw).hexdigest()
        participants.append(Participant(name, str(path), digest, answers))
    if len(participants) < 2:
        raise TeamError("a workshop needs the answers files of at least two participants", paths[0])
    return participants


# --- Comparing answers ---------------------------------------------------------------------


def numbers_disagree(values: Sequence[float]) -> bool:
    """Whether numbers are far apart: the largest more than 1.5 times the smallest.

    Read for magnitudes: two numbers of the same sign disagree when the larger in size is more
    than 1.5 times the smaller; zero against any other number, and numbers of opposite signs,
    always disagree. (This is a spread of more than a third of the largest magnitude.)
    """
    if not values:
        return False
    low, high = min(values), max(values)
    if low == high:
        return False
    return (high - low) * NUMBER_RATIO > max(abs(low), abs(high)) * (NUMBER_RATIO - 1)


def dates_disagree(values: Sequence[date]) -> bool:
    """Whether dates are more than 21 days apart."""
    return bool(values) and (max(values) - min(values)).days > DATE_DAYS


def disagreement_kinds(question: Question, given: Sequence[Answer]) -> list[DisagreementKind]:
    """How answers to one question disagree; empty when they agree.

    Only answers that take a position count: unanswered and "does not apply" are no opinion.
    Texts that differ are not a disagreement (people word things differently); they are shown
    side by side in the team's answer instead.
    """
    known = [a.value for a in given if a.state == "known"]
    kinds: list[DisagreementKind] = []
    if len(known) >= 2:
        if question.type in ("single", "yesno") and len(set(known)) > 1:
            kinds.append("choice")
        elif question.type == "multi" and len({tuple(v) for v in known}) > 1:
            kinds.append("set")
        elif question.type == "number" and numbers_disagree(known):
            kinds.append("number")
        elif question.type == "date" and dates_disagree(known):
            kinds.append("date")
    if known and any(a.state == "unknown" for a in given):
        kinds.append("dont_know")
    return kinds


def compare(participants: Sequence[Participant]) -> list[Comparison]:
    """Compare every question that at least one participant answered, in bank order."""
    bank = participants[0].answers.bank
    answers = [(p.name, p.answers, p.answers.view()) for p in participants]
    result: list[Comparison] = []
    for qid, question in bank.questions.items():
        positions = [(name, a.answer(qid, view)) for name, a, view in answers]
        opinions = [a for _, a in positions if a.state in ("known", "unknown")]
        if not opinions:
            continue
        result.append(Comparison(question, positions, disagreement_kinds(question, opinions)))
    return result


# --- The team's answers --------------------------------------------------------------------


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _least_sure(given: Sequence[Answer]) -> Any:
    found = [a.confidence for a in given if a.confidence is not None]
    return max(found, key=_CONFIDENCE_ORDER.index) if found else None


def _notes(opinions: Sequence[tuple[str, Answer]]) -> str | None:
    # The same note from several people is kept once, with all their names.
    authors: dict[str, list[str]] = {}
    for name, answer in opinions:
        if answer.note:
            authors.setdefault(answer.note, []).append(name)
    if not authors:
        return None
    return "\n".join(f"{', '.join(names)}: {note}" for note, names in authors.items())


def _median_number(values: list[Any]) -> int | float:
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else float(middle)


def team_answer(question: Question, opinions: Sequence[tuple[str, Answer]]) -> Answer | None:
    """The team's answer to one question, from the answers that take a position.

    The majority choice, yes/no or text; for multiple choice the choices more than half
    picked; the median number or date. "Don't know" when as many don't know as know, when the
    team is split evenly, or when no choice has a majority. Every note is kept with its author.
    """
    if not opinions:
        return None
    given = [a for _, a in opinions]
    known = [a for a in given if a.state == "known"]
    note = _notes(opinions)
    unknown = len(given) - len(known)
    if unknown >= len(known):
        return Answer("unknown", None, note, None)
    value: Any
    if question.type == "number":
        value = _median_number([a.value for a in known])
    elif question.type == "date":
        value = date.fromordinal(int(statistics.median(a.value.toordinal() for a in known)))
    elif question.type == "multi":
        picked = [c for c in question.labels if sum(c in a.value for a in known) * 2 > len(known)]
        if not picked:
            return Answer("unknown", None, note, None)
        value = picked
    elif question.type == "text":
        texts = list(dict.fromkeys(a.value for a in known))
        if len(texts) == 1:
            value = texts[0]
        else:
            value = "\n".join(f"{n}: {a.value}" for n, a in opinions if a.state == "known")
    else:
        counts: dict[Any, int] = {}
        for a in known:
            counts[_key(a.value)] = counts.get(_key(a.value), 0) + 1
        top = max(counts.values())
        leaders = [v for v, n in counts.items() if n == top]
        if len(leaders) > 1 or top <= unknown:
            return Answer("unknown", None, note, None)
        value = leaders[0]
    return Answer("known", value, note, _least_sure(known))


def base_answers(participants: Sequence[Participant], comparisons: Sequence[Comparison]) -> Answers:
    """The team's answers to every question (see :func:`team_answer`)."""
    first = participants[0].answers
    given: dict[str, Answer] = {}
    for item in comparisons:
        answer = team_answer(item.question, item.opinions)
        if answer is not None:
            given[item.question.id] = answer
    dates = [p.answers.date for p in participants if p.answers.date is not None]
    return Answers(
        bank=first.bank,
        title=first.title,
        date=max(dates) if dates else None,
        participants=[p.name for p in participants],
        currency=first.currency,
        given=given,
    )


# --- What is at stake ----------------------------------------------------------------------


def _names(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _sides(item: Comparison) -> list[tuple[list[str], Answer]]:
    """The distinct answers given, each with who gave it, in the participants' order."""
    sides: dict[Any, tuple[list[str], Answer]] = {}
    for name, answer in item.opinions:
        key = (answer.state, _key(answer.value))
        if key not in sides:
            sides[key] = ([], Answer(answer.state, answer.value))
        sides[key][0].append(name)
    return list(sides.values())


def _serious(memo: Memo) -> dict[str, str]:
    return {f.rule: f.title for f in memo.findings if f.severity in _SERIOUS}


def _with(base: Answers, qid: str, answer: Answer) -> Answers:
    changed = copy.copy(base)
    changed.given = {**base.given, qid: answer}
    return changed


def _outcome(
    base: Answers, base_memo: Memo, item: Comparison, names: list[str], answer: Answer, today: date
) -> tuple[Outcome, bool]:
    """Score the memo with one side's answer; also say whether any finding at all changed."""
    question = item.question
    memo = assess(_with(base, question.id, answer), {}, today)
    before, after = _serious(base_memo), _serious(memo)
    added = [title for rule, title in after.items() if rule not in before]
    removed = [title for rule, title in before.items() if rule not in after]
    shown = describe(question, answer.state, answer.value, base.currency)
    changes = memo.verdict.id != base_memo.verdict.id
    base_title = base_memo.verdict.title
    # Outcomes are about the dispute once settled: compared with the verdict on the
    # majority's answers, not with the verdict held back while disputes are open.
    who = f"Settled on {_names(names)}'s answer ({shown}),"
    if changes:
        text = (
            f"{who} the verdict would be {memo.verdict.title}; "
            f"settled on the majority's, {base_title}."
        )
    elif added or removed:
        parts = [f"'{t}' would be found" for t in added]
        parts += [f"'{t}' would no longer be found" for t in removed]
        text = f"{who} the verdict would still be {base_title}, but " + "; ".join(parts) + "."
    else:
        text = f"{who} the verdict would still be {base_title}."
    any_change = {f.rule for f in memo.findings} != {f.rule for f in base_memo.findings}
    outcome = Outcome(
        participants=names,
        answer=shown,
        verdict=memo.verdict.id,
        verdict_title=memo.verdict.title,
        verdict_changes=changes,
        findings_added=added,
        findings_removed=removed,
        text=text,
    )
    return outcome, any_change


@dataclass
class _Ranked:
    disagreement: Disagreement
    key: tuple[Any, ...]


def _disagreement(
    base: Answers, base_memo: Memo, item: Comparison, order: int, today: date
) -> _Ranked:
    question = item.question
    bank = base.bank
    team = base.given.get(question.id)
    team_state = team.state if team else "unanswered"
    team_value = team.value if team else None
    outcomes: list[Outcome] = []
    finding_change = False
    for names, answer in _sides(item):
        outcome, changed = _outcome(base, base_memo, item, names, answer, today)
        outcomes.append(outcome)
        finding_change = finding_change or changed
    impact: Impact = "none"
    if any(o.verdict_changes for o in outcomes):
        impact = "verdict"
    elif any(o.findings_added or o.findings_removed for o in outcomes):
        impact = "serious_finding"
    elif finding_change:
        impact = "finding"
    shift = max(
        abs(VERDICTS.index(o.verdict) - VERDICTS.index(base_memo.verdict.id)) for o in outcomes
    )
    serious = max(len(o.findings_added) + len(o.findings_removed) for o in outcomes)
    if impact in ("verdict", "serious_finding"):
        summary = " ".join(
            o.text for o in outcomes if o.verdict_changes or o.findings_added or o.findings_removed
        )
    elif impact == "finding":
        summary = (
            f"Settled either way, the verdict would be {base_memo.verdict.title} and no "
            "blocker or high finding would change; only lesser findings would."
        )
    else:
        summary = (
            f"Settled either way, the verdict would be {base_memo.verdict.title} "
            "and the findings would not change."
        )
    positions = [
        ParticipantAnswer(
            participant=name,
            state=answer.state,
            answer=(
                question.format_answer(answer.value, base.currency)
                if answer.state == "known"
                else None
            ),
            value=answer.value.isoformat() if isinstance(answer.value, date) else answer.value,
            note=answer.note if answer.state != "skipped" else None,
            confidence=answer.confidence if answer.state in ("known", "unknown") else None,
        )
        for name, answer in item.positions
    ]
    disagreement = Disagreement(
        question=question.id,
        text=question.text,
        section=bank.section_of[question.id].id,
        section_title=bank.section_of[question.id].title,
        critical=question.matters(base.view()),
        kinds=item.kinds,
        impact=impact,
        team_answer=describe(question, team_state, team_value, base.currency),
        summary=summary,
        answers=positions,
        outcomes=outcomes,
    )
    key = (_IMPACT_ORDER.index(impact), -shift, -serious, not disagreement.critical, order)
    return _Ranked(disagreement, key)


def disagreements(
    base: Answers, comparisons: Sequence[Comparison], today: date
) -> list[Disagreement]:
    """The disputed questions, most important first (see the module docstring)."""
    base_memo = assess(base, {}, today)
    ranked = [
        _disagreement(base, base_memo, item, order, today)
        for order, item in enumerate(comparisons)
        if item.disputed
    ]
    ranked.sort(key=lambda r: r.key)
    return [r.disagreement for r in ranked]


# --- The team memo before facilitation -----------------------------------------------------


@dataclass
class Analysis:
    """Everything known about a team's answers before the workshop settles them."""

    participants: list[Participant]
    comparisons: list[Comparison]
    base: Answers
    disputes: list[Disagreement]

    @property
    def considered(self) -> int:
        """Questions that at least one participant answered ("don't know" included)."""
        return len(self.comparisons)

    @property
    def agreed(self) -> int:
        """Questions answered by someone, on which nobody disagrees."""
        return self.considered - len(self.disputes)

    def team(self, stage: str = "disputed") -> Team:
        """The memo's description of the team."""
        return Team(
            stage="facilitated" if stage == "facilitated" else "disputed",
            participants=[p.name for p in self.participants],
            sources=[TeamSource(participant=p.name, file=p.file) for p in self.participants],
            considered=self.considered,
            disputed=[d.question for d in self.disputes],
            settled=[],
        )


def analyse(participants: list[Participant], today: date) -> Analysis:
    """Compare the participants' answers, merge them and rank the disagreements."""
    comparisons = compare(participants)
    base = base_answers(participants, comparisons)
    return Analysis(participants, comparisons, base, disagreements(base, comparisons, today))


def team_memo(analysis: Analysis, today: date) -> Memo:
    """The memo of several participants' answers, before the workshop settles them.

    It is scored on the team's answers (majority, median; see :func:`team_answer`) and lists
    the disagreements. A disputed question that matters (``critical``) is an open question:
    it holds the verdict at the bank's ``critical_unknown_cap`` (Not yet) until it is settled.
    """
    base = analysis.base
    raw = base.to_file().model_dump(mode="json", exclude_none=True)
    disputes = [(d.question, d.text) for d in analysis.disputes if d.critical]
    memo = assess(base, raw, today, disputes)
    return memo.model_copy(update={"team": analysis.team(), "disagreements": analysis.disputes})


# --- Facilitation: the team file -----------------------------------------------------------


@dataclass
class Facilitation:
    """A workshop in progress: the analysis, and the team file that records what is settled."""

    analysis: Analysis
    team: Answers
    path: Path
    resumed: bool = False
    _by_id: dict[str, Disagreement] = field(default_factory=dict)
    _writer: answers_io.AnswersWriter | None = None

    def __post_init__(self) -> None:
        self._by_id = {d.question: d for d in self.analysis.disputes}
        self._writer = answers_io.AnswersWriter(self.path, self.team if self.resumed else None)

    @property
    def record(self) -> WorkshopRecord:
        """The team file's workshop record."""
        assert self.team.workshop is not None
        return self.team.workshop

    @property
    def pending(self) -> list[Disagreement]:
        """The disputes not settled yet, most important first."""
        settled = set(self.record.settled)
        return [self._by_id[q] for q in self.record.disputed if q not in settled]

    def settle(self, question_id: str, agreed: Answer, dissent: Sequence[Dissent]) -> None:
        """Record the team's agreed answer to a disputed question, and who dissents."""
        if question_id not in self._by_id:
            raise ValueError(f"'{question_id}' is not a disputed question")
        self.team.given[question_id] = Answer(
            agreed.state, agreed.value, agreed.note, agreed.confidence, list(dissent)
        )
        if question_id not in self.record.settled:
            self.record.settled.append(question_id)

    def save(self) -> None:
        """Write the team file atomically (in a file that exists, only what changed)."""
        assert self._writer is not None
        self._writer.save(self.team)


def _sources(analysis: Analysis) -> list[SourceFile]:
    return [
        SourceFile(participant=p.name, file=p.file, sha256=p.sha256) for p in analysis.participants
    ]


def new_team_file(analysis: Analysis) -> Answers:
    """The team file at the start of a workshop: every undisputed answer, no disputed one."""
    disputed = {d.question for d in analysis.disputes}
    base = analysis.base
    return Answers(
        bank=base.bank,
        title=base.title,
        date=base.date,
        participants=list(base.participants),
        currency=base.currency,
        given={q: a for q, a in base.given.items() if q not in disputed},
        workshop=WorkshopRecord(
            sources=_sources(analysis),
            disputed=[d.question for d in analysis.disputes],
            settled=[],
        ),
    )


def open_facilitation(analysis: Analysis, path: Path) -> Facilitation:
    """Start a workshop that writes ``path``, or resume the one already in it.

    Raises:
        TeamError: If ``path`` exists but is not a team file of these participants' files as
            they are now (it is never overwritten).
    """
    if path.exists() and not path.is_file():
        raise TeamError(
            "this is a folder, a device or a named pipe; the team file is saved to a file: "
            "give one with -o",
            path,
        )
    if not path.exists():
        return Facilitation(analysis, new_team_file(analysis), path)
    bank = analysis.base.bank
    try:
        doc = yamlio.read(path)
        parsed = answers_io.parse_answers(doc)
    except AdvisorError as exc:
        raise TeamError(
            f"the file exists and is not a team file, so it is left alone ({exc}); "
            "choose another file with -o",
            path,
        ) from None
    if parsed.workshop is None:
        raise TeamError(
            "this is an answers file, not a team file from 'rewrite-advisor workshop'; "
            "it is not overwritten: choose another -o",
            path,
        )
    team = answers_io.bind(parsed, bank, doc)
    record = parsed.workshop
    recorded = {s.participant: s for s in record.sources}
    given = {p.name: p for p in analysis.participants}
    where = doc.line_of(["workshop", "sources"])
    if set(recorded) != set(given):
        raise TeamError(
            f"this team file is from the answers of {_names(sorted(recorded))}, not "
            f"{_names(sorted(given))}; give the same files, or another -o to start afresh",
            path,
            where,
        )
    for name, source in recorded.items():
        if source.sha256 != given[name].sha256:
            raise TeamError(
                f"{name}'s answers ({given[name].file}) changed since this workshop began; "
                "use another -o to start afresh",
                path,
                where,
            )
    disputed = {d.question for d in analysis.disputes}
    record.disputed = [q for q in record.disputed if q in disputed] + [
        d.question for d in analysis.disputes if d.question not in record.disputed
    ]
    return Facilitation(analysis, team, path, resumed=True)


def agreement_line(analysis: Analysis) -> str:
    """How much the team agrees, in one line."""
    people = len(analysis.participants)
    disputed = len(analysis.disputes)
    line = (
        f"{people} participants; the team agrees on {analysis.agreed} of "
        f"{analysis.considered} questions"
    )
    if disputed == 0:
        return line + "."
    return line + f" and disagrees on {disputed}."


# --- Facilitation: the flow ----------------------------------------------------------------


@dataclass(frozen=True)
class DisputeProgress(Progress):
    """Where a dispute sits in the workshop's agenda."""

    def __str__(self) -> str:
        """Return e.g. ``Dispute 2 of 5 · How``."""
        return f"Dispute {self.position} of {self.total} · {self.section.title}"


class Moderator(Protocol):
    """What the workshop flow needs from the facilitator's terminal (or from a test)."""

    def show(self, lines: list[str]) -> None:
        """Show several lines."""

    def ask(
        self, question: Question, progress: Progress, current: Answer | None, currency: str
    ) -> Answer:
        """Ask for the team's agreed answer; ``current`` (the majority's) is the default."""

    def ask_dissenters(self, question: Question, candidates: list[tuple[str, str]]) -> list[str]:
        """Of ``(participant, their answer)``, pick those who still disagree."""

    def ask_dissent(
        self, question: Question, participant: str, own: Answer, currency: str
    ) -> Dissent:
        """Ask what a dissenter would answer (``own`` is the default) and why."""


def dispute_lines(dispute: Disagreement) -> list[str]:
    """A disputed question as the facilitator sees it: what is at stake, and every answer."""
    flag = "  (matters)" if dispute.critical else ""
    lines = ["", f"{dispute.text}{flag}", f"  At stake: {dispute.summary}"]
    width = max(len(a.participant) for a in dispute.answers)
    for item in dispute.answers:
        shown = item.answer if item.answer is not None else _STATE_NAMES[item.state]
        if item.confidence and item.confidence != "sure":
            shown += f" ({item.confidence})"
        lines.append(f"  {item.participant.ljust(width)}  {shown}")
        if item.note:
            lines.extend(f"  {' ' * width}    {line}" for line in item.note.splitlines())
    return lines


_STATE_NAMES = {
    "unknown": "Don't know",
    "unanswered": "not answered",
    "skipped": "does not apply",
}


def _differs(own: Answer, agreed: Answer) -> bool:
    if own.state not in ("known", "unknown"):
        return False
    return (own.state, _key(own.value)) != (agreed.state, _key(agreed.value))


def facilitate(
    facilitation: Facilitation, moderator: Moderator, resume_command: str | None = None
) -> Answers:
    """Walk the facilitator through the open disputes, most important first.

    Shows how much the team agrees, then for each dispute what is at stake and every answer;
    records the agreed answer and any dissent, and saves the team file after every decision.

    Raises:
        Interrupted: On Ctrl-C, after saving; it carries the team's answers and how to resume.
    """
    analysis = facilitation.analysis
    team = facilitation.team
    try:
        if not facilitation.path.exists():
            facilitation.save()
        lines = [agreement_line(analysis)]
        settled = len(facilitation.record.settled)
        pending = facilitation.pending
        if facilitation.resumed and pending:
            lines.append(f"Resuming {facilitation.path}: {settled} settled, {len(pending)} to go.")
        if pending:
            lines.append(
                "The disputes follow, most important first. Record the answer the team "
                "agrees on, then who still disagrees and why."
            )
        moderator.show(lines)
        total = settled + len(pending)
        by_name = {p.name: p for p in analysis.participants}
        for index, dispute in enumerate(pending, start=settled + 1):
            question = team.bank.questions[dispute.question]
            moderator.show(dispute_lines(dispute))
            majority = analysis.base.given.get(question.id)
            default = Answer(majority.state, majority.value) if majority else None
            progress = DisputeProgress(team.bank.section_of[question.id], index, total)
            agreed = moderator.ask(question, progress, default, team.currency)
            own = {
                name: by_name[name].answers.answer(question.id)
                for name in (a.participant for a in dispute.answers)
            }
            candidates = [
                (name, describe(question, answer.state, answer.value, team.currency))
                for name, answer in own.items()
                if _differs(answer, agreed)
            ]
            dissent: list[Dissent] = []
            if candidates:
                for name in moderator.ask_dissenters(question, candidates):
                    dissent.append(moderator.ask_dissent(question, name, own[name], team.currency))
            facilitation.settle(question.id, agreed, dissent)
            facilitation.save()
    except KeyboardInterrupt:
        facilitation.save()
        raise Interrupted(team, facilitation.path, resume_command) from None
    return team


def closing_lines(facilitation: Facilitation, program: str = "rewrite-advisor") -> list[str]:
    """What the facilitator reads at the end: what was recorded, and how to render the memo.

    ``program`` is how to run rewrite-advisor here (its path when it is not on PATH).
    """
    import shlex

    record = facilitation.record
    dissent = sum(len(a.dissent) for a in facilitation.team.given.values())
    path = facilitation.path
    if not record.disputed:
        head = f"The team agrees on every question; {path} holds the team's answers."
    else:
        head = (
            f"All {len(record.disputed)} disputes are settled in {path} "
            f"({dissent} dissent{'' if dissent == 1 else 's'} recorded)."
        )
    render = f"{program} report {shlex.quote(str(path))} -o team-memo.html"
    return ["", head, f"Render the memo: {render}"]
