"""Bank 2.1.0 shapes: no predecessor, a rewrite under way, and what carries over from 2.0.0.

A new system with no predecessor is not a rewrite: one question applies and the memo says so
in its own words. A rewrite under way is judged on the work still ahead: what has been spent
never raises a score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES

from rewrite_advisor.answers import Answer, load_answers
from rewrite_advisor.bank import load_bank
from rewrite_advisor.cli import build_memo, read_answers
from rewrite_advisor.scoring.model2 import knowledge, scoring_of
from rewrite_advisor.upgrade import carry_over

SHAPES = EXAMPLES / "shapes"
NO_PREDECESSOR = SHAPES / "new-system-no-predecessor.yaml"
SLIPPED = SHAPES / "segment-by-segment-slipped.yaml"
START = SHAPES / "segment-by-segment.yaml"
PROGRESS = [
    "started_on",
    "planned_finish_at_start",
    "expected_finish_now",
    "planned_spend_by_now",
    "spent_so_far",
    "live_so_far",
    "remaining_work_known",
    "kill_criteria_status",
    "continue_reason",
]


def test_with_no_predecessor_only_the_first_question_applies() -> None:
    answers, _ = read_answers(NO_PREDECESSOR, None)
    view = answers.view()
    applying = [q for q in answers.bank.questions if view.state(q) != "skipped"]
    assert applying == ["replaces_system"]


def test_with_no_predecessor_the_memo_says_it_is_not_a_rewrite(run) -> None:
    memo = json.loads(run("report", NO_PREDECESSOR, "--format", "json").out)
    assert memo["verdict"]["id"] == "dont_rewrite"
    assert memo["verdict"]["summary"].startswith("This is not a rewrite")
    assert memo["summary"]["decision"].startswith("This is not a rewrite")
    assert "current system" not in memo["summary"]["decision"]
    assert [f["rule"] for f in memo["findings"]] == ["not-a-rewrite"]
    md = run("report", NO_PREDECESSOR, "--format", "md").out
    assert "Nothing is known yet" not in md
    assert "Improve the current system" not in md


def test_an_unanswered_first_question_asks_every_section() -> None:
    """Files made before 2.1.0 do not answer it: nothing they answer stops applying."""
    old = FIXTURES / "bank-2.0.0" / "go-billing-strangler.yaml"
    earlier = load_answers(old, load_bank(Path(__file__).parents[1] / "questions/archive/2.0.0"))
    carried = carry_over(earlier, load_bank())
    assert carried.dropped == []
    view = carried.answers.view()
    assert [q for q in earlier.given if view.state(q) == "skipped"] == []


def test_the_progress_questions_apply_only_once_work_has_started() -> None:
    start, _ = read_answers(START, None)
    now, _ = read_answers(SLIPPED, None)
    assert {q for q in PROGRESS if start.view().state(q) != "skipped"} == set()
    assert {q for q in PROGRESS if now.view().state(q) == "skipped"} == set()


def test_the_slipped_rewrite_is_held_and_says_why() -> None:
    verdict = build_memo(SLIPPED, None).verdict
    held = {r.ref for r in verdict.reasons if r.caps == "not_yet"}
    assert verdict.id == "not_yet"
    assert {"stop-condition-met-ignored", "sunk-cost-reason"} <= held


def _score(answers) -> int:
    from rewrite_advisor.scoring.model2 import judge

    confidence = {q: a.confidence for q, a in answers.given.items()}
    return judge(answers.bank, answers.view(), confidence).score


@pytest.mark.parametrize(
    ("qid", "low", "high"),
    [
        ("spent_so_far", 0, 50_000_000),
        ("continue_reason", "value_ahead", "already_spent"),
    ],
)
def test_what_has_been_spent_never_raises_the_score(qid: str, low, high) -> None:
    """More spent, or the money spent given as the reason, is never a better score.

    What is live is different: stopping keeps it, so it may count.
    """
    answers, _ = read_answers(SLIPPED, None)
    answers.given["continue_reason"] = Answer("known", "value_ahead")
    answers.given["kill_criteria_status"] = Answer("known", "none_met")
    answers.given["user_training"] = Answer("known", "before")
    scores = []
    for value in (low, high):
        answers.given[qid] = Answer("known", value)
        scores.append(_score(answers))
    assert scores[1] <= scores[0]


def test_the_new_questions_do_not_move_how_much_is_known() -> None:
    """Answering every question new in 2.1.0 leaves knowledge where it was."""
    answers, _ = read_answers(SLIPPED, None)
    bank = answers.bank
    confidence = {q: a.confidence for q, a in answers.given.items()}
    before, _ = knowledge(
        scoring_of(bank), list(bank.questions.values()), answers.view(), confidence
    )
    for qid in [*PROGRESS, "stage", "replaces_system", "other_goals", "other_reasons"]:
        answers.given.pop(qid)
    answers.given["process_change"] = Answer("unknown", None)
    after, _ = knowledge(
        scoring_of(bank), list(bank.questions.values()), answers.view(), confidence
    )
    assert before == after


def test_a_slipped_date_is_a_finding_not_a_typo() -> None:
    """assess asks again after a rule that only compares two dates (a contradiction); the
    progress rules compare dates too, but a later finish is a finding, never asked again."""
    from rewrite_advisor.conditions import Compare, QuestionRef

    bank = load_bank()
    bare = [
        r.id
        for r in bank.rules
        if isinstance(r.when, Compare)
        and isinstance(r.when.operand, QuestionRef)
        and all(
            bank.questions[q].type == "date" for q in (r.when.question, r.when.operand.question)
        )
    ]
    assert bare == ["switch-dates-contradict"]


def test_carrying_on_with_no_value_put_on_finishing_is_a_risk() -> None:
    """The decision to carry on weighs the cost still ahead against the value of finishing:
    with no figure for that value, it is weighed against nothing."""
    from rewrite_advisor.scoring.model2 import fired

    def rules(path: Path, **given: Answer) -> set[str]:
        answers, _ = read_answers(path, None)
        answers.given.update(given)
        return {r.id for r in fired(answers.bank, answers.view())}

    assert "value-ahead-unknown" in rules(SLIPPED)
    assert "value-ahead-unknown" not in rules(SLIPPED, yearly_benefit=Answer("known", 900_000))
    assert "value-ahead-unknown" not in rules(START), "a plan not yet started is not asked"
