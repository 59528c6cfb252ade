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
from rewrite_advisor.memo import Disagreement, Outcome
from rewrite_advisor.schemas import schema_for
from rewrite_advisor.workshop import (
    analyse,
    dates_disagree,
    disagreement_kinds,
    load_participants,
    numbers_disagree,
    rank_key,
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


def test_team_answer_is_always_one_somebody_gave(bank: Bank) -> None:
    q = bank.questions
    got = team_answer(
        q["motive"], [("A", known("fashion")), ("B", known("customer")), ("C", known("customer"))]
    )
    assert got is not None and (got.state, got.value) == ("known", "customer")
    got = team_answer(q["freeze"], [("A", known(2)), ("B", known(9)), ("C", known(9))])
    assert got is not None and got.value == 9  # the most common
    # Equally common: never the median or the mean (5.5, 3): without a way to weigh caution,
    # the middle one given (the lower of two); the team memo passes the most cautious.
    got = team_answer(q["freeze"], [("A", known(2)), ("B", known(9))])
    assert got is not None and got.value == 2
    got = team_answer(q["freeze"], [("A", known(2)), ("B", known(9)), ("C", known(3))])
    assert got is not None and got.value == 3
    latest = team_answer(
        q["freeze"], [("A", known(2)), ("B", known(9))], lambda _q, values: max(values)
    )
    assert latest is not None and latest.value == 9
    days = [dt.date(2027, 3, 1), dt.date(2027, 3, 10), dt.date(2027, 6, 1), dt.date(2027, 6, 1)]
    got = team_answer(q["go_live"], [(str(i), known(d)) for i, d in enumerate(days)])
    assert got is not None and got.value == dt.date(2027, 6, 1)
    sets = [["revenue", "cost"], ["cost", "risk"], ["revenue", "risk"]]
    got = team_answer(q["goals"], [(str(i), known(v)) for i, v in enumerate(sets)])
    assert got is not None and got.value in sets  # never ["revenue", "cost", "risk"] or []


def test_two_answerers_of_a_number_get_the_most_cautious_of_their_answers(
    bank: Bank, tmp_path: Path
) -> None:
    # Ben's 9 months would bring the "Long freeze" finding: it is the more cautious answer.
    files = [person(tmp_path, "Ana", {"freeze": 2}), person(tmp_path, "Ben", {"freeze": 9})]
    analysis = analyse(load_participants(files, bank), TODAY)
    assert analysis.base.given["freeze"].value == 9
    [freeze] = analysis.disputes
    assert (freeze.team_answer, freeze.team_answer_by) == ("9 months", ["Ben"])
    assert freeze.summary == (
        "Settled on Ana's answer (2 months), the verdict would be Go; settled as Ben "
        "answered, Go with conditions."
    )


def test_the_confidence_shown_is_one_the_givers_of_that_answer_gave(bank: Bank) -> None:
    go_live = bank.questions["go_live"]
    march, june = dt.date(2027, 3, 1), dt.date(2027, 6, 1)
    got = team_answer(
        go_live,
        [
            ("Ana", Answer("known", march)),
            ("Ben", Answer("known", june, None, "guess")),
            ("Cy", Answer("known", march, None, "estimate")),
        ],
    )
    # Ben's guess was about another date: the team's date is an estimate (Cy's), not a guess.
    assert got is not None and (got.value, got.confidence) == (march, "estimate")
    got = team_answer(
        go_live, [("Ana", Answer("known", march)), ("Ben", Answer("known", june, None, "guess"))]
    )
    assert got is not None and (got.value, got.confidence) == (march, None)


def test_an_even_split_or_a_majority_of_dont_know_gives_dont_know(bank: Bank) -> None:
    q = bank.questions
    split = team_answer(q["motive"], [("A", known("fashion")), ("B", known("customer"))])
    assert split is not None and split.state == "unknown"
    mostly = team_answer(q["freeze"], [("A", known(2)), ("B", DK), ("C", DK)])
    assert mostly is not None and mostly.state == "unknown"
    # Two different sets are not a "don't know": one of them is the team's (see above).
    either = team_answer(q["goals"], [("A", known(["revenue"])), ("B", known(["cost"]))])
    assert either is not None and either.value in (["revenue"], ["cost"])


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
        == "Settled on Ben's answer (9 months), the verdict would be Go with conditions; settled as Ana and Carla answered, Go."
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
    # freeze's answers move the verdict as far as sync_cost's, and a high finding besides.
    assert [d["question"] for d in memo["disagreements"]] == ["motive", "freeze", "sync_cost"]
    motive = memo["disagreements"][0]
    assert motive["summary"] == (
        "Settled on Ben's answer (New technology), the verdict would be Don't rewrite; "
        "settled as Ana and Carla answered, Go with conditions."
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


def test_files_with_different_titles_are_merged_with_a_note(run, tmp_path: Path) -> None:
    ana = person(tmp_path, "Ana", {}, title="Replace billing")
    ben = person(tmp_path, "Ben", {"freeze": 9}, title="Replace  billing ")
    carla = person(tmp_path, "Carla", {}, title="Move to the cloud")
    note = (
        'note: these files have different titles ("Replace billing", "Move to the cloud"); '
        "they are read as one team's answers to the same rewrite\n"
    )
    result = run("report", ana, ben, carla, "--bank", MINI_BANK, "-o", "-", "--format", "md")
    assert result.code == 0
    assert result.err == note
    assert "Replace billing" in result.out
    # the workshop says so before it asks for a terminal
    result = run("workshop", ana, ben, carla, "--bank", MINI_BANK, "-o", tmp_path / "t.yaml")
    assert result.code == 2
    assert result.err.startswith(note + "error: workshop needs a terminal")
    # the same title typed with other spacing or case is no difference
    result = run("report", ana, ben, "--bank", MINI_BANK, "-o", "-", "--format", "md")
    assert (result.code, result.err) == (0, "")


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
        ("sync_build_cost", "finding"),  # linked: it is asked because of sync_direction
        ("rollback_plan", "finding"),
        ("kill_criteria", "finding"),
        ("duration_months", "none"),
        ("total_cost", "none"),  # no budget is answered: no rule looks at it yet
        ("first_switch_date", "none"),
    ]
    groups = [d["group"] for d in memo["disagreements"]]
    assert groups == ["sync_direction", "sync_direction", *[q for q, _ in ranked[2:]]]
    assert memo["disagreements"][0]["group_cause"] == (
        "Whether the other questions here apply or matter depends on the answer to: "
        "While both systems hold data, what keeps it in step?"
    )
    assert [d["factual"] for d in memo["disagreements"]] == [
        False,
        True,
        False,
        False,
        True,
        True,
        True,
    ]
    held = [r["ref"] for r in memo["verdict"]["reasons"] if r["caps"] == "not_yet"]
    assert held == ["sync_direction"], "the disputed question that matters holds the verdict"


def test_a_team_file_fits_the_answers_schema(tmp_path: Path) -> None:
    from rewrite_advisor.bank import load_bank

    schema = schema_for("answers", load_bank(MINI_BANK))
    jsonschema.validate(yamlio.read(team_file(tmp_path)).data, schema)


# --- what a leader reads in the team memo -------------------------------------------------


def test_disputes_with_a_shared_cause_are_grouped_and_kept_together(
    bank: Bank, tmp_path: Path
) -> None:
    # sync_cost is asked only when shares_data is yes; freeze's dispute ranks between them.
    files = [
        person(tmp_path, "Ana", {"shares_data": True, "sync_cost": 120000, "freeze": 2}),
        person(tmp_path, "Ben", {"shares_data": False, "freeze": 9}),
        person(tmp_path, "Carla", {"shares_data": True, "sync_cost": {"dont_know": True}}),
    ]
    analysis = analyse(load_participants(files, bank), TODAY)
    order = [(d.question, d.group) for d in analysis.disputes]
    # sync_cost moves the verdict furthest and leads its group; freeze ranks below both.
    assert order == [
        ("sync_cost", "shares_data"),
        ("shares_data", "shares_data"),
        ("freeze", "freeze"),
    ]
    assert analysis.disputes[2].group_cause is None
    cause = analysis.disputes[0].group_cause
    assert cause == analysis.disputes[1].group_cause
    assert cause is not None and cause.endswith("Do old and new share data?")


def outcome(verdict: str, added: list[str] | None = None) -> Outcome:
    return Outcome(
        participants=["X"],
        answer="x",
        verdict=verdict,  # type: ignore[arg-type]
        verdict_title=verdict,
        verdict_changes=False,
        findings_added=added or [],
        findings_removed=[],
        text="",
    )


def dispute(qid: str, impact: str, outcomes: list[Outcome], critical: bool = False) -> Disagreement:
    return Disagreement(
        question=qid,
        text=qid,
        section="s",
        section_title="S",
        critical=critical,
        kinds=["choice"],
        impact=impact,  # type: ignore[arg-type]
        team_answer="x",
        summary="",
        answers=[],
        outcomes=outcomes,
    )


def test_disputes_rank_by_how_far_apart_the_verdicts_are() -> None:
    # The team's answer gives Go with conditions. "wide" spans Go to Not yet (two steps apart,
    # one step from the team's); "serious" spans one step but adds a high finding. The verdicts
    # furthest apart come first, then blocker and high findings, then the question that matters.
    wide = dispute(
        "wide", "verdict", [outcome("go"), outcome("go_with_conditions"), outcome("not_yet")]
    )
    serious = dispute(
        "serious", "verdict", [outcome("go_with_conditions"), outcome("not_yet", ["Long freeze"])]
    )
    plain = dispute("plain", "verdict", [outcome("go_with_conditions"), outcome("not_yet")], True)
    finding = dispute("finding", "serious_finding", [outcome("go"), outcome("go", ["Risk"])])
    nothing = dispute("nothing", "none", [outcome("go"), outcome("go")])
    given = [nothing, finding, plain, serious, wide]
    ranked = sorted(enumerate(given), key=lambda pair: rank_key(pair[1], pair[0]))
    assert [d.question for _, d in ranked] == ["wide", "serious", "plain", "finding", "nothing"]


def example_memo(run: Any, fmt: str) -> str:
    files = sorted((ROOT / "examples" / "workshop").glob("*.yaml"))
    result = run("report", *files, "-o", "-", "--format", fmt)
    assert result.code == 0, result.err
    return str(result.out)


def test_disputed_answers_count_as_not_known(run) -> None:
    memo = json.loads(example_memo(run, "json"))
    verdict = memo["verdict"]
    assert memo["disagreements"]
    assert verdict["id"] == "not_yet"
    assert verdict["score"] < 100 and verdict["knowledge"] < 100
    assert not (verdict["score"] == 100 and verdict["id"] == "not_yet")
    # Listed once, as a dispute, not also as a "don't know" or an open question.
    refs = [(r["kind"], r["ref"]) for r in verdict["reasons"]]
    assert ("dispute", "sync_direction") in refs and ("open_question", "sync_direction") not in refs
    assert "sync_direction" not in [q["question"] for q in memo["open_questions"]]
    # The plan and the appendix show the team's answer, which somebody gave.
    [entry] = [
        q for s in memo["appendix"] for q in s["questions"] if q["question"] == "sync_direction"
    ]
    assert entry["value"] == "one_way"
    md = example_memo(run, "md")
    assert "**Score 100/100**" not in md and "known 100% of what applies" not in md


def test_the_team_memo_asks_the_team_to_settle_first(run, tmp_path: Path) -> None:
    md = example_memo(run, "md")
    assert "**Next step.** The team settles these 7 disputes (run: rewrite-advisor workshop " in md
    assert "leadership is asked to decide once the team has agreed" in md
    assert "*Judgement: the team decides* · Data migration and synchronizer" in md
    assert "*Factual: check the record* · Shape of the rewrite · numbers far apart" in md
    assert "**Settle together: 2 linked disputes.**" in md
    from rewrite_advisor import cli, workshop

    files = sorted((ROOT / "examples" / "workshop").glob("*.yaml"))
    memo = cli.build_team_memo(files, None)
    assert memo.team.next_step.startswith("The team settles these 7 disputes")
    from rewrite_advisor.render import render_html

    page = render_html(memo, for_print=True)
    assert "What the team does next" in page
    assert "What leadership is asked to decide" not in page
    # Once the team agrees, leadership is asked.
    agreed = [person(tmp_path, "Ana", {}), person(tmp_path, "Ben", {})]
    memo = cli.build_team_memo(agreed, MINI_BANK)
    assert memo.team.next_step is None
    assert workshop.settle_step(1, ["a.yaml"], "team.yaml").startswith(
        "The team settles the dispute still open (run: rewrite-advisor workshop a.yaml -o team.yaml)"
    )


def test_confidence_labels_in_the_team_memo_are_the_participants_own(run) -> None:
    memo = json.loads(example_memo(run, "json"))
    files = sorted((ROOT / "examples" / "workshop").glob("*.yaml"))
    given: dict[str, set[Any]] = {}
    for path in files:
        for qid, entry in yamlio.read(path).data["answers"].items():
            value, confidence = (
                (entry.get("value"), entry.get("confidence"))
                if isinstance(entry, dict)
                else (entry, None)
            )
            given.setdefault(qid, set()).add((_hashable(value), confidence))
    shown = 0
    for section in memo["appendix"]:
        for entry in section["questions"]:
            if entry["state"] == "known" and entry["confidence"]:
                key = _hashable(entry["value"])
                stated = {c for v, c in given.get(entry["question"], set()) if v == key}
                assert entry["confidence"] in stated, entry["question"]
                shown += 1
    assert shown
    # Ben guessed 2027-09-01; the team's 2027-06-01 (Ana's and Carla's) is not a guess.
    [first] = [
        q for s in memo["appendix"] for q in s["questions"] if q["question"] == "first_switch_date"
    ]
    assert (first["answer"], first["confidence"]) == ("2027-06-01", None)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def test_a_dissenters_confidence_is_shown_next_to_their_answer(run, tmp_path: Path) -> None:
    """Issue 19 (second trial): the workshop records how sure a dissenter is ('9 // guess'),
    but the team memo showed their answer without it."""
    path = team_file(tmp_path)
    data = yamlio.read(path).data
    data["participants"] = ["Ana", "Ben", "Carla"]
    data["workshop"]["sources"] = [
        {"participant": name, "file": f"{name.lower()}.yaml", "sha256": str(i) * 64}
        for i, name in enumerate(data["participants"])
    ]
    data["answers"]["freeze"]["dissent"] = [
        {"participant": "Ben", "answer": 9, "reason": "the migration alone", "confidence": "guess"},
        {"participant": "Carla", "answer": 12, "confidence": "estimate"},
    ]
    path.write_text(yamlio.dump(data))
    md = run("report", path, "--bank", MINI_BANK, "-o", "-", "--format", "md")
    assert md.code == 0, md.err
    assert "| Ben | 9 months (guess) | the migration alone |" in md.out
    assert "| Carla | 12 months (estimate) | |" in md.out
    out = tmp_path / "memo.html"
    assert run("report", path, "--bank", MINI_BANK, "-o", out).code == 0
    html = out.read_text()
    assert (
        '<td class="who">Ben</td><td><span class="answer-text">9 months '
        '<span class="conf conf-guess">guess</span></span>'
        '<span class="note">the migration alone</span>'
    ) in html
    assert (
        '<td class="who">Carla</td><td><span class="answer-text">12 months '
        '<span class="conf conf-estimate">estimate</span></span>'
    ) in html
    memo = json.loads(run("report", path, "--bank", MINI_BANK, "--format", "json").out)
    jsonschema.validate(memo, schema_for("memo"))
    assert [(d["participant"], d["confidence"]) for d in memo["dissent"]] == [
        ("Ben", "guess"),
        ("Carla", "estimate"),
    ]
