"""The memo: answers and rules in, a memo out. Pure: no files, no printing, no clock.

Findings, open questions, the plan and the appendix are read from the answers here; the
verdict and the section scores come from the bank's scoring model, reached only through
:func:`~.scoring.model_for`; the executive summary and the decision record are built once,
on the same model, for the memo that every format renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from . import __version__
from .answers import Answers
from .bank import SEVERITIES, VERDICTS, Bank, Question, Rule, ScoringV2, VerdictId
from .conditions import AnswerView, evaluate, questions_in
from .memo import (
    AppendixEntry,
    AppendixSection,
    BankInfo,
    DissentNote,
    Finding,
    Memo,
    OpenQuestion,
    PlanLine,
    Team,
    TeamSource,
    TracedAnswer,
    Verdict,
)
from .scoring import model_for

if TYPE_CHECKING:
    from .outside import Library


def _worse(a: VerdictId, b: VerdictId) -> VerdictId:
    return a if VERDICTS.index(a) >= VERDICTS.index(b) else b


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def trace(answers: Answers, view: AnswerView, question: Question) -> TracedAnswer:
    """Cite one question's answer as a reader should see it."""
    state = view.state(question.id)
    given = answers.given.get(question.id)
    known = state == "known" and given is not None
    return TracedAnswer(
        question=question.id,
        text=question.text,
        state=state,
        answer=question.format_answer(given.value, answers.currency) if known and given else None,
        value=_json_value(given.value) if known and given else None,
        note=given.note if given and state != "skipped" else None,
        confidence=given.confidence if given and state in ("known", "unknown") else None,
    )


_STATE_TEXT = {"unknown": "Don't know", "unanswered": "Not answered", "skipped": "Does not apply"}


def describe(question: Question, state: str, value: Any, currency: str) -> str:
    """An answer as a reader sees it, whatever its state ("Don't know", a label, a number)."""
    if state == "known":
        return question.format_answer(value, currency)
    return _STATE_TEXT.get(state, state)


def _dissent(answers: Answers, view: AnswerView) -> list[DissentNote]:
    notes: list[DissentNote] = []
    for qid, question in answers.bank.questions.items():
        given = answers.given.get(qid)
        if given is None or view.state(qid) == "skipped":
            continue
        for item in given.dissent:
            notes.append(
                DissentNote(
                    question=qid,
                    text=question.text,
                    agreed=describe(question, given.state, given.value, answers.currency),
                    participant=item.participant,
                    state=item.state,
                    answer=(
                        question.format_answer(item.value, answers.currency)
                        if item.state == "known"
                        else None
                    ),
                    value=_json_value(item.value) if item.state == "known" else None,
                    reason=item.reason,
                    confidence=item.confidence,
                )
            )
    return notes


def _team(answers: Answers) -> Team | None:
    record = answers.workshop
    if record is None:
        return None
    return Team(
        stage="facilitated",
        participants=answers.participants,
        sources=[TeamSource(participant=s.participant, file=s.file) for s in record.sources],
        disputed=record.disputed,
        settled=[q for q in record.settled if q in record.disputed],
    )


