"""A hand-edited answers file is kept as the person wrote it: assess changes only what changed."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path

import pytest
from conftest import MINI_BANK
from test_session import FULL, ScriptedAsker

from rewrite_advisor import yamlio
from rewrite_advisor.answers import HEADER, Answer, load_answers
from rewrite_advisor.bank import Bank, load_bank
from rewrite_advisor.session import run

TODAY = dt.date(2026, 11, 25)

HAND_EDITED = """\
# yaml-language-server: $schema=../schemas/answers.json
# Billing: our answers from the March offsite.   (a comment of ours)

title:   Billing rewrite      # renamed twice
kind: rewrite-advisor/answers
format: 1
bank: {id: mini, version: "1.0"}
participants:
    - Ana
answers:
    # Why we do it
    motive: customer   # Ana insists
    goals:
      - revenue
      - cost
    shares_data: yes_we_do_not_know
    sync_cost:
        value: 120000
        note: >-
          two engineers
          for a quarter

    # How: nothing else yet
"""


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(MINI_BANK)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def hand_edited(tmp_path: Path, text: str = HAND_EDITED) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text.replace("shares_data: yes_we_do_not_know", "shares_data: true"))
    return path


def test_a_file_is_not_written_until_an_answer_changes(bank: Bank, tmp_path: Path) -> None:
    path = hand_edited(tmp_path)
    before = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    # Every question answered already but the open ones; review, change nothing, finish.
    complete = path.read_text().replace(
        "    # How: nothing else yet\n",
        "    freeze: 2\n    go_live: '2027-03-01'\n    story: {dont_know: true}\n",
    )
    path.write_text(complete)
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    run(bank, path, ScriptedAsker({}), today=TODAY, participant="Ana")
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stamp


def test_a_new_answer_adds_only_its_own_lines(bank: Bank, tmp_path: Path) -> None:
    path = hand_edited(tmp_path)
    before = path.read_text()
    run(bank, path, ScriptedAsker(FULL), today=TODAY)
    after = path.read_text()
    assert changed_lines(before, after) == [
        "+    freeze: 2",
        "+    go_live: '2027-03-01'",
        "+    story:",
        "+      dont_know: true",
    ]
    assert after.startswith("# yaml-language-server: $schema=../schemas/answers.json\n")
    assert load_answers(path, bank).given["story"].state == "unknown"


def test_a_changed_answer_replaces_only_its_lines_and_keeps_its_comment(
    bank: Bank, tmp_path: Path
) -> None:
    path = hand_edited(tmp_path)
    before = path.read_text()
    # Review: change motive, then answer the open questions.
    table = {**FULL, "motive": Answer("known", "fashion")}
    run(bank, path, ScriptedAsker(table, reviews=["motive"]), today=TODAY)
    after = path.read_text()
    diff = changed_lines(before, after)
    assert "-    motive: customer   # Ana insists" in diff
    assert "+    motive: fashion   # Ana insists" in diff
    assert [line for line in diff if "motive" not in line] == [
        "+    freeze: 2",
        "+    go_live: '2027-03-01'",
        "+    story:",
        "+      dont_know: true",
    ]


def test_a_multi_line_answer_is_replaced_whole(bank: Bank, tmp_path: Path) -> None:
    path = hand_edited(tmp_path)
    before = path.read_text()
    table = {**FULL, "sync_cost": Answer("known", 90000, None, "guess")}
    run(bank, path, ScriptedAsker(table, reviews=["sync_cost"]), today=TODAY)
    diff = changed_lines(before, path.read_text())
    assert [line for line in diff if line.startswith("-")] == [
        "-        value: 120000",
        "-        note: >-",
        "-          two engineers",
        "-          for a quarter",
    ]
    assert "+      value: 90000" in diff and "+      confidence: guess" in diff
    assert "    # How: nothing else yet" in path.read_text()


def test_a_participant_is_added_with_the_first_answer(bank: Bank, tmp_path: Path) -> None:
    path = hand_edited(tmp_path)
    before = path.read_text()
    run(bank, path, ScriptedAsker(FULL), today=TODAY, participant="Bo")
    diff = changed_lines(before, path.read_text())
    assert diff[:3] == ["-    - Ana", "+- Ana", "+- Bo"]
    assert all(
        "freeze" in d or "go_live" in d or "story" in d or "dont_know" in d for d in diff[3:]
    )
    assert load_answers(path, bank).participants == ["Ana", "Bo"]


def test_a_json_file_stays_json(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    data = yamlio.parse(hand_edited(tmp_path).read_text()).data
    path.write_text(json.dumps(data, indent=2))
    run(bank, path, ScriptedAsker(FULL), today=TODAY)
    saved = json.loads(path.read_text())
    assert saved["answers"]["story"] == {"dont_know": True}
    assert saved["answers"]["motive"] == "customer"


def test_a_new_file_has_the_schema_modeline(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    run(bank, path, ScriptedAsker(FULL), today=TODAY)
    text = path.read_text()
    assert text.startswith(HEADER)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=answers.schema.json"


def test_answers_in_flow_style_are_rewritten_as_a_block(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(
        "# ours\nkind: rewrite-advisor/answers\nbank: {id: mini, version: '1.0'}\n"
        "answers: {motive: customer}\n# the end\n"
    )
    run(bank, path, ScriptedAsker(FULL), today=TODAY)
    text = path.read_text()
    assert text.startswith("# ours\nkind: rewrite-advisor/answers\n")
    assert text.endswith("# the end\n")
    assert set(load_answers(path, bank).given) == set(FULL)


def test_an_edit_made_meanwhile_in_another_answer_is_kept(bank: Bank, tmp_path: Path) -> None:
    path = hand_edited(tmp_path)

    class EditsMeanwhile(ScriptedAsker):
        def ask(self, question, progress, current, currency):  # type: ignore[no-untyped-def]
            if question.id == "go_live":
                path.write_text(path.read_text().replace("motive: customer", "motive: fashion"))
            return super().ask(question, progress, current, currency)

    run(bank, path, EditsMeanwhile(FULL), today=TODAY)
    assert load_answers(path, bank).given["motive"].value == "fashion"


@pytest.mark.parametrize(
    ("text", "changes", "expected"),
    [
        ("a: 1\nb: 2\n", {"b": 3}, "a: 1\nb: 3\n"),
        ("a: 1\r\nb: 2\r\n", {"c": 3}, "a: 1\r\nb: 2\r\nc: 3\r\n"),
        ("a: 1\nb: 2", {"a": yamlio.DELETE}, "b: 2\n"),
        ("a: 'x # y'  # z\n", {"a": "w"}, "a: w  # z\n"),
        ("a: |\n  one\n  two\n\n# after\nb: 2\n", {"a": "x"}, "a: x\n\n# after\nb: 2\n"),
    ],
)
def test_edit_mapping_changes_only_the_named_keys(
    text: str, changes: dict[str, object], expected: str
) -> None:
    assert yamlio.edit_mapping(text, [], changes, ["a", "b", "c"]) == expected


@pytest.mark.parametrize("text", ["{a: 1}\n", "[1, 2]\n", "a: 1\n- b\n", "x: {a: 1}\n"])
def test_edit_mapping_refuses_what_it_cannot_change_line_by_line(text: str) -> None:
    with pytest.raises(yamlio.CannotEdit):
        yamlio.edit_mapping(text, ["x"] if text.startswith("x") else [], {"a": 2})
