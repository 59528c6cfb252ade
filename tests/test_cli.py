"""The command-line contract: commands, help, formats, outputs, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK, ROOT

from rewrite_advisor import __version__
from rewrite_advisor.cli import cli


def test_version(run) -> None:
    result = run("--version")
    assert (result.code, result.out) == (0, f"rewrite-advisor {__version__}\n")


def test_help_has_examples_and_every_command(run) -> None:
    result = run("--help")
    assert result.code == 0
    assert "Examples:" in result.out
    for name in cli.commands:
        assert name in result.out


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(run, name: str) -> None:
    result = run(name, "--help")
    assert result.code == 0
    assert "Usage: rewrite-advisor " + name in result.out
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"rewrite-advisor {name}\b", readme), f"README does not show '{name}'"


def test_heavy_libraries_are_not_imported_for_help_or_html(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from rewrite_advisor.cli import main\n"
        "for args in (['--help'], ['report', sys.argv[1], '--bank', sys.argv[2], '-o', sys.argv[3]]):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        "print(sorted(m for m in ('weasyprint', 'questionary', 'prompt_toolkit') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(MINI_ANSWERS), str(MINI_BANK), str(tmp_path / "m.html")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_json_memo_does_not_load_the_template_engine(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from rewrite_advisor.cli import main\n"
        "try:\n"
        "    main(['report', sys.argv[1], '--bank', sys.argv[2], '-o', sys.argv[3]])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print('jinja2' in sys.modules)\n"
    )
    out = tmp_path / "m.json"
    done = subprocess.run(
        [sys.executable, "-c", probe, str(MINI_ANSWERS), str(MINI_BANK), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert json.loads(out.read_text())["verdict"]["title"] == "Go"


@pytest.mark.parametrize(
    ("suffix", "start"), [(".html", "<!DOCTYPE html>"), (".md", "# Mini rewrite"), (".json", "{")]
)
def test_format_follows_the_suffix(run, tmp_path: Path, suffix: str, start: str) -> None:
    out = tmp_path / f"memo{suffix}"
    result = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", out)
    assert result.code == 0, result.err
    assert out.read_text().startswith(start)
    assert result.err == f"Go: wrote {out}\n"


def test_stdout_defaults_to_markdown(run) -> None:
    result = run("report", MINI_ANSWERS, "--bank", MINI_BANK)
    assert result.code == 0
    assert result.out.startswith("# Mini rewrite\n")
    assert "## Verdict: Go" in result.out


def test_format_option_overrides_the_suffix(run, tmp_path: Path) -> None:
    out = tmp_path / "memo.txt"
    assert run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", out, "--format", "json").code == 0
    assert json.loads(out.read_text())["verdict"]["id"] == "go"


def test_output_is_replaced_atomically_and_leaves_no_temporary_files(run, tmp_path: Path) -> None:
    out = tmp_path / "memo.html"
    out.write_text("old memo")
    assert run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", out).code == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memo.html"]


def test_questions_text_lists_sections_choices_and_conditions(run) -> None:
    result = run("questions", "--bank", MINI_BANK)
    assert result.code == 0
    assert result.out.startswith("Mini bank (mini 1.0): 7 questions")
    assert "== How [how]" in result.out
    assert "  1. What is the main motive?  (matters)" in result.out
    assert "       - fashion: New technology" in result.out
    assert "     asked only if shares_data is yes" in result.out


def test_questions_says_a_sections_condition_once(run) -> None:
    """A section's condition joins each of its questions' own; printed on every question it
    buried what each one adds (77 questions began "asked only if replaces_system is yes or")."""
    out = run("questions").out
    motivation = out[out.index("== Business motivation") : out.index("== Today's system")]
    assert motivation.count("asked only if replaces_system") == 1
    assert "   the section is asked only if replaces_system is yes" in motivation
    assert "     asked only if not (strategic_goal is none)" in motivation
    assert "     asked only if customer_problem is yes" in motivation
    # once for each section between the first (which asks it) and the last (asked by stage)
    assert out.count("asked only if replaces_system is yes or") == 11


def test_questions_json_round_trips_as_a_bank(run) -> None:
    from rewrite_advisor.bank import BankFile

    result = run("questions", "--bank", MINI_BANK, "--format", "json")
    data = json.loads(result.out)
    bank = BankFile.model_validate(data)
    assert [q.id for s in bank.sections for q in s.questions][:2] == ["motive", "goals"]


@pytest.mark.parametrize("kind", ["bank", "rules", "answers", "memo"])
def test_schema_is_json_schema(run, kind: str) -> None:
    result = run("schema", kind)
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert schema["properties"]


def test_schema_of_answers_accepts_an_example_file() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from rewrite_advisor import yamlio
    from rewrite_advisor.bank import load_bank
    from rewrite_advisor.schemas import schema_for

    jsonschema.validate(yamlio.read(MINI_ANSWERS).data, schema_for("answers", load_bank(MINI_BANK)))


def test_unknown_schema_kind(run) -> None:
    result = run("schema", "memos")
    assert result.code == 2
    assert result.err.startswith("error: Invalid value for '{bank|rules|answers|memo|cases}'")


def test_python_dash_m_works(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rewrite_advisor", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"rewrite-advisor {__version__}"


def test_closed_stdout_is_not_a_traceback(tmp_path: Path) -> None:
    # `report ... | head -1` closes the pipe early; that is not an error.
    script = f"{sys.executable} -m rewrite_advisor report {MINI_ANSWERS} --bank {MINI_BANK} --format html | head -c 10"
    done = subprocess.run(
        ["bash", "-c", "set -o pipefail; " + script], capture_output=True, text=True
    )
    assert "Traceback" not in done.stderr


def _all_commands(group, prefix=()):
    import click

    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [" ".join(p) for p in _all_commands(cli)])
def test_help_keeps_its_layout(run, path: str) -> None:
    # click keeps an example block as written only after a real \b (backspace) line;
    # a raw docstring would print a literal "\b" and run the examples together.
    result = run(*path.split(), "--help")
    assert result.code == 0
    assert "\\b" not in result.out
    if "Examples:" in result.out:
        after = result.out.split("Examples:", 1)[1]
        assert after.startswith("\n    rewrite-advisor ") or after.startswith("\n  "), after[:80]


def test_hints_name_the_program_as_it_was_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from rewrite_advisor.cli import program

    script = tmp_path / ".venv" / "bin" / "rewrite-advisor"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(sys, "argv", [str(script)])
    assert program() == str(script)  # not on PATH: repeat the path that was typed
    monkeypatch.setenv("PATH", str(script.parent))
    assert program() == "rewrite-advisor"  # on PATH: the plain name works
    monkeypatch.setattr(sys, "argv", ["/somewhere/__main__.py"])
    assert program() == "rewrite-advisor"  # not this program (another tool's __main__.py)


def test_hints_name_an_alias_or_python_m_when_rewrite_advisor_is_not_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hints said 'rewrite-advisor ...', which the shell could not find."""
    import rewrite_advisor
    from rewrite_advisor import cli as command_line
    from rewrite_advisor.cli import program
    from rewrite_advisor.errors import Interrupted

    script = tmp_path / ".venv" / "bin" / "rewrite-advisor"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    aliases = tmp_path / "aliases"
    aliases.mkdir()
    (aliases / "ra").symlink_to(script)
    monkeypatch.setenv("PATH", str(aliases))
    monkeypatch.setattr(sys, "argv", ["ra"])
    assert program() == "ra"  # the name typed, found on PATH
    main_py = str(Path(rewrite_advisor.__file__).parent / "__main__.py")
    monkeypatch.setattr(sys, "argv", [main_py])
    assert program() == f"{sys.executable} -m rewrite_advisor"
    # what the person sees after Ctrl-C, run as .venv/bin/rewrite-advisor
    monkeypatch.setattr(sys, "argv", [str(script)])
    monkeypatch.setattr(command_line, "has_terminal", lambda: True)

    def interrupted(*args: object, **options: object) -> None:
        raise Interrupted(object(), tmp_path / "a.yaml", str(options["resume_command"]))

    monkeypatch.setattr("rewrite_advisor.session.run", interrupted)
    monkeypatch.setattr("rewrite_advisor.prompt.Terminal", lambda: None)
    with pytest.raises(SystemExit) as caught:
        command_line.main(["assess", "-o", str(tmp_path / "a.yaml")])
    assert caught.value.code == 130
    assert capsys.readouterr().err.endswith(
        f"To resume: {script} assess -o {tmp_path / 'a.yaml'}\n"
    )


