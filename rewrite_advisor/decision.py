"""What a decision record says beyond the summary, built once for the memo and the record.

The options weighed and why each lost, the consequences, a risk register, and the first slice
of a step-by-step plan.

Pure: the answers and the scored memo in, a :class:`~.memo.DecisionRecord` out. The memo's
appendix and the MADR and Nygard records show it as it is.
"""

from __future__ import annotations

from datetime import date

from .answers import Answers
from .conditions import AnswerView
from .memo import ConsideredOption, DecisionRecord, Memo, RiskEntry, SummaryLine
from .summary import known_value, section_owner, shown_answer

ALTERNATIVES = "alternatives_evaluated"
"""The question listing the alternatives the team weighed."""

SAME_AS_APPROACH = {
    "incremental_replacement": {"incremental", "traffic_shift", "segment_by_segment"},
    "full_rebuild": {"big_bang"},
    "refactor_in_place": {"in_place"},
}
"""Alternatives that are the plan's own approach, and so not an option beside it."""

STEP_BY_STEP = {"incremental", "traffic_shift", "in_place", "segment_by_segment"}
"""Approaches with a first slice that goes live before the rest."""


def _note(answers: Answers, qid: str) -> str | None:
    given = answers.given.get(qid)
    return given.note if given is not None and given.note else None


def review_by(answers: Answers, view: AnswerView) -> str:
    """When the plan's risks are next looked at: the review date, else the first switch."""
    review = known_value(answers, view, "review_date")
    first = known_value(answers, view, "first_switch_date")
    if isinstance(review, date):
        return f"at the review on {review.isoformat()}"
    if isinstance(first, date):
        return f"before the first switch on {first.isoformat()}"
    return "before work starts (no review date is set)"


def _options(answers: Answers, view: AnswerView, memo: Memo) -> list[ConsideredOption]:
    verdict = memo.verdict.id
    go = verdict in ("go", "go_with_conditions")
    approach = known_value(answers, view, "approach")
    plan = [
        shown_answer(answers, q) for q in ("scope", "approach") if known_value(answers, view, q)
    ]
    decision = memo.summary.decision if memo.summary else memo.verdict.summary
    options = [
        ConsideredOption(
            name="Rewrite" + (f" ({'; '.join(plan)})" if plan else ""),
            chosen=go,
            why_not=None if go else decision,
            from_team=False,
        )
    ]
    team_words = (
        known_value(answers, view, "alternatives_rejected")
        or _note(answers, "alternatives_written")
        or _note(answers, ALTERNATIVES)
    )
    weighed = known_value(answers, view, ALTERNATIVES)
    question = answers.bank.questions.get(ALTERNATIVES)
    if question is not None and isinstance(weighed, list):
        for value in weighed:
            if value == "none" or approach in SAME_AS_APPROACH.get(value, set()):
                continue
            options.append(
                ConsideredOption(
                    name=question.labels.get(value, str(value)),
                    chosen=False,
                    why_not=str(team_words) if team_words else "The team did not write down why.",
                    from_team=bool(team_words),
                )
            )
    inaction = known_value(answers, view, "cost_of_inaction")
    keep_why = None
    if go:
        keep_why = (
            f"If nothing changes: {shown_answer(answers, 'cost_of_inaction')}"
            if inaction
            else "What staying put would cost is not known."
        )
    options.append(
        ConsideredOption(
            name="Do not rewrite: keep the current system",
            chosen=verdict == "dont_rewrite",
            why_not=keep_why if go else (None if verdict == "dont_rewrite" else decision),
            from_team=False,
        )
    )
    return options


def build_decision_record(answers: Answers, view: AnswerView, memo: Memo) -> DecisionRecord:
    """The decision record's sections for ``memo`` (scoring model 2)."""
    bank = answers.bank
    rules = {rule.id: rule for rule in bank.rules}
    when = review_by(answers, view)
    register = [
        RiskEntry(
            rule=f.rule,
            risk=f.title,
            severity=f.severity,
            owner=section_owner(bank, f.section),
            warning_sign=rules[f.rule].warning_sign,
            review_by=when,
        )
        for f in memo.risks
        if f.severity in ("blocker", "high") and memo.verdict.id != "dont_rewrite"
    ]  # a declined rewrite has no risks to watch: nobody runs it
    first_slice = None
    if known_value(answers, view, "approach") in STEP_BY_STEP:
        what = known_value(answers, view, "first_slice")
        day = known_value(answers, view, "first_switch_date")
        text = str(what).strip() if what else "what goes first is not known"
        if isinstance(day, date):
            text = text.rstrip(".") + f". Live from {day.isoformat()}."
        qids = [q for q in ("first_slice", "first_switch_date") if q in bank.questions]
        first_slice = SummaryLine(
            label="First slice to go live",
            text=text,
            known=bool(what) and isinstance(day, date),
            questions=qids,
        )
    return DecisionRecord(
        options=_options(answers, view, memo),
        good=[f.title for f in memo.strengths],
        bad=[f.title for f in memo.risks],
        risk_register=register,
        first_slice=first_slice,
    )
