"""Scoring: answers and rules in, a memo out. Pure: no files, no printing, no clock.

The verdict starts at the best the score allows and each thing that stands against the
rewrite caps it: a finding caps it at its rule's ``caps`` (or at its severity's cap), an
unknown or unanswered question that matters caps it at ``critical_unknown_cap``, and so on.
The worst cap wins, and each cap is kept as a reason.

Two scoring models exist. Model 2 (``judgement``) keeps how much is known apart from how good
the known answers are. Model 1, below, is the policy of banks up to 1.x: it is kept so that
answers and records made with those banks score exactly as they did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Literal

from . import __version__
from .answers import Answer, Answers
from .bank import SEVERITIES, VERDICTS, Bank, Question, Rule, ScoringV1, ScoringV2, VerdictId
from .conditions import AnswerView, evaluate, questions_in
from .judgement import (
    every_answer_gives_at_least,
    guesses_can_change,
    judge,
    quality,
    verdict_range,
)
from .memo import (
    AppendixEntry,
    AppendixSection,
    BankInfo,
    DissentNote,
    Finding,
    Memo,
    OpenQuestion,
    PlanLine,
    SectionScore,
    Team,
    TeamSource,
    TracedAnswer,
    Verdict,
    VerdictReason,
)


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
    # Model 2 holds the verdict only by questions that surely apply (see judgement), so only
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


def _section_scores(
    answers: Answers, view: AnswerView, findings: list[Finding]
) -> list[SectionScore]:
    scoring = answers.bank.rules_file.scoring
    assert isinstance(scoring, ScoringV1)
    scores: list[SectionScore] = []
    for section in answers.bank.sections:
        states = Counter(view.state(q.id) for q in section.questions)
        mine = [f for f in findings if f.section == section.id]
        points = 100
        for finding in mine:
            if finding.severity == "strength":
                points += scoring.strength_bonus
            else:
                points -= scoring.penalties[finding.severity]
        for question in section.questions:
            if view.state(question.id) in ("unknown", "unanswered"):
                points -= (
                    scoring.critical_unknown_penalty
                    if question.critical
                    else scoring.unknown_penalty
                )
        by_severity = Counter(f.severity for f in mine)
        scores.append(
            SectionScore(
                id=section.id,
                title=section.title,
                score=max(0, min(100, points)),
                applicable=sum(n for s, n in states.items() if s != "skipped"),
                known=states["known"],
                unknown=states["unknown"],
                unanswered=states["unanswered"],
                findings={s: by_severity[s] for s in SEVERITIES if by_severity[s]},
            )
        )
    return scores


def _verdict(
    answers: Answers,
    findings: list[Finding],
    open_questions: list[OpenQuestion],
    sections: list[SectionScore],
    disputes: Sequence[tuple[str, str]],
) -> Verdict:
    rules_file = answers.bank.rules_file
    scoring = rules_file.scoring
    assert isinstance(scoring, ScoringV1)
    counted = [s for s in sections if s.applicable]
    overall = round(sum(s.score for s in counted) / len(counted)) if counted else 0
    reasons: list[VerdictReason] = []
    for finding in findings:
        if finding.caps is not None and finding.caps != "go":
            reasons.append(
                VerdictReason(
                    kind="finding", ref=finding.rule, text=finding.title, caps=finding.caps
                )
            )
    for item in open_questions:
        if item.critical and item.reason in ("unknown", "unanswered"):
            reasons.append(
                VerdictReason(
                    kind="open_question",
                    ref=item.question,
                    text=item.text,
                    caps=scoring.critical_unknown_cap,
                )
            )
    if overall < scoring.thresholds.go_with_conditions:
        reasons.append(
            VerdictReason(
                kind="score", ref="overall", text=f"Overall readiness {overall}/100", caps="not_yet"
            )
        )
    elif overall < scoring.thresholds.go:
        reasons.append(
            VerdictReason(
                kind="score",
                ref="overall",
                text=f"Overall readiness {overall}/100",
                caps="go_with_conditions",
            )
        )
    for qid, text in disputes:
        reasons.append(
            VerdictReason(kind="dispute", ref=qid, text=text, caps=scoring.critical_unknown_cap)
        )
    verdict: VerdictId = "go"
    for reason in reasons:
        verdict = _worse(verdict, reason.caps)
    score_allows: VerdictId = "go"
    for reason in reasons:
        if reason.kind == "score":
            score_allows = reason.caps
    reasons.sort(key=lambda r: -VERDICTS.index(r.caps))
    wording = rules_file.verdicts[verdict]
    return Verdict(
        id=verdict,
        title=wording.title,
        summary=wording.summary,
        score=overall,
        score_allows=score_allows,
        score_allows_title=rules_file.verdicts[score_allows].title,
        thresholds=scoring.thresholds.model_dump(),
        reasons=reasons,
    )


def _section_scores_v2(
    answers: Answers, view: AnswerView, scoring: ScoringV2, rules: list[Rule]
) -> list[SectionScore]:
    from .judgement import knowledge

    confidence = {q: a.confidence for q, a in answers.given.items()}
    scores: list[SectionScore] = []
    for section in answers.bank.sections:
        states = Counter(view.state(q.id) for q in section.questions)
        mine = [r for r in rules if r.section == section.id]
        qual = quality(scoring, mine)
        known, applicable = knowledge(scoring, section.questions, view, confidence)
        by_severity = Counter(r.severity for r in mine)
        scores.append(
            SectionScore(
                id=section.id,
                title=section.title,
                score=round(qual * known),
                quality=qual,
                knowledge=round(known * 100),
                applicable=applicable,
                known=states["known"],
                unknown=states["unknown"],
                unanswered=states["unanswered"],
                findings={s: by_severity[s] for s in SEVERITIES if by_severity[s]},
            )
        )
    return scores


def _verdict_v2(
    answers: Answers,
    view: AnswerView,
    scoring: ScoringV2,
    disputes: Sequence[tuple[str, str]],
    *,
    full: bool = True,
) -> tuple[Verdict, list[Rule]]:
    """The verdict of model 2, with what answering the open questions could do to it.

    An open question that matters holds the verdict back only where some answer to it would
    change the verdict: when every way of answering the open questions gives at least Go
    with conditions, that is the verdict, and answering them is one of its conditions. A
    verdict is provisional only where confirming or correcting a guess could change it.

    With ``full`` False only the verdict is worked out (no range, no provisional guesses):
    re-scoring an ask needs no more.
    """
    bank = answers.bank
    confidence = {q: a.confidence for q, a in answers.given.items()}
    judgement = judge(bank, view, confidence, disputes)
    given = {q: (a.state, a.value) for q, a in answers.given.items()}
    texts = bank.rules_file.verdicts
    steps = {s.verdict: s.score for s in scoring.score_allows}
    span = verdict_range(bank, given, view, confidence, disputes) if full else None
    disputed = {qid for qid, _ in disputes}
    verdict_id, hold_open = judgement.verdict, True
    reasons = [  # a disputed question is listed as a dispute, not also as unknown
        r for r in judgement.reasons if not (r.kind == "open_question" and r.ref in disputed)
    ]
    floor: VerdictId | None = None  # the worst verdict any answer to the open ones gives
    if disputes:
        floor = None  # a team settles its disputes before the range may lift its verdict
    elif span is not None and span.exact:
        floor = span.worst
    elif not full and any(r.kind == "open_question" for r in judgement.reasons):
        floor = every_answer_gives_at_least(bank, given, view, confidence, "go_with_conditions")
    settled = None if floor is None else _worse(floor, "go_with_conditions")
    if settled is not None and VERDICTS.index(settled) < VERDICTS.index(verdict_id):
        verdict_id, hold_open = settled, False
        reasons = [
            r.model_copy(update={"caps": settled}) if r.kind == "open_question" else r
            for r in reasons
            if r.kind == "open_question" or VERDICTS.index(r.caps) <= VERDICTS.index(settled)
        ]
    provisional = (
        judgement.provisional
        if full
        and guesses_can_change(
            bank, given, confidence, verdict_id, judgement.provisional, hold_open=hold_open
        )
        else []
    )
    verdict = Verdict(
        id=verdict_id,
        title=texts[verdict_id].title,
        summary=texts[verdict_id].summary,
        score=judgement.score,
        quality=judgement.quality,
        knowledge=judgement.knowledge_percent,
        provisional=provisional,
        range=span,
        score_allows=judgement.score_allows,
        score_allows_title=texts[judgement.score_allows].title,
        thresholds={v: steps[v] for v in ("go", "go_with_conditions") if v in steps},
        reasons=reasons,
    )
    return verdict, judgement.rules


def assess(
    answers: Answers,
    raw_answers: dict[str, Any],
    today: date,
    disputes: Sequence[tuple[str, str]] = (),
    *,
    team: Team | None = None,
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
    """
    bank = answers.bank
    view = answers.view()
    findings = _findings(answers, view)
    disputed = {qid for qid, _ in disputes}
    open_questions = [q for q in _open_questions(answers, view) if q.question not in disputed]
    scoring = bank.rules_file.scoring
    if isinstance(scoring, ScoringV2):
        verdict, fired = _verdict_v2(answers, view, scoring, disputes)
        sections = _section_scores_v2(answers, view, scoring, fired)
    else:
        sections = _section_scores(answers, view, findings)
        verdict = _verdict(answers, findings, open_questions, sections, disputes)
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
    if isinstance(scoring, ScoringV2):
        from .decision import build_decision_record
        from .summary import build_summary

        memo.summary = build_summary(answers, view, memo, disputes, rescore=_rescore)
        memo.decision_record = build_decision_record(answers, view, memo)
    return memo


def _rescore(
    answers: Answers, changes: Mapping[str, Answer], disputes: Sequence[tuple[str, str]]
) -> Verdict:
    """The verdict of model 2 with some answers changed: the memo's own path, in full."""
    changed = replace(answers, given={**answers.given, **changes})
    scoring = answers.bank.rules_file.scoring
    assert isinstance(scoring, ScoringV2)
    verdict, _ = _verdict_v2(changed, changed.view(), scoring, disputes, full=False)
    return verdict
