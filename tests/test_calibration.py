"""Calibration on real rewrites: publicly documented cases with known outcomes.

Each file in ``examples/cases/`` answers one case from its facts at the time of deciding
(``Class: F`` failed, ``S`` succeeded, ``M`` mixed, in its first line). Answered honestly,
every failure must land in Not yet or Don't rewrite, every success in Go or Go with
conditions, and every failure must score below every success.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES

from rewrite_advisor.cli import build_memo, read_answers

CASES = sorted((EXAMPLES / "cases").glob("*.yaml"))


def _class(path: Path) -> str:
    match = re.search(r"Class: ([FSM])\b", path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name}: the first line names the class (Class: F, S or M)"
    return match.group(1)


@pytest.fixture(scope="module")
def memos() -> dict[str, object]:
    return {p.stem: build_memo(p, None) for p in CASES}


def test_there_are_failures_and_successes_to_separate() -> None:
    classes = [_class(p) for p in CASES]
    assert classes.count("F") >= 5
    assert classes.count("S") >= 7


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_a_case_lands_in_its_class(memos, path: Path) -> None:
    verdict = memos[path.stem].verdict
    expected = {"F": {"not_yet", "dont_rewrite"}, "S": {"go", "go_with_conditions"}}
    kind = _class(path)
    if kind in expected:
        held = [r.text for r in verdict.reasons if r.caps == verdict.id]
        assert verdict.id in expected[kind], f"{verdict.title} ({verdict.score}), held by {held}"


def test_every_failure_scores_below_every_success(memos) -> None:
    scores = {p.stem: (_class(p), memos[p.stem].verdict.score) for p in CASES}
    failures = {k: s for k, (c, s) in scores.items() if c == "F"}
    successes = {k: s for k, (c, s) in scores.items() if c == "S"}
    assert max(failures.values()) < min(successes.values()), (failures, successes)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_a_case_is_answered_from_its_facts(path: Path) -> None:
    """Every answer carries a note that traces it to the facts, and the bank fits the case."""
    answers, _ = read_answers(path, None)
    assert answers.bank.version == "2.0.0"
    without_note = [
        q
        for q, a in answers.given.items()
        if not (a.note or "").strip() and answers.bank.questions[q].type != "text"
    ]
    assert without_note == [], "every answer but a text (which is the fact) cites a fact"
    view = answers.view()
    forced = [
        q
        for q, a in answers.given.items()
        if view.state(q) == "unknown" and "no choice fits" in (a.note or "").lower()
    ]
    assert forced == [], "no question forced a don't know for want of a fitting choice"
