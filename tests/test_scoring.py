"""Conditions, findings, section scores and the verdict, on the mini bank."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_ANSWERS, MINI_BANK

from rewrite_advisor import yamlio
from rewrite_advisor.answers import bind, parse_answers
from rewrite_advisor.bank import load_bank
from rewrite_advisor.conditions import AnswerView, Compare, evaluate
from rewrite_advisor.engine import assess
from rewrite_advisor.memo import Memo


def memo_for(answers: dict[str, Any], bank_dir: Path = MINI_BANK) -> Memo:
    data = yamlio.read(MINI_ANSWERS).data
    data["answers"] = answers
    doc = yamlio.Document("answers.yaml", data)
    bank = load_bank(bank_dir)
    return assess(bind(parse_answers(doc), bank, doc), data, date(2026, 1, 1))


GOOD = {
    "motive": "customer",
    "goals": ["revenue", "cost"],
    "shares_data": False,
    "freeze": 1,
    "go_live": "2027-01-01",
    "story": "A note in the product",
}


def rules_fired(memo: Memo) -> set[str]:
    return {f.rule for f in memo.findings}


def test_a_clean_assessment_is_go() -> None:
    memo = memo_for(GOOD)
    assert memo.verdict.id == "go"
    assert memo.verdict.title == "Go"
    assert rules_fired(memo) == {"customer-first"}
    assert memo.unanswered == []
    assert memo.applicable == 6  # sync_cost does not apply when no data is shared


def test_blocker_with_cap_gives_dont_rewrite() -> None:
    memo = memo_for({**GOOD, "motive": "fashion"})
    assert memo.verdict.id == "dont_rewrite"
    assert "fashion" in rules_fired(memo)
    assert memo.verdict.reasons[0].ref == "fashion"


def test_high_finding_gives_go_with_conditions() -> None:
    memo = memo_for({**GOOD, "freeze": 9})
    assert "long-freeze" in rules_fired(memo)
    assert memo.verdict.id == "go_with_conditions"


def test_rule_stays_silent_on_boundary() -> None:
    assert "long-freeze" not in rules_fired(memo_for({**GOOD, "freeze": 6}))


def test_not_fires_only_on_a_known_answer() -> None:
    # "Cost is not a goal" must not fire when nobody knows the goals.
    assert "no-cost-goal" in rules_fired(memo_for({**GOOD, "goals": ["revenue"]}))
    assert "no-cost-goal" not in rules_fired(memo_for({**GOOD, "goals": {"dont_know": True}}))


def test_unknown_critical_answer_holds_verdict_at_not_yet() -> None:
    memo = memo_for(
        {**GOOD, "shares_data": True, "sync_cost": {"dont_know": True, "note": "ask finance"}}
    )
    assert memo.verdict.id == "not_yet"
    assert "sync-unknown" in rules_fired(memo)
    held = [r for r in memo.verdict.reasons if r.kind == "open_question"]
    assert [r.ref for r in held] == ["sync_cost"]
    open_q = memo.open_questions[0]
    assert (open_q.question, open_q.reason, open_q.critical, open_q.note) == (
        "sync_cost",
        "unknown",
        True,
        "ask finance",
    )


def test_when_makes_a_question_apply() -> None:
    memo = memo_for({**GOOD, "shares_data": True})
    assert memo.unanswered == ["sync_cost"]
    assert memo.verdict.id == "not_yet"  # a critical question left unanswered


def test_partial_answers_render_and_list_what_is_unanswered() -> None:
    memo = memo_for({"motive": "customer"})
    # sync_cost may apply (it depends on shares_data, itself unanswered), so it is listed too.
    assert memo.unanswered == ["goals", "shares_data", "sync_cost", "freeze", "go_live", "story"]
    assert memo.answered == 1
    assert memo.verdict.id in ("not_yet", "go_with_conditions")


def test_empty_answers_are_not_yet() -> None:
    memo = memo_for({})
    assert memo.verdict.id == "not_yet"
    assert any(r.kind == "open_question" and r.ref == "motive" for r in memo.verdict.reasons)


def test_guess_becomes_an_open_question() -> None:
    memo = memo_for({**GOOD, "go_live": {"value": "2027-01-01", "confidence": "guess"}})
    assert [(o.question, o.reason) for o in memo.open_questions] == [("go_live", "guess")]


def test_section_scores_follow_penalties() -> None:
    memo = memo_for({**GOOD, "freeze": 9, "goals": ["revenue"]})
    scores = {s.id: s.score for s in memo.sections}
    assert scores["how"] == 100 - 25  # one high finding
    assert scores["why"] == 100  # one low finding (-5) and one strength (+6), capped at 100
    assert memo.verdict.score == round((75 + 100) / 2)
    unknown = memo_for(
        {
            **GOOD,
            "go_live": {"dont_know": True},
            "goals": ["revenue"],
            "motive": {"dont_know": True},
        }
    )
    scores = {s.id: s.score for s in unknown.sections}
    assert scores["how"] == 100 - 4  # a plain unknown
    assert scores["why"] == 100 - 5 - 12  # a low finding and a critical unknown


@pytest.mark.parametrize(
    ("go", "go_with_conditions", "expected"),
    [(99, 0, "go_with_conditions"), (99, 99, "not_yet"), (98, 98, "go"), (0, 0, "go")],
)
def test_verdict_thresholds(
    mini_bank: Path, go: int, go_with_conditions: int, expected: str
) -> None:
    rules = mini_bank / "rules.yaml"
    text = rules.read_text().replace(
        "{go: 75, go_with_conditions: 55}",
        f"{{go: {go}, go_with_conditions: {go_with_conditions}}}",
    )
    rules.write_text(text)
    # One unknown, non-critical answer: "how" scores 96, "why" 100, overall 98.
    memo = memo_for({**GOOD, "go_live": {"dont_know": True}}, mini_bank)
    assert memo.verdict.score == 98
    assert memo.verdict.id == expected


def test_findings_keep_the_answers_that_triggered_them() -> None:
    memo = memo_for({**GOOD, "shares_data": True, "sync_cost": {"dont_know": True}})
    finding = next(f for f in memo.findings if f.rule == "sync-unknown")
    assert [(t.question, t.state, t.answer) for t in finding.trace] == [
        ("shares_data", "known", "Yes"),
        ("sync_cost", "unknown", None),
    ]


def test_three_valued_logic() -> None:
    view = AnswerView({"a": "unknown", "b": "known"}, {"b": 3})
    unknown = Compare(question="a", equals=1)
    assert evaluate(unknown, view) is None
    assert evaluate(Compare.model_validate({"question": "b", "gt": 2}), view) is True
    from rewrite_advisor.conditions import All, Any_, Not

    assert evaluate(Not.model_validate({"not": unknown}), view) is None
    assert (
        evaluate(Any_.model_validate({"any": [unknown, {"question": "b", "equals": 3}]}), view)
        is True
    )
    assert (
        evaluate(All.model_validate({"all": [unknown, {"question": "b", "equals": 4}]}), view)
        is False
    )
    assert evaluate(Compare.model_validate({"question": "a", "is": "unknown"}), view) is True
    assert evaluate(Compare.model_validate({"question": "zz", "is": "unanswered"}), view) is True


def test_compare_two_answers_and_dates() -> None:
    view = AnswerView({"a": "known", "b": "known"}, {"a": date(2027, 1, 1), "b": date(2027, 6, 1)})
    assert (
        evaluate(Compare.model_validate({"question": "a", "lt": {"question": "b"}}), view) is True
    )
    assert evaluate(Compare.model_validate({"question": "a", "gte": "2027-01-01"}), view) is True


def test_json_memo_carries_verdict_scores_findings_trace_and_answers(run) -> None:
    result = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", "-", "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["kind"] == "rewrite-advisor/memo"
    assert data["verdict"]["id"] == "go"
    assert {s["id"] for s in data["sections"]} == {"why", "how"}
    assert data["findings"][0]["trace"][0]["question"] == "motive"
    assert data["answers"]["answers"]["sync_cost"]["note"] == "two engineers for a quarter"
    Memo.model_validate(data)  # the JSON reads back as the documented model


@pytest.mark.parametrize("state", ["known", "unknown", "unanswered"])
def test_a_question_not_counted_in_knowledge_leaves_knowledge_alone(state: str) -> None:
    """Answered, "don't know" or left out, a memo-only question does not move knowledge; it
    is still counted among the questions that apply."""
    from rewrite_advisor.bank import Question
    from rewrite_advisor.scoring.model2 import knowledge, scoring_of

    scoring = scoring_of(load_bank())
    counted = [
        Question(id="motive", type="yesno", text="Why?", help="h", critical=True),
        Question(id="freeze", type="number", text="How long?", help="h"),
        Question(id="other", type="yesno", text="Other?", help="h"),
    ]
    memo_only = Question(
        id="cost", type="number", text="Cost?", help="h", counts_in_knowledge=False
    )
    states = {"motive": "known", "freeze": "known", "other": "unknown", "cost": state}
    values = {"motive": True, "freeze": 3, "cost": 100}
    view = AnswerView(states, values)
    alone, applicable = knowledge(scoring, counted, view, {})
    assert (alone, applicable) == (0.75, 3)
    assert knowledge(scoring, [*counted, memo_only], view, {}) == (alone, 4)
    assert knowledge(scoring, [*counted, memo_only], view, {"cost": "guess"}) == (alone, 4)
    only = knowledge(scoring, [memo_only], view, {})
    assert only == (0.0, 1), "nothing that counts is known"
