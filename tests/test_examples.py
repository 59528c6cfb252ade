"""The bundled examples reach the verdicts they illustrate, for the reasons they illustrate."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES

CASES = {
    "go-billing-strangler.yaml": (
        "go",
        set(),
        {"incremental-with-parallel-run", "rollback-rehearsed"},
    ),
    "conditions-search-service.yaml": (
        "go_with_conditions",
        {"informal-kill-criteria", "communication-only-outlined"},
        {"clear-business-case"},
    ),
    "not-yet-unknowns.yaml": (
        "not_yet",
        {"two-way-sync-not-costed", "migration-dates-unknown"},
        set(),
    ),
    "dont-rewrite-fashion.yaml": (
        "dont_rewrite",
        {
            "no-customer-problem",
            "fashion-without-customer-problem",
            "big-bang-without-coexistence",
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
    assert memo["verdict"]["id"] == verdict
    fired = {f["rule"]: f["severity"] for f in memo["findings"]}
    assert risks <= {r for r, s in fired.items() if s != "strength"}
    assert strengths <= {r for r, s in fired.items() if s == "strength"}
    assert memo["unanswered"] == [], "examples answer every question that applies"


def test_not_yet_is_held_by_unknowns_that_matter(run) -> None:
    memo = json.loads(run("report", EXAMPLES / "not-yet-unknowns.yaml", "--format", "json").out)
    held = {r["ref"] for r in memo["verdict"]["reasons"] if r["kind"] == "open_question"}
    assert {"rollback_plan", "sync_build_cost", "last_migration_date"} <= held
    assert memo["verdict"]["score"] >= 75, "a high score alone does not make a Go"


def test_dont_rewrite_names_the_missing_business_motivation(run) -> None:
    md = run("report", EXAMPLES / "dont-rewrite-fashion.yaml").out
    assert "## Verdict: Don't rewrite" in md
    assert "- No customer problem is solved" in md
