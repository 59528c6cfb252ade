"""The facilitator's flow, in-process: keystrokes through a prompt_toolkit pipe.

Each test sends all its keys up front and has a timeout, so a missing keystroke fails the
test instead of hanging it. The three participants disagree on five questions of the mini
bank; the agenda, most important first, is motive, freeze, sync_cost, goals, go_live
(freeze's answers move the verdict as far as sync_cost's, and a high finding besides).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_BANK
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from rewrite_advisor import cli, prompt, workshop
from rewrite_advisor.answers import Answers, load_answers
from rewrite_advisor.bank import Bank, load_bank
from rewrite_advisor.errors import Interrupted

TODAY = dt.date(2026, 11, 25)
DOWN = "\x1b[B"
ENTER = "\r"
BACKSPACE = "\x7f"
CTRL_C = "\x03"
SPACE = " "

# One dispute per line: the agreed answer, who still disagrees, and their answer and reason.
# Ben's own note ("Rust") is filled in as his reason; the facilitator completes it.
MOTIVE = ENTER + SPACE + ENTER + ENTER + " is where the hiring market is" + ENTER
SYNC = ENTER + ENTER  # Ana's 120,000 EUR (as cautious as Carla's, and the lower); nobody ticked
FREEZE = BACKSPACE + "6" + ENTER + DOWN + SPACE + ENTER + ENTER + "the migration alone" + ENTER
GOALS = ENTER + ENTER  # the majority's set; Carla is not ticked
GO_LIVE = ENTER + ENTER


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(MINI_BANK)


def write(folder: Path, name: str, answers: dict[str, object]) -> Path:
    data = {
        "bank": {"id": "mini", "version": "1.0"},
        "title": "Mini rewrite",
        "date": "2026-11-20",
        "participants": [name],
        "answers": answers,
    }
    path = folder / f"{name.lower()}.yaml"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    common = {"shares_data": True, "story": "A letter"}
    return [
        write(
            tmp_path,
            "Ana",
            {
                **common,
                "motive": "customer",
                "goals": ["revenue", "cost"],
                "sync_cost": {"value": 120000, "confidence": "estimate", "note": "two people"},
                "freeze": 2,
                "go_live": "2027-03-01",
            },
        ),
        write(
            tmp_path,
            "Ben",
            {
                **common,
                "motive": {"value": "fashion", "note": "Rust"},
                "goals": ["revenue", "cost"],
                "sync_cost": {"dont_know": True},
                "freeze": {"value": 9, "confidence": "guess"},
                "go_live": "2027-03-10",
            },
        ),
        write(
            tmp_path,
            "Carla",
            {
                **common,
                "motive": "customer",
                "goals": ["revenue"],
                "sync_cost": 150000,
                "freeze": 3,
                "go_live": "2027-06-01",
            },
        ),
    ]


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    lines: list[str] = []
    monkeypatch.setattr(
        prompt,
        "_say",
        lambda text, style="", answer=None: lines.append(
            text if answer is None else f"? {text} {answer}"
        ),
    )
    yield lines


def drive(keys: str, bank: Bank, files: list[Path], path: Path) -> Answers:
    analysis = workshop.analyse(workshop.load_participants(files, bank), TODAY)
    facilitation = workshop.open_facilitation(analysis, path)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        return workshop.facilitate(facilitation, prompt.Facilitator(), "resume here")


@pytest.mark.timeout(30)
def test_the_whole_workshop(bank: Bank, files: list[Path], tmp_path: Path, said: list[str]) -> None:
    path = tmp_path / "team.yaml"
    drive(MOTIVE + FREEZE + SYNC + GOALS + GO_LIVE, bank, files, path)
    assert said[0] == "3 participants; the team agrees on 2 of 7 questions and disagrees on 5."
    assert "What is the main motive?  (matters)" in said
    assert "  Ana    120,000 EUR (estimate)" in said
    assert "           two people" in said
    team = load_answers(path, bank)
    assert team.participants == ["Ana", "Ben", "Carla"]
    assert team.workshop is not None
    assert team.workshop.settled == ["motive", "freeze", "sync_cost", "goals", "go_live"]
    assert [s.file for s in team.workshop.sources] == [str(f) for f in files]
    got = {q: a.value for q, a in team.given.items()}
    assert got == {
        "motive": "customer",
        "goals": ["revenue", "cost"],
        "shares_data": True,
        "sync_cost": 120000,
        "freeze": 6,
        "go_live": dt.date(2027, 3, 10),
        "story": "A letter",
    }
    motive = team.given["motive"].dissent
    assert [(d.participant, d.value, d.reason) for d in motive] == [
        ("Ben", "fashion", "Rust is where the hiring market is")
    ]
    freeze = team.given["freeze"].dissent
    assert [(d.participant, d.value, d.reason) for d in freeze] == [
        ("Ben", 9, "the migration alone")
    ]
    # Issue 19 I: Ben's own answer is prefilled with his confidence ("9 // guess"), and kept.
    assert [d.confidence for d in freeze] == ["guess"]
    assert [d.confidence for d in motive] == [None]
    assert "confidence: guess" in path.read_text("utf-8")
    assert not team.given["sync_cost"].dissent
    # What was ticked is said in words ("nobody"), never questionary's bare "done".
    who = [s for s in said if s.startswith("? Who still disagrees")]
    assert who == [
        "? Who still disagrees with the agreed answer? Ben",
        "? Who still disagrees with the agreed answer? Ben",
        "? Who still disagrees with the agreed answer? nobody",
        "? Who still disagrees with the agreed answer? nobody",
        "? Who still disagrees with the agreed answer? nobody",
    ]


@pytest.mark.timeout(30)
def test_ctrl_c_saves_and_running_again_resumes(
    bank: Bank, files: list[Path], tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "team.yaml"
    with pytest.raises(Interrupted) as caught:
        drive(MOTIVE + FREEZE + CTRL_C, bank, files, path)
    assert caught.value.resume_command == "resume here"
    team = load_answers(path, bank)
    assert team.workshop is not None and team.workshop.settled == ["motive", "freeze"]
    assert "sync_cost" not in team.given  # not settled yet, so not answered
    said.clear()
    drive(SYNC + GOALS + GO_LIVE, bank, files, path)
    assert " ".join(said[1].split()) == f"Resuming {path}: 2 settled, 3 to go."
    assert "What is the main motive?  (matters)" not in said
    team = load_answers(path, bank)
    assert team.workshop is not None and len(team.workshop.settled) == 5
    assert team.given["motive"].dissent[0].reason == "Rust is where the hiring market is"
    # Everything is settled: nothing more is asked.
    said.clear()
    drive("", bank, files, path)
    assert said == ["3 participants; the team agrees on 2 of 7 questions and disagrees on 5."]


@pytest.mark.timeout(30)
def test_the_agreed_answer_can_be_dont_know(
    bank: Bank, files: list[Path], tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "team.yaml"
    nobody = ENTER
    with pytest.raises(Interrupted):
        drive(DOWN + DOWN + ENTER + nobody + CTRL_C, bank, files, path)
    team = load_answers(path, bank)
    assert team.given["motive"].state == "unknown"
    assert team.given["motive"].dissent == []


@pytest.mark.timeout(30)
def test_resuming_after_a_participant_changed_their_answers(
    bank: Bank, files: list[Path], tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "team.yaml"
    with pytest.raises(Interrupted):
        drive(MOTIVE + CTRL_C, bank, files, path)
    files[1].write_text(
        files[1].read_text().replace('"freeze": {"value": 9', '"freeze": {"value": 8')
    )
    with pytest.raises(
        workshop.TeamError, match=r"Ben.s answers .* changed since this workshop began"
    ):
        drive("", bank, files, path)
    with pytest.raises(
        workshop.TeamError, match="from the answers of Ana, Ben and Carla, not Ana and Ben"
    ):
        drive("", bank, files[:2], path)


@pytest.mark.timeout(30)
def test_the_command(
    files: list[Path],
    tmp_path: Path,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    path = tmp_path / "team.yaml"
    args = ["workshop", *map(str, files), "-o", str(path), "--bank", str(MINI_BANK)]
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(MOTIVE + CTRL_C)
        with pytest.raises(SystemExit) as caught:
            cli.main(args)
    assert caught.value.code == 130
    err = capsys.readouterr().err
    assert f"saved in {path}." in err
    assert f"To resume: rewrite-advisor {' '.join(args)}" in err
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(FREEZE + SYNC + GOALS + GO_LIVE)
        with pytest.raises(SystemExit) as caught:
            cli.main(args)
    assert caught.value.code == 0, capsys.readouterr().err
    assert f"All 5 disputes are settled in {path} (2 dissents recorded)." in [
        " ".join(s.split()) for s in said
    ]
    capsys.readouterr()
    with pytest.raises(SystemExit) as caught:
        cli.main(["report", str(path), "--bank", str(MINI_BANK), "--format", "md"])
    md = capsys.readouterr().out
    assert (
        "| What is the main motive? | A customer problem | Ben | New technology | Rust is where the hiring market is |"
        in md
    )
    assert (
        "| How long is the feature freeze? | 6 months | Ben | 9 months (guess) | the migration "
        "alone |" in md  # his '9 // guess' kept, and now shown
    )


@pytest.mark.timeout(30)
def test_a_team_that_agrees_gets_its_team_file_at_once(
    run, bank: Bank, files: list[Path], tmp_path: Path, said: list[str]
) -> None:
    same = [write(tmp_path, name, {"motive": "customer", "freeze": 2}) for name in ("Dan", "Eve")]
    path = tmp_path / "team.yaml"
    drive("", bank, same, path)
    assert said == ["2 participants; the team agrees on 2 of 2 questions."]
    analysis = workshop.analyse(workshop.load_participants(same, bank), TODAY)
    closing = workshop.closing_lines(workshop.open_facilitation(analysis, path))
    assert closing[1] == f"The team agrees on every question; {path} holds the team's answers."
    # Issue 19 polish: the memo goes beside the team file (out/ in the README), not into the
    # folder the command runs in, where nothing ignores team-memo.html.
    assert (
        closing[2] == f"Render the memo: rewrite-advisor report {path} -o {tmp_path}/team-memo.html"
    )
    md = run("report", path, "--bank", MINI_BANK).out
    assert "2 people answered on their own (Dan, Eve) and agreed on every question." in md


@pytest.mark.timeout(30)
def test_at_stake_is_worked_out_again_with_what_is_settled(
    bank: Bank, files: list[Path], tmp_path: Path, said: list[str]
) -> None:
    """Issue 19 (second trial): after a dispute was settled, the "At stake" lines of the rest
    still assumed the majority's answer to it."""
    path = tmp_path / "team.yaml"
    fashion = DOWN + ENTER + ENTER  # the team agrees on New technology; nobody disagrees
    drive(fashion + FREEZE + SYNC + GOALS + GO_LIVE, bank, files, path)
    stakes = [" ".join(line.split()) for line in said if "At stake" in line]  # unwrapped
    assert stakes[0] == (
        "At stake: Settled on Ben's answer (New technology), the verdict would be Don't "
        "rewrite; settled as Ana and Carla answered, Go with conditions."
    )
    # Before the workshop, the freeze decided between Go and Go with conditions; with the
    # motive settled as New technology, the verdict is Don't rewrite whatever the freeze.
    assert stakes[1] == (
        "At stake, with what is settled so far: Settled on Ana's answer (2 months), the "
        "verdict would still be Don't rewrite, but 'Long freeze' would no longer be found. "
        "Settled on Carla's answer (3 months), the verdict would still be Don't rewrite, but "
        "'Long freeze' would no longer be found."
    )
    assert not any("the verdict would be Go;" in line for line in stakes[1:])


@pytest.mark.timeout(20)
def test_who_still_disagrees_keeps_its_keys_whole_at_80_columns(bank: Bank) -> None:
    """Found trying the README's workshop: '(Space ticks, Enter confirms; nobody: just Enter)'
    broke at 80 columns as 'nobo' / 'dy'."""
    from screen import Screen

    screen = Screen(80)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=screen):
        pipe.send_text(ENTER)
        chosen = prompt.Facilitator().ask_dissenters(
            bank.questions["freeze"], [("Ben Okafor", "9 months")]
        )
    assert chosen == []
    waiting = next(shot for shot in screen.snapshots if "Ben Okafor" in shot)
    lines = [line.strip() for line in waiting.splitlines()]
    assert "(Space ticks, Enter confirms; nobody: just Enter)" in lines, waiting
