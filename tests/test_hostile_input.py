"""Hostile input, one line each: escape sequences, huge numbers, malformed PDFs, usage.

The whole hostile-input suite (whole processes, hangs, special files, a full disk) is
``bench/hostile.py``; ``test_hostile_suite`` runs a slice of it.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject

from rewrite_advisor.terminal import clean, has_control, json_escape

ESC = "\x1b]0;PWNED\x07\x1b[31mRED"


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not has_control(err), repr(err)
    return lines[0]


def mini_with(tmp_path: Path, old: str, new: str, name: str = "a.yaml") -> Path:
    text = MINI_ANSWERS.read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def test_clean_makes_control_characters_visible() -> None:
    assert clean("a\x1b[31mb\x07c\td\ne\r\x9b\u202e") == "a\\x1b[31mb\\x07c\td\ne\\x0d\\x9b\\u202e"
    assert clean("plain ünïcode — ok") == "plain ünïcode — ok"
    assert json.loads(json_escape(json.dumps("\x1b\x9b\u202e", ensure_ascii=False))) == (
        "\x1b\x9b\u202e"
    )


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_a_title_with_escapes_never_reaches_the_terminal(run, tmp_path: Path, fmt: str) -> None:
    path = mini_with(tmp_path, "title: Mini rewrite", 'title: "\\e]0;PWNED\\a\\e[31mRED \\u202e"')
    result = run("report", path, "--bank", MINI_BANK, "--format", fmt)
    assert result.code == 0
    assert not has_control(result.out)
    if fmt == "json":
        assert json.loads(result.out)["title"] == "\x1b]0;PWNED\x07\x1b[31mRED \u202e"
    else:
        assert "x1b" in result.out and "PWNED" in result.out


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  freeze: 2", '  "\\e]0;PWNED\\a": 2'),
        ("motive: customer", 'motive: "\\e[2J"'),
        ("id: mini", 'id: "\\e[31mmini"'),
    ],
    ids=["question id", "choice", "bank id"],
)
def test_an_echoed_value_is_shown_with_visible_escapes(run, tmp_path: Path, old, new) -> None:
    result = run("report", mini_with(tmp_path, old, new), "--bank", MINI_BANK)
    assert result.code == 2
    assert "\\x1b" in one_error_line(result.err)


def test_a_file_name_with_escapes_is_shown_safely(run, tmp_path: Path) -> None:
    result = run("report", tmp_path / f"{ESC}.yaml")
    assert result.code == 2
    assert "\\x1b]0;PWNED\\x07" in one_error_line(result.err)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, "the number is too large"),
        ("-" + "9" * 5000, "the number is too large"),
        ("9" * 400, "the number is too large"),
        ('"' + "9" * 5000 + '"', "too large"),
        ("0x" + "f" * 5000, "the number is too large"),
        (".inf", "expected a finite number"),
        ("1e400", "too large"),
    ],
    ids=["5000 digits", "-5000 digits", "400 digits", "quoted", "hex", "inf", "1e400"],
)
def test_huge_numbers_are_refused_where_they_are_read(run, tmp_path, value, message) -> None:
    path = mini_with(tmp_path, "freeze: 2", f"freeze: {value}")
    result = run("report", path, "--bank", MINI_BANK)
    assert result.code == 2
    line = one_error_line(result.err)
    assert f"{path}:" in line and message in line and len(line) < 300


def test_huge_numbers_in_a_bank_are_refused(run, mini_bank: Path) -> None:
    bank = mini_bank / "bank.yaml"
    bank.write_text(bank.read_text().replace("min: 0", "min: " + "1" * 5000, 1))
    result = run("check", mini_bank)
    assert result.code == 2
    assert "the number is too large" in one_error_line(result.err)


def test_team_median_of_huge_numbers_cannot_happen(run, tmp_path: Path) -> None:
    ana = mini_with(tmp_path, "freeze: 2", "freeze: " + "9" * 400, "ana.yaml")
    ben = mini_with(tmp_path, "participants: [Ana]", "participants: [Ben]", "ben.yaml")
    result = run("report", ana, ben, "--bank", MINI_BANK)
    assert result.code == 2 and "too large" in one_error_line(result.err)


def pdf_with(change=None, files=(("a.yaml", None),)) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    for name, data in files:
        writer.add_attachment(name, data if data is not None else MINI_ANSWERS.read_bytes())
    if change:
        names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
        for i in range(0, len(names), 2):
            change(names[i + 1].get_object())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def unknown_filter(spec) -> None:
    spec["/EF"]["/F"].get_object()[NameObject("/Filter")] = NameObject("/NoSuchDecode")


def not_a_stream(spec) -> None:
    spec["/EF"][NameObject("/F")] = NumberObject(7)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdf_with(unknown_filter), "cannot read this PDF"),
        (pdf_with(not_a_stream), "cannot read this PDF"),
        (pdf_with(files=()), "holds no answers file"),
        (b"%PDF-1.7\n" + b"\x00" * 1000, "cannot read this PDF"),
        (pdf_with(files=(("a.yaml", b"freeze: " + b"9" * 5000 + b"\n"),)), "too large"),
    ],
    ids=["unknown filter", "EF not a stream", "no attachment", "garbage", "huge number"],
)
def test_a_malformed_pdf_is_one_error_line(
    run, tmp_path: Path, caplog: pytest.LogCaptureFixture, data: bytes, message: str
) -> None:
    path = tmp_path / "memo.pdf"
    path.write_bytes(data)
    with caplog.at_level(logging.DEBUG):
        result = run("report", path, "--bank", MINI_BANK)
    assert result.code == 2
    assert message in one_error_line(result.err)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_a_pdf_linked_to_dev_zero_is_refused_before_reading(run, tmp_path: Path) -> None:
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")
    result = run("report", tmp_path / "zero.pdf")
    assert result.code == 2 and "this is a device" in one_error_line(result.err)


@pytest.mark.parametrize("args", [["schema"], ["report", "a.yaml", "--format", "x"], ["bogus"]])
def test_usage_errors_are_one_line(run, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 2
    one_error_line(result.err)


@pytest.mark.parametrize("args", [[], ["record"]])
def test_a_group_alone_prints_its_help(run, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 0 and result.out.startswith("Usage: rewrite-advisor")
    assert result.err == ""


@pytest.mark.parametrize(
    "args", [["record", "status", "9" * 5000, "accepted"], ["diff", "9" * 5000, "x"]]
)
def test_huge_record_numbers_are_one_line(run, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 2
    one_error_line(result.err)


HOSTILE_TEXT = "\x1b]0;PWNED\x07 \x9b31m \u202eevil\u2066 \x1b[2J"


def test_the_form_on_stdout_carries_no_escape_from_the_bank_or_the_title(
    run, mini_bank: Path
) -> None:
    bank_file = mini_bank / "bank.yaml"
    text = bank_file.read_text("utf-8")
    hostile = json.dumps(HOSTILE_TEXT)  # a YAML double-quoted string
    text = text.replace("text: What is the main motive?", f"text: {hostile}", 1)
    text = text.replace("label: A customer problem", f"label: {hostile}", 1)
    bank_file.write_text(text, "utf-8")
    result = run("form", "--bank", mini_bank, "-o", "-", "--title", "Title " + HOSTILE_TEXT)
    assert result.code == 0, result.err
    assert not has_control(result.out), [c for c in result.out if has_control(c)][:5]
    assert "\\u202e" in result.out  # the page's data keeps the text, as escapes


def test_names_in_the_front_matter_carry_no_bidi_or_escape(run, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    text = MINI_ANSWERS.read_text("utf-8").replace(
        "participants: [Ana]", f"participants: [{json.dumps('Ana' + HOSTILE_TEXT)}]"
    )
    answers.write_text(text, "utf-8")
    folder = tmp_path / "d"
    args = ["record", "add", answers, "--bank", MINI_BANK, "--dir", folder, "--no-pdf"]
    result = run(*args, "--style", "madr", "--title", "T" + HOSTILE_TEXT)
    assert result.code == 0, result.err
    (markdown,) = folder.glob("0001-*.md")
    written = markdown.read_text("utf-8")
    assert not has_control(written), [c for c in written if has_control(c)][:5]
    head = written.split("---\n")[1]
    from rewrite_advisor import yamlio

    assert yamlio.parse(head).data["decision-makers"] == ["Ana" + HOSTILE_TEXT]


def test_yaml_written_by_the_program_escapes_every_control_and_reads_back() -> None:
    from rewrite_advisor import yamlio

    data = {"title": HOSTILE_TEXT, "k\u202e": ["A\u202ena", "plain"], "n": "a\u2066\nb"}
    text = yamlio.dump(data)
    assert not has_control(text.replace("\n", "")), text
    assert yamlio.parse(text).data == data


def test_an_answers_file_of_two_million_choices_is_refused_in_little_memory(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    answers = tmp_path / "many.yaml"
    head = MINI_ANSWERS.read_text("utf-8").split("answers:")[0]
    choices = "    - customer\n" * 650_000  # 9.8 MB: under the 10 MB a file may have
    answers.write_text(f"{head}answers:\n  motive:\n{choices}  freeze: 2\n", "utf-8")
    assert 9_000_000 < answers.stat().st_size < 10 * 1024 * 1024
    process = subprocess.Popen(
        [sys.executable, "-m", "rewrite_advisor", "report", str(answers), "--bank", str(MINI_BANK)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    err = process.stderr.read().decode() if process.stderr else ""
    assert os.waitstatus_to_exitcode(status) == 2, err
    assert "more than 400,000 values" in one_error_line(err)
    assert usage.ru_maxrss < 250 * 1024, f"peak {usage.ru_maxrss // 1024} MB"
