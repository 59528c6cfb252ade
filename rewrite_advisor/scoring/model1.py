"""Scoring model 1: the policy of banks up to 1.x, frozen so old answers score as they did.

Each section's readiness is 100 less its findings' penalties and its unknowns'; the overall
readiness is the mean of the sections that apply; findings, open questions that matter and
the readiness cap the verdict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from ..answers import Answer, Answers
from ..bank import SEVERITIES, VERDICTS, Bank, ScoringV1, VerdictId
from ..conditions import AnswerView
from ..memo import Finding, OpenQuestion, SectionScore, Verdict, VerdictReason
from . import Disputes, Scored, rule_weights


def _worse(a: VerdictId, b: VerdictId) -> VerdictId:
    return a if VERDICTS.index(a) >= VERDICTS.index(b) else b


class Model1:
    """Scoring model 1 behind the :class:`~.ScoringModel` interface."""

    summarises = False

    def score(
        self,
        answers: Answers,
        view: AnswerView,
        findings: Sequence[Finding],
        open_questions: Sequence[OpenQuestion],
        disputes: Disputes,
    ) -> Scored:
        """Section readiness, then the verdict from findings, open questions and readiness."""
        sections = _section_scores(answers, view, list(findings))
        verdict = _verdict(answers, list(findings), list(open_questions), sections, disputes)
        return Scored(verdict, sections)

    def rescore(
        self, answers: Answers, changes: Mapping[str, Answer], disputes: Disputes
    ) -> Verdict:
        """Not offered: memos of model 1 have no summary and no asks."""
        raise NotImplementedError("scoring model 1 does not re-score")

    def weights(self, bank: Bank) -> dict[str, float]:
        """Each question's weight: the penalties of the rules that look at it, shared."""
        scoring = bank.rules_file.scoring
        assert isinstance(scoring, ScoringV1)
        return rule_weights(bank, scoring.penalties, scoring.strength_bonus)


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