def _findings(answers: Answers, view: AnswerView) -> list[Finding]:
    bank = answers.bank
    caps = bank.rules_file.scoring.severity_caps
    titles = {s.id: s.title for s in bank.sections}
    found: list[Finding] = []
    for rule in bank.rules:
        if evaluate(rule.when, view) is not True:
            continue
        found.append(
            Finding(
                rule=rule.id,
                severity=rule.severity,
                section=rule.section,
                section_title=titles[rule.section],
                title=rule.title,
                why=rule.why,
                action=rule.action,
                caps=_cap_of(rule, caps),
                trace=[
                    trace(answers, view, bank.questions[q])
                    for q in _in_bank_order(bank, questions_in(rule.when))
                ],
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    found.sort(key=lambda f: order[f.severity])
    return found


def _in_bank_order(bank: Bank, question_ids: list[str]) -> list[str]:
    """The questions in the order they are asked, which is how a reader expects them."""
    order = {qid: i for i, qid in enumerate(bank.questions)}
    return sorted(question_ids, key=order.__getitem__)


def _cap_of(rule: Rule, caps: dict[Any, VerdictId]) -> VerdictId | None:
    if rule.severity == "strength":
        return None
    return rule.caps or caps[rule.severity]


def _open_questions(answers: Answers, view: AnswerView) -> list[OpenQuestion]:
    # Model 2 holds the verdict only by questions that surely apply (see scoring.model2), so only
    # those are marked as mattering; model 1 keeps its old reading for old records.
    model_2 = isinstance(answers.bank.rules_file.scoring, ScoringV2)
    result: list[OpenQuestion] = []
    for qid, question in answers.bank.questions.items():
        state = view.state(qid)
        given = answers.given.get(qid)
        reason: Literal["unknown", "unanswered", "guess"] | None = None
        if state == "unknown" or state == "unanswered":
            reason = state
        elif state == "known" and given is not None and given.confidence == "guess":
            reason = "guess"
        if reason is None:
            continue
        matters = question.matters(view) and (not model_2 or question.surely_applies(view))
        if reason == "unanswered" and not matters:
            continue  # listed among the unanswered; only critical gaps are open questions
        result.append(
            OpenQuestion(
                question=qid,
                section=answers.bank.section_of[qid].id,
                text=question.text,
                reason=reason,
                critical=matters,
                note=given.note if given else None,
            )
        )
    result.sort(key=lambda o: (not o.critical, ("unknown", "unanswered", "guess").index(o.reason)))
    return result


def assess(
    answers: Answers,
    raw_answers: dict[str, Any],
    today: date,
    disputes: Sequence[tuple[str, str]] = (),
    *,
    team: Team | None = None,
    library: Library | None = None,
) -> Memo:
    """Score ``answers`` against their bank's rules and build the memo.

    Args:
        answers: Answers checked against their bank.
        raw_answers: The answers file as plain data, kept in the memo for reproducibility.
        today: The date to put on the memo when the answers carry none.
        disputes: For a team memo, the questions that matter on which the team disagrees,
            as (id, text); each holds the verdict back like an open question, and is listed
            as a dispute rather than as an open question.
        team: For a team memo of several files, how it came about (else read from the
            answers' workshop record).
        library: The documented rewrites to compare the plan with (the outside view); none
            when ``None`` or when its cases are not on the answers' bank.
    """
    bank = answers.bank
    view = answers.view()
    findings = _findings(answers, view)
    disputed = {qid for qid, _ in disputes}
    open_questions = [q for q in _open_questions(answers, view) if q.question not in disputed]
    model = model_for(bank)
    scored = model.score(answers, view, findings, open_questions, disputes)
    verdict, sections = scored.verdict, scored.sections
    applicable = [q for q in bank.questions if view.state(q) != "skipped"]
    plan = [
        PlanLine(
            label=item.label,
            answers=[trace(answers, view, bank.questions[q]) for q in item.questions],
        )
        for item in bank.meta.plan
    ]
    appendix = [
        AppendixSection(
            id=section.id,
            title=section.title,
            questions=[
                AppendixEntry(
                    **trace(answers, view, q).model_dump(), type=q.type, critical=q.matters(view)
                )
                for q in section.questions
            ],
        )
        for section in bank.sections
    ]
    memo = Memo(
        generator=f"rewrite-advisor {__version__}",
        title=answers.title,
        date=answers.date or today,
        participants=answers.participants,
        bank=BankInfo(id=bank.id, version=bank.version, title=bank.meta.title),
        verdict=verdict,
        sections=sections,
        findings=findings,
        plan=plan,
        open_questions=open_questions,
        unanswered=[q for q in applicable if view.state(q) == "unanswered"],
        answered=sum(1 for q in applicable if view.state(q) in ("known", "unknown")),
        applicable=len(applicable),
        appendix=appendix,
        answers=raw_answers,
        team=team if team is not None else _team(answers),
        dissent=_dissent(answers, view),
    )
    if model.summarises:
        from .decision import build_decision_record
        from .outside import outside_view
        from .summary import build_summary

        nearest = outside_view(library, answers, view, verdict.id, verdict.title)
        memo.summary = build_summary(
            answers, view, memo, disputes, rescore=model.rescore, nearest_cases=nearest
        )
        memo.decision_record = build_decision_record(answers, view, memo)
    return memo


def verdict_of(answers: Answers) -> Verdict:
    """The verdict alone, on the memo's path (no summary): what the rules say of ``answers``."""
    view = answers.view()
    findings = _findings(answers, view)
    open_questions = _open_questions(answers, view)
    return model_for(answers.bank).score(answers, view, findings, open_questions, ()).verdict
