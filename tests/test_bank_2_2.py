"""Bank 2.2.0: features people lose on the day they must move, plans longer than five years,
and a new system tested on its own.

Each was found by answering documented rewrites blind to their outcomes: the bank had no
honest choice for them, or no rule for a risk their facts showed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES

from rewrite_advisor.answers import Answer, Answers
from rewrite_advisor.cli import read_answers
from rewrite_advisor.engine import verdict_of
from rewrite_advisor.scoring.model2 import fired

SHAPES = EXAMPLES / "shapes"
STRANGLER = SHAPES / "strangler-by-endpoint.yaml"
BESIDE_OLD = SHAPES / "new-product-beside-old.yaml"
SEGMENTS = SHAPES / "segment-by-segment.yaml"


def _with(path: Path, **given: Answer) -> Answers:
    answers, _ = read_answers(path, None)
    answers.given.update(given)
    return answers


def _rules(answers: Answers) -> set[str]:
    return {rule.id for rule in fired(answers.bank, answers.view())}


def test_the_day_people_move_is_asked_only_where_someone_must_move() -> None:
    """Not asked where the old system stays on purpose, nor where it is reworked in place."""
    assert _with(STRANGLER).view().state("parity_at_switch") != "skipped"
    assert _with(BESIDE_OLD).view().state("parity_at_switch") == "skipped"
    in_place = _with(STRANGLER, approach=Answer("known", "in_place"))
    assert in_place.view().state("parity_at_switch") == "skipped"
    for qid in ("approach", "old_system_end"):
        unknown = _with(STRANGLER, **{qid: Answer("unknown")})
        assert unknown.view().state("parity_at_switch") != "skipped", qid
        unanswered = _with(STRANGLER)
        unanswered.given.pop(qid)
        assert unanswered.view().state("parity_at_switch") != "skipped", qid


def test_gaps_nobody_has_listed_are_a_medium_risk() -> None:
    answers = _with(SEGMENTS, parity_at_switch=Answer("known", "not_listed"))
    rules = _rules(answers)
    assert "feature-gaps-not-listed" in rules and "features-taken-away" not in rules
    listed = verdict_of(_with(SEGMENTS, parity_at_switch=Answer("known", "gaps_agreed")))
    assert verdict_of(answers).score < listed.score


@pytest.mark.parametrize(
    ("parity", "taken_away"),
    [("gaps_open", True), ("gaps_agreed", False), ("full", False)],
)
def test_features_taken_away_from_people_who_must_move_is_a_high_risk(
    parity: str, taken_away: bool
) -> None:
    answers = _with(SEGMENTS, parity_at_switch=Answer("known", parity))
    assert ("features-taken-away" in _rules(answers)) is taken_away
    if taken_away:
        verdict = verdict_of(answers)
        assert verdict.id in ("go_with_conditions", "not_yet")
        assert any(r.ref == "features-taken-away" for r in verdict.reasons)


def test_gaps_agreed_with_those_who_use_them_score_as_well_as_no_gaps() -> None:
    agreed = verdict_of(_with(SEGMENTS, parity_at_switch=Answer("known", "gaps_agreed")))
    full = verdict_of(_with(SEGMENTS, parity_at_switch=Answer("known", "full")))
    open_ = verdict_of(_with(SEGMENTS, parity_at_switch=Answer("known", "gaps_open")))
    assert agreed.score == full.score > open_.score


@pytest.mark.parametrize(("months", "fires"), [(60, False), (61, True), (120, True)])
def test_a_plan_longer_than_five_years_is_a_high_risk(months: int, fires: bool) -> None:
    answers = _with(SEGMENTS, duration_months=Answer("known", months))
    rules = _rules(answers)
    assert ("plan-longer-than-five-years" in rules) is fires
    assert "long-rewrite" in rules, "the medium for more than two years still holds too"


def test_a_system_tested_only_on_its_own_is_not_compared_with_the_old() -> None:
    """Generated or randomised tests are a check, but not a comparison with the old system."""
    alone = _with(SEGMENTS, verification=Answer("known", ["tested_alone"]))
    rules = _rules(alone)
    assert "no-verification" not in rules and "spot-checks-only" not in rules
    assert "not-compared-with-old" in rules
    spot = _with(SEGMENTS, verification=Answer("known", ["spot_checks", "tested_alone"]))
    assert _rules(spot) & {"spot-checks-only", "not-compared-with-old"} == {"spot-checks-only"}
    pilot = _with(SEGMENTS, verification=Answer("known", ["pilot_users", "tested_alone"]))
    assert not _rules(pilot) & {"spot-checks-only", "not-compared-with-old", "no-verification"}


def test_tested_alone_cannot_be_given_with_no_check(tmp_path: Path, run) -> None:
    text = SEGMENTS.read_text(encoding="utf-8")
    start = text.index("  verification:")
    end = text.index("\n  ", text.index("\n", start) + 1)
    while text[end + 3] in " -":  # the list's items, indented below the key
        end = text.index("\n  ", end + 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text[:start] + "  verification: [tested_alone, none]" + text[end:], encoding="utf-8"
    )
    result = run("report", bad, "--format", "json")
    assert result.code == 2, result
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "'none' cannot be combined with other choices" in result.err
    assert "Traceback" not in result.err


def test_the_new_question_and_rules_reach_the_memo(run, tmp_path: Path) -> None:
    text = SEGMENTS.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("  parity_at_switch:"))
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        text.replace(
            line,
            '  parity_at_switch: {value: gaps_open, note: "Treasurers lose the yearly export."}',
        ),
        encoding="utf-8",
    )
    memo = json.loads(run("report", plan, "--format", "json").out)
    rules = [f["rule"] for f in memo["findings"]]
    assert "features-taken-away" in rules
    md = run("report", plan, "--format", "md").out
    assert "People must move to a system that lacks features they use" in md
    assert "Treasurers lose the yearly export." in md


def test_two_findings_cleared_by_the_same_answer_are_one_step() -> None:
    """A plan of ten years is over five and over two: one step shortens it, not two."""
    from rewrite_advisor.cli import build_memo

    memo = build_memo(Path(__file__).resolve().parents[1] / "cases" / "faa-aas.yaml", None)
    rules = {f.rule for f in memo.findings}
    assert {"plan-longer-than-five-years", "long-rewrite"} <= rules
    asks = memo.summary.asks
    changes = [(a.question, json.dumps(a.value, default=str)) for a in asks]
    assert len(changes) == len(set(changes)), [a.text for a in asks]
    duration = [a for a in asks if a.question == "duration_months"]
    assert [a.ref for a in duration] == ["plan-longer-than-five-years"]


def test_guesses_each_keep_their_ask() -> None:
    """Only findings cleared by the same change merge: each guess is its own step."""
    from rewrite_advisor.answers import Answer as A
    from rewrite_advisor.engine import assess

    answers, raw = read_answers(SEGMENTS, None)
    for qid in ("approach", "old_system_end", "scope"):
        given = answers.given[qid]
        answers.given[qid] = A(given.state, given.value, given.note, "guess")
    memo = assess(answers, raw, date(2027, 1, 1))
    held = {r.ref for r in memo.verdict.reasons if r.kind == "guess"}
    assert len(held) >= 2, held
    note = memo.summary.asks_note or ""
    # Confirming both guesses is part of reaching Go: had the second guess been dropped as a
    # duplicate of the first (both change no answer), no set of steps would reach it.
    assert "together to reach Go" in note or "done together, give Go" in note, note


def test_a_reason_on_page_1_names_its_answer_briefly() -> None:
    """A number behind a reason reads "Duration: 120 months", not the whole question."""
    from rewrite_advisor.cli import build_memo

    memo = build_memo(Path(__file__).resolve().parents[1] / "cases" / "faa-aas.yaml", None)
    reason = next(r for r in memo.summary.reasons if r.ref == "plan-longer-than-five-years")
    assert reason.answers == ["Duration: 120 months"]
    bank = read_answers(SEGMENTS, None)[0].bank
    unnamed = [
        q.id for q in bank.questions.values() if q.type not in ("single", "multi") and not q.short
    ]
    assert unnamed == [], "every question whose answer needs its question has a short name"
