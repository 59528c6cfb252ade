"""One convention for status lines: what a command produces on stdout, what it did on stderr."""

from __future__ import annotations

from pathlib import Path

from conftest import MINI_ANSWERS, MINI_BANK


def test_file_writing_commands_say_what_they_did_on_stderr_only(run, tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    later = tmp_path / "later.yaml"
    later.write_text(MINI_ANSWERS.read_text().replace("  freeze: 2\n", "  freeze: 12\n"))
    commands = [
        (["report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", tmp_path / "m.html"], "Go: wrote "),
        (
            ["record", "add", MINI_ANSWERS, "--dir", folder, "--bank", MINI_BANK, "--no-pdf"],
            "Go: wrote ",
        ),
        (["record", "add", later, "--dir", folder, "--bank", MINI_BANK, "--no-pdf"], ": wrote "),
        (["record", "status", "1", "accepted", "--dir", folder], "0001-mini-rewrite: accepted"),
        (["record", "supersede", "1", "2", "--dir", folder], "0001-mini-rewrite: superseded by"),
        (["record", "index", "--dir", folder], "wrote "),
    ]
    for args, said in commands:
        result = run(*args)
        assert result.code == 0, result.err
        assert result.out == "", (args, result.out)
        assert said in result.err and result.err.count("\n") == 1, (args, result.err)


def test_commands_that_show_something_use_stdout(run, tmp_path: Path) -> None:
    for args in (
        ["report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", "-"],
        ["check", MINI_BANK],
        ["questions", "--bank", MINI_BANK],
        ["record", "list", "--dir", tmp_path],
        ["diff", MINI_ANSWERS, MINI_ANSWERS, "--bank", MINI_BANK],
    ):
        result = run(*args)
        assert result.code == 0, result.err
        assert result.out and result.err == "", (args, result.err)
