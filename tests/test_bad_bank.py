"""Every kind of broken question bank gets one located error line and exit code 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return text[:start].count("\n") + 1


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text, f"fixture changed: {old!r} not found"
    text = text.replace(old, new, 1)
    path.write_text(text)
    return text


CASES = [
    # (file, old, new, marker for the expected line, expected message)
    (
        "bank.yaml",
        "title: Why\n",
        "title: [Why\n",
        "title: [Why",
        "invalid YAML",
    ),
    (
        "bank.yaml",
        "        critical: true\n        choices:",
        "        critical: maybe\n        choices:",
        "critical: maybe",
        # issue 19 K: it said "input should be a valid boolean, unable to interpret input"
        "critical: expected true, false or a condition (such as {question: motive, equals: "
        "customer}) saying when the question matters, got 'maybe'",
    ),
    (
        "bank.yaml",
        "        help: Goals tie the work to the company.\n",
        "        help: Goals tie the work to the company.\n        colour: red\n",
        "colour: red",
        "unknown key 'colour'",
    ),
    (
        "bank.yaml",
        "      - id: goals\n",
        "      - id: motive\n",
        "id: motive",  # the second occurrence is checked below
        "the question id 'motive' appears twice",
    ),
    (
        "bank.yaml",
        "when: {question: shares_data, equals: true}",
        "when: {question: nowhere, equals: true}",
        "when: {question: nowhere",
        "unknown question 'nowhere'",
    ),
    (
        "bank.yaml",
        "when: {question: shares_data, equals: true}",
        "when: {question: freeze, gt: 1}",
        "when: {question: freeze",
        "names 'freeze', which is asked later",
    ),
    (
        "bank.yaml",
        "when: {question: shares_data, equals: true}",
        "when: {question: sync_cost, gt: 1}",
        "when: {question: sync_cost",
        "question 'sync_cost' depends on itself",
    ),
    (
        "bank.yaml",
        "type: date\n",
        "type: calendar\n",
        "type: calendar",
        "type: input should be",
    ),
    (
        "bank.yaml",
        "          - {value: fashion, label: New technology}\n",
        "          - {value: customer, label: New technology}\n",
        "- id: motive",
        "the choice 'customer' appears twice",
    ),
    (
        "bank.yaml",
        "        critical: true\n        choices:",
        "        critical: true\n        counts_in_knowledge: false\n        choices:",
        "- id: motive",
        "a question that matters (critical) counts in knowledge",
    ),
    (
        "rules.yaml",
        "when: {question: motive, equals: fashion}",
        "when: {question: mood, equals: fashion}",
        "when: {question: mood",
        "unknown question 'mood'",
    ),
    (
        "rules.yaml",
        "when: {question: motive, equals: fashion}",
        "when: {question: motive, equals: hype}",
        "when: {question: motive, equals: hype}",
        "'hype' is not a choice of question 'motive'",
    ),
    (
        "rules.yaml",
        "when: {question: freeze, gt: 6}",
        "when: {question: freeze, gt: six}",
        "gt: six",
        "question 'freeze' is a number",
    ),
    (
        "rules.yaml",
        "  - id: long-freeze\n",
        "  - id: fashion\n",
        "- id: fashion",
        "the rule id 'fashion' appears twice",
    ),
    (
        "rules.yaml",
        "    severity: high\n",
        "    severity: critical\n",
        "severity: critical",
        "severity: input should be",
    ),
    (
        "rules.yaml",
        "    section: how\n",
        "    section: elsewhere\n",
        "section: elsewhere",
        "unknown section 'elsewhere'",
    ),
    (
        "rules.yaml",
        "when: {question: freeze, gt: 6}",
        "when: {question: freeze, gt: 6, lt: 9}",
        "when: {question: freeze, gt: 6, lt: 9}",
        "a comparison needs exactly one of",
    ),
    (
        "rules.yaml",
        "when: {question: freeze, gt: 6}",
        "when: {question: story, gt: 6}",
        "when: {question: story",
        "'gt' needs a number or date question",
    ),
    (
        "rules.yaml",
        "when: {question: freeze, gt: 6}",
        "when: {question: freeze, gt: 6}\n    fixed_by: {question: nosuch, equals: 3}",
        "fixed_by: {question: nosuch",
        "unknown question 'nosuch'",
    ),
    (
        "rules.yaml",
        "    title: Long freeze\n",
        "    title: Long freeze\n    title: Longer freeze\n",
        "title: Longer freeze",
        "the key 'title' appears twice",
    ),
    (
        "rules.yaml",
        "    title: Long freeze\n",
        "    title: &t Long freeze\n    action2: *t\n",
        "action2: *t",
        "anchors and aliases",
    ),
    (
        "rules.yaml",
        "    title: Long freeze\n",
        "    title: !!python/object/apply:os.system [echo hacked]\n",
        "!!python",
        "is not allowed",
    ),
    (
        "bank.yaml",
        "        help: Goals tie the work to the company.\n",
        "        help: Goals tie the work to the company.\n        besides: freeze\n",
        "besides: freeze",
        "question 'goals' has 'besides: freeze', which is not an earlier single-choice question",
    ),
    (
        "bank.yaml",
        "        help: Goals tie the work to the company.\n",
        "        help: Goals tie the work to the company.\n        besides: goals\n",
        "besides: goals",
        "question 'goals' has 'besides: goals', which is not an earlier single-choice question",
    ),
    (
        "bank.yaml",
        "        help: The motive decides whether a rewrite is worth it.\n",
        "        help: The motive decides whether a rewrite is worth it.\n        besides: goals\n",
        "- id: motive",  # where the question starts, as for its other checks
        "question 'motive': only a multi question takes 'besides'",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "marker", "message"), CASES, ids=[c[4] for c in CASES]
)
def test_bad_bank_is_located(run, mini_bank: Path, name, old, new, marker, message) -> None:
    text = edit(mini_bank / name, old, new)
    nth = 2 if message.startswith(("the question id", "the rule id")) else 1
    expected_line = line_of(text, marker, nth)
    result = run("check", mini_bank)
    assert result.code == 2, result.err
    assert result.out == ""
    assert result.err.startswith(f"error: {mini_bank / name}:{expected_line}: "), result.err
    assert message in result.err
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err


def test_valid_bank_checks_clean(run) -> None:
    from conftest import MINI_BANK

    result = run("check", MINI_BANK)
    assert result.code == 0
    assert result.out.startswith("ok: mini 1.0: 2 sections, 7 questions, 5 rules")


def test_missing_bank_folder(run, tmp_path: Path) -> None:
    result = run("check", tmp_path / "nope")
    assert result.code == 2
    assert result.err.startswith(f"error: {tmp_path / 'nope'}: no such folder")


def test_missing_rules_file(run, mini_bank: Path) -> None:
    (mini_bank / "rules.yaml").unlink()
    result = run("check", mini_bank)
    assert result.code == 2
    assert result.err == f"error: {mini_bank / 'rules.yaml'}: no such file\n"


def test_yes_and_no_stay_text(run, mini_bank: Path) -> None:
    # In YAML 1.1 a bare `no` is false; here it is a choice value like any other word.
    edit(
        mini_bank / "bank.yaml", "{value: fashion, label: New technology}", "{value: no, label: No}"
    )
    edit(mini_bank / "rules.yaml", "equals: fashion}", "equals: no}")
    result = run("check", mini_bank)
    assert result.code == 0, result.err


@pytest.fixture
def default_bank(tmp_path: Path) -> Path:
    """A writable copy of the bundled bank (scoring model 2)."""
    import shutil

    from rewrite_advisor.resources import default_bank_dir

    target = tmp_path / "bank"
    target.mkdir()
    for name in ("bank.yaml", "rules.yaml"):
        shutil.copy(default_bank_dir() / name, target / name)
    return target


MODEL_2_CASES = [
    (
        "rules.yaml",
        "    - {verdict: go, score: 75}\n    - {verdict: go_with_conditions, score: 42}",
        "    - {verdict: go_with_conditions, score: 42}\n    - {verdict: go, score: 75}",
        "\nscoring:",
        "score_allows must list each verdict once, best first",
    ),
    (
        "rules.yaml",
        "    - {verdict: not_yet, score: 0}",
        "    - {verdict: not_yet, score: 10}",
        "\nscoring:",
        "the last entry of score_allows must need a score of 0",
    ),
    (
        "rules.yaml",
        "    matters_share: 0.5",
        "    matters_share: 1.5",
        "matters_share: 1.5",
        "matters_share: input should be less than 1",
    ),
    (
        "bank.yaml",
        "            - {question: moves, equals: accounts}\n        when:",
        "            - {question: moving, equals: accounts}\n        when:",
        "critical:\n          all:\n            - {question: old_system_end",
        "unknown question 'moving'",
    ),
    (
        "bank.yaml",
        "      last_migration_date: switch_off_date",
        "      last_migration_date: switch_off_day",
        "last_migration_date: switch_off_day",
        "unknown question 'switch_off_day'",
    ),
    (
        "bank.yaml",
        '          - {value: whole_product, label: "The whole product or system"}',
        '          - {value: whole_product, label: "The whole product or system", exclusive: true}',
        "      - id: scope",
        "'exclusive' applies only to choices of a multi question",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "marker", "message"), MODEL_2_CASES, ids=[c[4] for c in MODEL_2_CASES]
)
def test_bad_model_2_bank_is_located(
    run, default_bank: Path, name, old, new, marker, message
) -> None:
    text = edit(default_bank / name, old, new)
    result = run("check", default_bank)
    assert result.code == 2, result.err
    assert message in result.err, result.err
    line = int(result.err.split(":")[2])
    assert line == line_of(text, marker) + marker.startswith("\n"), result.err
    assert result.err.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "bank.yaml",
            "        help: The motive decides whether a rewrite is worth it.\n",
            "",
            "missing key 'help' in question 'motive'",
        ),
        ("bank.yaml", "type: date\n", "type: calendar\n", "question 'go_live', type: input"),
        (
            "bank.yaml",
            "{value: risk, label: Risk}",
            "{value: risk, label: Risk, colour: red}",
            "unknown key 'colour' in question 'goals', choice 'risk'",
        ),
        (
            "rules.yaml",
            "    severity: high\n",
            "    severity: huge\n",
            "rule 'long-freeze', severity",
        ),
    ],
)
def test_a_bank_error_names_the_question_or_rule_by_its_id(
    run, mini_bank: Path, name: str, old: str, new: str, message: str
) -> None:
    edit(mini_bank / name, old, new)
    result = run("check", mini_bank)
    assert result.code == 2
    assert message in result.err, result.err
    assert not re.search(r"\b(sections|questions|rules)\.\d", result.err), result.err
