"""The bundled examples reach the verdicts they illustrate, for the reasons they illustrate,
and the shape examples show that every real shape of rewrite can be answered truthfully."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES

from rewrite_advisor.cli import read_answers

CASES = {
    "go-billing-strangler.yaml": (
        "go",
        set(),
        {"compared-on-real-inputs", "way-back-ready", "staged-with-end-date"},
    ),
    "conditions-search-service.yaml": (
        "go_with_conditions",
        {"features-in-both-systems", "informal-kill-criteria", "spot-checks-only"},
        {"clear-business-case", "same-interface-step-by-step"},
    ),
    "not-yet-unknowns.yaml": (
        "not_yet",
        {"two-way-sync"},
        set(),
    ),
    "dont-rewrite-fashion.yaml": (
        "dont_rewrite",
        {
            "fashion-without-customer-problem",
            "everyone-at-once",
            "no-way-back-for-everyone",
            "no-rollback",
        },
        set(),
    ),
}


def test_every_example_is_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_verdict(run, name: str) -> None:
    verdict, risks, strengths = CASES[name]
    result = run("report", EXAMPLES / name, "--format", "json")
    assert result.code == 0, result.err
    memo = json.loads(result.out)
    assert memo["bank"]["version"] == "2.2.0"
    assert memo["verdict"]["id"] == verdict
    fired = {f["rule"]: f["severity"] for f in memo["findings"]}
    assert risks <= {r for r, s in fired.items() if s != "strength"}
    assert strengths <= {r for r, s in fired.items() if s == "strength"}
    assert memo["unanswered"] == [], "examples answer every question that applies"


def test_not_yet_is_held_by_unknowns_that_matter_and_says_what_would_change_it(run) -> None:
    memo = json.loads(run("report", EXAMPLES / "not-yet-unknowns.yaml", "--format", "json").out)
    verdict = memo["verdict"]
    held = {r["ref"] for r in verdict["reasons"] if r["kind"] == "open_question"}
    assert {"sync_build_cost", "switch_off_date"} <= held
    assert verdict["score_allows"] == "go_with_conditions", "the score alone would allow more"
    assert verdict["range"]["worst"] == "not_yet"
    assert set(verdict["range"]["questions"]) == held
    assert verdict["range"]["best"] == "go_with_conditions"


def test_dont_rewrite_names_the_motive(run) -> None:
    md = run("report", EXAMPLES / "dont-rewrite-fashion.yaml").out
    assert "## Verdict: Don't rewrite" in md
    assert "- **Blocker:** Driven by technology preference, not by customers" in md


# --- Every shape of rewrite can be answered truthfully ----------------------------------------

SHAPES = EXAMPLES / "shapes"

# For each shape, questions that must apply to it and questions that must not: a question
# that does not fit a shape is not asked, and one that does is.
SHAPE_FIT = {
    "whole-product-big-bang.yaml": (
        {"migration_plan", "switch_off_date", "migration_rehearsal", "feature_delivery"},
        {"app_rollout", "fit_gap"},
    ),
    "strangler-by-endpoint.yaml": (
        {"first_switch_date", "rollback_plan"},
        {"migration_plan", "new_clients_policy", "app_rollout", "fit_gap"},
    ),
    "service-by-traffic-share.yaml": (
        {"same_interface", "rollback_plan", "verification"},
        {"migration_plan", "new_clients_policy", "app_rollout"},
    ),
    "new-product-beside-old.yaml": (
        {"new_clients_policy", "customer_effort"},
        {"switch_off_date", "migration_plan", "app_rollout"},
    ),
    "segment-by-segment.yaml": (
        {"migration_plan", "sync_direction", "sync_build_cost", "sync_retirement"},
        {"app_rollout"},
    ),
    "bought-replacement.yaml": ({"fit_gap"}, {"app_rollout"}),
    "internal-staff-system.yaml": ({"user_training"}, {"competitor_activity", "app_rollout"}),
    "client-app-gradual-rollout.yaml": ({"app_rollout"}, {"migration_plan", "fit_gap"}),
    "client-app-general-release.yaml": (
        {"app_rollout", "migration_rehearsal", "reconciliation"},
        {"migration_plan", "fit_gap", "user_training", "started_on"},
    ),
    "partner-portal-agents-choose.yaml": (
        {"fit_gap", "user_training", "migration_plan", "reconciliation", "other_goals"},
        {"app_rollout", "sync_direction", "continue_reason"},
    ),
    "segment-by-segment-slipped.yaml": (
        {
            "sync_direction",
            "started_on",
            "planned_finish_at_start",
            "expected_finish_now",
            "spent_so_far",
            "live_so_far",
            "remaining_work_known",
            "kill_criteria_status",
            "continue_reason",
        },
        {"app_rollout", "fit_gap"},
    ),
    "new-system-no-predecessor.yaml": (
        {"replaces_system"},
        {"stage", "strategic_goal", "approach", "migration_plan", "data_moves", "kill_criteria"},
    ),
}


def test_every_shape_has_an_example() -> None:
    assert sorted(p.name for p in SHAPES.glob("*.yaml")) == sorted(SHAPE_FIT)


@pytest.mark.parametrize("name", sorted(SHAPE_FIT))
def test_a_shape_is_answered_whole_and_only_its_questions_apply(name: str) -> None:
    answers, _ = read_answers(SHAPES / name, None)
    view = answers.view()
    applies, skipped = SHAPE_FIT[name]
    assert {q for q in applies if view.state(q) == "skipped"} == set()
    assert {q for q in skipped if view.state(q) != "skipped"} == set()
    open_ = [q for q in answers.bank.questions if view.state(q) == "unanswered"]
    assert open_ == [], "every question that applies has an answer"
    forced = [
        q
        for q, a in answers.given.items()
        if view.state(q) == "unknown" and "no choice fits" in (a.note or "").lower()
    ]
    assert forced == [], "no question forced a don't know for want of a fitting choice"


@pytest.mark.parametrize("name", sorted(SHAPE_FIT))
def test_a_shape_example_renders_with_its_verdict_explained(run, tmp_path: Path, name: str) -> None:
    result = run("report", SHAPES / name, "--format", "json")
    assert result.code == 0, result.err
    verdict = json.loads(result.out)["verdict"]
    if verdict["id"] != "go":
        assert [r for r in verdict["reasons"] if r["caps"] == verdict["id"]], "something holds it"
