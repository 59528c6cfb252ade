"""What a decision record says beyond the summary, built once for the memo and the record.

The options weighed and why each lost, the consequences, a risk register, and the first slice
of a step-by-step plan.

Pure: the answers and the scored memo in, a :class:`~.memo.DecisionRecord` out. The memo's
appendix and the MADR and Nygard records show it as it is.
"""

from __future__ import annotations

from datetime import date

from .answers import Answers
from .bank import Bank
from .conditions import AnswerView
from .memo import ConsideredOption, DecisionRecord, Memo, RiskEntry, SummaryLine

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


def _known(answers: Answers, view: AnswerView, qid: str) -> object | None:
    if qid in answers.bank.questions and view.state(qid) == "known" and qid in answers.given:
        value: object = answers.given[qid].value
        return value
    return None


def _note(answers: Answers, qid: str) -> str | None:
    given = answers.given.get(qid)
    return given.note if given is not None and given.note else None


def _shown(answers: Answers, qid: str) -> str:
    return answers.bank.questions[qid].format_answer(answers.given[qid].value, answers.currency)


def _owner(bank: Bank, section: str) -> str | None:
    found = next((s for s in bank.sections if s.id == section), None)
    owner = getattr(found, "owner", None) if found else None
    return owner if isinstance(owner, str) else None


def review_by(answers: Answers, view: AnswerView) -> str:
    """When the plan's risks are next looked at: the review date, else the first switch."""
    review = _known(answers, view, "review_date")
    first = _known(answers, view, "first_switch_date")
    if isinstance(review, date):
        return f"at the review on {review.isoformat()}"
    if isinstance(first, date):
        return f"before the first switch on {first.isoformat()}"
    return "before work starts (no review date is set)"


def _options(answers: Answers, view: AnswerView, memo: Memo) -> list[ConsideredOption]:
    verdict = memo.verdict.id
    go = verdict in ("go", "go_with_conditions")
    approach = _known(answers, view, "approach")
    plan = [_shown(answers, q) for q in ("scope", "approach") if _known(answers, view, q)]
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
        _known(answers, view, "alternatives_rejected")
        or _note(answers, "alternatives_written")
        or _note(answers, ALTERNATIVES)
    )
    weighed = _known(answers, view, ALTERNATIVES)
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
    inaction = _known(answers, view, "cost_of_inaction")
    keep_why = None
    if go:
        keep_why = (
            f"If nothing changes: {_shown(answers, 'cost_of_inaction')}"
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
            owner=_owner(bank, f.section),
            warning_sign=getattr(rules[f.rule], "warning_sign", None),
            review_by=when,
        )
        for f in memo.risks
        if f.severity in ("blocker", "high") and memo.verdict.id != "dont_rewrite"
    ]  # a declined rewrite has no risks to watch: nobody runs it
    first_slice = None
    if _known(answers, view, "approach") in STEP_BY_STEP:
        what = _known(answers, view, "first_slice")
        day = _known(answers, view, "first_switch_date")
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