def test_paper_sets_the_print_page_of_an_html_memo(run, tmp_path: Path) -> None:
    letter, a4 = tmp_path / "letter.html", tmp_path / "a4.html"
    assert (
        run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", letter, "--paper", "letter").code
        == 0
    )
    assert run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", a4).code == 0
    assert "@page { size: letter;" in letter.read_text()
    assert "@page { size: A4;" in a4.read_text()


@pytest.mark.parametrize(("fmt", "name"), [("md", "Markdown"), ("json", "JSON")])
def test_paper_with_markdown_or_json_says_it_does_not_apply(run, fmt: str, name: str) -> None:
    result = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "--format", fmt, "--paper", "letter")
    assert result.code == 0
    assert result.err == (
        f"warning: --paper applies to PDF and HTML memos; a {name} memo has no page size\n"
    )
    assert result.out
    quiet = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "--format", fmt)
    assert quiet.err == ""


def _report_from_stdin(
    tmp_path: Path, *args: str, stdin: object = None, data: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rewrite_advisor", "report", "-", "--bank", str(MINI_BANK), *args],
        stdin=stdin,
        input=data.decode() if data is not None else None,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )


def test_report_dash_reads_the_answers_from_standard_input(run, tmp_path: Path) -> None:
    """Issue 19 (second trial): 'report -' said "no such file"; '-o -' writes, so '-' reads."""
    from_file = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "--format", "json").out
    piped = _report_from_stdin(tmp_path, "--format", "json", data=MINI_ANSWERS.read_bytes())
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["verdict"] == json.loads(from_file)["verdict"]
    written = _report_from_stdin(tmp_path, "-o", "memo.html", data=MINI_ANSWERS.read_bytes())
    assert written.returncode == 0, written.stderr
    assert written.stderr.endswith(": wrote memo.html\n")
    assert (tmp_path / "memo.html").read_text().startswith("<!DOCTYPE html>")


