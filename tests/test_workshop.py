"""Team workshops without a terminal: merging, disagreement rules, ranking, memos, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import MINI_ANSWERS, MINI_BANK, ROOT
from markdown_it import MarkdownIt
from test_hostile import Elements

from rewrite_advisor import yamlio
from rewrite_advisor.answers import Answer
from rewrite_advisor.bank import Bank, load_bank
from rewrite_advisor.schemas import schema_for
from rewrite_advisor.workshop import (
    analyse,
    dates_disagree,
    disagreement_kinds,
    load_participants,
    numbers_disagree,
    team_answer,
)

TODAY = dt.date(2026, 11, 25)

# Everyone agrees on these unless a test says otherwise; the verdict on them alone is Go.
AGREED: dict[str, Any] = {
    "motive": "customer",
    "goals": ["revenue", "cost"],
    "shares_data": True,
    "sync_cost": 120000,
    "freeze": 2,
    "go_live": "2027-03-01",
    "story": "A letter to every customer",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(MINI_BANK)


def person(folder: Path, name: str, answers: dict[str, Any], **extra: Any) -> Path:
    """Write one participant's answers file (JSON, which the reader accepts)."""
    data: dict[str, Any] = {
        "bank": {"id": "mini", "version": "1.0"},
        "title": "Mini rewrite",
        "date": "2026-11-20",
        "participants": [name],
        "answers": {**AGREED, **answers},
        **extra,
    }
    path = folder / f"{name.split()[0].lower()}.yaml"
    path.write_text(json.dumps(data, indent=1))
    return path


def known(value: Any, note: str | None = None) -> Answer:
    return Answer("known", value, note)


DK = Answer("unknown")
NONE = Answer("unanswered")


# --- the rules of disagreement ------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "values", "kinds"),
    [
        ("motive", ["customer", "fashion"], ["choice"]),
        ("motive", ["customer", "customer", "customer"], []),
        ("shares_data", [True, False], ["choice"]),
        ("shares_data", [False, False], []),
        ("goals", [["revenue", "cost"], ["revenue"]], ["set"]),
        ("goals", [["revenue", "cost"], ["revenue", "cost"]], []),
        ("freeze", [10, 14], []),
        ("freeze", [10, 15], []),
        ("freeze", [10, 16], ["number"]),
        ("freeze", [10, 12, 30], ["number"]),
        ("freeze", [0, 0], []),
        ("freeze", [0, 1], ["number"]),
        ("go_live", [dt.date(2027, 3, 1), dt.date(2027, 3, 11)], []),
        ("go_live", [dt.date(2027, 3, 1), dt.date(2027, 3, 22)], []),
        ("go_live", [dt.date(2027, 3, 1), dt.date(2027, 3, 23)], ["date"]),
        ("story", ["A letter", "A phone call to each customer"], []),
    ],
)
def test_kinds_of_disagreement(bank: Bank, qid: str, values: list[Any], kinds: list[str]) -> None:
    question = bank.questions[qid]
    assert disagreement_kinds(question, [known(v) for v in values]) == kinds


def test_dont_know_against_knowing_is_a_disagreement(bank: Bank) -> None:
    freeze = bank.questions["freeze"]
    assert disagreement_kinds(freeze, [known(6), DK]) == ["dont_know"]
    assert disagreement_kinds(freeze, [known(2), known(9), DK]) == ["number", "dont_know"]
    assert disagreement_kinds(bank.questions["story"], [known("x"), DK]) == ["dont_know"]


def test_no_opinion_is_not_a_disagreement(bank: Bank) -> None:
    freeze = bank.questions["freeze"]
    assert disagreement_kinds(freeze, [DK, DK]) == []
    assert disagreement_kinds(freeze, [known(6), NONE]) == []
    assert disagreement_kinds(freeze, [known(6), Answer("skipped")]) == []
    assert disagreement_kinds(freeze, [DK, NONE]) == []


@pytest.mark.parametrize(
    ("values", "far"),
    [
        ([10, 14], False),
        ([10, 15], False),
        ([10, 15.01], True),
        ([0.0, 0], False),
        ([0, 3], True),
        ([-10, -14], False),
        ([-10, -16], True),
        ([-1, 1], True),
        ([7], False),
        ([], False),
    ],
)
def test_numbers_far_apart(values: list[float], far: bool) -> None:
    assert numbers_disagree(values) is far


