"""The executive summary: what leadership reads first, built once from the scored answers.

Pure: answers, their view and the scored memo in, a :class:`~.memo.Summary` out. Every line
comes from an answer or from scoring the answers again; the renderers only show it.

* **decision**: one sentence, worded for how far the plan is from ready.
* **case**, **cost**: what the answers say, "not known" where they say nothing.
* **reasons**: what holds the verdict, most severe first, each with its answers.
* **risks**: the failure modes of ``rules.yaml`` that apply, and how the plan holds each.
* **asks**: for each thing that holds the verdict, the change that settles it, and the
  verdict once that change is scored; where no single change moves the verdict, the
  smallest set found that does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .answers import Answer, Answers
from .bank import VERDICTS, Bank, Question, VerdictId
from .conditions import AnswerView, compile_condition, questions_in
from .memo import (
    Ask,
    Finding,
    Knowledge,
    Memo,
    OutsideView,
    Summary,
    SummaryLine,
    SummaryReason,
    SummaryRisk,
    Verdict,
    VerdictReason,
)
from .scoring.model2 import constants_of, domain, judge

MAX_ASKS = 5
MAX_REASONS = 5
MAX_RISKS = 3
NOT_KNOWN = "not known"
DONT_KNOW = "Don't know"
_SURE_ORDER = {"guess": 0, "estimate": 1, "sure": 2}


@dataclass(frozen=True)
class _Outcome:
    verdict: VerdictId
    score: int
    open_held: bool = False
    """Whether an open question holds it: only the memo's own path, with the range, can tell
    whether it really does."""

    def better_than(self, other: _Outcome) -> bool:
        return (VERDICTS.index(self.verdict), -self.score) < (
            VERDICTS.index(other.verdict),
            -other.score,
        )


@dataclass
class _Candidate:
    kind: Literal["finding", "open_question", "guess", "dispute"]
    ref: str
    text: str
    section: str | None
    question: str | None
    value: Any
    answer: str | None
    outcome: _Outcome
    change: dict[str, Any]
    confidence: dict[str, str]


class _Scorer:
    """Scores the answers again with some of them changed, as the memo's verdict was."""

    def __init__(
        self,
        answers: Answers,
        view: AnswerView,
        memo: Memo,
        disputes: Sequence[tuple[str, str]],
        rescore: Rescore,
    ):
        self.answers = answers
        self.rescore = rescore
        self.bank = answers.bank
        self.view = view
        self.confidence: dict[str, str | None] = {q: a.confidence for q, a in answers.given.items()}
        self.disputes = list(disputes)
        verdict = memo.verdict
        # The open questions hold the verdict only where the range showed they can change it.
        self.hold_open = not any(
            r.kind == "open_question" and r.caps != "not_yet" for r in verdict.reasons
        )
        self.constants = constants_of(self.bank)

    def score(
        self, change: dict[str, Any], sure: Sequence[str] = (), settle: Sequence[str] = ()
    ) -> _Outcome:
        states = dict(self.view.states)
        values = dict(self.view.values)
        for qid, value in change.items():
            states[qid] = "known"
            values[qid] = value
        trial = AnswerView(states, values)
        confidence = {**self.confidence, **dict.fromkeys(sure, "sure")}
        disputes = [d for d in self.disputes if d[0] not in settle]
        judgement = judge(self.bank, trial, confidence, disputes, hold_open=self.hold_open)
        held = any(
            r.kind in ("open_question", "dispute") and r.caps == judgement.verdict
            for r in judgement.reasons
        )
        return _Outcome(judgement.verdict, judgement.score, held)

    def confirm(self, candidate: _Candidate) -> None:
        """Score a candidate on the memo's own path where the quick score cannot be sure."""
        if candidate.outcome.open_held:
            candidate.outcome = self.check(
                candidate.change, sure=list(candidate.confidence), settle=_settles(candidate)
            )

    def check(
        self, change: Mapping[str, Any], sure: Sequence[str] = (), settle: Sequence[str] = ()
    ) -> _Outcome:
        """Score the change on the memo's own path (the verdict range included)."""
        given = self.answers.given
        changes: dict[str, Answer] = {}
        for qid, value in change.items():
            old = given.get(qid)
            changes[qid] = Answer("known", value, old.note if old else None, "sure")
        for qid in sure:
            old = given[qid]
            changes.setdefault(qid, Answer("known", old.value, old.note, "sure"))
        disputes = [d for d in self.disputes if d[0] not in settle]
        verdict = self.rescore(self.answers, changes, disputes)
        return _Outcome(verdict.id, verdict.score)

    def options(self, question: Question) -> list[Any]:
        known = {q: v for q, v in self.view.values.items() if self.view.state(q) == "known"}
        return domain(question, self.constants.get(question.id, set()), known)


Rescore = Callable[[Answers, Mapping[str, Answer], Sequence[tuple[str, str]]], Verdict]
"""The memo's verdict with some answers changed: how every ask's outcome is checked."""


