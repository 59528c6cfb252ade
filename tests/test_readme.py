"""Every YAML and shell example in the README runs, in a folder laid out as the README assumes.

Shell lines run in order in one folder (``memo.pdf`` is made before it is read back). Lines
with a pipe or a redirection run in bash; the others in-process. ``assess`` and ``workshop``
need a terminal, so their lines are checked to get that far (their options are valid and their
files fit). Setting up a virtual environment, the test suite itself and the benchmarks are left
to ``.ci/run`` and ``test_install``.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLES, ROOT

from rewrite_advisor import yamlio
from rewrite_advisor.resources import default_bank_dir
from rewrite_advisor.schemas import schema_for

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
NEEDS_TERMINAL = ("assess", "workshop")
LEFT_TO_CI = ("python3 -m venv", ".venv/bin/pip", ".venv/bin/python")


def blocks(language: str) -> list[tuple[int, str]]:
    return [
        (README[: m.start()].count("\n") + 2, m.group(2))
        for m in BLOCK.finditer(README)
        if m.group(1) == language
    ]


def shell_lines() -> list[tuple[int, str]]:
    lines = []
    for first, block in blocks("sh"):
        for offset, line in enumerate(block.splitlines()):
            # A setup line ends with the command it is about: keep that part (and a mkdir).
            parts = [p.strip() for p in line.split("&&")]
            parts = [p.replace(".venv/bin/rewrite-advisor", "rewrite-advisor") for p in parts]
            kept = [p for p in parts if p and not p.startswith(LEFT_TO_CI)]
            if kept:
                lines.append((first + offset, " && ".join(kept)))
    return lines


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the files the README's examples name."""
    from rewrite_advisor.cli import main

    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(EXAMPLES, root / "examples")
    shutil.copytree(EXAMPLES / "workshop", root / "answers")
    shutil.copytree(default_bank_dir(), root / "my-bank")
    for name, example in {
        "answers.yaml": "go-billing-strangler.yaml",
        "billing.yaml": "conditions-search-service.yaml",
        "march.yaml": "not-yet-unknowns.yaml",
        "june.yaml": "go-billing-strangler.yaml",
        "known-facts.yaml": "not-yet-unknowns.yaml",
    }.items():
        shutil.copy(EXAMPLES / example, root / name)
    # Three earlier records, so that the README's record numbers (1, 3, 4) exist.
    cwd = Path.cwd()
    os.chdir(root)
    try:
        for example in ("not-yet-unknowns", "dont-rewrite-fashion", "conditions-search-service"):
            with pytest.raises(SystemExit) as done:
                main(["record", "add", f"examples/{example}.yaml", "--no-pdf"])
            assert done.value.code == 0
    finally:
        os.chdir(cwd)
    bin_dir = root / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "rewrite-advisor"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m rewrite_advisor "$@"\n')
    shim.chmod(0o755)
    return root


# The lines run in order in one folder: on one worker.
@pytest.mark.xdist_group("readme")
@pytest.mark.parametrize(("line", "command"), shell_lines(), ids=[c for _, c in shell_lines()])
def test_every_shell_example_runs(
    run, folder: Path, monkeypatch: pytest.MonkeyPatch, line: int, command: str
) -> None:
    monkeypatch.chdir(folder)
    *setup, command = command.split(" && ")
    for step in setup:  # only 'mkdir -p FOLDER' comes before a command
        words = shlex.split(step)
        assert words[:2] == ["mkdir", "-p"], f"README.md:{line}: {step}"
        for name in words[2:]:
            (folder / name).mkdir(parents=True, exist_ok=True)
    words = shlex.split(command, comments=True)
    assert words[0] == "rewrite-advisor", f"README.md:{line}: not a rewrite-advisor command"
    if re.search(r"[|<>]", command.split("#")[0]):
        for tool in re.findall(r"\|\s*(\S+)", command):
            if shutil.which(tool) is None:
                pytest.skip(f"{tool} is not installed")
        env = {**os.environ, "PATH": f"{folder / '.bin'}{os.pathsep}{os.environ['PATH']}"}
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"README.md:{line}: {command}\n{done.stderr}"
        return
    args = [p for w in words[1:] for p in (sorted(glob.glob(w)) if "*" in w else [w])]
    result = run(*args)
    if words[1] in NEEDS_TERMINAL:
        assert result.code == 2, result.err
        assert "needs a terminal" in result.err, f"README.md:{line}: {result.err}"
        if words[1] == "workshop":
            settle_on_the_majority(args)
    else:
        assert result.code == 0, f"README.md:{line}: {command}\n{result.err}"