def test_dates_far_apart() -> None:
    day = dt.date(2027, 1, 1)
    assert not dates_disagree([day, day + dt.timedelta(days=21)])
    assert dates_disagree([day + dt.timedelta(days=22), day])


# --- the team's answer --------------------------------------------------------------------


def test_team_answer_is_the_majority_or_the_median(bank: Bank) -> None:
    q = bank.questions
    got = team_answer(
        q["motive"], [("A", known("fashion")), ("B", known("customer")), ("C", known("customer"))]
    )
    assert got is not None and (got.state, got.value) == ("known", "customer")
    got = team_answer(q["freeze"], [("A", known(2)), ("B", known(9)), ("C", known(3))])
    assert got is not None and got.value == 3
    got = team_answer(q["freeze"], [("A", known(2)), ("B", known(9))])
    assert got is not None and got.value == 5.5
    days = [dt.date(2027, 3, 1), dt.date(2027, 3, 10), dt.date(2027, 6, 1)]
    got = team_answer(q["go_live"], [(str(i), known(d)) for i, d in enumerate(days)])
    assert got is not None and got.value == dt.date(2027, 3, 10)
    got = team_answer(
        q["goals"],
        [("A", known(["revenue", "cost"])), ("B", known(["cost", "risk"])), ("C", known(["cost"]))],
    )
    assert got is not None and got.value == ["cost"]


def test_an_even_split_or_a_majority_of_dont_know_gives_dont_know(bank: Bank) -> None:
    q = bank.questions
    split = team_answer(q["motive"], [("A", known("fashion")), ("B", known("customer"))])
    assert split is not None and split.state == "unknown"
    mostly = team_answer(q["freeze"], [("A", known(2)), ("B", DK), ("C", DK)])
    assert mostly is not None and mostly.state == "unknown"
    nobody = team_answer(q["goals"], [("A", known(["revenue"])), ("B", known(["cost"]))])
    assert nobody is not None and nobody.state == "unknown"


def test_texts_and_notes_are_kept_with_their_authors(bank: Bank) -> None:
    got = team_answer(
        bank.questions["story"],
        [("Ana", known("A letter", "from support")), ("Ben", known("A call"))],
    )
    assert got is not None
    assert got.value == "Ana: A letter\nBen: A call"
    assert got.note == "Ana: from support"


def test_the_same_note_from_several_people_is_kept_once(bank: Bank) -> None:
    got = team_answer(
        bank.questions["freeze"],
        [
            ("Ana", known(2, "per the plan")),
            ("Ben", known(2, "per the plan")),
            ("Cy", known(2, "hope")),
        ],
    )
    assert got is not None
    assert got.note == "Ana, Ben: per the plan\nCy: hope"


# --- what is at stake ---------------------------------------------------------------------


def test_a_dispute_that_changes_the_verdict_ranks_first(bank: Bank, tmp_path: Path) -> None:
    files = [
        person(tmp_path, "Ana", {"goals": ["revenue"], "go_live": "2027-03-01"}),
        person(tmp_path, "Ben", {"freeze": {"value": 9, "note": "the data migration"}}),
        person(tmp_path, "Carla", {"go_live": "2027-06-01"}),
    ]
    analysis = analyse(load_participants(files, bank), TODAY)
    ranked = [(d.question, d.impact) for d in analysis.disputes]
    # goals and go_live come first in the bank, but they change less.
    assert ranked == [("freeze", "verdict"), ("goals", "finding"), ("go_live", "none")]
    freeze = analysis.disputes[0]
    assert freeze.kinds == ["number"]
    assert freeze.team_answer == "2 months"
    assert (
        freeze.summary
        == "Settled on Ben's answer (9 months), the verdict would be Go with conditions; settled on the majority's, Go."
    )
    [ben] = [o for o in freeze.outcomes if o.participants == ["Ben"]]
    assert (ben.verdict, ben.findings_added) == ("go_with_conditions", ["Long freeze"])
    assert [a.note for a in freeze.answers] == [None, "the data migration", None]
    assert analysis.agreed == 4 and analysis.considered == 7


def test_agreement_is_not_listed(run, tmp_path: Path) -> None:
    files = [
        person(tmp_path, "Ana", {"freeze": 10, "go_live": "2027-03-01"}),
        person(tmp_path, "Ben", {"freeze": 14, "go_live": "2027-03-11", "story": "A call"}),
    ]
    result = run("report", *files, "--bank", MINI_BANK, "-o", "-", "--format", "json")
    assert result.code == 0, result.err
    memo = json.loads(result.out)
    assert memo["disagreements"] == []
    assert memo["team"]["considered"] == 7
    assert memo["participants"] == ["Ana", "Ben"]