def build_summary(
    answers: Answers,
    view: AnswerView,
    memo: Memo,
    disputes: Sequence[tuple[str, str]],
    rescore: Rescore,
    nearest_cases: OutsideView | None = None,
) -> Summary:
    """The executive summary of ``memo``, made from ``answers`` (scoring model 2).

    Candidate asks are found by scoring quickly (the verdict without its range); each ask
    kept is then scored again with ``rescore``, the memo's own path, so that the verdict an
    ask promises is the one the memo would show.
    """
    bank = answers.bank
    scorer = _Scorer(answers, view, memo, disputes, rescore)
    now = _Outcome(memo.verdict.id, memo.verdict.score)
    asks, note = _asks(answers, view, memo, scorer, now)
    review = _line(answers, view, "Review date", ["review_date"])
    if memo.verdict.id == "go" and not asks:
        note = _go_next(answers, view, review)
    if memo.team is not None and memo.team.next_step:
        note = memo.team.next_step
    reasons, more = _reasons(bank, memo)
    team = memo.team
    disputed = set(team.open) if team is not None else set()

    def marked(line: SummaryLine) -> SummaryLine:
        """A line drawn from an answer the team has not agreed on says so."""
        if not disputed & set(line.questions):
            return line
        text = f"{line.text} (disputed: the team gave different answers)"
        return line.model_copy(update={"text": text, "known": False})

    return Summary(
        decision=_decision(memo, bank, review, under_way=_under_way(answers, view)),
        settled=_settled(memo),
        status=_status(memo, bank),
        case=[marked(line) for line in _case(answers, view)],
        cost=[marked(line) for line in _cost(answers, view)],
        reasons=reasons,
        more_reasons=more,
        risks=_risks(bank, view, memo),
        asks=asks,
        asks_note=note,
        stop_conditions=marked(_stop_conditions(answers, view)),
        review_date=marked(review),
        known=_knowledge(answers, view, memo, {qid for qid, _ in disputes}),
        nearest_cases=nearest_cases,
    )


# --- Reading answers -----------------------------------------------------------------------


def _known(view: AnswerView, qid: str) -> bool:
    return view.state(qid) == "known"


def shown_answer(answers: Answers, qid: str) -> str:
    """A known answer as a reader sees it (a label, a unit, a date)."""
    question = answers.bank.questions[qid]
    return question.format_answer(answers.given[qid].value, answers.currency)


def _least_sure(answers: Answers, view: AnswerView, qids: Sequence[str]) -> str | None:
    given = [
        str(answers.given[q].confidence)
        for q in qids
        if _known(view, q) and q in answers.given and answers.given[q].confidence
    ]
    return min(given, key=_SURE_ORDER.__getitem__) if given else None


def _line(answers: Answers, view: AnswerView, label: str, qids: list[str]) -> SummaryLine:
    """A line showing one answer, or "not known"."""
    present = [q for q in qids if q in answers.bank.questions]
    for qid in present:
        if _known(view, qid):
            return SummaryLine(
                label=label,
                text=shown_answer(answers, qid),
                known=True,
                confidence=_least_sure(answers, view, [qid]),
                questions=[qid],
            )
    return SummaryLine(label=label, text=NOT_KNOWN, known=False, questions=present)


def _besides(answers: Answers, view: AnswerView, qid: str) -> list[Any]:
    """A multiple choice's known answer without the main one it is asked besides, if ticked."""
    values = known_value(answers, view, qid)
    if not isinstance(values, list):
        return []
    main = answers.bank.questions[qid].besides
    taken = known_value(answers, view, main) if main else None
    return [v for v in values if v != taken]


def known_value(answers: Answers, view: AnswerView, qid: str) -> Any:
    """The typed value of a known answer; None when unknown, unanswered or not in the bank."""
    if qid in answers.bank.questions and _known(view, qid):
        return answers.given[qid].value
    return None


def _applies(view: AnswerView, qid: str) -> bool:
    return view.state(qid) != "skipped"


# --- The decision ---------------------------------------------------------------------------


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _holding(memo: Memo) -> list[Any]:
    return [r for r in memo.verdict.reasons if r.caps == memo.verdict.id]


def _under_way(answers: Answers, view: AnswerView) -> bool:
    """Whether the memo decides whether to carry on with a rewrite already started."""
    return "stage" in answers.bank.questions and known_value(answers, view, "stage") == "under_way"


def _decision(memo: Memo, bank: Bank, review: SummaryLine, *, under_way: bool = False) -> str:
    """The decision asked of leadership, in one sentence.

    A rewrite under way is asked whether to carry on, not whether to start.
    """
    verdict = memo.verdict
    team = memo.team
    if team is not None and team.next_step:
        n = len([r for r in verdict.reasons if r.kind == "dispute"])
        total = len(team.disputed)
        return (
            f"Not ready for a decision: the team disagrees on {_count(total, 'question')}, "
            f"{n} of which {'matters' if n == 1 else 'matter'} to the verdict; it settles them "
            "first, and leadership decides on the agreed memo."
        )
    blockers = [f for f in memo.risks if f.severity == "blocker"]
    highs = [f for f in memo.risks if f.severity == "high"]
    span = verdict.range
    if verdict.id == "dont_rewrite":
        top = next((f for f in memo.risks if f.caps == "dont_rewrite"), None)
        rule = next((r for r in bank.rules if top and r.id == top.rule), None)
        if rule is not None and rule.decision:
            return rule.decision
        why = f": {_lower_first(top.title)}" if top else ""
        return f"Decline the rewrite{why}. Improve the current system instead."
    if verdict.id == "not_yet":
        holders = _holding(memo)
        if blockers or verdict.score < 20:
            parts = []
            if blockers:
                parts.append(_count(len(blockers), "blocker"))
            if highs:
                parts.append(_count(len(highs), "high risk"))
            stand = f"{' and '.join(parts)} stand" if parts else "too little is known"
            if under_way:
                return (
                    f"Do not carry on as planned: {stand}, and it scores {verdict.score}/100. "
                    "Ask for a revised plan for what remains, or stop."
                )
            return (
                f"Do not approve this plan: {stand}, and it scores {verdict.score}/100. "
                "Ask for a revised plan."
            )
        open_kinds = {"open_question", "guess", "dispute"}
        if holders and all(r.kind in open_kinds for r in holders):
            n = len(holders)
            if span and span.best in ("go", "go_with_conditions"):
                return (
                    f"Not yet, though not a no: {_count(n, 'open question')} hold it back; "
                    f"answered well, they give {span.best_title}."
                )
            return f"Not yet: {_count(n, 'open question')} must be answered before any decision."
        need = verdict.thresholds.get("go_with_conditions")
        known = verdict.knowledge if verdict.knowledge is not None else 100
        if highs and known < 80:
            held = "its high risks and how little of it is known hold"
        elif highs:
            held = "its high risks hold"
        else:
            held = "too little of it is known, which holds"
        return (
            f"Not yet: {held} its score at {verdict.score}, short of the {need} that Go with "
            "conditions needs; close the gaps below and assess again."
        )
    if verdict.id == "go_with_conditions":
        n = len([r for r in _holding(memo) if r.kind != "score"])
        if n and under_way:
            return (
                "Carry on, on conditions: the steps below are the conditions, each with its "
                "owner and the date it is due."
            )
        if n:
            return (
                "Approve on conditions: the steps below are the conditions, each with its owner "
                "and the date it is due."
            )
        go = verdict.thresholds.get("go")
        return (
            f"Approve with conditions: the plan scores {verdict.score}/100, below the {go} "
            "that Go needs; the steps below are the conditions."
        )
    when = f"on {review.text}" if review.known else "at a date to set now"
    if under_way:
        return f"Carry on as planned, and review it {when} against its stop conditions."
    return f"Approve the rewrite as planned, and review it {when} against its stop conditions."


