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