# --- the team memo ------------------------------------------------------------------------


def three(tmp_path: Path) -> list[Path]:
    return [
        person(tmp_path, "Ana", {"sync_cost": {"value": 120000, "confidence": "estimate"}}),
        person(
            tmp_path,
            "Ben",
            {"motive": {"value": "fashion", "note": "<b>Rust</b> envy, **honestly**"}, "freeze": 9},
        ),
        person(tmp_path, "Carla", {"sync_cost": {"dont_know": True}, "freeze": 3}),
    ]


def test_team_memo_holds_the_verdict_while_a_question_that_matters_is_disputed(
    run, tmp_path: Path
) -> None:
    result = run("report", *three(tmp_path), "--bank", MINI_BANK, "-o", "-", "--format", "json")
    assert result.code == 0, result.err
    memo = json.loads(result.out)
    jsonschema.validate(memo, schema_for("memo"))
    assert memo["verdict"]["id"] == "not_yet"
    disputes = [r for r in memo["verdict"]["reasons"] if r["kind"] == "dispute"]
    assert [r["ref"] for r in disputes] == ["motive", "sync_cost"]
    assert [d["question"] for d in memo["disagreements"]] == ["motive", "sync_cost", "freeze"]
    motive = memo["disagreements"][0]
    assert motive["summary"] == (
        "Settled on Ben's answer (New technology), the verdict would be Don't rewrite; settled on the majority's, Go."
    )
    assert motive["kinds"] == ["choice"] and motive["critical"] is True
    assert memo["team"]["stage"] == "disputed"
    assert [s["file"] for s in memo["team"]["sources"]] == [str(p) for p in three(tmp_path)]


def test_team_memo_in_html_and_markdown_escapes_what_people_typed(run, tmp_path: Path) -> None:
    files = three(tmp_path)
    out = tmp_path / "team.html"
    assert run("report", *files, "--bank", MINI_BANK, "-o", out).code == 0
    html = out.read_text()
    assert "Where the team disagrees" in html
    assert "Disputed: What is the main motive?" in html
    assert "&lt;b&gt;Rust&lt;/b&gt; envy" in html
    assert "<b>Rust" not in html
    md = run("report", *files, "--bank", MINI_BANK, "-o", "-", "--format", "md").out
    assert "## Where the team disagrees" in md
    # Escaped only where CommonMark would read markup: the tag's opening and the stars.
    assert "| Ben | New technology | \\<b>Rust\\</b> envy, \\*\\*honestly\\*\\* |" in md
    page = Elements()
    page.feed(MarkdownIt("commonmark").enable("table").render(md))
    assert "b" not in page.tags
    assert "<b>Rust</b> envy, **honestly**" in "".join(page.text)


def test_one_file_makes_the_same_memo_as_before(run) -> None:
    memo = json.loads(
        run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", "-", "--format", "json").out
    )
    assert not {"team", "disagreements", "dissent"} & set(memo)
    md = run("report", MINI_ANSWERS, "--bank", MINI_BANK).out
    assert "disagrees" not in md and "Dissent" not in md


# --- the team file in the memo ------------------------------------------------------------

HOSTILE_NAME = 'Zoë "><img src=x onerror=alert(1)>'
HOSTILE_REASON = "<script>alert(1)</script> **we** [know](javascript:alert(1))"


def team_file(tmp_path: Path, settled: list[str] | None = None) -> Path:
    data = yamlio.read(MINI_ANSWERS).data
    data["participants"] = ["Ana", HOSTILE_NAME]
    data["workshop"] = {
        "sources": [
            {"participant": "Ana", "file": "ana.yaml", "sha256": "0" * 64},
            {"participant": HOSTILE_NAME, "file": "zoe.yaml", "sha256": "1" * 64},
        ],
        "disputed": ["freeze", "motive"],
        "settled": ["freeze", "motive"] if settled is None else settled,
    }
    data["answers"]["freeze"] = {
        "value": 2,
        "dissent": [{"participant": HOSTILE_NAME, "answer": 9, "reason": HOSTILE_REASON}],
    }
    if settled is not None and "motive" not in settled:
        del data["answers"]["motive"]
    path = tmp_path / "team.yaml"
    path.write_text(yamlio.dump(data))
    return path