def _go_next(answers: Answers, view: AnswerView, review: SummaryLine) -> str:
    """What follows a Go: nothing holds it, so the next steps are the plan's own."""
    steps = ["Nothing holds the verdict. Next: approve the plan"]
    first = known_value(answers, view, "first_switch_date")
    if isinstance(first, date):
        steps.append(f"the first real users or traffic move on {first.isoformat()}")
    owner = (
        section_owner(answers.bank, answers.bank.section_of["review_date"].id)
        if ("review_date" in answers.bank.questions)
        else None
    )
    who = f"the {owner.lower()} reviews it" if owner else "review it"
    steps.append(f"{who} on {review.text}" if review.known else "set a review date")
    return "; ".join(steps) + "."


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _settled(memo: Memo) -> bool:
    verdict = memo.verdict
    if verdict.provisional:
        return False
    span = verdict.range
    return span is None or (span.exact and span.best == span.worst == verdict.id)


def _status(memo: Memo, bank: Bank) -> str:
    verdict = memo.verdict
    span = verdict.range
    guesses = verdict.provisional or []
    if guesses:
        return (
            f"Provisional: the verdict holds only if {_count(len(guesses), 'guess', 'guesses')} "
            f"{'holds' if len(guesses) == 1 else 'hold'}; confirmed or corrected, "
            f"{'it' if len(guesses) == 1 else 'they'} can change it."
        )
    if span is None:
        return "Settled on the answers given: no open question that matters can change it."
    n = len(span.questions)
    if n <= 2:
        named = " and ".join(f"“{bank.questions[q].text}”" for q in span.questions)
        these = f"the open question{'s' if n > 1 else ''} {named}"
    else:
        these = f"these {n} open questions (Appendix C)"
    if span.best == span.worst == verdict.id and span.exact:
        # answering the open questions cannot move it; the steps change the plan, and can
        plan = "" if verdict.id == "go" else "; only a change to the plan (What to do next) can"
        return (
            f"Settled on the answers given: whatever the answer to {these}, the verdict "
            f"stays {verdict.title}{plan}."
        )
    if span.best == span.worst == verdict.id:
        return (
            f"Settled as far as searched: every answer tried to {these} gives {verdict.title}, "
            "though not every combination was tried."
        )
    return (
        f"Not settled: answering {these} could give anything from {span.best_title} "
        f"to {span.worst_title}."
    )


# --- The case, the cost, what is known ------------------------------------------------------


def _case(answers: Answers, view: AnswerView) -> list[SummaryLine]:
    def pair(label: str, first: str, second: str, joiner: str) -> SummaryLine:
        qids = [q for q in (first, second) if q in answers.bank.questions and _applies(view, q)]
        known = [q for q in qids if _known(view, q)]
        text = joiner.join(shown_answer(answers, q) for q in known) if known else NOT_KNOWN
        return SummaryLine(
            label=label,
            text=text,
            known=len(known) == len(qids),
            confidence=_least_sure(answers, view, known),
            questions=qids,
        )

    lines = [
        pair("What changes", "scope", "approach", ". "),
        pair("Why", "main_reason", "strategic_goal", ". Company goal: "),
    ]
    # The main reason and goal come first; the others the team named follow, where there are any
    # (a main one ticked among the others too is said once, as the main one).
    besides = {q: _besides(answers, view, q) for q in ("other_reasons", "other_goals")}
    others = [q for q, values in besides.items() if values and "none" not in values]
    if others:
        lines.append(
            SummaryLine(
                label="Also",
                text=". ".join(
                    answers.bank.questions[q].format_answer(besides[q], answers.currency)
                    for q in others
                ),
                known=True,
                confidence=_least_sure(answers, view, others),
                questions=others,
            )
        )
    if known_value(answers, view, "customer_problem") is True:
        lines.append(_line(answers, view, "Users' problem", ["customer_problem_text"]))
        if not lines[-1].known:
            lines[-1] = lines[-1].model_copy(
                update={"text": "Yes, they have one, but it is not described"}
            )
    elif known_value(answers, view, "customer_problem") is False:
        lines.append(
            SummaryLine(
                label="Users' problem",
                text="None: the rewrite solves no problem its users have today",
                known=True,
                confidence=_least_sure(answers, view, ["customer_problem"]),
                questions=["customer_problem"],
            )
        )
    else:
        lines.append(
            SummaryLine(
                label="Users' problem", text=NOT_KNOWN, known=False, questions=["customer_problem"]
            )
        )
    return lines


