"""The verdict of the default bank (scoring model 2): what the score means, what each severity
does, unknowns and guesses, the verdict range, and one engine for every memo."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from rewrite_advisor import yamlio
from rewrite_advisor.answers import Answer, bind, parse_answers, resolve_view
from rewrite_advisor.bank import VERDICTS, ScoringV2, load_bank
from rewrite_advisor.conditions import AnswerView, compile_condition, evaluate, questions_in
from rewrite_advisor.engine import assess
from rewrite_advisor.memo import Memo
from rewrite_advisor.render import fit, render_markdown
from rewrite_advisor.scoring.model2 import domain

BANK = load_bank()
BANK_RULES = {r.id: r for r in BANK.rules}
SCORING = BANK.rules_file.scoring
GO_EXAMPLE = EXAMPLES / "go-billing-strangler.yaml"


def memo_for(answers: dict[str, Any], title: str = "t") -> Memo:
    data = {
        "kind": "rewrite-advisor/answers",
        "format": 1,
        "bank": {"id": BANK.id, "version": BANK.version},
        "title": title,
        "answers": answers,
    }
    doc = yamlio.Document("answers.yaml", data)
    return assess(bind(parse_answers(doc), BANK, doc), data, date(2026, 1, 1))


def go_answers() -> dict[str, Any]:
    return dict(yamlio.read(GO_EXAMPLE).data["answers"])


def test_the_default_bank_uses_scoring_model_2() -> None:
    assert isinstance(SCORING, ScoringV2)


# --- Knowing nothing never looks healthy ---------------------------------------------------


def test_an_empty_file_scores_zero_and_says_nothing_is_known() -> None:
    memo = memo_for({})
    verdict = memo.verdict
    assert (verdict.id, verdict.score, verdict.knowledge) == ("not_yet", 0, 0)
    assert verdict.score_allows == "not_yet", "no score is good enough to allow anything"
    assert all(s.score == 0 for s in memo.sections)
    assert memo.summary is not None
    assert "too little is known" in memo.summary.decision
    markdown = render_markdown(memo)
    assert f"**{memo.summary.decision}**" in markdown
    assert "**What is known.** 0 of " in markdown


def test_all_dont_know_scores_zero_and_says_so() -> None:
    answers = {q: {"dont_know": True} for q in BANK.questions}
    memo = memo_for(answers)
    assert (memo.verdict.score, memo.verdict.knowledge) == (0, 0)
    assert memo.verdict.id == "not_yet"
    assert all(s.score == 0 for s in memo.sections if s.applicable)
    assert memo.summary is not None
    assert "too little is known" in memo.summary.decision
    assert f'{memo.summary.known.dont_know} "don\'t know"' in render_markdown(memo)


def test_an_all_dont_know_section_scores_zero_in_a_good_file() -> None:
    answers = go_answers()
    for question in next(s for s in BANK.sections if s.id == "parity").questions:
        answers[question.id] = {"dont_know": True}
    memo = memo_for(answers)
    parity = next(s for s in memo.sections if s.id == "parity")
    assert (parity.score, parity.knowledge) == (0, 0)


def test_knowledge_is_shown_apart_from_quality() -> None:
    full = memo_for(go_answers()).verdict
    answers = go_answers()
    for qid in ("maintenance_share", "debt_trend", "team_size", "usage_audit"):
        answers[qid] = {"dont_know": True}
    partial = memo_for(answers).verdict
    assert partial.quality == full.quality, "an unknown is not a risk"
    assert partial.knowledge < full.knowledge
    assert (
        partial.score == round(partial.quality * partial.knowledge / 100)
        or abs(partial.score - partial.quality * partial.knowledge / 100) < 1
    )


# --- Severities have distinct consequences -----------------------------------------------


def test_severities_cost_distinct_amounts_and_cap_differently() -> None:
    penalties = [SCORING.penalties[s] for s in ("blocker", "high", "medium", "low")]
    assert penalties == sorted(penalties, reverse=True)
    assert len(set(penalties)) == 4
    caps = SCORING.severity_caps
    assert VERDICTS.index(caps["blocker"]) > VERDICTS.index(caps["high"])
    assert VERDICTS.index(caps["high"]) > VERDICTS.index(caps["medium"])


def test_a_blocker_moves_the_score_by_its_full_penalty() -> None:
    base = memo_for(go_answers()).verdict
    answers = go_answers()
    answers["rollback_plan"] = "none"
    answers["approach"] = "big_bang"
    answers["coexistence_model"] = "one_cutover"
    worse = memo_for(answers).verdict
    assert base.score - worse.score >= SCORING.penalties["blocker"]
    assert worse.id == "not_yet"


def test_a_medium_finding_costs_points_but_does_not_cap() -> None:
    answers = go_answers()
    answers["kill_criteria"] = "informal"
    memo = memo_for(answers)
    assert "informal-kill-criteria" in {f.rule for f in memo.findings}
    assert memo.verdict.id == "go"
    assert memo.verdict.quality == 100 - SCORING.penalties["medium"]


def test_a_high_finding_caps_at_go_with_conditions() -> None:
    answers = go_answers()
    answers["old_system_owner"] = "nobody"
    memo = memo_for(answers)
    assert memo.verdict.id == "go_with_conditions"
    assert [r.ref for r in memo.verdict.reasons if r.caps == "go_with_conditions"] == [
        "old-system-unowned"
    ]


# --- Unknowns and guesses on questions that matter ------------------------------------------


def test_a_guess_on_a_question_that_matters_makes_the_verdict_provisional() -> None:
    answers = go_answers()
    answers["customer_problem"] = {"value": True, "confidence": "guess"}
    memo = memo_for(answers)
    assert memo.verdict.provisional == ["customer_problem"]
    assert memo.verdict.id == SCORING.critical_guess_cap
    markdown = render_markdown(memo)
    assert "## Verdict: Go with conditions" in markdown
    assert "Provisional: the verdict holds only if 1 guess holds" in markdown


def test_a_guess_on_a_question_that_does_not_matter_changes_only_knowledge() -> None:
    answers = go_answers()
    answers["team_size"] = {"value": 7, "confidence": "guess"}
    memo = memo_for(answers)
    assert memo.verdict.provisional == []
    assert memo.verdict.id == "go"


def test_whether_a_question_matters_depends_on_the_shape() -> None:
    """The switch-off date matters when customers move, not when only traffic moves."""
    accounts = go_answers()
    accounts["switch_off_date"] = {"dont_know": True}
    held = memo_for(accounts).verdict
    assert held.id == "not_yet"
    assert "switch_off_date" in [r.ref for r in held.reasons]
    traffic = dict(accounts, moves="traffic")
    traffic.pop("migration_plan")
    traffic.pop("new_clients_policy")
    traffic.pop("new_clients_date")
    traffic.pop("customer_effort")
    free = memo_for(traffic).verdict
    assert "switch_off_date" not in [r.ref for r in free.reasons]


def test_a_question_that_depends_on_an_unknown_is_not_open_on_its_own() -> None:
    answers = go_answers()
    answers["data_moves"] = {"dont_know": True}
    for qid in (
        "migration_rehearsal",
        "reconciliation",
        "sync_direction",
        "sync_build_cost",
        "sync_no_build_cost",
        "sync_retirement",
    ):
        answers.pop(qid)
    memo = memo_for(answers)
    open_refs = [r.ref for r in memo.verdict.reasons if r.kind == "open_question"]
    assert open_refs == [], "data_moves does not matter for an incremental approach"
    marked = [o.question for o in memo.open_questions if o.critical]
    assert marked == [], "no open question is marked as mattering that does not hold the verdict"


def test_a_question_under_one_that_does_not_apply_does_not_apply() -> None:
    answers = go_answers()
    answers["approach"] = "in_place"
    view = memo_for(answers)
    states = {e.question: e.state for s in view.appendix for e in s.questions}
    assert states["moves"] == "skipped"
    assert states["migration_plan"] == "skipped", "it depends on moves, which does not apply"


# --- What would change the verdict -------------------------------------------------------


def test_the_range_matches_trying_every_answer_by_hand() -> None:
    answers = go_answers()
    answers["strategic_goal"] = {"dont_know": True}
    answers["old_system_end"] = {"dont_know": True}
    memo = memo_for(answers)
    verdict = memo.verdict
    assert verdict.range is not None and verdict.range.exact
    outcomes = set()
    for goal in BANK.questions["strategic_goal"].labels:
        for end in BANK.questions["old_system_end"].labels:
            trial = dict(answers, strategic_goal=goal, old_system_end=end)
            outcomes.add(memo_for(trial).verdict.id)
    assert verdict.range.best == min(outcomes, key=VERDICTS.index)
    assert verdict.range.worst == max(outcomes, key=VERDICTS.index)
    assert set(verdict.range.questions) == {"strategic_goal", "old_system_end"}
    text = f"Answered well, these 2 questions would give {verdict.range.best_title}"
    assert verdict.range.text.startswith(text)
    # However they are answered the plan reaches at least Go with conditions, so the two
    # unknowns do not hold it at Not yet: answering them is one of the conditions.
    assert verdict.range.worst == "go_with_conditions"
    assert verdict.id == "go_with_conditions"
    held = [r for r in verdict.reasons if r.kind == "open_question"]
    assert {r.ref for r in held} == {"strategic_goal", "old_system_end"}
    assert all(r.caps == "go_with_conditions" for r in held)


def test_an_unknown_holds_the_verdict_only_where_an_answer_to_it_changes_it() -> None:
    answers = go_answers()
    answers["strategic_goal"] = {"dont_know": True}
    answers["customer_problem"] = {"dont_know": True}
    memo = memo_for(answers)
    verdict = memo.verdict
    assert verdict.range is not None and verdict.range.exact
    assert verdict.range.worst == "dont_rewrite", "no goal and no user problem sinks it"
    assert verdict.id == "not_yet"
    held = {r.ref for r in verdict.reasons if r.kind == "open_question"}
    assert held == {"strategic_goal", "customer_problem"}


def test_a_verdict_is_provisional_only_where_a_guess_can_change_it() -> None:
    answers = go_answers()
    answers["strategic_goal"] = {"value": "none", "confidence": "guess"}
    answers["customer_problem"] = {"value": False, "confidence": "guess"}
    memo = memo_for(answers)
    # Confirmed or corrected, these guesses can lift a Don't rewrite.
    assert memo.verdict.id == "dont_rewrite"
    assert memo.verdict.provisional == ["strategic_goal", "customer_problem"]
    fashion = yamlio.read(EXAMPLES / "dont-rewrite-fashion.yaml").data["answers"]
    settled = memo_for(dict(fashion)).verdict
    guessed = [
        q for q, a in fashion.items() if isinstance(a, dict) and a.get("confidence") == "guess"
    ]
    assert guessed, "the example has guesses"
    assert settled.id == "dont_rewrite" and settled.provisional == []


def test_the_range_of_an_empty_file_says_it_is_approximate() -> None:
    verdict = memo_for({}).verdict
    assert verdict.range is not None
    assert not verdict.range.exact
    assert "Approximate" in verdict.range.text
    assert verdict.range.worst == "dont_rewrite"
    assert verdict.range.best in ("go", "go_with_conditions")


def test_a_number_is_tried_on_both_sides_of_every_threshold() -> None:
    question = BANK.questions["duration_months"]
    values = domain(question, {24, 12, 6}, {})
    for threshold in (6, 12, 24):
        assert any(v < threshold for v in values) and any(v > threshold for v in values)
        assert threshold in values
    assert all(question.min <= v <= question.max for v in values)


def test_no_range_when_nothing_that_matters_is_open() -> None:
    assert memo_for(go_answers()).verdict.range is None


# --- One engine for every memo ---------------------------------------------------------------


def test_the_team_memo_caps_through_the_same_engine(run) -> None:
    files = sorted((EXAMPLES / "workshop").glob("*.yaml"))
    team = json.loads(run("report", *files, "--format", "json").out)
    assert team["verdict"]["knowledge"] is not None
    assert team["verdict"]["quality"] is not None


# --- No fact counted twice -------------------------------------------------------------------


def _random_view(rng: random.Random) -> AnswerView:
    given: dict[str, Answer] = {}
    for qid, question in BANK.questions.items():
        roll = rng.random()
        if roll < 0.1:
            given[qid] = Answer("unknown")
        elif roll < 0.95:
            options = domain(question, set(), {})
            if question.type == "date":
                options = [date(2027, 1, 1), date(2027, 6, 1), date(2028, 1, 1)]
            if question.type == "number":
                low, high = question.min or 0, question.max or 1000
                options = [low, (low + high) / 4, high]
            given[qid] = Answer("known", rng.choice(options))
    return resolve_view(BANK, given)


def test_no_two_rules_always_fire_together() -> None:
    rng = random.Random(7)
    fired: dict[str, set[int]] = {rule.id: set() for rule in BANK.rules}
    for sample in range(3000):
        view = _random_view(rng)
        for rule, test in BANK.rule_tests:
            if test(view) is True:
                fired[rule.id].add(sample)
    seen = {r: s for r, s in fired.items() if s}
    twins = [(a, b) for a in seen for b in seen if a < b and seen[a] == seen[b]]
    assert twins == [], "these rules fire on exactly the same answers: merge them"
    assert len(seen) > len(BANK.rules) * 0.8, "the sampling reaches most rules"


def test_compiled_conditions_give_the_same_result_as_evaluate() -> None:
    rng = random.Random(3)
    for _ in range(300):
        view = _random_view(rng)
        for rule, test in BANK.rule_tests:
            assert test(view) == evaluate(rule.when, view), rule.id
        for question in BANK.questions.values():
            if question.when is not None:
                plain = compile_condition(question.when)
                assert plain(view) == evaluate(question.when, view), question.id


# --- Page 1 never cuts a word -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short.", 20, "Short."),
        ("First sentence. Second sentence is longer.", 20, "First sentence."),
        ("One very long sentence without any stop at all", 20, "One very long…"),
        ("Onewordthatistoolongforthelimit", 10, "Onewordth…"),
    ],
)
def test_fit_cuts_at_a_sentence_or_a_word(text: str, limit: int, expected: str) -> None:
    assert fit(text, limit) == expected
    assert len(fit(text, limit)) <= limit


def test_findings_claim_only_what_their_answers_say() -> None:
    """The clear-business-case strength no longer claims a motive it does not check."""
    rule = next(r for r in BANK.rules if r.id == "clear-business-case")
    assert "main_reason" not in json.dumps(rule.when.model_dump(by_alias=True))
    assert "cannot do" not in rule.why


def test_an_exclusive_choice_is_marked_in_the_bank() -> None:
    question = BANK.questions["alternatives_evaluated"]
    assert [c.value for c in question.choices or [] if c.exclusive] == ["none"]
    with pytest.raises(ValueError, match="cannot be combined"):
        question.cast_answer(["none", "buy"])


def test_old_answers_still_score_with_the_bank_they_were_made_with(run) -> None:
    old = Path(__file__).parent / "fixtures" / "bank-1.0.0" / "go-billing-strangler.yaml"
    memo = json.loads(run("report", old, "--format", "json").out)
    assert memo["bank"]["version"] == "1.0.0"
    assert (memo["verdict"]["id"], memo["verdict"]["score"]) == ("go", 100)
    assert "knowledge" not in memo["verdict"], "model 1 memos keep their old shape"


def test_answers_made_with_bank_2_0_0_still_score_with_it(run) -> None:
    """A 2.0.0 file scores with the archived 2.0.0 bank, exactly as the same answers do now."""
    old = Path(__file__).parent / "fixtures" / "bank-2.0.0" / "go-billing-strangler.yaml"
    memo = json.loads(run("report", old, "--format", "json").out)
    assert memo["bank"]["version"] == "2.0.0"
    assert (memo["verdict"]["id"], memo["verdict"]["score"]) == ("go", 100)
    assert memo["verdict"]["knowledge"] == 100
    asked = {q["question"] for section in memo["appendix"] for q in section["questions"]}
    assert "kill_criteria" in asked and "total_cost" not in asked, "the 2.0.0 questions only"


def test_answers_made_with_bank_2_1_0_still_score_with_it(run) -> None:
    """A 2.1.0 file scores with the archived 2.1.0 bank: its questions, its rules."""
    old = Path(__file__).parent / "fixtures" / "bank-2.1.0" / "go-billing-strangler.yaml"
    memo = json.loads(run("report", old, "--format", "json").out)
    assert memo["bank"]["version"] == "2.1.0"
    assert (memo["verdict"]["id"], memo["verdict"]["score"]) == ("go", 100)
    asked = {q["question"] for section in memo["appendix"] for q in section["questions"]}
    assert "total_cost" in asked and "parity_at_switch" not in asked, "the 2.1.0 questions only"
    now = json.loads(run("report", EXAMPLES / "go-billing-strangler.yaml", "--format", "json").out)
    assert now["bank"]["version"] == "2.2.0" and "parity_at_switch" in {
        q["question"] for section in now["appendix"] for q in section["questions"]
    }


MEMO_ONLY = [q.id for q in BANK.questions.values() if not q.counts_in_knowledge]


def test_the_memo_only_questions_of_the_bank() -> None:
    assert sorted(MEMO_ONLY) == sorted(
        [
            "alternatives_rejected",
            "total_cost",
            "budget",
            "first_slice",
            "kill_criteria_text",
            "review_date",
            # 2.1.0, second round: shapes the bank could not answer truthfully before
            "replaces_system",
            "stage",
            "other_goals",
            "other_reasons",
            "process_change",
            "started_on",
            "planned_finish_at_start",
            "expected_finish_now",
            "planned_spend_by_now",
            "spent_so_far",
            "live_so_far",
            "remaining_work_known",
            "kill_criteria_status",
            "continue_reason",
            # what the rewrite brings, beside its cost (page 1's payback)
            "yearly_benefit",
        ]
    )
    assert not any(BANK.questions[q].may_matter for q in MEMO_ONLY)
    assert all(s.owner for s in BANK.sections), "every section names who answers for it"
    risky = [r.id for r in BANK.rules if r.severity in ("blocker", "high") and not r.warning_sign]
    assert risky == [], "every blocker and high rule names its warning sign"


# The participants' files of the workshop are scored together: see test_workshop.
SCORED_FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted(
    p for p in EXAMPLES.glob("*/*.yaml") if p.parent.name != "workshop"
)


@pytest.mark.parametrize(
    "path", SCORED_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in SCORED_FILES]
)
def test_answering_the_memo_only_questions_moves_no_score(path: Path) -> None:
    """With or without its answers to the questions for the memo, every example is as known;
    it scores the same unless a rule on those answers fires (the budget, a process changed with
    the system, a rewrite under way: see below). A "no" to replaces_system is the exception: it
    is the one answer that makes the rest of the bank not apply."""
    data = yamlio.read(path).data
    answers = dict(data["answers"])
    stripped = {k: v for k, v in answers.items() if k not in MEMO_ONLY}
    with_them, without = memo_for(answers), memo_for(stripped)
    replaces = answers.get("replaces_system")
    if (replaces.get("value") if isinstance(replaces, dict) else replaces) is False:
        assert [f.rule for f in with_them.findings] == ["not-a-rewrite"]
        return
    assert with_them.verdict.knowledge == without.verdict.knowledge
    fired = {f.rule for f in with_them.findings} - {f.rule for f in without.findings}
    on_memo_only = {r.id for r in BANK.rules if set(questions_in(r.when)) & set(MEMO_ONLY)}
    assert fired <= on_memo_only
    if not {r for r in fired if BANK_RULES[r].severity != "strength"}:
        assert with_them.verdict.score == without.verdict.score
        assert with_them.verdict.id == without.verdict.id


def _cost(total: Any, budget: Any) -> set[str]:
    answers = dict(yamlio.read(GO_EXAMPLE).data["answers"])
    answers.update(total_cost=total, budget=budget)
    return {f.rule for f in memo_for(answers).findings if f.rule.startswith("cost-")}


def test_the_budget_rule_compares_the_total_cost_with_the_budget() -> None:
    assert _cost(2_000_000, 1_800_000) == {"cost-over-budget"}
    assert _cost(1_800_000, 1_800_000) == {"cost-within-budget"}
    assert _cost(1_650_000, 1_800_000) == {"cost-within-budget"}
    assert _cost({"dont_know": True}, 1_800_000) == set(), "an unknown cost is no finding"
    assert _cost(2_000_000, {"dont_know": True}) == set()
    over = memo_for({**yamlio.read(GO_EXAMPLE).data["answers"], "budget": 1_000_000})
    assert (over.verdict.id, over.verdict.score) == ("go_with_conditions", 85)


def test_the_example_over_its_budget_keeps_its_verdict_and_score() -> None:
    """dont-rewrite-fashion costs twice its budget: the finding is listed, and the verdict and
    the score (0: its blockers leave no quality to lose) stay as they were."""
    memo = memo_for(dict(yamlio.read(EXAMPLES / "dont-rewrite-fashion.yaml").data["answers"]))
    assert "cost-over-budget" in {f.rule for f in memo.findings}
    assert (memo.verdict.id, memo.verdict.score) == ("dont_rewrite", 0)


ALL_FILES = sorted(EXAMPLES.glob("*.yaml")) + sorted(EXAMPLES.glob("*/*.yaml"))


@pytest.mark.parametrize("path", ALL_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in ALL_FILES])
def test_page_one_shows_knowledge_and_range_without_cutting_words(path: Path) -> None:
    import re

    from rewrite_advisor.cli import build_memo, build_team_memo
    from rewrite_advisor.render import render_html

    if path.parent.name == "workshop":
        memo = build_team_memo(sorted(path.parent.glob("*.yaml")), None)
    else:
        memo = build_memo(path, None)
    html = render_html(memo, for_print=True)
    page_one = html.split('<section class="summary"', 1)[1].split("</section>", 1)[0]
    assert memo.summary is not None
    known = memo.summary.known
    assert f"{known.answered} of {known.applicable} questions answered" in page_one
    assert f"score {known.score}/100" in page_one
    assert memo.summary.status.replace("'", "&#39;") in page_one
    texts = [f.title for f in memo.findings] + [f.why for f in memo.findings]
    texts += [f.action for f in memo.findings] + [q.text for q in BANK.questions.values()]
    texts += [label for q in BANK.questions.values() for label in q.labels.values()]
    words = {w for t in texts for w in re.findall(r"[\w'’-]+", t)}
    for cut in re.findall(r"([\w'’-]+)…", page_one):
        assert cut in words, f"'{cut}…' cuts a word in two"


def test_no_template_cuts_words() -> None:
    from rewrite_advisor.resources import templates_dir

    for template in templates_dir().glob("*.j2"):
        assert "killwords=True" not in template.read_text(), template.name


def test_the_readme_worked_example_is_true() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    memo = memo_for(dict(yamlio.read(EXAMPLES / "not-yet-unknowns.yaml").data["answers"]))
    verdict = memo.verdict
    penalties = sorted((SCORING.penalties[f.severity] for f in memo.risks), reverse=True)
    sums = " − ".join(str(p) for p in penalties)
    assert f"quality 100 − {sums} = {verdict.quality};" in readme
    assert f"{verdict.knowledge}% of what applies" in readme
    assert f"the score is {verdict.quality} × 0.{verdict.knowledge} = {verdict.score}" in readme
    assert verdict.id == "not_yet" and verdict.range is not None
    assert verdict.range.best == "go_with_conditions" and verdict.range.worst == "not_yet"
    assert set(verdict.range.questions) == {"switch_off_date", "sync_build_cost", "migration_plan"}


def test_records_made_with_bank_1_0_0_still_verify(run, tmp_path: Path) -> None:
    """Records made before bank 2.0.0 re-score to the same memo with the bank stored beside them."""
    import shutil

    folder = tmp_path / "decisions"
    shutil.copytree(
        Path(__file__).parent / "fixtures" / "records-made-by-0.1" / "decisions", folder
    )
    result = run("record", "verify", "--dir", folder)
    assert result.code == 0, result.err + result.out
    assert result.out.count("ok ") == 2
    listing = run("record", "list", "--dir", folder)
    assert "Not yet" in listing.out and "Go" in listing.out


def test_a_question_with_many_choices_makes_the_range_approximate() -> None:
    from rewrite_advisor.scoring.model2 import _Search

    verification = BANK.questions["verification"]
    free = [c for c in verification.choices or [] if not c.exclusive]
    assert len(free) > 5
    search = _Search(BANK, {}, {}, {"verification"}, {})
    tried = search.domain(verification)
    assert search.sampled, "not every combination of six choices is tried"
    assert [c.value for c in free] in tried and ["none"] in tried
