"""rewrite-advisor diff: what moved between two assessments, on answers files and records."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, MINI_ANSWERS, MINI_BANK


def variant(tmp_path: Path, name: str, **changes: str) -> Path:
    text = MINI_ANSWERS.read_text(encoding="utf-8")
    for key, value in changes.items():
        text, n = re.subn(rf"^(\s*){key}:.*$", rf"\g<1>{key}: {value}", text, count=1, flags=re.M)
        assert n == 1, key
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def later(tmp_path: Path) -> Path:
    """Three months on: the motive is now unknown and the freeze is longer."""
    return variant(
        tmp_path,
        "later.yaml",
        date='"2027-02-20"',
        motive="{dont_know: true, note: the sponsor left}",
        freeze="12",
    )


def test_text_diff_of_two_answers_files(cli, later: Path) -> None:
    result = cli("diff", MINI_ANSWERS, later, "--bank", MINI_BANK)
    assert result.code == 0, result.err
    out = result.out
    assert "(2026-11-20) →" in out and "(2027-02-20)" in out
    assert "Verdict: Go → Not yet" in out
    assert "Score: 100 → 82 (-18)" in out
    assert "What is the main motive? [motive]" in out
    assert "A customer problem → don't know" in out
    assert "note: (none) → the sponsor left" in out
    assert "2 months → 12 months" in out
    assert "+ added    [high] Long freeze (long-freeze)" in out
    assert "- removed  [strength] A customer problem drives it (customer-first)" in out
    assert "How: 100 → 75 -25" in out
    assert "new      What is the main motive?" in out
    # Unchanged answers are not listed.
    assert "Which goals does it serve?" not in out


def test_json_diff(cli, later: Path) -> None:
    result = cli("diff", MINI_ANSWERS, later, "--bank", MINI_BANK, "--format", "json")
    data = json.loads(result.out)
    assert data["kind"] == "rewrite-advisor/diff"
    assert (data["old"]["verdict"], data["new"]["verdict"]) == ("go", "not_yet")
    assert data["verdict_changed"] is True and data["readiness_change"] == -18
    assert {a["question"] for a in data["answers"]} == {"motive", "freeze"}
    assert {(f["rule"], f["change"]) for f in data["findings"]} == {
        ("long-freeze", "added"),
        ("customer-first", "removed"),
    }
    assert {s["section"]: (s["old"], s["new"]) for s in data["sections"]} == {
        "why": (100, 88),
        "how": (100, 75),
    }
    assert data["open_questions"] == [
        {"question": "motive", "text": "What is the main motive?", "change": "opened"}
    ]


def test_markdown_diff_escapes_user_text(cli, tmp_path: Path) -> None:
    hostile = variant(tmp_path, "h.yaml", story='"<img src=x onerror=alert(1)> *loud*"')
    result = cli("diff", MINI_ANSWERS, hostile, "--bank", MINI_BANK, "--format", "md")
    assert result.code == 0, result.err
    assert result.out.startswith("# What changed: Mini rewrite")
    assert "| Question | Before | After |" in result.out
    assert not re.search(r"(?<!\\)<img", result.out) and "\\<img" in result.out


def test_same_answers_show_nothing_changed(cli) -> None:
    result = cli("diff", MINI_ANSWERS, MINI_ANSWERS, "--bank", MINI_BANK)
    assert result.code == 0
    assert "Verdict: Go (unchanged)" in result.out
    assert "Nothing changed: same answers, findings, scores and verdict." in result.out


def test_diff_between_records_and_answers(cli, tmp_path: Path, later: Path) -> None:
    folder = tmp_path / "decisions"
    assert (
        cli("record", "add", MINI_ANSWERS, "--dir", folder, "--bank", MINI_BANK, "--no-pdf").code
        == 0
    )
    assert cli("record", "add", later, "--dir", folder, "--bank", MINI_BANK, "--no-pdf").code == 0
    by_number = cli("diff", "1", "2", "--dir", folder)
    assert by_number.code == 0, by_number.err
    assert by_number.out.startswith("0001-mini-rewrite.md (2026-11-20) → 0002-mini-rewrite.md")
    assert "Verdict: Go → Not yet" in by_number.out
    by_path = cli("diff", folder / "0001-mini-rewrite.md", later, "--bank", MINI_BANK)
    assert by_path.code == 0
    assert by_path.out.split("\n", 1)[1] == by_number.out.split("\n", 1)[1]
    by_folder = cli(
        "diff",
        folder / "assessments" / "0001-mini-rewrite",
        "2",
        "--dir",
        folder,
        "--format",
        "json",
    )
    assert json.loads(by_folder.out)["new"]["verdict"] == "not_yet"


def test_a_record_compares_as_recorded_even_after_its_bank_changed(
    cli, tmp_path: Path, later: Path
) -> None:
    folder = tmp_path / "decisions"
    assert (
        cli("record", "add", MINI_ANSWERS, "--dir", folder, "--bank", MINI_BANK, "--no-pdf").code
        == 0
    )
    result = cli("diff", "1", later, "--dir", folder, "--bank", MINI_BANK)
    assert "Verdict: Go → Not yet" in result.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nope.yaml", MINI_ANSWERS], "nope.yaml: no such answers file or record"),
        (["7", MINI_ANSWERS], "no such records folder"),
        ([MINI_ANSWERS, MINI_ANSWERS, "--format", "pdf"], "'pdf' is not one of"),
    ],
)
def test_bad_input_is_one_error_line(cli, tmp_path: Path, args: list, needle: str) -> None:
    result = cli("diff", *args, "--bank", MINI_BANK, "--dir", tmp_path / "none")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], result.err


def test_diff_on_two_examples(cli) -> None:
    examples = sorted(EXAMPLES.glob("*.yaml")) if EXAMPLES.is_dir() else []
    if len(examples) < 2:
        pytest.skip("the examples/ answers files are not here yet")
    result = cli("diff", examples[0], examples[1])
    assert result.code == 0, result.err
    assert result.out.startswith(f"{examples[0]} (")
    assert "Verdict:" in result.out and "Score:" in result.out
    md = cli("diff", examples[0], examples[1], "--format", "md")
    assert md.code == 0 and "| Verdict |" in md.out


def test_a_note_only_change_is_listed_apart_from_changed_answers(cli, tmp_path: Path) -> None:
    """Issue 19 H: a changed note alone counted as a changed answer."""
    noted = variant(tmp_path, "noted.yaml", freeze="{value: 2, note: checked with sales}")
    text = cli("diff", MINI_ANSWERS, noted, "--bank", MINI_BANK)
    assert text.code == 0, text.err
    assert "Answers changed" not in text.out
    assert "Notes changed, answers the same (1):" in text.out
    assert "note: (none) → checked with sales" in text.out
    data = json.loads(cli("diff", MINI_ANSWERS, noted, "--bank", MINI_BANK, "--format", "json").out)
    assert data["answers"] == []
    assert [(n["question"], n["new_note"]) for n in data["notes"]] == [
        ("freeze", "checked with sales")
    ]
    md = cli("diff", MINI_ANSWERS, noted, "--bank", MINI_BANK, "--format", "md").out
    assert "## Answers" not in md
    assert "## Notes changed, answers the same (1)" in md
    assert "| (none) | checked with sales |" in md


def test_scores_from_different_scoring_models_are_marked_not_comparable(cli) -> None:
    """A 1.0.0 file is scored with model 1, a 2.x file with model 2: the two scores (and
    their difference) cannot be compared, and the diff says so in every format."""
    old = FIXTURES / "bank-1.0.0" / "go-billing-strangler.yaml"
    new = EXAMPLES / "not-yet-unknowns.yaml"
    note = (
        "the two scores come from different versions of the scoring (model 1 and model 2) "
        "and are not comparable."
    )
    text = cli("diff", old, new)
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert lines[2] == "Score: 100 → 60 (-40, not comparable)"
    assert lines[3] == f"  Note: {note}"
    md = cli("diff", old, new, "--format", "md").out
    assert "| Score | 100/100 | 60/100 (-40, not comparable) |" in md
    assert f"\nNote: {note}\n" in md
    data = json.loads(cli("diff", old, new, "--format", "json").out)
    assert data["scores_comparable"] is False
    assert (data["old"]["scoring_model"], data["new"]["scoring_model"]) == (1, 2)
    # the same model on both sides: no note
    same = cli("diff", EXAMPLES / "go-billing-strangler.yaml", new)
    assert "not comparable" not in same.out
    assert json.loads(cli("diff", new, new, "--format", "json").out)["scores_comparable"]


def test_two_files_from_a_subfolder_look_for_no_records_folder(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both sides are files: the records folder (here one that does not exist) is not named."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    variant(repo / "src", "later.yaml", freeze="12")
    monkeypatch.chdir(repo / "src")
    result = cli("diff", MINI_ANSWERS, "later.yaml", "--bank", MINI_BANK)
    assert result.code == 0, result.err
    assert result.err == ""
    assert "2 months → 12 months" in result.out
    # a record number still looks for it, and says where
    numbered = cli("diff", "1", "later.yaml", "--bank", MINI_BANK)
    assert numbered.code == 2
    assert numbered.err == (
        "note: using the records folder ../docs/decisions\n"
        "error: ../docs/decisions: no such records folder (give --dir, or run 'record add' first)\n"
    )