def _money(answers: Answers, qid: str, value: float) -> str:
    """An amount the way the bank shows the answer to ``qid``."""
    return answers.bank.questions[qid].format_answer(value, answers.currency)


def _months_between(start: date, end: date) -> float:
    return round((end - start).days / 30.44, 1)


def _cost(answers: Answers, view: AnswerView) -> list[SummaryLine]:
    lines: list[SummaryLine] = []

    def add(label: str, text: str | None, qids: list[str], known_ids: list[str]) -> None:
        present = [q for q in qids if q in answers.bank.questions]
        lines.append(
            SummaryLine(
                label=label,
                text=text if text is not None else NOT_KNOWN,
                known=text is not None and set(known_ids) >= set(present),
                # a figure not worked out carries no confidence: "not known" is not an estimate
                confidence=_least_sure(answers, view, known_ids) if text is not None else None,
                questions=present,
            )
        )

    people = known_value(answers, view, "team_size")
    months = known_value(answers, view, "duration_months")
    known = [
        q for q in ("team_size", "duration_months") if known_value(answers, view, q) is not None
    ]
    if people is not None and months is not None:
        text = (
            f"{_num(people)} people × {_num(months)} months = {_num(people * months)} person-months"
        )
    elif people is not None:
        text = f"{_num(people)} people; how many months is {NOT_KNOWN}"
    elif months is not None:
        text = f"{_num(months)} months; how many people is {NOT_KNOWN}"
    else:
        text = None
    add("People and time", text, ["team_size", "duration_months"], known)

    total = known_value(answers, view, "total_cost")
    budget = known_value(answers, view, "budget")
    known = [q for q in ("total_cost", "budget") if known_value(answers, view, q) is not None]
    if total is not None and budget:
        share = round(100 * total / budget)
        cost, limit = _money(answers, "total_cost", total), _money(answers, "budget", budget)
        text = f"{cost} against a budget of {limit} ({share}% of the budget)"
    elif total is not None:
        text = f"{_money(answers, 'total_cost', total)}; the budget it is held to is {NOT_KNOWN}"
    elif budget is not None:
        text = f"{NOT_KNOWN}, against a budget of {_money(answers, 'budget', budget)}"
    else:
        text = None
    add("Total cost", text, ["total_cost", "budget"], known)

    if "yearly_benefit" in answers.bank.questions:
        benefit = known_value(answers, view, "yearly_benefit")
        if benefit is None:
            text = None
        elif benefit == 0:
            text = "none in money"
        else:
            text = f"{_money(answers, 'yearly_benefit', benefit)} a year"
            if total is not None and total > 0:
                years = _num(round(total / benefit, 1))
                text += f"; the total cost is paid back in about {years} years"
        known = ["yearly_benefit"] if benefit is not None else []
        behind = ["yearly_benefit"]
        if benefit and total is not None and total > 0:
            known.append("total_cost")
            behind.append("total_cost")  # the years to pay back rest on the total too
        add("Expected benefit", text, behind, known)

    delivery = known_value(answers, view, "feature_delivery")
    freeze = known_value(answers, view, "freeze_months")
    if delivery == "freeze":
        text = (
            f"{_num(freeze)} months"
            if freeze is not None
            else f"features pause; how long is {NOT_KNOWN}"
        )
        add(
            "Feature freeze",
            text,
            ["feature_delivery", "freeze_months"],
            ["feature_delivery"] + (["freeze_months"] if freeze is not None else []),
        )
    elif delivery in ("continue", "reduced"):
        pace = "today's" if delivery == "continue" else "a reduced"
        add(
            "Feature freeze",
            f"none: features continue at {pace} pace",
            ["feature_delivery"],
            ["feature_delivery"],
        )
    elif not _applies(view, "feature_delivery"):
        add("Feature freeze", "none", [], [])
    else:
        add("Feature freeze", None, ["feature_delivery"], [])

    parts: list[str] = []
    known = []
    asked = [q for q in ("transition_budget", "sync_build_cost") if _applies(view, q)]
    throwaway = known_value(answers, view, "transition_budget")
    if throwaway is not None:
        parts.append(f"{_money(answers, 'transition_budget', throwaway)} of transitional work")
        known.append("transition_budget")
    sync = known_value(answers, view, "sync_build_cost")
    if sync is not None:
        parts.append(f"{_money(answers, 'sync_build_cost', sync)} to keep the data in step")
        known.append("sync_build_cost")
    elif "sync_build_cost" in asked:
        parts.append(f"keeping the data in step: {NOT_KNOWN}")
    if not asked:
        add("Throwaway work", "none asked for", [], [])
    else:
        add("Throwaway work, within the total", "; ".join(parts) if known else None, asked, known)

    end = known_value(answers, view, "old_system_end")
    first = known_value(answers, view, "first_switch_date")
    off = known_value(answers, view, "switch_off_date")
    if end == "kept":
        add(
            "Old and new side by side",
            "for good: the old system stays on purpose",
            ["old_system_end"],
            ["old_system_end"],
        )
        add("Old system switched off", "never: it stays", ["old_system_end"], ["old_system_end"])
    else:
        one_cutover = known_value(answers, view, "coexistence_model") == "one_cutover"
        if isinstance(first, date) and isinstance(off, date):
            days = (off - first).days
            span = (
                f"{days} days" if abs(days) < 61 else f"{_num(_months_between(first, off))} months"
            )
            text = f"{span} ({first.isoformat()} to {off.isoformat()})"
            if days == 0:
                text = f"none: the old system is switched off the day the new one starts ({off})"
        else:
            text = None
        add(
            # everything switches at once: the old system is only kept, as a fallback
            "Old system kept after the switch" if one_cutover else "Old and new side by side",
            text,
            ["first_switch_date", "switch_off_date"],
            [
                q
                for q in ("first_switch_date", "switch_off_date")
                if known_value(answers, view, q) is not None
            ],
        )
        lines.append(_line(answers, view, "Old system switched off", ["switch_off_date"]))
    if known_value(answers, view, "stage") == "under_way":
        lines.extend(_so_far(answers, view))
    return lines