def test_dissent_in_json(run, tmp_path: Path) -> None:
    result = run("report", team_file(tmp_path), "--bank", MINI_BANK, "-o", "-", "--format", "json")
    assert result.code == 0, result.err
    memo = json.loads(result.out)
    jsonschema.validate(memo, schema_for("memo"))
    assert memo["dissent"] == [
        {
            "question": "freeze",
            "text": "How long is the feature freeze?",
            "agreed": "2 months",
            "participant": HOSTILE_NAME,
            "state": "known",
            "answer": "9 months",
            "value": 9,
            "reason": HOSTILE_REASON,
        }
    ]
    assert memo["team"]["stage"] == "facilitated"
    assert "disagreements" not in memo


def test_dissent_in_html_is_escaped(run, tmp_path: Path) -> None:
    out = tmp_path / "memo.html"
    assert run("report", team_file(tmp_path), "--bank", MINI_BANK, "-o", out).code == 0
    html = out.read_text()
    page = Elements()
    page.feed(html)
    assert not {"script", "img", "a"} & set(page.tags)
    assert not [name for name, _ in page.attrs if name.startswith("on")]
    text = "".join(page.text)
    assert "Dissent" in text
    assert HOSTILE_NAME in text and HOSTILE_REASON in text
    assert "settled 2 of them together" in text


def test_dissent_in_markdown_is_escaped(run, tmp_path: Path) -> None:
    result = run("report", team_file(tmp_path), "--bank", MINI_BANK, "-o", "-", "--format", "md")
    assert result.code == 0
    assert "## Dissent" in result.out
    page = Elements()
    page.feed(MarkdownIt("commonmark").enable("table").render(result.out))
    assert not {"script", "img", "a"} & set(page.tags)
    text = "".join(page.text)
    assert HOSTILE_NAME in text and HOSTILE_REASON in text


def test_unsettled_disputes_are_named(run, tmp_path: Path) -> None:
    path = team_file(tmp_path, settled=["freeze"])
    result = run("report", path, "--bank", MINI_BANK, "-o", "-", "--format", "md")
    assert "Still to settle, and counted as not answered: What is the main motive?." in result.out
    assert "## Verdict: Not yet" in result.out


