"""Every rule of a bank fires when its condition holds and stays silent when it does not.

For each rule, a small solver builds answers that make the rule's condition true (and others
that make it false), including the answers that make the questions it looks at apply. The
engine must then report the finding, or not. This runs over every rule of the bundled bank, so
a rule that can never fire, or that fires on the wrong answers, fails here.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_BANK

from rewrite_advisor import resources
from rewrite_advisor.answers import Answer, Answers
from rewrite_advisor.bank import Bank, Question, load_bank
from rewrite_advisor.conditions import All, Any_, Compare, Condition, Not, QuestionRef, comparisons
from rewrite_advisor.engine import assess

Assignment = dict[str, Answer]


class Unsatisfiable(Exception):
    pass


def _other_choice(question: Question, avoid: set[Any]) -> Any:
    for choice in question.labels:
        if choice not in avoid:
            return choice
    raise Unsatisfiable(f"{question.id}: no other choice")


def _number(question: Question, value: float, delta: float) -> float:
    result = value + delta
    if question.min is not None and result < question.min:
        raise Unsatisfiable(f"{question.id}: below min")
    if question.max is not None and result > question.max:
        raise Unsatisfiable(f"{question.id}: above max")
    return result


def _shift(value: Any, delta: int) -> Any:
    if isinstance(value, str):
        return (date.fromisoformat(value) + timedelta(days=30 * delta)).isoformat()
    return value


def _known(question: Question, raw: Any) -> Answer:
    return Answer("known", question.cast_answer(raw))


def _compare(bank: Bank, comp: Compare, want: bool) -> Assignment:
    q = bank.questions[comp.question]
    op, operand = comp.operator, comp.operand
    if op == "is":
        target = comp.is_
        states = ["known", "unknown", "unanswered"]
        if target == "answered":
            chosen = "unknown" if want else "unanswered"
        elif want:
            chosen = target
        else:
            chosen = next(s for s in states if s != target)
        if chosen == "known":
            return {q.id: _known(q, _any_value(q))}
        if chosen == "skipped":
            raise Unsatisfiable("cannot force skipped directly")
        return {q.id: Answer(chosen)} if chosen == "unknown" else {q.id: Answer("unanswered")}
    if isinstance(operand, QuestionRef):
        other = bank.questions[operand.question]
        base = _any_value(other)
        mine = _pick_relative(q, op, base, want)
        return {other.id: _known(other, base), q.id: _known(q, mine)}
    if op == "equals":
        if want:
            return {q.id: _known(q, operand)}
        if q.type == "yesno":
            return {q.id: _known(q, not operand)}
        if q.type == "single":
            return {q.id: _known(q, _other_choice(q, {operand}))}
        if q.type == "number":
            return {q.id: _known(q, _number(q, operand, 1))}
        if q.type == "date":
            return {q.id: _known(q, _shift(operand, 1))}
        return {q.id: _known(q, f"not {operand}")}
    if op == "in":
        return {q.id: _known(q, operand[0] if want else _other_choice(q, set(operand)))}
    if op in ("includes", "includes_any"):
        targets = {operand} if op == "includes" else set(operand)
        if want:
            return {q.id: _known(q, [sorted(targets)[0]])}
        rest = [c for c in q.labels if c not in targets]
        return {q.id: _known(q, rest[:1])}
    return {q.id: _known(q, _pick_relative(q, op, operand, want))}


def _pick_relative(q: Question, op: str, base: Any, want: bool) -> Any:
    if not want:
        op = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}[op]
    delta = {"gt": 1, "gte": 0, "lt": -1, "lte": 0}[op]
    if q.type == "date":
        return _shift(base if isinstance(base, str) else base.isoformat(), delta)
    return _number(q, base, delta)


def _any_value(q: Question) -> Any:
    return {
        "single": lambda: next(iter(q.labels)),
        "multi": lambda: [next(iter(q.labels))],
        "yesno": lambda: True,
        "number": lambda: q.min if q.min is not None else 1,
        "date": lambda: "2027-06-01",
        "text": lambda: "something",
    }[q.type]()


def _merge(question: Question, first: Answer, second: Answer) -> Answer:
    """Two demands on one multiple-choice question: tick both (the engine checks the result)."""
    if question.type != "multi" or first.state != "known" or second.state != "known":
        raise Unsatisfiable(f"{question.id} needed twice")
    ticked = set(first.value) | set(second.value)
    return Answer("known", [c for c in question.labels if c in ticked])


def solve(bank: Bank, cond: Condition, want: bool) -> Assignment:
    """Answers that make ``cond`` evaluate to ``want`` (raises Unsatisfiable if none found)."""
    if isinstance(cond, Not):
        return solve(bank, cond.not_, not want)
    if isinstance(cond, (All, Any_)):
        parts = cond.all if isinstance(cond, All) else cond.any
        conjunctive = isinstance(cond, All) == want
        if conjunctive:
            merged: Assignment = {}
            for part in parts:
                for qid, answer in solve(bank, part, want).items():
                    if qid in merged and merged[qid] != answer:
                        answer = _merge(bank.questions[qid], merged[qid], answer)
                    merged[qid] = answer
            return merged
        errors = []
        for part in parts:
            try:
                return solve(bank, part, want)
            except Unsatisfiable as exc:
                errors.append(str(exc))
        raise Unsatisfiable("; ".join(errors))
    return _compare(bank, cond, want)


def with_prerequisites(bank: Bank, assignment: Assignment) -> Assignment:
    """Add answers that make every assigned question apply (its `when` true), transitively."""
    result = dict(assignment)
    changed = True
    while changed:
        changed = False
        for qid in list(result):
            when = bank.questions[qid].when
            if when is None:
                continue
            for pre, answer in solve(bank, when, True).items():
                if pre not in result:
                    result[pre] = answer
                    changed = True
    return result


_FIRED: dict[tuple[str, str], frozenset[str]] = {}


def fired(bank: Bank, given: Assignment) -> frozenset[str]:
    """The rules whose findings ``assess`` reports for ``given``.

    Worked out once per bank and answers: every rule is checked against the same empty
    answers, and rules that look at the same questions are often solved by the same answers.
    """
    key = (bank.directory, repr(sorted(given.items())))
    if key not in _FIRED:
        answers = Answers(
            bank=bank, title="t", date=None, participants=[], currency="USD", given=given
        )
        memo = assess(answers, {}, date(2026, 1, 1))
        _FIRED[key] = frozenset(f.rule for f in memo.findings)
    return _FIRED[key]


BANKS = [MINI_BANK, resources.default_bank_dir()]


@functools.cache
def bank_in(folder: Path) -> Bank:
    """The bank in ``folder``, loaded once: a Bank is frozen, and these tests only read it."""
    return load_bank(folder)


def cases(*, empty_file_is_silent: bool = False) -> list[Any]:
    """Every rule of every bank; with ``empty_file_is_silent``, only the rules that look at
    answers' values, not at whether a question was answered (an empty file may trigger those)."""
    params = []
    for folder in BANKS:
        bank = load_bank(folder)
        for rule in bank.rules:
            if empty_file_is_silent and any(c.operator == "is" for c in comparisons(rule.when)):
                continue
            params.append(pytest.param(folder, rule.id, id=f"{bank.id}:{rule.id}"))
    return params


@pytest.mark.parametrize(("folder", "rule_id"), cases())
def test_rule_fires_when_its_condition_holds(folder: Path, rule_id: str) -> None:
    bank = bank_in(folder)
    rule = next(r for r in bank.rules if r.id == rule_id)
    given = with_prerequisites(bank, solve(bank, rule.when, True))
    assert rule_id in fired(bank, given), f"answers {given} should trigger {rule_id}"


@pytest.mark.parametrize(("folder", "rule_id"), cases())
def test_rule_stays_silent_otherwise(folder: Path, rule_id: str) -> None:
    bank = bank_in(folder)
    rule = next(r for r in bank.rules if r.id == rule_id)
    given = with_prerequisites(bank, solve(bank, rule.when, False))
    assert rule_id not in fired(bank, given), f"answers {given} should not trigger {rule_id}"


@pytest.mark.parametrize(("folder", "rule_id"), cases(empty_file_is_silent=True))
def test_rule_stays_silent_when_nothing_is_answered(folder: Path, rule_id: str) -> None:
    bank = bank_in(folder)
    assert rule_id not in fired(bank, {})