def _so_far(answers: Answers, view: AnswerView) -> list[SummaryLine]:
    """For a rewrite under way: what has been spent against the plan, and how far it slipped."""
    lines: list[SummaryLine] = []
    spent = known_value(answers, view, "spent_so_far")
    planned = known_value(answers, view, "planned_spend_by_now")
    known = [
        q
        for q in ("spent_so_far", "planned_spend_by_now")
        if known_value(answers, view, q) is not None
    ]
    if spent is not None and planned:
        over = round(100 * (spent - planned) / planned)
        side = f"{over}% over" if over > 0 else (f"{-over}% under" if over < 0 else "as planned")
        text = (
            f"{_money(answers, 'spent_so_far', spent)}, against "
            f"{_money(answers, 'planned_spend_by_now', planned)} planned by now ({side})"
        )
    elif spent is not None:
        text = f"{_money(answers, 'spent_so_far', spent)}; the plan's figure for now is {NOT_KNOWN}"
    else:
        text = None
    total = known_value(answers, view, "total_cost")
    budget = known_value(answers, view, "budget")
    if text is not None and spent is not None and total is not None and budget is not None:
        ahead = max(total - spent, 0)
        left = budget - spent
        room = (
            f"{_money(answers, 'budget', left)} of the budget left"
            if left >= 0
            else f"the budget already {_money(answers, 'budget', -left)} overspent"
        )
        text += f"; {_money(answers, 'total_cost', ahead)} still to spend, with {room}"
        known += ["total_cost", "budget"]
    lines.append(
        SummaryLine(
            label="Spent so far",
            text=text if text is not None else NOT_KNOWN,
            known={"spent_so_far", "planned_spend_by_now"} <= set(known),
            confidence=_least_sure(answers, view, known),
            questions=[
                q
                for q in dict.fromkeys(("spent_so_far", "planned_spend_by_now", *known))
                if q in answers.bank.questions
            ],
        )
    )
    was = known_value(answers, view, "planned_finish_at_start")
    now = known_value(answers, view, "expected_finish_now")
    known = [
        q
        for q in ("planned_finish_at_start", "expected_finish_now")
        if known_value(answers, view, q) is not None
    ]
    if isinstance(was, date) and isinstance(now, date):
        slip = _months_between(was, now)
        late = (
            f"{_num(slip)} months late"
            if slip >= 1
            else ("on time" if slip > -1 else f"{_num(-slip)} months early")
        )
        text = f"{now.isoformat()}, against {was.isoformat()} planned at the start ({late})"
    elif isinstance(now, date):
        text = f"{now.isoformat()}; the date planned at the start is {NOT_KNOWN}"
    else:
        text = None
    lines.append(
        SummaryLine(
            label="Finish expected",
            text=text if text is not None else NOT_KNOWN,
            known=len(known) == 2,
            confidence=_least_sure(answers, view, known),
            questions=[
                q
                for q in ("planned_finish_at_start", "expected_finish_now")
                if q in answers.bank.questions
            ],
        )
    )
    return lines


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _stop_conditions(answers: Answers, view: AnswerView) -> SummaryLine:
    text = known_value(answers, view, "kill_criteria_text")
    if text is not None:
        return _line(answers, view, "Stop conditions", ["kill_criteria_text"])
    return _line(answers, view, "Stop conditions", ["kill_criteria"])


def _knowledge(answers: Answers, view: AnswerView, memo: Memo, disputed: set[str]) -> Knowledge:
    applicable = [q for q in answers.bank.questions if view.state(q) != "skipped"]
    team = memo.team
    # A team memo counts each question once: agreed and answered, "don't know", not answered,
    # or disputed, so that the four add up to the questions that apply.
    open_ids: set[str] = set(disputed)
    if team is not None:
        open_ids |= set(team.disputed if team.stage == "disputed" else team.open)
    agreed = [q for q in applicable if q not in open_ids]
    known = [q for q in agreed if view.state(q) == "known"]
    confidence = [answers.given[q].confidence for q in known if q in answers.given]
    span = memo.verdict.range
    return Knowledge(
        applicable=len(applicable),
        answered=len(known),
        dont_know=sum(1 for q in agreed if view.state(q) == "unknown"),
        unanswered=sum(1 for q in agreed if view.state(q) == "unanswered"),
        guessed=confidence.count("guess"),
        estimated=confidence.count("estimate"),
        disputed=len(open_ids & set(applicable)) if team is not None else 0,
        score=memo.verdict.score,
        score_low=span.score_low if span else None,
        score_high=span.score_high if span else None,
        held=_held_below_score(memo),
        why_zero=(
            "The risks found are serious enough to take the score to 0."
            if memo.verdict.score == 0 and memo.verdict.quality == 0 and known
            else None
        ),
    )


_HOLDER_NAMES = {
    "finding": ("risk", "risks"),
    "open_question": ("open question", "open questions"),
    "guess": ("guess", "guesses"),
    "dispute": ("disputed answer", "disputed answers"),
}