def test_dissent_by_someone_who_is_not_a_participant(run, tmp_path: Path) -> None:
    path = team_file(tmp_path)
    data = yamlio.read(path).data
    data["answers"]["freeze"]["dissent"][0]["participant"] = "Eve"
    path.write_text(yamlio.dump(data))
    result = run("report", path, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith(f"error: {path}:")
    assert "the dissent of 'Eve', who is not among the participants" in result.err


# --- bad input ----------------------------------------------------------------------------


@pytest.fixture
def two(tmp_path: Path) -> list[Path]:
    return [person(tmp_path, "Ana", {}), person(tmp_path, "Ben", {"freeze": 9})]


@pytest.mark.parametrize("command", ["report", "workshop"])
def test_files_from_another_bank(run, tmp_path: Path, two: list[Path], command: str) -> None:
    other = person(tmp_path, "Carla", {}, bank={"id": "other", "version": "1.0"})
    result = run(command, *two, other, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err == (
        f"error: {other}:2: answered with the question bank other 1.0, but {two[0]} with "
        "mini 1.0; everyone must answer the same bank\n"
    )


@pytest.mark.parametrize("command", ["report", "workshop"])
def test_files_from_another_version(run, tmp_path: Path, two: list[Path], command: str) -> None:
    other = person(tmp_path, "Carla", {}, bank={"id": "mini", "version": "2.0"})
    result = run(command, *two, other, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith(f"error: {other}:2: answered with the question bank mini 2.0")


@pytest.mark.parametrize("command", ["report", "workshop"])
def test_the_same_participant_twice(run, tmp_path: Path, two: list[Path], command: str) -> None:
    again = tmp_path / "ana-again.yaml"
    again.write_text(two[0].read_text().replace('"Ana"', '"ana "'))
    result = run(command, *two, again, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith(f"error: {again}:")
    assert f"'ana' answered twice (also in {two[0]})" in result.err
    assert run(command, two[0], two[0], "--bank", MINI_BANK).code == 2


@pytest.mark.parametrize("command", ["report", "workshop"])
@pytest.mark.parametrize("names", [[], [" "], None])
def test_a_file_with_no_participant(
    run, tmp_path: Path, two: list[Path], command: str, names: list[str] | None
) -> None:
    nameless = person(tmp_path, "Nobody", {})
    data = json.loads(nameless.read_text())
    if names is None:
        del data["participants"]
    else:
        data["participants"] = names
    nameless.write_text(json.dumps(data))
    result = run(command, *two, nameless, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith(f"error: {nameless}")
    assert "no participant name: add 'participants: [NAME]'" in result.err


@pytest.mark.parametrize("command", ["report", "workshop"])
def test_a_file_with_several_participants(
    run, tmp_path: Path, two: list[Path], command: str
) -> None:
    pair = person(tmp_path, "Carla", {}, participants=["Carla", "Dan"])
    result = run(command, *two, pair, "--bank", MINI_BANK)
    assert result.code == 2
    assert "answered by several participants (Carla, Dan)" in result.err


@pytest.mark.parametrize("command", ["report", "workshop"])
def test_a_pattern_that_matched_nothing(run, tmp_path: Path, command: str) -> None:
    pattern = tmp_path / "answers" / "*.yaml"
    result = run(command, pattern, "--bank", MINI_BANK)
    assert (result.code, result.err) == (2, f"error: {pattern}: no file matches this pattern\n")


@pytest.mark.parametrize("command", ["report", "workshop"])
def test_no_files_at_all(run, command: str) -> None:
    result = run(command, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith("error: Missing argument 'ANSWERS...'")


def test_workshop_needs_two_participants(run, two: list[Path]) -> None:
    result = run("workshop", two[0], "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err == (
        f"error: {two[0]}: a workshop needs the answers files of at least two participants\n"
    )


def test_a_team_file_is_not_a_participant(run, tmp_path: Path, two: list[Path]) -> None:
    team = team_file(tmp_path)
    result = run("report", *two, team, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith(f"error: {team}:")
    assert "this is a team file from 'rewrite-advisor workshop'" in result.err


def test_amounts_in_different_currencies(run, tmp_path: Path, two: list[Path]) -> None:
    dollars = person(tmp_path, "Carla", {}, currency="USD")
    result = run("report", *two, dollars, "--bank", MINI_BANK)
    assert result.code == 2
    assert f"amounts are in USD, but in EUR in {two[0]}" in result.err


def test_workshop_without_a_terminal(run, tmp_path: Path, two: list[Path]) -> None:
    out = tmp_path / "team.yaml"
    result = run("workshop", *two, "-o", out, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith("error: workshop needs a terminal; for the disagreements")
    assert not out.exists()


def test_workshop_never_overwrites_an_answers_file(run, tmp_path: Path, two: list[Path]) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINI_ANSWERS.read_text())
    result = run("workshop", *two, "-o", mine, "--bank", MINI_BANK)
    assert result.code == 2
    assert "not a team file from 'rewrite-advisor workshop'" in result.err
    assert mine.read_text() == MINI_ANSWERS.read_text()
    result = run("workshop", *two, "-o", two[0], "--bank", MINI_BANK)
    assert result.code == 2
    assert "this is a participant's answers file" in result.err
    notes = tmp_path / "notes.md"
    notes.write_text("# My notes\n")
    result = run("workshop", *two, "-o", notes, "--bank", MINI_BANK)
    assert result.code == 2
    assert "the file exists and is not a team file, so it is left alone" in result.err
    assert notes.read_text() == "# My notes\n"


def test_the_workshop_example(run) -> None:
    files = sorted((ROOT / "examples" / "workshop").glob("*.yaml"))
    assert [f.name for f in files] == ["ana.yaml", "ben.yaml", "carla.yaml"]
    result = run("report", *files, "-o", "-", "--format", "json")
    assert result.code == 0, result.err
    memo = json.loads(result.out)
    assert memo["verdict"]["id"] == "not_yet"
    ranked = [(d["question"], d["impact"]) for d in memo["disagreements"]]
    assert ranked == [
        ("sync_direction", "verdict"),
        ("rollback_plan", "finding"),
        ("sync_build_cost", "finding"),
        ("kill_criteria", "finding"),
        ("duration_months", "none"),
        ("total_cost", "none"),  # no budget is answered: no rule looks at it yet
        ("first_switch_date", "none"),
    ]
    held = [r["ref"] for r in memo["verdict"]["reasons"] if r["caps"] == "not_yet"]
    assert held == ["sync_direction"], "the disputed question that matters holds the verdict"


def test_a_team_file_fits_the_answers_schema(tmp_path: Path) -> None:
    from rewrite_advisor.bank import load_bank

    schema = schema_for("answers", load_bank(MINI_BANK))
    jsonschema.validate(yamlio.read(team_file(tmp_path)).data, schema)
