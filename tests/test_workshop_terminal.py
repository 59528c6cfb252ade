"""The installed ``workshop`` command in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from test_assess_terminal import spawn

from rewrite_advisor.answers import load_answers
from rewrite_advisor.bank import load_bank

FILES = [str(EXAMPLES / "workshop" / f"{name}.yaml") for name in ("ana", "ben", "carla")]


@pytest.mark.timeout(60)
def test_agenda_ctrl_c_and_resume(tmp_path: Path) -> None:
    child = spawn(["workshop", *FILES, "-o", "team.yaml"], tmp_path)
    child.expect("the team agrees on 44 of 49 questions and disagrees on 5")
    child.expect("Settled on Ben Okafor's answer")
    child.expect("synchronizer cost to build")  # the prompt for the agreed answer
    child.send("\r")  # the majority's 120000
    child.expect("Who still disagrees")
    child.send(" \r")  # Ben
    child.expect("Ben Okafor would answer")
    child.send("\r")  # his own: don't know
    child.expect("Why does Ben Okafor disagree")
    child.send("Credit notes are not costed\r")
    child.expect("stop the rewrite")  # the next dispute, kill criteria
    child.sendcontrol("c")
    # The hint repeats the program as it was started (a path when it is not on PATH).
    child.expect(r"To resume: \S*rewrite-advisor workshop")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130
    team = load_answers(tmp_path / "team.yaml", load_bank())
    assert team.workshop is not None and team.workshop.settled == ["sync_build_cost"]
    [dissent] = team.given["sync_build_cost"].dissent
    assert (dissent.participant, dissent.state, dissent.reason) == (
        "Ben Okafor",
        "unknown",
        "Credit notes are not costed",
    )
    child = spawn(["workshop", *FILES, "-o", "team.yaml"], tmp_path)
    child.expect("1 settled, 4 to go")
    child.expect("stop the rewrite")
    child.sendcontrol("c")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130


def pexpect_eof() -> object:
    import pexpect

    return pexpect.EOF