def _held_below_score(memo: Memo) -> str | None:
    """What holds the verdict below what the score alone allows, as a sentence.

    A score above a threshold must never read as contradicting the verdict.
    """
    verdict = memo.verdict
    if verdict.id == "dont_rewrite":  # the decision names the finding that declines it
        return None
    if VERDICTS.index(verdict.id) <= VERDICTS.index(verdict.score_allows):
        return None
    counts: dict[str, int] = {}
    for reason in _holding(memo):
        if reason.kind in _HOLDER_NAMES:
            counts[reason.kind] = counts.get(reason.kind, 0) + 1
    parts = [_count(n, *_HOLDER_NAMES[kind]) for kind, n in counts.items()]
    by = f" by {' and '.join(parts)}" if parts else ""
    return (
        f"The score alone would allow {verdict.score_allows_title}; "
        f"the verdict is held at {verdict.title}{by}."
    )


# --- Reasons and risks ------------------------------------------------------------------------


def _trace_lines(bank: Bank, finding: Finding) -> list[str]:
    """The answers behind a finding, short.

    A choice's label speaks for itself; a yes, a no, a number or a date needs what was asked:
    the question's short name where the bank gives one ("Duration: 120 months"), else the
    question.
    """
    lines = []
    for t in finding.trace:
        if t.state not in ("known", "unknown"):
            continue
        question = bank.questions.get(t.question)
        self_explained = question is not None and question.type in ("single", "multi")
        if t.answer and self_explained:
            lines.append(t.answer)
        elif question is not None and question.short:
            lines.append(f"{question.short}: {t.answer or DONT_KNOW}")
        else:
            lines.append(f"{t.text} {t.answer or DONT_KNOW}")
    return lines[:3]


def _reasons(bank: Bank, memo: Memo) -> tuple[list[SummaryReason], int]:
    by_rule = {f.rule: f for f in memo.findings}
    entries = {e.question: e for s in memo.appendix for e in s.questions}
    reasons: list[SummaryReason] = []
    for r in memo.verdict.reasons:
        if r.kind == "finding":
            f = by_rule[r.ref]
            reasons.append(
                SummaryReason(
                    kind="finding",
                    severity=f.severity,
                    ref=f.rule,
                    text=f.title,
                    answers=_trace_lines(bank, f),
                )
            )
        elif r.kind == "score" or r.caps != memo.verdict.id:
            continue  # an open question or a guess is a reason only where it holds the verdict
        else:
            entry = entries.get(r.ref)
            shown = (
                entry.answer
                if entry and entry.answer
                else "Don't know"
                if entry and entry.state == "unknown"
                else "Not answered"
            )
            behind = (
                "The participants gave different answers: see where the team disagrees."
                if r.kind == "dispute"
                else f"{r.text} {shown}"
            )
            reasons.append(SummaryReason(kind=r.kind, ref=r.ref, text=r.text, answers=[behind]))
    order = {"blocker": 0, "high": 1, None: 2, "medium": 3, "low": 4}
    reasons.sort(key=lambda x: order.get(x.severity, 2))
    verdict = memo.verdict
    if not reasons and any(r.kind == "score" and r.caps == verdict.id for r in verdict.reasons):
        # Only the score holds it: say so, with what the score is made of.
        better = VERDICTS[VERDICTS.index(verdict.id) - 1]
        need = verdict.thresholds.get(better)
        made = (
            f"The quality of the known answers, {verdict.quality}/100, times how much of the "
            f"plan is known, {verdict.knowledge}%"
            if verdict.quality is not None and verdict.knowledge is not None
            else f"Overall score {verdict.score}/100"
        )
        title = bank.rules_file.verdicts[better].title
        reasons.append(
            SummaryReason(
                kind="score",
                ref="overall",
                text=f"The score, {verdict.score}/100, is below the {need} that {title} needs",
                answers=[made],
            )
        )
    if not reasons:
        for f in memo.strengths:
            reasons.append(
                SummaryReason(
                    kind="strength",
                    severity="strength",
                    ref=f.rule,
                    text=f.title,
                    answers=_trace_lines(bank, f),
                )
            )
    return reasons[:MAX_REASONS], max(0, len(reasons) - MAX_REASONS)


def _risks(bank: Bank, view: AnswerView, memo: Memo) -> list[SummaryRisk]:
    """The failure modes that apply, and whether this plan holds each.

    A finding named in ``broken_by`` shows the plan does not hold it. Where nothing holds it
    but a safeguard depends on answers not given yet, it is "not known", not "not held".
    """
    fired = {f.rule: f.title for f in memo.risks}
    found: list[SummaryRisk] = []
    for mode, applies, guards in bank.failure_mode_tests:
        if applies(view) is not True:
            continue
        broken = [fired[r] for r in mode.broken_by if r in fired]
        held = [text for text, test in guards if test(view) is True]
        open_guard = any(test(view) is None for _, test in guards)
        if broken:
            state, text = "not_held", f"Not held: {'; '.join(broken)}."
        elif held:
            state, text = "held", "Held: " + "; ".join(held) + "."
        elif open_guard:
            state, text = (
                "not_known",
                "Not known yet: the answers that would show it are not given.",
            )
        else:
            state, text = "not_held", f"Not held: {mode.unheld}."
        found.append(
            SummaryRisk(id=mode.id, title=mode.title, held=state == "held", state=state, text=text)
        )
    order = {"not_held": 0, "not_known": 1, "held": 2}
    found.sort(key=lambda r: order[r.state])
    return found[:MAX_RISKS]


# --- Asks -------------------------------------------------------------------------------------


