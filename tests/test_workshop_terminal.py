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
    child.expect("the team agrees on 59 of 66 questions and disagrees on 7")
    child.expect("Settled on Ben Okafor's answer")
    child.expect("what keeps it in step")  # the prompt for the agreed answer
    child.send("\r")  # the team's (Ana's and Carla's) one-way synchronizer
    child.expect("Who still disagrees")
    child.send(" \r")  # Ben
    child.expect("Ben Okafor would answer")
    child.send("\r")  # his own: two-way
    child.expect("Why does Ben Okafor disagree")  # his own note is filled in
    child.sendcontrol("u")  # replaced by the facilitator's words
    child.send("Credit notes flow back\r")
    child.expect("keeping the data in step cost")  # the next dispute, linked to the first
    child.sendcontrol("c")
    # The hint repeats the program as it was started (a path when it is not on PATH).
    child.expect(r"To resume: \S*rewrite-advisor workshop")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130
    team = load_answers(tmp_path / "team.yaml", load_bank())
    assert team.workshop is not None and team.workshop.settled == ["sync_direction"]
    assert team.given["sync_direction"].value == "one_way"
    [dissent] = team.given["sync_direction"].dissent
    assert (dissent.participant, dissent.state, dissent.value, dissent.reason) == (
        "Ben Okafor",
        "known",
        "two_way",
        "Credit notes flow back",
    )
    child = spawn(["workshop", *FILES, "-o", "team.yaml"], tmp_path)
    child.expect("1 settled, 6 to go")
    child.expect("keeping the data in step cost")
    child.sendcontrol("c")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 130


def pexpect_eof() -> object:
    import pexpect

    return pexpect.EOF
