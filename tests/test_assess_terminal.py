"""The installed command in a real pseudo-terminal (pexpect), and without a terminal."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rewrite_advisor.answers import load_answers
from rewrite_advisor.bank import load_bank

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"


def installed_command() -> str:
    here = Path(sys.executable).parent / "rewrite-advisor"
    found = str(here) if here.exists() else shutil.which("rewrite-advisor")
    if found is None:
        pytest.skip("the rewrite-advisor console script is not installed (pip install -e .)")
    return found


def spawn(args: list[str], cwd: Path) -> Any:
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    # No terminal emulator answers cursor-position requests here; without this,
    # prompt_toolkit waits up to a second for the answer when each prompt ends.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return pexpect.spawn(
        installed_command(),
        args,
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=10,
        dimensions=(40, 120),
    )


@pytest.mark.timeout(60)
def test_sigkill_loses_no_answer_and_the_next_run_resumes(tmp_path: Path) -> None:
    args = ["assess", "-o", "answers.yaml", "--bank", str(MINI), "--participant", "Ana"]
    child = spawn(args, tmp_path)
    child.expect("Mini bank")  # the introduction and the keys come before the first prompt
    child.expect("why a question matters")
    child.expect("Title of this assessment")
    child.send("\r")
    child.expect("main motive")  # --participant given: no name is asked
    child.send("\x1b[B\r")  # New technology
    child.expect("Which goals")
    child.send(" \x1b[B\x1b[B \r")  # Revenue and Risk
    child.expect("share data")
    child.send("\r")  # Yes
    child.expect("synchronizer cost")
    child.send("250000 // guess, nobody has costed it\r")
    child.expect("feature freeze")  # shown only after the previous answer was saved
    child.send("1")  # typed but not yet entered: this one may be lost
    child.kill(signal.SIGKILL)
    child.wait()
    assert child.signalstatus == signal.SIGKILL

    child = spawn(args, tmp_path)
    child.expect("Resuming answers.yaml: 4 answered so far")
    child.expect("feature freeze")
    child.send("18\r")
    child.expect("new clients start")
    child.send("2027-09-01\r")
    child.expect("customers hear")
    child.send("dk\r")
    child.expect("Review")
    child.send("\r")  # Finish
    child.expect("Verdict: Don't rewrite")
    child.expect("Write the memo to answers-memo.html")
    child.send("\r")
    child.expect("Wrote answers-memo.html")
    child.expect(pytest.importorskip("pexpect").EOF)
    child.close()
    assert child.exitstatus == 0

    saved = load_answers(tmp_path / "answers.yaml", load_bank(MINI))
    assert saved.participants == ["Ana"]
    assert {qid: (a.state, a.value) for qid, a in saved.given.items()} == {
        "motive": ("known", "fashion"),
        "goals": ("known", ["revenue", "risk"]),
        "shares_data": ("known", True),
        "sync_cost": ("known", 250000),
        "freeze": ("known", 18),
        "go_live": ("known", dt.date(2027, 9, 1)),
        "story": ("unknown", None),
    }
    assert saved.given["sync_cost"].confidence == "guess"
    assert "Fashion is the motive" in (tmp_path / "answers-memo.html").read_text()


NO_TERMINAL = (
    "error: assess needs a terminal; write an answers file (see 'rewrite-advisor schema answers') "
    "and run 'rewrite-advisor report FILE'\n"
)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("stdin", [subprocess.DEVNULL, subprocess.PIPE], ids=["devnull", "pipe"])
def test_without_a_terminal_it_exits_2_and_points_to_report(tmp_path: Path, stdin: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rewrite_advisor", "assess", "--bank", str(MINI)],
        stdin=stdin,
        input=None,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=25,
    )
    assert result.returncode == 2
    assert result.stderr == NO_TERMINAL
    assert not (tmp_path / "answers.yaml").exists()


@pytest.mark.timeout(30)
def test_with_stdin_closed_it_exits_2(tmp_path: Path) -> None:
    code = (
        "import os, sys; os.close(0); sys.stdin = None; "
        "from rewrite_advisor.cli import main; main(['assess', '--bank', sys.argv[1]])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr == NO_TERMINAL


def test_help_does_not_import_the_prompt_library() -> None:
    code = (
        "import sys; from rewrite_advisor.cli import main\n"
        "try:\n    main(['assess', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('questionary', 'prompt_toolkit')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0
    assert "Keys:" in result.stdout
    assert result.stdout.strip().endswith("[]")