def _by(answers: Answers, view: AnswerView) -> str:
    """When the asks are due.

    The review or the first switch, whichever comes first and has not passed on the memo's
    date; for a rewrite under way with neither ahead, before the work goes on.
    """
    today = answers.date
    review = known_value(answers, view, "review_date")
    first = known_value(answers, view, "first_switch_date")
    if isinstance(review, date) and today is not None and review < today:
        review = None
    if isinstance(first, date) and today is not None and first < today:
        first = None
    if isinstance(review, date) and not (isinstance(first, date) and first < review):
        return f"by the review on {review.isoformat()}"
    if isinstance(first, date):
        return f"before the first switch on {first.isoformat()}"
    if _under_way(answers, view):
        return "before the work goes on"
    return "before work starts"


def section_owner(bank: Bank, section: str | None) -> str | None:
    """Who usually answers for a section's findings (its ``owner`` in the bank)."""
    found = next((s for s in bank.sections if s.id == section), None)
    return found.owner if found is not None else None


def _fix_finding(
    answers: Answers, view: AnswerView, scorer: _Scorer, finding: Finding
) -> _Candidate | None:
    """The change to one answer that clears ``finding`` and scores best."""
    bank = answers.bank
    rule = next(r for r, _ in bank.rule_tests if r.id == finding.rule)
    test = next(t for r, t in bank.rule_tests if r.id == finding.rule)
    fixed = compile_condition(rule.fixed_by) if rule.fixed_by is not None else None
    best: _Candidate | None = None
    for qid in questions_in(rule.when):
        question = bank.questions[qid]
        if view.state(qid) == "skipped":
            continue
        for value in scorer.options(question):
            if view.state(qid) == "known" and view.values.get(qid) == value:
                continue
            states = {**view.states, qid: "known"}
            values = {**view.values, qid: value}
            if test(AnswerView(states, values)) is True:
                continue
            if fixed is not None and fixed(AnswerView(states, values)) is not True:
                continue  # clears the finding, but is not what doing the action makes true
            outcome = scorer.score({qid: value})
            if best is None or outcome.better_than(best.outcome):
                best = _Candidate(
                    kind="finding",
                    ref=rule.id,
                    text=(
                        f"Reconsider only if the answer to “{question.text}” becomes "
                        f"“{question.format_answer(value, answers.currency)}”"
                        if rule.caps == "dont_rewrite"
                        else rule.action.strip()
                    ),
                    section=rule.section,
                    question=qid,
                    value=value,
                    answer=(
                        None
                        if rule.caps == "dont_rewrite"
                        else _scored(question, value, answers.currency)
                    ),
                    outcome=outcome,
                    change={qid: value},
                    confidence={},
                )
    return best


def _scored(question: Question, value: Any, currency: str) -> str | None:
    """The answer an ask was scored with, as a reader should see it.

    A yes or a no needs its question to mean anything. A number or a date is left out: the
    value scored is only a point past the rule's threshold (a cost of 0 to clear an overrun),
    not advice; the JSON keeps it as ``value``.
    """
    if question.type in ("number", "date"):
        return None
    shown = question.format_answer(value, currency)
    return f"{question.text} {shown}" if question.type == "yesno" else shown


def _fix_open(
    answers: Answers,
    view: AnswerView,
    scorer: _Scorer,
    kind: Literal["open_question", "guess", "dispute"],
    qid: str,
) -> _Candidate | None:
    bank = answers.bank
    question = bank.questions[qid]
    section = bank.section_of[qid].id
    if kind == "guess":
        outcome = scorer.score({}, sure=[qid])
        return _Candidate(
            kind="guess",
            ref=qid,
            text=f"Check the guess and record it as sure: {question.text}",
            section=section,
            question=qid,
            value=view.values.get(qid),
            answer=shown_answer(answers, qid),
            outcome=outcome,
            change={},
            confidence={qid: "sure"},
        )
    best: _Candidate | None = None
    for value in scorer.options(question):
        outcome = scorer.score({qid: value}, settle=[qid])
        if best is None or outcome.better_than(best.outcome):
            verb = "Settle the dispute" if kind == "dispute" else "Find out and answer"
            shown = question.type in ("single", "multi", "yesno")
            best = _Candidate(
                kind=kind,
                ref=qid,
                text=f"{verb}: {question.text}",
                section=section,
                question=qid,
                value=value,
                answer=question.format_answer(value, answers.currency) if shown else None,
                outcome=outcome,
                change={qid: value},
                confidence={},
            )
    return best


def _needs(bank: Bank, verdict: VerdictId) -> int:
    """The least score ``verdict`` needs (scoring model 2)."""
    steps = getattr(bank.rules_file.scoring, "score_allows", [])
    return next((step.score for step in steps if step.verdict == verdict), 0)


def _to_ask(answers: Answers, candidate: _Candidate, by: str, now: _Outcome, together: bool) -> Ask:
    bank = answers.bank
    titles = bank.rules_file.verdicts
    question = bank.questions[candidate.question] if candidate.question else None
    title = titles[candidate.outcome.verdict].title
    rises = ""
    if candidate.outcome.score > now.score:
        allows = getattr(bank.rules_file.scoring, "allows", None)
        reach = allows(candidate.outcome.score) if allows is not None else None
        enough = (
            f", above the {_needs(bank, reach)} that {titles[reach].title} needs; other "
            "reasons still hold the verdict"
            if allows is not None
            and reach is not None
            and VERDICTS.index(reach) < VERDICTS.index(candidate.outcome.verdict)
            and VERDICTS.index(reach) < VERDICTS.index(allows(now.score))
            else ""
        )
        rises = f" (the score goes from {now.score} to {candidate.outcome.score}{enough})"
    if candidate.outcome.verdict != now.verdict:
        outcome = f"the verdict becomes {title}"
    elif together:
        outcome = f"alone, the verdict stays {title}{rises}"
    else:
        outcome = f"the verdict stays {title}{rises}"
    return Ask(
        kind=candidate.kind,
        ref=candidate.ref,
        text=candidate.text,
        owner=section_owner(bank, candidate.section),
        by=by,
        question=candidate.question,
        question_text=question.text if question else None,
        where=bank.section_of[candidate.question].title if candidate.question else None,
        answer=candidate.answer,
        value=candidate.value.isoformat() if isinstance(candidate.value, date) else candidate.value,
        becomes=candidate.outcome.verdict,
        becomes_title=title,
        outcome=outcome,
    )


