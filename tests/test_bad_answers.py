"""Every kind of broken answers file gets one located error line and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK, ROOT
from test_bad_bank import line_of

CASES = [
    ("  motive: customer\n", "  motive: [customer\n", "motive: [customer", "invalid YAML"),
    (
        "  motive: customer\n",
        "  motive: customers\n",
        "motive: customers",
        "motive: 'customers' is not one of the choices",
    ),
    (
        "  goals: [revenue, cost]\n",
        "  goals: [revenue, profit]\n",
        "goals: [revenue, profit]",
        "goals: 'profit' is not one of the choices",
    ),
    (
        "  freeze: 2\n",
        "  freeze: two months\n",
        "freeze: two months",
        "freeze: expected a number, got 'two months'",
    ),
    # Issue 19 J: what people write most, with the plain number to write instead.
    (
        "  freeze: 2\n",
        "  freeze: 1.5 years\n",
        "freeze: 1.5 years",
        "freeze: the answer is in months: write 18 for '1.5 years' (12 months a year)",
    ),
    (
        "  sync_cost: {value: 120000,",
        "  sync_cost: {value: 120k,",
        "sync_cost: {value: 120k",
        "sync_cost: expected a plain number, got '120k': write 120000 in an answers file",
    ),
    ("  freeze: 2\n", "  freeze: 99\n", "freeze: 99", "freeze: must be at most 60"),
    (
        "  shares_data: true\n",
        "  shares_data: maybe\n",
        "shares_data: maybe",
        "shares_data: expected yes or no",
    ),
    (
        '  go_live: "2027-03-01"\n',
        '  go_live: "March next year"\n',
        "go_live:",
        "go_live: expected a date as YYYY-MM-DD",
    ),
    ("  freeze: 2\n", "  freeze: 2\n  mood: grim\n", "mood: grim", "unknown question 'mood'"),
    (
        "  motive: customer\n",
        "  motiv: customer\n",
        "motiv:",
        "unknown question 'motiv': did you mean 'motive'?",
    ),
    (
        "  freeze: 2\n",
        "  freeze: about 4%\n",
        "freeze:",
        "freeze: expected a number, got 'about 4%': write a plain number, such as 18\n",
    ),
    (
        "  motive: customer\n",
        "  motive: true\n",
        "motive:",
        "motive: 'true' is not one of the choices: customer, fashion\n",
    ),
    (
        "  freeze: 2\n",
        "  freeze: false\n",
        "freeze:",
        "freeze: expected a number, got 'false': write a plain number, such as 18\n",
    ),
    (
        "  freeze: 2\n",
        "  freeze: {value: 2, certainty: high}\n",
        "freeze: {value",
        "unknown key 'certainty'",
    ),
    (
        "  freeze: 2\n",
        "  freeze: {value: 2, confidence: total}\n",
        "freeze: {value",
        "confidence: input should be",
    ),
    (
        "  freeze: 2\n",
        "  freeze: {value: 2, dont_know: true}\n",
        "freeze: {value",
        "both a value and dont_know",
    ),
    (
        "title: Mini rewrite\n",
        "title: Mini rewrite\ntitle: Again\n",
        "title: Again",
        "the key 'title' appears twice",
    ),
    (
        'bank: {id: mini, version: "1.0"}\n',
        'bank: {id: other, version: "1.0"}\n',
        "bank:",
        "for the question bank 'other', not 'mini'",
    ),
    (
        'bank: {id: mini, version: "1.0"}\n',
        'bank: {id: mini, version: "0.9"}\n',
        "bank:",
        "version 0.9 of the question bank",
    ),
    (
        'date: "2026-11-20"\n',
        'date: "20/11/2026"\n',
        "date:",
        'date: expected a date like "2026-11-20"',
    ),
    (
        "participants: [Ana]\n",
        "participants: Ana\n",
        "participants:",
        "participants: input should be a valid list",
    ),
    (
        "kind: rewrite-advisor/answers\n",
        "kind: something-else\n",
        "kind:",
        "this is not an answers file",
    ),
]


@pytest.mark.parametrize(("old", "new", "marker", "message"), CASES, ids=[c[3] for c in CASES])
def test_bad_answers_are_located(run, tmp_path: Path, old, new, marker, message) -> None:
    text = MINI_ANSWERS.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    answers = tmp_path / "answers.yaml"
    answers.write_text(text)
    result = run("report", answers, "--bank", MINI_BANK, "-o", tmp_path / "memo.html")
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {answers}:{line_of(text, marker)}: "), result.err
    assert message in result.err
    assert result.err.count("\n") == 1
    assert not (tmp_path / "memo.html").exists()


def test_missing_answers_file(run, tmp_path: Path) -> None:
    result = run("report", tmp_path / "none.yaml", "-o", "-")
    assert result.code == 2
    assert result.err == f"error: {tmp_path / 'none.yaml'}: no such file\n"


def test_empty_answers_file(run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    result = run("report", empty, "-o", "-")
    assert result.code == 2
    assert result.err == f"error: {empty}:1: the file is empty\n"
    empty.write_text("# nothing yet\n\n")
    assert run("report", empty, "-o", "-").err == f"error: {empty}:1: the file is empty\n"


def test_not_utf8(run, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"title: caf\xe9\n")
    result = run("report", bad, "-o", "-")
    assert result.code == 2
    assert result.err == f"error: {bad}:1: the file is not UTF-8 text\n"


def test_json_answers_are_accepted(run, tmp_path: Path) -> None:
    import json

    from rewrite_advisor import yamlio

    data = yamlio.read(MINI_ANSWERS).data
    as_json = tmp_path / "answers.json"
    as_json.write_text(json.dumps(data, indent=1))
    result = run("report", as_json, "--bank", MINI_BANK, "-o", "-", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["verdict"]["id"] == "go"


def test_unknown_output_suffix(run, tmp_path: Path) -> None:
    result = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", tmp_path / "memo.docx")
    assert result.code == 2
    assert "cannot tell the format" in result.err


def test_output_folder_missing(run, tmp_path: Path) -> None:
    target = tmp_path / "no" / "memo.html"
    result = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", target)
    assert result.code == 2
    assert result.err == f"error: {target}: the folder {target.parent} does not exist\n"


def test_bad_option(run) -> None:
    result = run("report", MINI_ANSWERS, "--format", "docx")
    assert result.code == 2
    assert result.err.startswith("error: Invalid value for '--format'")
    assert result.err.count("\n") == 1


def test_unknown_command(run) -> None:
    result = run("rewrite")
    assert result.code == 2
    assert result.err.startswith("error: No such command 'rewrite'")


def test_alias_bomb_is_refused_at_once(run, tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    result = run("report", bomb, "-o", "-")
    assert result.code == 2
    assert result.err == f"error: {bomb}:2: anchors and aliases (& and *) are not allowed\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a:\n  b: 1\n   c: 2\n", 3, "check the indentation of this line"),
        ("a:\n  b: 1\n\tc: 2\n", 3, "a tab is used for indentation; YAML needs spaces"),
        ("a: [1, 2\nb: 3\n", 1, "a flow sequence that starts here"),
        ('a: "abc\nb: 3\n', 1, "a quoted scalar that starts here"),
    ],
    ids=["indentation", "tab", "unclosed bracket", "unclosed quote"],
)
def test_yaml_syntax_errors_point_where_to_look(
    run, tmp_path: Path, text: str, line: int, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = run("report", bad)
    assert result.code == 2
    assert result.err.startswith(f"error: {bad}:{line}: invalid YAML: ")
    assert message in result.err


def test_a_date_that_is_not_in_the_calendar(run, tmp_path: Path) -> None:
    text = MINI_ANSWERS.read_text().replace('go_live: "2027-03-01"', 'go_live: "2027-02-30"')
    bad = tmp_path / "answers.yaml"
    bad.write_text(text)
    result = run("report", bad, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.endswith("go_live: '2027-02-30' is not a date in the calendar\n")


def test_a_bank_given_as_a_file(run) -> None:
    result = run("check", MINI_ANSWERS)
    assert result.code == 2
    assert result.err == (
        f"error: {MINI_ANSWERS}: this is a file: a question bank is a folder with bank.yaml and rules.yaml\n"
    )


def test_an_exclusive_choice_cannot_be_combined(run, tmp_path):
    """ "None of these" together with a real option is refused, with the line to fix."""
    path = tmp_path / "a.yaml"
    path.write_text(
        "kind: rewrite-advisor/answers\nformat: 1\n"
        'bank: {id: rewrite-advisor-default, version: "1.0.0"}\n'
        "title: t\nanswers:\n  alternatives_evaluated: [none, buy]\n"
    )
    result = run("report", path)
    assert result.code == 2
    assert "'none' cannot be combined with other choices" in result.err
    assert ":6:" in result.err


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("false", False),
        ("yes", True),
        ("no", False),
        ("Yes", True),
        ('"No"', False),
    ],
)
def test_yes_no_answers_take_true_false_yes_and_no(
    tmp_path: Path, written: str, value: bool
) -> None:
    from rewrite_advisor.answers import load_answers
    from rewrite_advisor.bank import load_bank

    text = MINI_ANSWERS.read_text().replace("  shares_data: true\n", f"  shares_data: {written}\n")
    answers = tmp_path / "answers.yaml"
    answers.write_text(text)
    assert load_answers(answers, load_bank(MINI_BANK)).given["shares_data"].value is value


@pytest.mark.parametrize("written", ["on", "off", "maybe"])
def test_yes_no_answers_refuse_other_words(run, tmp_path: Path, written: str) -> None:
    text = MINI_ANSWERS.read_text().replace("  shares_data: true\n", f"  shares_data: {written}\n")
    answers = tmp_path / "answers.yaml"
    answers.write_text(text)
    result = run("report", answers, "--bank", MINI_BANK, "-o", "-")
    assert result.code == 2
    assert result.err == (
        f"error: {answers}:{line_of(text, 'shares_data:')}: "
        f"shares_data: expected yes or no (or true or false), got '{written}'\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("title: Mini rewrite\n", "title Mini rewrite\n", 4),  # a top-level key
        ("  freeze: 2\n", "  freeze 2\n", 12),  # an answer, with more answers below it
        ('  story: {value: "A letter to every customer", confidence: guess}\n', "  story x\n", 14),
        ("  shares_data: true\n", "  shares_data true\n", 10),
    ],
    ids=["top-level key", "answer in the middle", "last line", "yes/no answer"],
)
def test_a_missing_colon_is_reported_on_its_own_line(
    run, tmp_path: Path, old: str, new: str, line: int
) -> None:
    """Issue 19 (second trial): the parser notices a lost ':' a line late; the error did too."""
    bad = tmp_path / "answers.yaml"
    bad.write_text(MINI_ANSWERS.read_text().replace(old, new))
    assert bad.read_text().splitlines()[line - 1] == new.rstrip("\n")
    result = run("report", bad, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err == (
        f"error: {bad}:{line}: invalid YAML: this line has no ':' after its key "
        "(write 'key: value')\n"
    )


NOT_ANSWERS = "this is not an answers file"
ANSWERS_FORM = "an answers file is YAML with bank: and answers: ('rewrite-advisor schema answers')"


def _made_by_report(run, folder: Path, name: str) -> Path:
    target = folder / name
    assert run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", target).code == 0
    return target


@pytest.mark.parametrize(
    ("make", "looks"),
    [
        (lambda run, tmp: ROOT / "README.md", "(it looks like Markdown: # headings and prose)"),
        (lambda run, tmp: ROOT / "CHANGELOG.md", "(it looks like Markdown: # headings and prose)"),
        (
            lambda run, tmp: _made_by_report(run, tmp, "memo.html"),
            "(it is an HTML memo; report reads the answers file it was made from, "
            "or a PDF memo, which carries its answers)",
        ),
        (
            lambda run, tmp: _made_by_report(run, tmp, "memo.md"),
            "(it is a Markdown memo; report reads the answers file it was made from)",
        ),
        (
            # judged by what it holds, not by its name
            lambda run, tmp: _made_by_report(run, tmp, "memo.html").rename(tmp / "memo.yaml"),
            "(it is an HTML memo; report reads the answers file it was made from, "
            "or a PDF memo, which carries its answers)",
        ),
        (
            lambda run, tmp: ROOT / "questions" / "bank.yaml",
            "(it is a question bank's bank.yaml; give its folder with --bank)",
        ),
        (
            lambda run, tmp: ROOT / "questions" / "rules.yaml",
            "(it is a question bank's rules.yaml; give its folder with --bank)",
        ),
        (
            lambda run, tmp: ROOT / "pyproject.toml",
            "(it looks like TOML or INI settings: [section] and key = value)",
        ),
        (
            lambda run, tmp: (tmp / "notes.txt", (tmp / "notes.txt").write_text("call Ana\n"))[0],
            f"(it holds plain text, not keys and values); {ANSWERS_FORM}",
        ),
    ],
    ids=[
        "README",
        "CHANGELOG",
        "HTML memo",
        "Markdown memo",
        "HTML memo named .yaml",
        "bank.yaml",
        "rules.yaml",
        "pyproject.toml",
        "plain text",
    ],
)
def test_a_file_of_another_kind_is_named_for_what_it_is(
    run, tmp_path: Path, make, looks: str
) -> None:
    """Issue 19 (second trial): 'report README.md' gave a YAML error, 'report bank.yaml' a
    missing key; the message says the file is not an answers file and what it looks like."""
    given = make(run, tmp_path)
    result = run("report", given, "-o", tmp_path / "out.html")
    assert result.code == 2
    assert result.err == f"error: {given}: {NOT_ANSWERS} {looks}\n"
    assert not (tmp_path / "out.html").exists()


def test_a_memo_or_case_library_in_yaml_is_named_at_its_kind(run, tmp_path: Path) -> None:
    memo = _made_by_report(run, tmp_path, "memo.json")
    result = run("report", memo)
    assert (result.code, result.err) == (
        2,
        f"error: {memo}:2: {NOT_ANSWERS} (kind is 'rewrite-advisor/memo': a JSON memo; "
        "report reads the answers file it was made from)\n",
    )
    cases = ROOT / "cases" / "cases.yaml"
    result = run("report", cases)
    assert result.code == 2
    assert result.err.startswith(f"error: {cases}:")
    assert result.err.endswith(
        f": {NOT_ANSWERS} (kind is 'rewrite-advisor/cases': a case library's cases.yaml; "
        "give its folder with --cases)\n"
    )


def test_the_answer_form_is_named_and_other_commands_say_the_same(run, tmp_path: Path) -> None:
    form = tmp_path / "form.html"
    assert run("form", "--bank", MINI_BANK, "-o", form).code == 0
    expected = (
        f"error: {form}: {NOT_ANSWERS} (it is the answer form: open it in a browser, and give "
        "report the file its Save answers button downloads)\n"
    )
    for args in (
        ["report", form],
        ["workshop", form, MINI_ANSWERS, "-o", tmp_path / "team.yaml"],
        ["diff", form, MINI_ANSWERS],
    ):
        result = run(*args, "--bank", MINI_BANK)
        assert (result.code, result.err) == (2, expected), args


def test_an_answers_file_with_a_typo_keeps_its_located_yaml_error(run, tmp_path: Path) -> None:
    """A file with an answers file's keys is one, with a mistake: where it breaks helps most."""
    text = MINI_ANSWERS.read_text().replace("  freeze: 2\n", "  freeze: [2\n")
    bad = tmp_path / "answers.md"  # even under a Markdown name
    bad.write_text("# Our answers\n" + text)
    result = run("report", bad, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err.startswith(f"error: {bad}:13: invalid YAML: "), result.err
