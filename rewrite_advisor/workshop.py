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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from . import answers as answers_io
from . import yamlio
from .answers import Answer, Answers, Dissent, SourceFile, WorkshopRecord
from .bank import VERDICTS, Bank, Question
from .conditions import questions_in
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
        doc = answers_io.read_document(raw, str(path))
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


def differing_titles(participants: Sequence[Participant]) -> str | None:
    """A note when the participants' files give different titles, or None when they agree.

    Titles are compared without regard to spacing and case. The files are still read as one
    team's answers: people may type the title of the same rewrite differently.
    """
    titles: dict[str, str] = {}
    for participant in participants:
        title = " ".join((participant.answers.title or "").split())
        if title:
            titles.setdefault(title.casefold(), title)
    if len(titles) < 2:
        return None
    quoted = ", ".join(f'"{title}"' for title in titles.values())
    return (
        f"note: these files have different titles ({quoted}); "
        "they are read as one team's answers to the same rewrite"
    )


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


Cautious = Callable[[Question, list[Any]], Any]
"""Picks the most cautious of several equally common answers to a question."""


def most_common(question: Question, known: Sequence[Answer]) -> list[Any]:
    """The values given most often (several when they are equally common), in given order."""
    counts: dict[Any, int] = {}
    first: dict[Any, Any] = {}
    for answer in known:
        key = _key(answer.value)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, answer.value)
    top = max(counts.values())
    return [first[k] for k, n in counts.items() if n == top]