def settle_on_the_majority(args: list[str]) -> None:
    """Leave the team file a facilitator would, settling every dispute on the majority."""
    import datetime as dt

    from rewrite_advisor import workshop
    from rewrite_advisor.bank import load_bank

    files = [Path(a) for a in args if a.endswith(".yaml")]
    team, sources = files[-1], files[:-1]
    today = dt.date(2026, 11, 25)
    analysis = workshop.analyse(workshop.load_participants(sources, load_bank()), today)
    facilitation = workshop.open_facilitation(analysis, team)
    for dispute in facilitation.pending:
        facilitation.settle(dispute.question, analysis.base.answer(dispute.question), [])
    facilitation.save()


def test_the_answers_file_example_reports_and_fits_the_schema(run, tmp_path: Path) -> None:
    examples = [(n, b) for n, b in blocks("yaml") if "kind: rewrite-advisor/answers" in b]
    assert examples
    for line, block in examples:
        path = tmp_path / "answers.yaml"
        path.write_text(block)
        result = run("report", path, "-o", "-")
        assert result.code == 0, f"README.md:{line}: {result.err}"
        errors = list(
            jsonschema.Draft202012Validator(schema_for("answers")).iter_errors(
                yamlio.read(path).data
            )
        )
        assert not errors, f"README.md:{line}: {errors[0].message}"


def test_the_bank_and_rules_examples_make_a_valid_bank(run, tmp_path: Path) -> None:
    bank = [b for _, b in blocks("yaml") if "\nsections:" in b]
    rules = [b for _, b in blocks("yaml") if b.startswith("scoring:")]
    assert len(bank) == 1 and len(rules) == 1
    (tmp_path / "bank.yaml").write_text(bank[0])
    (tmp_path / "rules.yaml").write_text(rules[0])
    result = run("check", tmp_path)
    assert result.code == 0, result.err


def fragments() -> list[tuple[int, str]]:
    """Examples of one question, quoted from the bundled bank (indented, as they stand there)."""
    return [(n, b) for n, b in blocks("yaml") if re.match(r"\s+- id: ", b)]


def test_every_question_fragment_is_as_in_the_bundled_bank() -> None:
    import textwrap

    bank = yamlio.read(default_bank_dir() / "bank.yaml").data
    questions = {q["id"]: q for s in bank["sections"] for q in s["questions"]}
    for line, block in fragments():
        (quoted,) = yamlio.parse(textwrap.dedent(block)).data
        assert quoted["id"] in questions, f"README.md:{line}: no question {quoted['id']}"
        for key, value in quoted.items():
            assert questions[quoted["id"]].get(key) == value, f"README.md:{line}: {key} differs"


def test_every_yaml_example_is_one_of_those() -> None:
    for line, block in blocks("yaml"):
        kinds = [
            "kind: rewrite-advisor/answers" in block,
            "\nsections:" in block,
            block.startswith("scoring:"),
            bool(re.match(r"\s+- id: ", block)),
            # run by tests/test_schemas.py: the schema and `check` of a team's case library
            block.startswith("kind: rewrite-advisor/cases"),
        ]
        assert sum(kinds) == 1, f"README.md:{line}: a YAML example no test runs"