def _asks(
    answers: Answers, view: AnswerView, memo: Memo, scorer: _Scorer, now: _Outcome
) -> tuple[list[Ask], str | None]:
    by = _by(answers, view)
    by_rule = {f.rule: f for f in memo.findings}
    candidates: list[_Candidate] = []
    verdict = memo.verdict.id
    holders = [r for r in memo.verdict.reasons if r.caps == verdict]
    holders += [r for r in memo.verdict.reasons if r.caps != verdict and r.kind == "finding"]
    if any(r.kind == "score" for r in holders):
        # The score holds the verdict: the findings that cost it points are what to fix.
        held = {r.ref for r in holders if r.kind == "finding"}
        holders += [
            VerdictReason(kind="finding", ref=f.rule, text=f.title, caps=memo.verdict.id)
            for f in memo.risks
            if f.rule not in held
        ]
    for reason in holders:
        found: _Candidate | None = None
        if reason.kind == "finding" and reason.ref in by_rule:
            found = _fix_finding(answers, view, scorer, by_rule[reason.ref])
        elif (
            reason.kind in ("open_question", "guess", "dispute")
            and reason.ref in answers.bank.questions
        ):
            found = _fix_open(answers, view, scorer, reason.kind, reason.ref)
        if (
            found is not None
            and found.kind == "finding"
            and found.change
            and any(c.kind == "finding" and c.change == found.change for c in candidates)
        ):
            # Two findings cleared by the same change to the same answer (a plan over five
            # years is also over two) are one step: the finding met first (the one holding
            # the verdict lower, or the earlier rule) says what to do; the other is still
            # listed among the risks.
            continue
        if found is not None:
            scorer.confirm(found)
            candidates.append(found)
    if not candidates:
        if memo.verdict.id == "go":
            return [], "Nothing holds the verdict: no step is needed before work starts."
        return [], "No change to a single answer clears what holds the verdict."
    movers = [
        c for c in candidates if VERDICTS.index(c.outcome.verdict) < VERDICTS.index(now.verdict)
    ]
    movers.sort(key=lambda c: (VERDICTS.index(c.outcome.verdict), -c.outcome.score))
    titles = answers.bank.rules_file.verdicts
    note = None
    if now.verdict == "dont_rewrite":
        # Declined: the asks are what would reopen the question, and the note what to do instead.
        instead = next((f.action.strip() for f in memo.risks if f.caps == "dont_rewrite"), None)
        note = f"What to do instead: {instead}" if instead else None
        reopen = [c for c in movers if c.kind == "finding"] or movers
        return [
            _to_ask(answers, c, "before the rewrite is proposed again", now, False)
            for c in reopen[:MAX_ASKS]
        ], note
    if movers:
        rest = [c for c in candidates if c not in movers]
        chosen = (movers + rest)[:MAX_ASKS]
    else:
        together = _together(scorer, candidates, now)
        if together is None:
            chosen = candidates[:MAX_ASKS]
            current = memo.verdict
            if current.id == "go_with_conditions":
                go = current.thresholds.get("go", 100)
                known = current.knowledge if current.knowledge is not None else 100
                note = (
                    "These are the conditions to meet before work starts. None of them, alone "
                    f"or together, reaches Go, which needs a score of {go} (now {current.score})"
                    + (
                        f": with {known}% of the plan known (the tool's weighted measure), the "
                        f"score cannot pass {known} until more of it is answered."
                        if known < go
                        else "."
                    )
                )
            else:
                note = (
                    "No step found, alone or together with the others, changes the verdict: "
                    "the plan needs rework before it is assessed again."
                )
        else:
            steps, outcome = together
            chosen = (steps + [c for c in candidates if c not in steps])[:MAX_ASKS]
            reach = titles[outcome.verdict].title
            if len(steps) <= MAX_ASKS:
                note = (
                    f"No single step changes the verdict: the first {_count(len(steps), 'step')} "
                    f"below, done together, give {reach}."
                )
            else:
                note = (
                    f"No single step changes the verdict: it takes {len(steps)} steps together "
                    f"to reach {reach}; the first {MAX_ASKS} follow."
                )
    return [_to_ask(answers, c, by, now, not movers) for c in chosen], note


def _settles(candidate: _Candidate) -> list[str]:
    return [candidate.ref] if candidate.kind == "dispute" else []


def _together(
    scorer: _Scorer, candidates: list[_Candidate], now: _Outcome
) -> tuple[list[_Candidate], _Outcome] | None:
    """The smallest set found (greedily, best score first) that changes the verdict."""
    ordered = sorted(candidates, key=lambda c: -c.outcome.score)
    change: dict[str, Any] = {}
    sure: list[str] = []
    settle: list[str] = []
    steps: list[_Candidate] = []
    for candidate in ordered:
        change.update(candidate.change)
        sure.extend(candidate.confidence)
        if candidate.kind == "dispute":
            settle.append(candidate.ref)
        steps.append(candidate)
        outcome = scorer.score(change, sure=sure, settle=settle)
        if outcome.open_held:
            outcome = scorer.check(change, sure=sure, settle=settle)
        if VERDICTS.index(outcome.verdict) < VERDICTS.index(now.verdict):
            return steps, outcome
    return None