def middle(question: Question, values: list[Any]) -> Any:
    """Of equally common values, the middle one (the lower of two); for sets, the first given."""
    if question.type in ("number", "date"):
        ordered = sorted(values)
        return ordered[(len(ordered) - 1) // 2]
    return values[0]


def team_answer(
    question: Question,
    opinions: Sequence[tuple[str, Answer]],
    cautious: Cautious | None = None,
) -> Answer | None:
    """The team's answer to one question, from the answers that take a position.

    Always an answer somebody gave, or "don't know"; never a value worked out from several
    (no median, no mean, no set nobody picked):

    * a choice or yes/no: the majority's; "don't know" when the team is split evenly;
    * a number, a date or a set of choices: the most common answer given. Where several are
      equally common, the most cautious of them: ``cautious`` picks it (the team memo scores
      each and takes the one that scores worst); without it, the middle one;
    * a text: the one text, or every text with its author's name.

    "Don't know" also when as many don't know as know. The confidence is the least sure that
    a giver of the chosen answer stated (none when none did). Every note is kept with its
    author.
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
    if question.type in ("number", "date", "multi"):
        leaders = most_common(question, known)
        value = leaders[0] if len(leaders) == 1 else (cautious or middle)(question, leaders)
    elif question.type == "text":
        texts = list(dict.fromkeys(a.value for a in known))
        if len(texts) == 1:
            value = texts[0]
        else:
            value = "\n".join(f"{n}: {a.value}" for n, a in opinions if a.state == "known")
        return Answer("known", value, note, _least_sure(known))
    else:
        counts: dict[Any, int] = {}
        for a in known:
            counts[_key(a.value)] = counts.get(_key(a.value), 0) + 1
        top = max(counts.values())
        leaders = [v for v, n in counts.items() if n == top]
        if len(leaders) > 1 or top <= unknown:
            return Answer("unknown", None, note, None)
        value = leaders[0]
    givers = [a for a in known if _key(a.value) == _key(value)]
    return Answer("known", value, note, _least_sure(givers))


def givers(opinions: Sequence[tuple[str, Answer]], answer: Answer | None) -> list[str]:
    """Who gave ``answer`` (the team's), in the participants' order; none for a split."""
    if answer is None:
        return []
    return [
        name
        for name, given in opinions
        if (given.state, _key(given.value)) == (answer.state, _key(answer.value))
    ]


def base_answers(
    participants: Sequence[Participant], comparisons: Sequence[Comparison], today: date
) -> Answers:
    """The team's answers to every question (see :func:`team_answer`).

    Where equally common numbers, dates or sets tie, the most cautious is the one under which
    the memo on the other team answers scores worst: the worse verdict, then the lower score;
    the middle one when they score the same.
    """
    first = participants[0].answers
    given: dict[str, Answer] = {}
    for item in comparisons:
        answer = team_answer(item.question, item.opinions)
        if answer is not None:
            given[item.question.id] = answer
    dates = [p.answers.date for p in participants if p.answers.date is not None]
    base = Answers(
        bank=first.bank,
        title=first.title,
        date=max(dates) if dates else None,
        participants=[p.name for p in participants],
        currency=first.currency,
        given=given,
    )

    def cautious(question: Question, values: list[Any]) -> Any:
        fallback = middle(question, values)

        def caution(value: Any) -> tuple[int, int, bool]:
            memo = assess(_with(base, question.id, Answer("known", value)), {}, today)
            return (-VERDICTS.index(memo.verdict.id), memo.verdict.score, value != fallback)

        return min(values, key=caution)

    for item in comparisons:
        if item.question.type in ("number", "date", "multi"):
            answer = team_answer(item.question, item.opinions, cautious)
            if answer is not None:
                given[item.question.id] = answer
    return base


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
    base: Answers,
    base_memo: Memo,
    item: Comparison,
    names: list[str],
    answer: Answer,
    today: date,
    team_by: list[str],
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
    # Outcomes are about the dispute once settled: compared with the verdict on the team's
    # answers, not with the verdict held back while disputes are open.
    who = f"Settled on {_names(names)}'s answer ({shown}),"
    if changes:
        other = (
            f"settled as {_names(team_by)} answered, {base_title}"
            if team_by
            else f'left as "don\'t know", {base_title}'
        )
        text = f"{who} the verdict would be {memo.verdict.title}; {other}."
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
    team_by = givers(item.opinions, team)
    outcomes: list[Outcome] = []
    finding_change = False
    for names, answer in _sides(item):
        outcome, changed = _outcome(base, base_memo, item, names, answer, today, team_by)
        outcomes.append(outcome)
        finding_change = finding_change or changed
    impact: Impact = "none"
    if any(o.verdict_changes for o in outcomes):
        impact = "verdict"
    elif any(o.findings_added or o.findings_removed for o in outcomes):
        impact = "serious_finding"
    elif finding_change:
        impact = "finding"
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
        team_answer_by=team_by,
        factual=question.type in _FACTUAL,
        group=question.id,
        verdict_spread=verdict_spread(outcomes),
        summary=summary,
        answers=positions,
        outcomes=outcomes,
    )
    return _Ranked(disagreement, rank_key(disagreement, order))


_FACTUAL = ("number", "date")
"""Question types whose answers someone can look up: amounts, counts, durations, dates."""


def verdict_spread(outcomes: Sequence[Outcome]) -> int:
    """How far apart the outcomes' verdicts are, in steps from Go to Don't rewrite (0-3)."""
    ranks = [VERDICTS.index(o.verdict) for o in outcomes]
    return max(ranks) - min(ranks) if ranks else 0


def serious_spread(outcomes: Sequence[Outcome]) -> int:
    """How many blocker or high findings are found with one answer given and not another."""
    removed_somewhere = {t for o in outcomes for t in o.findings_removed}
    titles = {t for o in outcomes for t in (*o.findings_added, *o.findings_removed)}

    def found(outcome: Outcome, title: str) -> bool:
        if title in outcome.findings_added:
            return True
        # A finding some answer removes is found on the team's answer, so wherever no
        # answer removes it.
        return title in removed_somewhere and title not in outcome.findings_removed

    return sum(1 for t in titles if len({found(o, t) for o in outcomes}) > 1)


def rank_key(dispute: Disagreement, order: int) -> tuple[Any, ...]:
    """Where a dispute ranks: the verdicts furthest apart first, then blocker and high findings.

    Then the impact against the team's answers (verdict, serious finding, finding, none), a
    question that matters before one that does not, and bank order (``order``).
    """
    return (
        -verdict_spread(dispute.outcomes),
        -serious_spread(dispute.outcomes),
        _IMPACT_ORDER.index(dispute.impact),
        not dispute.critical,
        order,
    )


def _links(bank: Bank, disputed: set[str]) -> list[tuple[str, str, str, str]]:
    """Pairs of disputes with a shared cause: (one, other, group id, the cause in words).

    A question whose ``when`` or ``matters when`` looks at another disputed question depends
    on it; a rule that looks at several disputed questions weighs them together.
    """
    links: list[tuple[str, str, str, str]] = []
    for qid in bank.questions:
        if qid not in disputed:
            continue
        question = bank.questions[qid]
        conditions = [question.when] if question.when is not None else []
        if not isinstance(question.critical, bool):
            conditions.append(question.critical)
        for cond in conditions:
            for parent in questions_in(cond):
                if parent in disputed and parent != qid:
                    cause = (
                        f"Whether the other questions here apply or matter depends on the "
                        f"answer to: {bank.questions[parent].text}"
                    )
                    links.append((qid, parent, parent, cause))
    for rule in bank.rules:
        looked_at = [q for q in questions_in(rule.when) if q in disputed]
        for other in looked_at[1:]:
            cause = f"One rule weighs these answers together: {rule.title}."
            links.append((looked_at[0], other, rule.id, cause))
    return links


def group_disputes(bank: Bank, ranked: Sequence[Disagreement]) -> list[Disagreement]:
    """Give linked disputes a shared group and cause, and keep each group together.

    Groups are ranked by their most important dispute, and keep their own order inside. A
    dependency names the group before a rule does (the cause comes first).
    """
    parent: dict[str, str] = {d.question: d.question for d in ranked}

    def root(qid: str) -> str:
        while parent[qid] != qid:
            qid = parent[qid]
        return qid

    position = {d.question: i for i, d in enumerate(ranked)}
    names: dict[str, tuple[str, str]] = {}
    for one, other, group, cause in _links(bank, set(parent)):
        a, b = root(one), root(other)
        if a != b:
            first, second = (a, b) if position[a] < position[b] else (b, a)
            parent[second] = first
            kept = names.pop(second, None)
            names.setdefault(first, kept or (group, cause))
        else:
            names.setdefault(a, (group, cause))
    members: dict[str, list[Disagreement]] = {}
    for dispute in ranked:
        members.setdefault(root(dispute.question), []).append(dispute)
    result: list[Disagreement] = []
    for leader, together in members.items():
        if len(together) == 1:
            result.append(together[0])
            continue
        group_id, cause = names[leader]
        result.extend(
            d.model_copy(update={"group": group_id, "group_cause": cause}) for d in together
        )
    return result


def disagreements(
    base: Answers, comparisons: Sequence[Comparison], today: date
) -> list[Disagreement]:
    """The disputed questions, most important first and linked ones together.

    See :func:`rank_key` for the order and :func:`group_disputes` for the groups.
    """
    base_memo = assess(base, {}, today)
    ranked = [
        _disagreement(base, base_memo, item, order, today)
        for order, item in enumerate(comparisons)
        if item.disputed
    ]
    ranked.sort(key=lambda r: r.key)
    return group_disputes(base.bank, [r.disagreement for r in ranked])


# --- The team memo before facilitation -----------------------------------------------------


@dataclass
class Analysis:
    """Everything known about a team's answers before the workshop settles them."""

    participants: list[Participant]
    comparisons: list[Comparison]
    base: Answers
    disputes: list[Disagreement]
    today: date = field(default_factory=date.today)
    """The day the memos are scored on (what is at stake is worked out again as disputes
    are settled)."""

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
    base = base_answers(participants, comparisons, today)
    disputes = disagreements(base, comparisons, today)
    return Analysis(participants, comparisons, base, disputes, today)


def at_stake_now(
    analysis: Analysis, dispute: Disagreement, settled: dict[str, Answer]
) -> Disagreement:
    """The dispute with what is at stake worked out again on the answers settled so far.

    The analysis weighs each dispute on the team's answers before the workshop; once the
    team has agreed on some disputes, the others are weighed with those agreed answers in
    place (the majority's where nothing is settled yet), so that "At stake" tells the
    facilitator what settling this one does now.
    """
    agreed = {
        qid: Answer(a.state, a.value) for qid, a in settled.items() if qid != dispute.question
    }
    if not agreed:
        return dispute
    base = copy.copy(analysis.base)
    base.given = {**analysis.base.given, **agreed}
    item = next(c for c in analysis.comparisons if c.question.id == dispute.question)
    ranked = _disagreement(base, assess(base, {}, analysis.today), item, 0, analysis.today)
    return ranked.disagreement.model_copy(
        update={"group": dispute.group, "group_cause": dispute.group_cause}
    )


def matters(dispute: Disagreement) -> bool:
    """Whether a dispute matters: its question does, or an answer given moves the verdict.

    Moving a blocker or high finding counts too.
    """
    return dispute.critical or dispute.impact in ("verdict", "serious_finding")


def settle_step(count: int, files: Sequence[str], team_file: str | None = None) -> str:
    """The team's next step while ``count`` disputes are open: settle them in a workshop."""
    import shlex

    quoted = " ".join(shlex.quote(f) for f in files)
    out = shlex.quote(team_file) if team_file else "team.yaml"
    these = "this dispute" if count == 1 else f"these {count} disputes"
    if team_file:
        these = "the dispute still open" if count == 1 else f"the {count} disputes still open"
    return (
        f"The team settles {these} (run: rewrite-advisor workshop {quoted} -o {out}), "
        "then renders the memo from the team file; leadership is asked to decide once the "
        "team has agreed."
    )


def team_memo(analysis: Analysis, today: date) -> Memo:
    """The memo of several participants' answers, before the workshop settles them.

    It is scored on the team's answers (see :func:`team_answer`) and lists the disagreements.
    A disputed question that matters (``critical``) counts as not known: it lowers how much
    is known, and so the score, and holds the verdict at the bank's ``critical_unknown_cap``
    (Not yet) until it is settled. It is listed among the disagreements, not as a "don't
    know", and the plan and the appendix show the team's answer to it. While any dispute
    that matters is open, the next step is the team's (:func:`settle_step`), not leadership's.
    """
    base = analysis.base
    raw = base.to_file().model_dump(mode="json", exclude_none=True)
    disputed = {d.question for d in analysis.disputes if d.critical}
    disputes = [(d.question, d.text) for d in analysis.disputes if d.critical]
    scored = copy.copy(base)
    scored.given = {
        qid: Answer("unknown", None, answer.note) if qid in disputed else answer
        for qid, answer in base.given.items()
    }
    team = analysis.team()
    if any(matters(d) for d in analysis.disputes):
        files = [p.file for p in analysis.participants]
        team.next_step = settle_step(len(analysis.disputes), files)
    memo = assess(scored, raw, today, disputes, team=team)
    shown = assess(base, raw, today) if disputed else memo
    return memo.model_copy(
        update={
            "plan": shown.plan,
            "appendix": shown.appendix,
            "disagreements": analysis.disputes,
        }
    )


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


def dispute_lines(dispute: Disagreement, settled: int = 0) -> list[str]:
    """A disputed question as the facilitator sees it: what is at stake, and every answer.

    ``settled`` disputes are settled already: what is at stake is with their agreed answers.
    """
    flag = "  (matters)" if dispute.critical else ""
    stake = "At stake" if not settled else "At stake, with what is settled so far"
    lines = ["", f"{dispute.text}{flag}", f"  {stake}: {dispute.summary}"]
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
            so_far = {q: team.given[q] for q in facilitation.record.settled if q in team.given}
            moderator.show(dispute_lines(at_stake_now(analysis, dispute, so_far), len(so_far)))
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
    memo = path.with_name(f"{path.stem}-memo.html")  # beside the team file (out/ in the README)
    render = f"{program} report {shlex.quote(str(path))} -o {shlex.quote(str(memo))}"
    return ["", head, f"Render the memo: {render}"]
