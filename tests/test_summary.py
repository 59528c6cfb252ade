"""The executive summary tells the truth: each rule of what page 1 may say, over every example,
shape and calibration case.

The summary is built once (``Memo.summary``); the renderers only show it, and their own tests
check that every format shows the same one. Here each claim it makes is checked against the
answers, by scoring them again the way the memo does.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from rewrite_advisor import yamlio
from rewrite_advisor.answers import bind, parse_answers
from rewrite_advisor.bank import VERDICTS, load_bank
from rewrite_advisor.engine import assess
from rewrite_advisor.memo import Memo
from rewrite_advisor.scoring.model2 import constants_of, domain

BANK = load_bank()
BANK_RULES = BANK.rules
FILES = sorted(
    [
        *EXAMPLES.glob("*.yaml"),
        *(EXAMPLES / "cases").glob("*.yaml"),
        *(EXAMPLES / "shapes").glob("*.yaml"),
    ]
)
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]


def memo_of(data: dict[str, Any]) -> Memo:
    doc = yamlio.Document("answers.yaml", data)
    return assess(bind(parse_answers(doc), BANK, doc), data, date(2026, 1, 1))


_MEMOS: dict[Path, tuple[dict[str, Any], Memo]] = {}


def example(path: Path) -> tuple[dict[str, Any], Memo]:
    if path not in _MEMOS:
        data = yamlio.read(path).data
        _MEMOS[path] = (data, memo_of(copy.deepcopy(data)))
    return _MEMOS[path]


def worse(a: str, b: str) -> str:
    return a if VERDICTS.index(a) >= VERDICTS.index(b) else b


def with_answer(data: dict[str, Any], qid: str, entry: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    changed["answers"][qid] = entry
    return changed


def entry_of(data: dict[str, Any], qid: str) -> dict[str, Any]:
    raw = data["answers"].get(qid)
    return dict(raw) if isinstance(raw, dict) else {"value": raw}


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_ask_gives_the_verdict_it_promises(path: Path) -> None:
    data, memo = example(path)
    summary = memo.summary
    assert summary is not None
    assert len(summary.asks) <= 5
    for ask in summary.asks:
        assert ask.question is not None
        if ask.kind == "guess":
            entry = {**entry_of(data, ask.question), "confidence": "sure"}
        else:
            note = entry_of(data, ask.question).get("note")
            entry = {"value": ask.value, **({"note": note} if note else {})}
        redone = memo_of(with_answer(data, ask.question, entry))
        assert redone.verdict.id == ask.becomes, (ask.text, ask.question, ask.value)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_no_single_step_is_claimed_only_where_none_moves_the_verdict(path: Path) -> None:
    _, memo = example(path)
    summary = memo.summary
    assert summary is not None
    moving = [
        a for a in summary.asks if VERDICTS.index(a.becomes) < VERDICTS.index(memo.verdict.id)
    ]
    if summary.asks_note and summary.asks_note.startswith("No single step"):
        assert not moving
    if memo.verdict.id != "go" and summary.asks and not moving:
        assert summary.asks_note, "where no ask moves the verdict alone, the summary says so"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_the_verdict_the_range_and_what_holds_it_agree(path: Path) -> None:
    _, memo = example(path)
    verdict = memo.verdict
    span = verdict.range
    held_open = [r for r in verdict.reasons if r.kind == "open_question"]
    if (
        span is not None
        and span.exact
        and VERDICTS.index(span.worst) <= VERDICTS.index("go_with_conditions")
    ):
        # However the open questions are answered the plan is at least Go with conditions.
        assert verdict.id == worse(span.worst, "go_with_conditions")
        assert all(r.caps == verdict.id for r in held_open)
    if span is not None and span.exact and span.best == span.worst:
        assert verdict.id in (span.best, worse(span.best, "go_with_conditions"))
    holders = [r for r in verdict.reasons if r.caps == verdict.id]
    if verdict.id == "not_yet" and holders and all(r.kind == "open_question" for r in holders):
        # "Held by a don't know" is true only if some answer to it keeps the plan back.
        assert span is not None
        assert not span.exact or VERDICTS.index(span.worst) > VERDICTS.index("go_with_conditions")
    summary = memo.summary
    assert summary is not None
    listed = {r.ref for r in summary.reasons if r.kind in ("open_question", "guess", "dispute")}
    assert listed <= {r.ref for r in holders}, "a don't know is listed only where it holds"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_provisional_only_where_a_guess_can_change_the_verdict(path: Path) -> None:
    data, memo = example(path)
    summary = memo.summary
    assert summary is not None
    assert summary.status.startswith("Provisional") == bool(memo.verdict.provisional)
    assert summary.settled == (
        not memo.verdict.provisional
        and (
            memo.verdict.range is None
            or (
                memo.verdict.range.exact
                and memo.verdict.range.best == memo.verdict.range.worst == memo.verdict.id
            )
        )
    )
    view_guesses = [
        q
        for q, raw in data["answers"].items()
        if isinstance(raw, dict) and raw.get("confidence") == "guess" and "value" in raw
    ]
    for qid in memo.verdict.provisional or []:
        assert qid in view_guesses, "only the team's own guesses make a verdict provisional"
    if memo.verdict.provisional:
        # Some way of confirming or correcting the guesses changes the verdict.
        constants = constants_of(BANK)
        changed = False
        for qid in memo.verdict.provisional:
            sure = with_answer(data, qid, {**entry_of(data, qid), "confidence": "sure"})
            if memo_of(sure).verdict.id != memo.verdict.id:
                changed = True
                break
            for value in domain(BANK.questions[qid], constants.get(qid, set()), {}):
                shown = value.isoformat() if isinstance(value, date) else value
                if memo_of(with_answer(data, qid, {"value": shown})).verdict.id != memo.verdict.id:
                    changed = True
                    break
            if changed:
                break
        assert changed
    else:
        # Each guess confirmed alone leaves the verdict where it is.
        for qid in view_guesses:
            question = BANK.questions.get(qid)
            if question is None:
                continue
            sure = with_answer(data, qid, {**entry_of(data, qid), "confidence": "sure"})
            assert memo_of(sure).verdict.id == memo.verdict.id, qid


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_lines_say_not_known_and_carry_only_the_teams_labels(path: Path) -> None:
    data, memo = example(path)
    summary = memo.summary
    assert summary is not None
    lines = [*summary.case, *summary.cost, summary.stop_conditions, summary.review_date]
    for line in lines:
        if not line.known:
            assert "not known" in line.text or "disputed" in line.text, line
        if line.confidence is not None:
            given = {
                entry_of(data, q).get("confidence") for q in line.questions if q in data["answers"]
            }
            assert line.confidence in given, (line.label, line.confidence, given)
    labels = [line.label for line in summary.cost]
    assert labels[:4] == ["People and time", "Total cost", "Expected benefit", "Feature freeze"]
    for text in [summary.decision, summary.status, *(a.text for a in summary.asks)]:
        assert "…" not in text and "..." not in text, "nothing on page 1 is cut short"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_the_decision_is_worded_for_how_far_the_plan_is_from_ready(path: Path) -> None:
    _, memo = example(path)
    summary = memo.summary
    assert summary is not None
    blockers = [f for f in memo.risks if f.severity == "blocker"]
    decision = summary.decision
    worded = [r.decision for r in BANK_RULES if r.decision and r.id in {f.rule for f in blockers}]
    under_way = any(line.label == "Finish expected" for line in summary.cost)
    if memo.verdict.id == "dont_rewrite" and worded:
        assert decision == worded[0] == memo.verdict.summary, "a finding's own words, once"
    elif memo.verdict.id == "dont_rewrite":
        assert decision.startswith("Decline")
    elif memo.verdict.id == "not_yet" and (blockers or memo.verdict.score < 20):
        expected = "Do not carry on as planned" if under_way else "Do not approve this plan"
        assert decision.startswith(expected)
    elif memo.verdict.id in ("go", "go_with_conditions"):
        assert decision.startswith("Carry on" if under_way else "Approve")
    if "not a no" in decision:
        span = memo.verdict.range
        assert not blockers and span is not None and span.best in ("go", "go_with_conditions")
    if memo.verdict.id != "go":
        assert summary.risks or summary.reasons
    if not worded:  # "not a rewrite": the ways rewrites fail do not apply
        assert summary.risks, "every plan names how plans like it usually fail"


def test_the_summary_is_in_the_memo_schema_and_the_json() -> None:
    _, memo = example(EXAMPLES / "go-billing-strangler.yaml")
    dumped = memo.model_dump(mode="json")
    assert dumped["summary"]["decision"] == memo.summary.decision if memo.summary else False
    assert "summary" in Memo.model_json_schema()["properties"]


def test_cost_and_time_read_from_the_answers() -> None:
    _, memo = example(EXAMPLES / "go-billing-strangler.yaml")
    assert memo.summary is not None
    cost = {line.label: line for line in memo.summary.cost}
    assert cost["People and time"].text == "7 people × 14 months = 98 person-months"
    assert cost["People and time"].confidence == "estimate", "the duration is an estimate"
    assert cost["Old system switched off"].text == "2027-12-15"


def test_a_rewrite_under_way_shows_its_spend_and_slip_and_is_asked_whether_to_carry_on() -> None:
    data, memo = example(EXAMPLES / "shapes" / "segment-by-segment-slipped.yaml")
    assert memo.summary is not None
    cost = {line.label: line for line in memo.summary.cost}
    assert cost["Spent so far"].text == (
        "3,900,000 USD, against 3,100,000 USD planned by now (26% over); 4,000,000 USD still to "
        "spend, with 1,600,000 USD of the budget left"
    )
    assert cost["Spent so far"].known
    assert cost["Spent so far"].confidence == "estimate", "what is left rests on the total"
    over = with_answer(data, "spent_so_far", {"value": 6000000})
    lines = {line.label: line.text for line in memo_of(over).summary.cost}  # type: ignore[union-attr]
    assert lines["Spent so far"].endswith(
        "1,900,000 USD still to spend, with the budget already 500,000 USD overspent"
    )
    assert cost["Finish expected"].text == (
        "2029-12-15, against 2028-12-15 planned at the start (12 months late)"
    )
    assert cost["Finish expected"].confidence == "estimate", "the new date is the team's estimate"
    assert memo.summary.decision.startswith("Do not carry on as planned")
    assert "approve" not in memo.summary.decision.lower()

    unknown = with_answer(data, "planned_spend_by_now", {"dont_know": True})
    cost = {line.label: line for line in memo_of(unknown).summary.cost}  # type: ignore[union-attr]
    assert "the plan's figure for now is not known" in cost["Spent so far"].text
    assert not cost["Spent so far"].known

    planning = example(EXAMPLES / "go-billing-strangler.yaml")[1].summary
    assert planning is not None
    assert not {"Spent so far", "Finish expected"} & {line.label for line in planning.cost}


def test_a_team_memo_asks_the_team_before_leadership(run) -> None:
    import json

    files = sorted((EXAMPLES / "workshop").glob("*.yaml"))
    memo = json.loads(run("report", *files, "--format", "json").out)
    summary, verdict = memo["summary"], memo["verdict"]
    assert summary["decision"].startswith("Not ready for a decision: the team disagrees on 7")
    assert summary["known"]["disputed"] == 7
    known = summary["known"]
    parts = known["answered"] + known["dont_know"] + known["unanswered"] + known["disputed"]
    assert parts == known["applicable"], "each question counted once: the four add up"
    assert not (verdict["score"] == 100 and verdict["id"] == "not_yet")
    assert verdict["knowledge"] < 100, "a disputed question that matters is not known"
    kinds = {(r["kind"], r["ref"]) for r in summary["reasons"]}
    assert all(kind == "dispute" for kind, _ in kinds), "listed once, as a dispute"
    assert summary["asks"][0]["text"].startswith("Settle the dispute")
    cost = {line["label"]: line for line in summary["cost"]}
    assert "disputed" in cost["Total cost"]["text"], "Ana and Ben gave different totals"
    assert not cost["Total cost"]["known"]


def test_a_failure_mode_is_not_known_where_its_safeguards_are_unanswered_and_broken_by_a_finding() -> (
    None
):
    data, memo = example(EXAMPLES / "go-billing-strangler.yaml")
    risks = {r.id: r for r in memo.summary.risks} if memo.summary else {}
    assert risks["behaviour-lost"].state == "held"
    changed = copy.deepcopy(data)
    for qid in ("verification", "characterization_tests", "hidden_behaviour"):
        changed["answers"].pop(qid, None)
    changed["answers"]["total_cost"] = {"value": 2_500_000}
    redone = memo_of(changed)
    assert redone.summary is not None
    states = {r.id: r for r in redone.summary.risks}
    assert states["behaviour-lost"].state == "not_known", "unanswered is not 'not held'"
    assert states["behaviour-lost"].text.startswith("Not known yet")
    unchecked = states["runs-on-unchecked"]
    assert unchecked.state == "not_held" and "above the budget" in unchecked.text


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_a_score_above_a_threshold_says_what_holds_the_verdict_below_it(path: Path) -> None:
    _, memo = example(path)
    assert memo.summary is not None
    verdict, held = memo.verdict, memo.summary.known.held
    below = VERDICTS.index(verdict.id) > VERDICTS.index(verdict.score_allows)
    declined = verdict.id == "dont_rewrite"  # its decision names the finding that declines it
    assert (held is not None) == (below and not declined), held
    if held is not None:
        assert held.startswith(f"The score alone would allow {verdict.score_allows_title}")
        assert f"held at {verdict.title}" in held


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_an_ask_is_never_due_on_a_date_already_past(path: Path) -> None:
    data, memo = example(path)
    assert memo.summary is not None
    memo_date = date.fromisoformat(str(data["date"]))
    for ask in memo.summary.asks:
        for word in ask.by.split():
            try:
                due = date.fromisoformat(word)
            except ValueError:
                continue
            assert due >= memo_date, (ask.text, ask.by)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_a_rising_score_enough_for_a_better_verdict_says_what_else_holds_it(path: Path) -> None:
    _, memo = example(path)
    assert memo.summary is not None
    for ask in memo.summary.asks:
        if "other reasons still hold the verdict" in ask.outcome:
            assert ask.outcome.startswith(("the verdict stays", "alone, the verdict stays"))
            assert re.search(r"from \d+ to (\d+), above the (\d+) that", ask.outcome)


def test_one_switch_reads_as_the_old_system_kept_and_a_way_back_is_not_go_live_gates() -> None:
    _, memo = example(EXAMPLES / "shapes" / "bought-replacement.yaml")
    assert memo.summary is not None
    cost = {line.label: line.text for line in memo.summary.cost}
    assert "Old and new side by side" not in cost, "everything switches on one date"
    assert cost["Old system kept after the switch"] == "41 days (2027-09-20 to 2027-10-31)"
    risks = {risk.id: risk for risk in memo.summary.risks}
    way_back = risks["switch-without-way-back"]
    assert way_back.state == "not_held", "written go-live criteria are not a way back"

    data, _ = example(EXAMPLES / "shapes" / "bought-replacement.yaml")
    same_day = with_answer(data, "switch_off_date", {"value": "2027-09-20"})
    cost = {line.label: line.text for line in memo_of(same_day).summary.cost}  # type: ignore[union-attr]
    assert cost["Old system kept after the switch"].startswith(
        "none: the old system is switched off the day the new one starts (2027-09-20)"
    )


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_what_is_known_adds_up_to_the_questions_that_apply(path: Path) -> None:
    _, memo = example(path)
    assert memo.summary is not None
    k = memo.summary.known
    assert k.answered + k.dont_know + k.unanswered + k.disputed == k.applicable


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_a_score_of_zero_with_answers_known_says_why(path: Path) -> None:
    _, memo = example(path)
    assert memo.summary is not None
    known = memo.summary.known
    zero = memo.verdict.score == 0 and memo.verdict.quality == 0 and known.answered > 0
    assert (known.why_zero is not None) == zero


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_why_the_verdict_is_never_an_empty_heading(path: Path) -> None:
    _, memo = example(path)
    assert memo.summary is not None
    if memo.verdict.id != "go":
        assert memo.summary.reasons, "the heading 'Why <verdict>' has something under it"


def test_a_section_that_hangs_on_an_open_question_does_not_read_as_not_applying() -> None:
    """With what moves not known, the customers' section was 'does not apply' in Appendix D
    while Appendix E listed its answered questions."""
    from rewrite_advisor.render import render_markdown

    data, planned = example(EXAMPLES / "go-billing-strangler.yaml")
    memo = memo_of(with_answer(data, "moves", {"dont_know": True}))
    sections = {s.id: s for s in memo.sections}
    assert sections["customers"].applicable == 0 and (sections["customers"].may_apply or 0) > 0
    assert (
        "| New and existing customers | applies only if an open question is answered one way"
        in (render_markdown(memo))
    )
    progress = {s.id: s for s in planned.sections}["progress"]
    assert progress.applicable == 0 and progress.may_apply is None, "a plan not yet started"
    assert "| A rewrite already under way | does not apply |" in render_markdown(planned)


def test_the_expected_benefit_and_the_years_to_pay_back_are_on_page_1() -> None:
    """A leader could not find what the rewrite brings against what it costs."""
    data, memo = example(EXAMPLES / "go-billing-strangler.yaml")
    assert memo.summary is not None
    cost = {line.label: line for line in memo.summary.cost}
    benefit = cost["Expected benefit"]
    assert benefit.text == "1,200,000 USD a year; the total cost is paid back in about 1.4 years"
    assert benefit.confidence == "estimate" and benefit.known
    no_total = with_answer(data, "total_cost", {"dont_know": True})
    lines = {line.label: line.text for line in memo_of(no_total).summary.cost}  # type: ignore[union-attr]
    assert lines["Expected benefit"] == "1,200,000 USD a year", "no payback without a total"
    none = with_answer(data, "yearly_benefit", {"value": 0})
    lines = {line.label: line.text for line in memo_of(none).summary.cost}  # type: ignore[union-attr]
    assert lines["Expected benefit"] == "none in money"
    _, declined = example(EXAMPLES / "dont-rewrite-fashion.yaml")
    assert declined.summary is not None
    lines = {line.label: line.text for line in declined.summary.cost}
    assert lines["Expected benefit"] == "not known"


def test_an_ask_is_scored_only_with_what_doing_it_makes_true() -> None:
    """A stop condition met in the past cannot become 'none has been met': the ask to take
    the decision it called for is scored with the condition met and decided on (fixed_by)."""
    _, memo = example(EXAMPLES / "shapes" / "segment-by-segment-slipped.yaml")
    assert memo.summary is not None
    ask = next(a for a in memo.summary.asks if a.ref == "stop-condition-met-ignored")
    assert ask.value == "met_and_decided"
    assert ask.answer is not None and ask.answer.startswith("One was met, and leadership decided")
