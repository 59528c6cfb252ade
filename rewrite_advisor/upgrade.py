"""Carry answers made with an earlier version of a bank over to the current one.

An answer carries over when its question (or the question it was renamed to, as the bank's
``previous`` entries say) still exists and the answer still fits it. The rest is reported,
and the file it came from is kept as it was: nothing the user typed is lost.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .answers import Answer, Answers
from .bank import Bank


@dataclass
class Carried:
    """The answers for the current bank, and what did not carry over."""

    answers: Answers
    carried: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    """Question ids of the earlier version whose answers have no place in this one."""


def carry_over(earlier: Answers, bank: Bank) -> Carried:
    """The answers of ``earlier`` (bound to an older bank) as answers to ``bank``."""
    renamed: dict[str, str] = {}
    for previous in bank.meta.previous:
        if previous.version == earlier.bank.version:
            renamed = dict(previous.renamed)
    result = Carried(dataclasses.replace(earlier, bank=bank, given={}, workshop=earlier.workshop))
    for qid, answer in earlier.given.items():
        target = renamed.get(qid, qid)
        question = bank.questions.get(target)
        if question is None or target in result.answers.given:
            result.dropped.append(qid)
            continue
        value = answer.value
        if answer.state == "known":
            try:
                value = question.cast_answer(value)
            except ValueError:
                result.dropped.append(qid)
                continue
        result.answers.given[target] = Answer(
            answer.state, value, answer.note, answer.confidence, list(answer.dissent)
        )
        result.carried.append(target)
    return result
