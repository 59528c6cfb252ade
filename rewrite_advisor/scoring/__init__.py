"""Scoring: one small interface over the two scoring models.

A bank's ``rules.yaml`` names its model. Model 2 (:mod:`.model2`) keeps how much is known
apart from how good the known answers are; model 1 (:mod:`.model1`) is the policy of banks up
to 1.x, kept so that answers and records made with them score exactly as they did. The memo,
its summary and the team memo reach either one only through :func:`model_for`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..answers import Answer, Answers
from ..bank import Bank, ScoringV2
from ..conditions import AnswerView, questions_in
from ..memo import Finding, OpenQuestion, SectionScore, Verdict

Disputes = Sequence[tuple[str, str]]
"""Questions that matter on which a team disagrees, as (id, text)."""


@dataclass
class Scored:
    """What a scoring model concludes from a set of answers."""

    verdict: Verdict
    sections: list[SectionScore]


class ScoringModel(Protocol):
    """How answers become a verdict and section scores."""

    summarises: bool
    """Whether the memo gets an executive summary (its asks need :meth:`rescore`)."""

    def score(
        self,
        answers: Answers,
        view: AnswerView,
        findings: Sequence[Finding],
        open_questions: Sequence[OpenQuestion],
        disputes: Disputes,
    ) -> Scored:
        """Score the answers: the verdict and a score per section."""
        ...

    def rescore(
        self, answers: Answers, changes: Mapping[str, Answer], disputes: Disputes
    ) -> Verdict:
        """The verdict with some answers changed, on the same path as :meth:`score`."""
        ...

    def weights(self, bank: Bank) -> dict[str, float]:
        """How much each question's answer can move the verdict (see :func:`rule_weights`)."""
        ...


def rule_weights(bank: Bank, penalties: Mapping[Any, int], strength: int) -> dict[str, float]:
    """How much each question can move the verdict: the rules that look at it, by weight.

    Each rule weighs what its finding costs the score (its severity's penalty; a strength, its
    bonus), shared equally among the questions its condition looks at. A question no rule
    looks at weighs nothing.
    """
    found: dict[str, float] = {}
    for rule in bank.rules:
        names = questions_in(rule.when)
        cost = strength if rule.severity == "strength" else penalties[rule.severity]
        for qid in names:
            found[qid] = found.get(qid, 0.0) + cost / len(names)
    return {qid: weight for qid, weight in found.items() if weight > 0}


def model_for(bank: Bank) -> ScoringModel:
    """The scoring model a bank's rules name."""
    if isinstance(bank.rules_file.scoring, ScoringV2):
        from .model2 import Model2

        return Model2()
    from .model1 import Model1

    return Model1()