def test_a_broken_file_on_standard_input_is_named_stdin(tmp_path: Path) -> None:
    broken = MINI_ANSWERS.read_text().replace("title: Mini rewrite", "title Mini rewrite")
    result = _report_from_stdin(tmp_path, data=broken.encode())
    assert result.returncode == 2
    assert result.stderr == (
        "error: <stdin>:4: invalid YAML: this line has no ':' after its key (write 'key: value')\n"
    )


def test_empty_or_closed_standard_input_is_said_plainly(tmp_path: Path) -> None:
    empty = _report_from_stdin(tmp_path, stdin=subprocess.DEVNULL)
    assert (empty.returncode, empty.stderr) == (
        2,
        "error: <stdin>: standard input is empty: pipe an answers file in, "
        "as in 'report - < answers.yaml'\n",
    )
    code = (
        "import os, sys; os.close(0); sys.stdin = None; "
        "from rewrite_advisor.cli import main; main(['report', '-'])"
    )
    closed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert (closed.returncode, closed.stderr) == (
        2,
        "error: <stdin>: standard input is closed: give an answers file as a file, "
        "or pipe one in with '-'\n",
    )


def test_report_dash_at_a_terminal_does_not_wait_for_typing(tmp_path: Path) -> None:
    import os

    primary, secondary = os.openpty()
    try:
        result = _report_from_stdin(tmp_path, stdin=secondary)
    finally:
        os.close(primary)
        os.close(secondary)
    assert result.returncode == 2
    assert result.stderr.startswith("error: <stdin>: nothing is piped in"), result.stderr
    assert "report - < answers.yaml" in result.stderr


def test_report_dash_never_overwrites_the_file_piped_in(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_bytes(MINI_ANSWERS.read_bytes())
    with answers.open("rb") as stdin:
        result = _report_from_stdin(tmp_path, "-o", "a.yaml", "--format", "md", stdin=stdin)
    assert result.returncode == 2
    assert "it is never overwritten" in result.stderr
    assert answers.read_bytes() == MINI_ANSWERS.read_bytes()


def test_dash_is_read_only_by_report(run, tmp_path: Path) -> None:
    result = run("workshop", "-", MINI_ANSWERS, "--bank", MINI_BANK, "-o", tmp_path / "t.yaml")
    assert result.code == 2
    assert (
        result.err == "error: -: '-' (standard input) is read only by 'report'; give a file here\n"
    )
    twice = run("report", "-", "-")
    assert (twice.code, twice.err) == (2, "error: '-' (standard input) can be given once\n")
    # A team memo names each participant's file (for 'workshop' to read them again).
    team = run("report", "-", MINI_ANSWERS)
    assert (team.code, team.err) == (
        2,
        "error: '-' (standard input) reads one answers file: give a team's files by their names\n",
    )


def test_the_main_goal_ticked_among_the_other_goals_counts_once(run, tmp_path: Path) -> None:
    """Issue 19 (second trial): the main goal was offered again among the other goals. A file
    that ticks it there anyway (written by hand, or before the main goal changed) is read, and
    the memo names the main goal once, as the main one."""
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "go-billing-strangler.yaml").read_text())
    main_goal = data["answers"]["strategic_goal"]
    main_goal = main_goal["value"] if isinstance(main_goal, dict) else main_goal
    main_reason = data["answers"]["main_reason"]
    data["answers"]["other_goals"] = [main_goal, "reduce_cost"]
    data["answers"]["other_reasons"] = [main_reason]  # only the main one, again
    path = tmp_path / "answers.yaml"
    path.write_text(json.dumps(data))
    result = run("report", path, "--format", "md")
    assert result.code == 0, result.err
    why = "- **Why:** The business needs something the current system cannot do. Company goal: "
    assert f"{why}Enter a new market or customer segment\n" in result.out
    assert "- **Also:** Cut the cost of running or changing the product\n" in result.out
