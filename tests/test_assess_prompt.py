"""The real prompts, in-process: keystrokes through a prompt_toolkit pipe, output discarded.

Each test sends all its keys up front (prompt_toolkit hands unread keys to the next prompt)
and has a timeout, so a missing keystroke fails the test instead of hanging it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import mini_bank_with
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from rewrite_advisor import cli, prompt
from rewrite_advisor.answers import Answers, load_answers
from rewrite_advisor.bank import Bank, load_bank
from rewrite_advisor.errors import Interrupted
from rewrite_advisor.session import run

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 25)
DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"
BACKSPACE = "\x7f"
CTRL_C = "\x03"

# A whole new session on the mini bank, one line per question.
TITLE = "Billing rewrite" + ENTER
NO_NAME = ENTER  # the name is asked after the title (unless --participant): Enter skips it
NEW = ENTER + NO_NAME  # a new file: the default title, no name
MOTIVE = ENTER  # single: the first choice, "A customer problem"
GOALS = " " + DOWN + " " + ENTER  # multi: tick Revenue and Cost
SHARES = ENTER  # yes/no: Yes
SYNC = "120000 // estimate, two engineers" + ENTER  # number with a confidence and a note
FREEZE = "2" + ENTER
GO_LIVE = "2027-03-01" + ENTER  # date
STORY = "A letter to every customer" + ENTER  # text
FINISH = ENTER  # review menu: Finish


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(FIXTURES / "mini")


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Everything the terminal module printed besides the prompts themselves."""
    lines: list[str] = []
    monkeypatch.setattr(
        prompt,
        "_say",
        lambda text, style="", answer=None: lines.append(
            text if answer is None else f"? {text} {answer}"
        ),
    )
    yield lines


def drive(keys: str, bank: Bank, path: Path, **options: object) -> Answers:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        return run(bank, path, prompt.Terminal(), today=TODAY, **options)  # type: ignore[arg-type]


def clear(n: int) -> str:
    return BACKSPACE * n


@pytest.mark.timeout(20)
def test_every_question_type(bank: Bank, tmp_path: Path, said: list[str]) -> None:
    path = tmp_path / "a.yaml"
    keys = TITLE + MOTIVE + GOALS + SHARES + SYNC + FREEZE + GO_LIVE + STORY + FINISH
    drive(keys, bank, path, participant="Ana")
    saved = load_answers(path, bank)
    assert saved.title == "Billing rewrite"
    assert saved.participants == ["Ana"]
    got = {qid: a.value for qid, a in saved.given.items()}
    assert got == {
        "motive": "customer",
        "goals": ["revenue", "cost"],
        "shares_data": True,
        "sync_cost": 120000,
        "freeze": 2,
        "go_live": dt.date(2027, 3, 1),
        "story": "A letter to every customer",
    }
    assert (saved.given["sync_cost"].confidence, saved.given["sync_cost"].note) == (
        "estimate",
        "two engineers",
    )
    assert "Why · 1 of about 7" in said
    assert "How · 7 of about 7" in said
    assert "== How" in said


@pytest.mark.timeout(20)
def test_dont_know_for_every_type(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    keys = (
        NEW  # default title, no name
        + DOWN
        + DOWN
        + ENTER  # single: past the other choice and the separator
        + DOWN * 3
        + " "
        + ENTER  # multi: tick "Don't know"
        + DOWN
        + DOWN
        + ENTER  # yes/no
        + "dk // nobody has estimated it"
        + ENTER  # number (asked: the condition is undetermined)
        + "DK"
        + ENTER  # number
        + "dk"
        + ENTER  # date
        + "don't know"
        + ENTER  # text
        + FINISH
    )
    drive(keys, bank, path)
    saved = load_answers(path, bank)
    assert saved.title == "Rewrite assessment"
    assert {qid: a.state for qid, a in saved.given.items()} == dict.fromkeys(
        bank.questions, "unknown"
    )
    assert saved.given["sync_cost"].note == "nobody has estimated it"


@pytest.mark.timeout(20)
def test_dont_know_cannot_be_ticked_with_a_choice(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    keys = (
        NEW
        + MOTIVE
        + " "
        + DOWN * 3
        + " "
        + ENTER  # Revenue and Don't know: refused
        + " "
        + ENTER  # untick Don't know: accepted
        + SHARES
        + SYNC
        + FREEZE
        + GO_LIVE
        + STORY
        + FINISH
    )
    drive(keys, bank, path)
    assert load_answers(path, bank).given["goals"].value == ["revenue"]


@pytest.mark.timeout(20)
def test_a_wrong_number_or_date_is_asked_again(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    keys = (
        NEW
        + MOTIVE
        + GOALS
        + SHARES
        + SYNC
        + "two"
        + ENTER  # refused: not a number, the prompt stays
        + clear(3)
        + "99"
        + ENTER  # refused: above the maximum of 60
        + clear(2)
        + "3"
        + ENTER
        + "1 March"
        + ENTER
        + clear(7)
        + "2027-03-01"
        + ENTER
        + STORY
        + FINISH
    )
    drive(keys, bank, path)
    saved = load_answers(path, bank)
    assert saved.given["freeze"].value == 3
    assert saved.given["go_live"].value == dt.date(2027, 3, 1)


@pytest.mark.timeout(20)
def test_help_then_answer_with_a_note_from_a_list(
    bank: Bank, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "a.yaml"
    keys = (
        NEW
        + "?"
        + DOWN
        + "/"
        + "guess, the CTO said so"
        + ENTER  # help, then New technology + note
        + GOALS
        + SHARES
        + "?"
        + ENTER
        + SYNC
        + FREEZE
        + GO_LIVE
        + STORY
        + FINISH
    )
    drive(keys, bank, path)
    saved = load_answers(path, bank)
    motive = saved.given["motive"]
    assert (motive.value, motive.confidence, motive.note) == ("fashion", "guess", "the CTO said so")
    assert "  Why it matters: The motive decides whether a rewrite is worth it." in said
    assert "  Why it matters: It is often the largest hidden cost." in said


@pytest.mark.timeout(20)
def test_branching_skips_the_dependent_question(
    bank: Bank, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "a.yaml"
    keys = NEW + MOTIVE + GOALS + DOWN + ENTER + FREEZE + GO_LIVE + STORY + FINISH
    drive(keys, bank, path)
    saved = load_answers(path, bank)
    assert saved.given["shares_data"].value is False
    assert "sync_cost" not in saved.given
    assert "How · 6 of about 6" in said


@pytest.mark.timeout(20)
def test_ctrl_c_saves_the_answers_so_far(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    with pytest.raises(Interrupted) as caught:
        drive(NEW + MOTIVE + GOALS + SHARES + "12" + CTRL_C, bank, path)
    saved = load_answers(path, bank)
    assert set(saved.given) == {"motive", "goals", "shares_data"}
    assert caught.value.answers is not None
    assert f"saved in {path}" in str(caught.value)


@pytest.mark.timeout(20)
def test_resume_starts_at_the_first_open_question(
    bank: Bank, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "a.yaml"
    with pytest.raises(Interrupted):
        drive(NEW + MOTIVE + GOALS + CTRL_C, bank, path)
    said.clear()
    drive(SHARES + SYNC + FREEZE + GO_LIVE + STORY + FINISH, bank, path)
    saved = load_answers(path, bank)
    assert set(saved.given) == set(bank.questions)
    told = " ".join(" ".join(said).split())  # messages are wrapped at the terminal's width
    assert f"Resuming {path}: 2 answered so far" in told
    assert not any("main motive" in s for s in said)


@pytest.mark.timeout(30)
def test_review_drops_and_brings_back_a_dependent_question(
    bank: Bank, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "a.yaml"
    drive(NEW + MOTIVE + GOALS + SHARES + SYNC + FREEZE + GO_LIVE + STORY + FINISH, bank, path)
    # Review menu: Finish, [Why], motive, goals, [How], shares_data, ...
    to_shares = DOWN * 3 + ENTER
    drive(to_shares + DOWN + ENTER + FINISH, bank, path, review=True)  # shares_data: No
    saved = load_answers(path, bank)
    assert saved.answer("sync_cost").state == "skipped"
    assert saved.given["sync_cost"].value == 120000  # kept in the file, not used
    assert any(s.startswith("No longer asked: What does the synchronizer cost?") for s in said)
    # Back to Yes: the synchronizer cost is asked again, its old answer prefilled.
    drive(to_shares + UP + ENTER + ENTER + FINISH, bank, path, review=True)
    saved = load_answers(path, bank)
    assert saved.answer("sync_cost").state == "known"
    assert (saved.given["sync_cost"].value, saved.given["sync_cost"].note) == (
        120000,
        "two engineers",
    )
    assert any("applies again" in s for s in said)


@pytest.mark.timeout(30)
def test_review_asks_a_question_that_now_applies(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    drive(NEW + MOTIVE + GOALS + DOWN + ENTER + FREEZE + GO_LIVE + STORY + FINISH, bank, path)
    drive(DOWN * 3 + ENTER + UP + ENTER + "5000" + ENTER + FINISH, bank, path, review=True)
    assert load_answers(path, bank).given["sync_cost"].value == 5000


@pytest.mark.timeout(30)
def test_the_command_shows_the_verdict_and_writes_the_memo(
    bank: Bank,
    tmp_path: Path,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    monkeypatch.chdir(tmp_path)
    keys = NEW + MOTIVE + GOALS + SHARES + SYNC + "12" + ENTER + GO_LIVE + STORY + FINISH + ENTER
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        with pytest.raises(SystemExit) as caught:
            cli.main(["assess", "--bank", str(FIXTURES / "mini")])
    assert caught.value.code == 0, capsys.readouterr().err
    assert (tmp_path / "answers.yaml").exists()
    html = (tmp_path / "answers-memo.html").read_text()
    assert "Long freeze" in html
    assert any(s.startswith("Verdict: ") for s in said)
    verdict = next(s for s in said if s.startswith("Verdict: "))
    held = said.index(f"Held at {verdict.split(': ')[1].split(' (')[0]} by:")
    assert said.index(verdict) < held, "what holds the verdict comes right after it"
    assert "  - Long freeze" in said[held:]
    assert "Wrote answers-memo.html. Your answers are in answers.yaml." in said


@pytest.mark.timeout(30)
def test_skipping_the_memo_says_where_to_render_it_beside_the_answers(
    tmp_path: Path,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 19 polish: the hint wrote memo.html into the folder the command ran in."""
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    default = "out/answers-memo.html"
    keys = NEW + MOTIVE + GOALS + SHARES + SYNC + FREEZE + GO_LIVE + STORY + FINISH
    keys += clear(len(default)) + "-" + ENTER
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        with pytest.raises(SystemExit) as caught:
            cli.main(["assess", "-o", "out/answers.yaml", "--bank", str(FIXTURES / "mini")])
    assert caught.value.code == 0, capsys.readouterr().err
    hint = " ".join(next(s for s in said if "Render later" in s).split())  # wrapped at 80
    assert hint.endswith("report out/answers.yaml -o out/answers-memo.html"), hint


@pytest.mark.timeout(30)
def test_the_command_exits_130_on_ctrl_c_and_says_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    path = tmp_path / "mine.yaml"
    bank_dir = FIXTURES / "mini"
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(NEW + MOTIVE + CTRL_C)
        with pytest.raises(SystemExit) as caught:
            cli.main(["assess", "-o", str(path), "--bank", str(bank_dir)])
    assert caught.value.code == 130
    err = capsys.readouterr().err
    assert f"Your answers are saved in {path}." in err
    assert f"To resume: rewrite-advisor assess -o {path} --bank {bank_dir}" in err
    assert list(load_answers(path, load_bank(bank_dir)).given) == ["motive"]


def test_the_command_refuses_to_overwrite_a_file_that_is_not_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    path = tmp_path / "notes.md"
    path.write_text("# My notes\n")
    with pytest.raises(SystemExit) as caught:
        cli.main(["assess", "-o", str(path), "--bank", str(FIXTURES / "mini")])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: {path}: the file exists and cannot be resumed, so it is left alone"
    )
    assert path.read_text() == "# My notes\n"


def test_a_file_from_an_earlier_bank_version_points_to_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file cannot be resumed with the new bank; the error gives the way out, --from."""
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    monkeypatch.setattr(cli, "program", lambda: "rewrite-advisor")
    old = tmp_path / "old answers.yaml"
    old.write_bytes((FIXTURES / "bank-1.0.0" / "go-billing-strangler.yaml").read_bytes())
    before = old.read_bytes()
    with pytest.raises(SystemExit) as caught:
        cli.main(["assess", "-o", str(old)])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    version = load_bank().version
    assert err.startswith(f"error: {old}:")
    assert err.endswith(
        f": the file exists and cannot be resumed, so it is left alone (these answers were made "
        f"with version 1.0.0 of the question bank, but version {version} is loaded); to answer "
        f"with version {version}, start a new file with its answers carried over: "
        f"rewrite-advisor assess -o NEW.yaml --from '{old}' (see 'Answers made with an earlier "
        "version of the bank' in the README)\n"
    )
    assert err.count("\n") == 1
    assert old.read_bytes() == before


def test_the_command_checks_the_folder_before_asking_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    path = tmp_path / "nodir" / "mine.yaml"
    with pytest.raises(SystemExit) as caught:
        cli.main(["assess", "-o", str(path), "--bank", str(FIXTURES / "mini")])
    assert caught.value.code == 2
    assert capsys.readouterr().err == f"error: {path}: the folder {path.parent} does not exist\n"


@pytest.mark.timeout(20)
def test_a_typed_title_replaces_the_default_and_enter_keeps_it(bank: Bank, tmp_path: Path) -> None:
    typed = tmp_path / "typed.yaml"
    with pytest.raises(Interrupted):
        drive("Replace billing" + ENTER + NO_NAME + MOTIVE + CTRL_C, bank, typed)
    assert load_answers(typed, bank).title == "Replace billing"
    kept = tmp_path / "kept.yaml"
    with pytest.raises(Interrupted):
        drive(NEW + MOTIVE + CTRL_C, bank, kept)
    assert load_answers(kept, bank).title == "Rewrite assessment"


@pytest.mark.timeout(30)
def test_from_carries_answers_of_an_earlier_bank_into_a_new_file(
    tmp_path: Path,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    old = tmp_path / "old.yaml"
    old.write_bytes((FIXTURES / "bank-1.0.0" / "go-billing-strangler.yaml").read_bytes())
    before = old.read_bytes()
    new = tmp_path / "new.yaml"
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(CTRL_C)
        with pytest.raises(SystemExit) as caught:
            cli.main(["assess", "-o", str(new), "--from", str(old)])
    assert caught.value.code == 130, capsys.readouterr().err
    assert old.read_bytes() == before, "the earlier file is never changed"
    bank = load_bank()
    started = load_answers(new, bank)
    assert started.bank.version == "2.2.0"
    assert started.given["switch_off_date"].value == dt.date(2027, 12, 15), "renamed and kept"
    assert started.given["strategic_goal"].value == "enter_new_market"
    assert "shares_data" not in started.given
    lines = [" ".join(s.split()) for s in said]  # long lines wrap at the terminal's width
    message = next((s for s in lines if s.startswith("Started ")), None)
    assert message is not None, said
    assert "(question bank 1.0.0 → 2.2.0)" in message
    assert any("shares_data, parallel_run" in s and "stay in" in s for s in lines)


@pytest.mark.timeout(30)
def test_from_a_file_of_another_kind_gives_its_error_alone(
    tmp_path: Path,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The introduction and the key legend used to come first, and the error at the end."""
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    notes = tmp_path / "notes.md"
    notes.write_text("# Our rewrite\n\nSome thoughts on the billing engine.\n", "utf-8")
    new = tmp_path / "new.yaml"
    with (
        create_pipe_input() as pipe,
        create_app_session(input=pipe, output=DummyOutput()),
        pytest.raises(SystemExit) as caught,
    ):
        cli.main(["assess", "-o", str(new), "--from", str(notes)])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "this is not an answers file" in err and len(err.strip().splitlines()) == 1, err
    assert said == [], "nothing is shown before the error"
    assert not new.exists()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("version", ["2.0.0", "2.1.0"])
def test_from_carries_every_answer_of_an_earlier_2_x_bank_over(
    version: str,
    tmp_path: Path,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """2.1.0 and 2.2.0 only add questions and choices: every earlier answer carries over."""
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    old = FIXTURES / f"bank-{version}" / "go-billing-strangler.yaml"
    before = old.read_bytes()
    new = tmp_path / "new.yaml"
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(CTRL_C)
        with pytest.raises(SystemExit) as caught:
            cli.main(["assess", "-o", str(new), "--from", str(old)])
    assert caught.value.code == 130, capsys.readouterr().err
    assert old.read_bytes() == before, "the earlier file is never changed"
    bank = load_bank()
    earlier = load_answers(
        old, load_bank(FIXTURES.parent.parent / "questions" / "archive" / version)
    )
    assert earlier.bank.version == version
    started = load_answers(new, bank)
    assert started.bank.version == "2.2.0"
    assert set(started.given) == set(earlier.given)
    for qid, answer in earlier.given.items():
        assert (started.given[qid].value, started.given[qid].note) == (answer.value, answer.note)
    lines = [" ".join(s.split()) for s in said]
    message = next((s for s in lines if s.startswith("Started ")), None)
    assert message is not None, said
    assert f"(question bank {version} → 2.2.0)" in message
    assert not any("stay in" in s for s in lines), "nothing is left behind"


@pytest.mark.timeout(30)
def test_from_with_participant_takes_the_new_name(
    tmp_path: Path,
    said: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 19 E: --participant Ben --from ana.yaml kept Ana's name; workshop then refused it."""
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    bank = load_bank()
    old = FIXTURES / "bank-2.0.0" / "go-billing-strangler.yaml"
    ana = load_answers(old, load_bank(FIXTURES.parent.parent / "questions" / "archive" / "2.0.0"))
    assert ana.participants and "Ben" not in ana.participants
    new = tmp_path / "ben.yaml"
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(CTRL_C)
        with pytest.raises(SystemExit) as caught:
            cli.main(["assess", "-o", str(new), "--participant", "Ben", "--from", str(old)])
    assert caught.value.code == 130, capsys.readouterr().err
    assert load_answers(new, bank).participants == ["Ben"]


def test_from_refuses_to_replace_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    new = tmp_path / "new.yaml"
    new.write_text("kept\n")
    with pytest.raises(SystemExit) as caught:
        cli.main(
            [
                "assess",
                "-o",
                str(new),
                "--from",
                str(FIXTURES / "bank-1.0.0" / "go-billing-strangler.yaml"),
            ]
        )
    assert caught.value.code == 2
    assert "already exists; --from starts a new file" in capsys.readouterr().err
    assert new.read_text() == "kept\n"


# --- the first hour of a new user -----------------------------------------------------------


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[object, bool, bool]]]:
    """Every prompt's result, whether it left no line behind, and whether it shows its answer."""
    seen: list[tuple[object, bool, bool]] = []
    original = prompt._run

    def run_and_record(question: object) -> object:
        result = original(question)  # type: ignore[arg-type]
        app = question.application  # type: ignore[attr-defined]
        controls = [c for c in app.layout.find_all_controls() if hasattr(c, "is_answered")]
        answered = bool(controls and controls[0].is_answered)
        seen.append((result, bool(app.erase_when_done), answered))
        return result

    monkeypatch.setattr(prompt, "_run", run_and_record)
    yield seen


@pytest.mark.timeout(20)
def test_help_leaves_no_copy_of_the_question_and_note_shows_the_choice(
    bank: Bank, tmp_path: Path, said: list[str], prompts: list[tuple[object, bool, bool]]
) -> None:
    keys = (
        NEW
        + "?"  # list: help, then asked again
        + DOWN
        + "/"
        + "guess"
        + ENTER  # New technology, with a note
        + GOALS
        + SHARES
        + "?"
        + ENTER  # typed: help, then asked again
        + SYNC
        + FREEZE
        + GO_LIVE
        + STORY
        + FINISH
    )
    drive(keys, bank, tmp_path / "a.yaml")
    helps = [(erased, answered) for result, erased, answered in prompts if _is_help(result)]
    assert helps == [(True, False), (True, False)], "a prompt ended by ? is erased"
    note = next(p for p in prompts if getattr(p[0], "kind", None) == "note")
    assert note[1:] == (False, True), "the line left by / names the chosen option"
    assert "? Which goals does it serve? Revenue; Cost" in said, "ticked choices said in words"
    assert said.count("  Why it matters: It is often the largest hidden cost.") == 1


def _is_help(result: object) -> bool:
    return result == "?" or getattr(result, "kind", None) == "help"


@pytest.mark.timeout(20)
def test_the_name_is_asked_after_the_title(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    with pytest.raises(Interrupted):
        drive(TITLE + " Ana  Souza " + ENTER + MOTIVE + CTRL_C, bank, path)
    saved = load_answers(path, bank)
    assert (saved.title, saved.participants) == ("Billing rewrite", ["Ana Souza"])


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("typed", "value", "said_back"),
    [
        ("120k // estimate, two engineers", 120000, "120,000 EUR (estimate; two engineers)"),
        ("€1.2m", 1200000, "1,200,000 EUR"),
        ("120 000 EUR", 120000, "120,000 EUR"),
        ("$5" + ENTER + clear(2) + "5000", 5000, "5,000 EUR"),  # $ is refused: EUR here
    ],
)
def test_money_as_people_write_it_is_said_back(
    bank: Bank, tmp_path: Path, said: list[str], typed: str, value: int, said_back: str
) -> None:
    path = tmp_path / "a.yaml"
    keys = NEW + MOTIVE + GOALS + SHARES + typed + ENTER + FREEZE + GO_LIVE + STORY + FINISH
    drive(keys, bank, path)
    assert load_answers(path, bank).given["sync_cost"].value == value
    assert f"  Understood: {said_back}" in said
    assert "  Understood: 2 months" not in said, "a plain number of months is not said back"


@pytest.mark.timeout(30)
def test_resuming_a_finished_file_says_so_and_review_says_what_finish_does(
    bank: Bank, tmp_path: Path, said: list[str]
) -> None:
    path = tmp_path / "a.yaml"
    drive(NEW + MOTIVE + GOALS + SHARES + SYNC + FREEZE + GO_LIVE + STORY + FINISH, bank, path)
    said.clear()
    drive(FINISH, bank, path)
    assert f"{path}: all 7 questions that apply are answered." in " ".join(" ".join(said).split())
    unfinished = tmp_path / "b.yaml"
    with pytest.raises(Interrupted):
        drive(NEW + MOTIVE + GOALS + SHARES + CTRL_C, bank, unfinished)
    said.clear()
    drive(FINISH + SYNC + FREEZE + GO_LIVE + STORY, bank, unfinished, review=True)
    assert "The 4 open questions follow." in said
    assert len(load_answers(unfinished, bank).given) == 7


@pytest.mark.timeout(30)
def test_a_date_before_the_one_it_follows_is_pointed_out(tmp_path: Path, said: list[str]) -> None:
    folder = mini_bank_with(
        tmp_path / "dated",
        before="story",
        question="      - id: last_client\n        type: date\n"
        "        text: When does the last client move?\n        help: Two systems end.\n",
        rule="  - id: last-before-first\n    section: how\n    severity: high\n"
        "    title: The last client moves before the first\n    why: A date is wrong.\n"
        "    action: Correct it.\n"
        "    when: {question: last_client, lt: {question: go_live}}\n",
    )
    dated = load_bank(folder)
    path = tmp_path / "a.yaml"
    keys = (
        NEW
        + MOTIVE
        + GOALS
        + SHARES
        + SYNC
        + FREEZE
        + GO_LIVE
        + "2027-01-01"
        + ENTER  # before go_live (2027-03-01)
        + ENTER  # Keep it anyway? Enter: no, ask again
        + clear(10)
        + "2027-09-01"
        + ENTER
        + STORY
        + FINISH
    )
    drive(keys, dated, path)
    assert load_answers(path, dated).given["last_client"].value == dt.date(2027, 9, 1)
    assert "  This answer and another one disagree: The last client moves before the first." in said


def test_every_answer_fits_a_review_row_at_80_columns() -> None:
    from rewrite_advisor.session import Session

    answers = load_answers(
        Path(__file__).resolve().parent.parent / "examples" / "go-billing-strangler.yaml",
        load_bank(),
    )
    items = Session(answers).review_items()
    assert len(items) > 40
    for item in items:
        row = prompt.review_row(item, 80)
        lines = row.split("\n")
        assert len(lines[0]) <= 80 - 3, row  # after the pointer's 3 columns
        assert all(len(line) <= 80 for line in lines[1:]), row
        assert item.answer in " ".join(part.strip() for part in lines), row
        assert row.startswith(item.answer[:20]), "the answer comes first"


@pytest.mark.timeout(20)
def test_the_review_filter_moves_to_the_next_match_not_every_other(bank: Bank) -> None:
    """Issue 19 B: with a filter typed, ↓ skipped every other match (questionary checked the
    unfiltered list for separators)."""
    from rewrite_advisor.session import ReviewItem

    items = [
        ReviewItem(q, s, f"answer {i}")
        for i, (s, q) in enumerate((s, q) for s in bank.sections for q in s.questions)
    ]
    matches = [item.question.id for item in items]  # every row says "answer"
    for downs, wanted in ((1, matches[1]), (2, matches[2]), (3, matches[3])):
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text("answer" + DOWN * downs + ENTER)
            assert prompt.Terminal().review(items) == wanted, downs


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("typed", "wanted"),
    [("new system", "go_live"), ("customers hear", "story"), ("sync_cost", "sync_cost")],
)
def test_the_review_filter_matches_the_whole_question_and_its_id(
    bank: Bank, typed: str, wanted: str
) -> None:
    """The filter matched only the row as cut to the terminal's width (80 columns here): the
    end of a question behind a long answer, and the question's id, were not found."""
    from rewrite_advisor.session import ReviewItem

    items = [
        ReviewItem(q, s, f"answer {i}: " + "so it goes " * 4)
        for i, (s, q) in enumerate((s, q) for s in bank.sections for q in s.questions)
    ]
    rows = {item.question.id: prompt.review_row(item, 80) for item in items}
    assert typed not in rows[wanted], "the row as shown is cut before it"
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(typed + ENTER)
        assert prompt.Terminal().review(items) == wanted


def test_a_long_chosen_answer_is_echoed_on_one_line(bank: Bank) -> None:
    """Issue 19 D: a label wrapped for the menu kept its breaks and indents in the echo.

    questionary echoes ``get_pointed_at().title`` once the prompt is answered.
    """
    from questionary.prompts.common import InquirerControl

    question = bank.questions["motive"]
    long_label = "A customer problem that " + "keeps coming back " * 8
    choice = question.choices[0].model_copy(update={"label": long_label})
    long_question = question.model_copy(update={"choices": [choice, *question.choices[1:]]})
    with create_pipe_input(), create_app_session(output=DummyOutput()):
        asked = prompt.Terminal()._select(long_question, choice.value)
        controls = asked.application.layout.find_all_controls()
        menu = next(c for c in controls if isinstance(c, InquirerControl))
        assert "\n" in menu.get_pointed_at().title, "wrapped in the menu"
        menu.is_answered = True
        echoed = menu.get_pointed_at()
    assert echoed.title == " ".join(long_label.split())
    assert echoed.value == choice.value


def test_key_hints_move_to_their_own_line_rather_than_wrap_at_80_columns(bank: Bank) -> None:
    """Issue 19 polish: the key hints wrapped at 80 columns, splitting a key's name."""
    short = prompt._key_hint("How long is the freeze?", prompt._TYPED_KEYS, columns=80)
    assert short == f"({prompt._TYPED_KEYS})"
    longest = max((q.text for q in load_bank().questions.values()), key=len)
    long = prompt._key_hint(longest, prompt._LIST_KEYS, columns=80)
    assert long == f"\n  ({prompt._LIST_KEYS})"
    assert all(len(line) <= 80 for line in long.splitlines())


_REPLIES = {"single": ENTER, "yesno": ENTER, "multi": " " + ENTER, "number": "12" + ENTER}
_REPLIES |= {"date": "2027-01-01" + ENTER, "text": "a letter" + ENTER}


def _longest_questions() -> list[object]:
    """The bundled bank's longest question of each type."""
    from rewrite_advisor.bank import load_bank as load

    longest: dict[str, object] = {}
    for question in load().questions.values():
        held = longest.get(question.type)
        if held is None or len(question.text) > len(held.text):  # type: ignore[attr-defined]
            longest[question.type] = question
    return list(longest.values())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("question", "columns"),
    [
        pytest.param(q, columns, id=f"{q.type}-{q.id}-{columns}")  # type: ignore[attr-defined]
        for q in _longest_questions()
        for columns in (80, 60, 40)
        if len(" ".join(q.text.split())) > columns  # type: ignore[attr-defined]
    ],
)
def test_a_long_question_wraps_whole_while_it_is_asked(question, columns: int) -> None:
    """Issue 19 (second trial): a question longer than the terminal was cut at its edge.

    What a person sees is read off a terminal of that width, while the prompt waits for the
    answer and after it: every word of the question, in order, on lines that fit.
    """
    from screen import Screen

    from rewrite_advisor.session import Progress

    whole = " ".join(question.text.split())
    assert len(whole) > columns, "a question that needs more than one line"
    screen = Screen(columns)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=screen):
        pipe.send_text(_REPLIES[question.type])
        section = load_bank().section_of[question.id]
        prompt.Terminal().ask(question, Progress(section, 3, 40), None, "USD")
    waiting = [shot for shot in screen.snapshots if "Don't know" in shot or "dk" in shot]
    assert waiting, screen.snapshots
    for shown in (waiting[0], screen.text()):
        assert whole in " ".join(shown.split()), shown
        assert all(len(line) <= columns for line in shown.splitlines())
    if question.type == "multi":  # the first choice was ticked: said whole, after it
        label = " ".join(question.choices[0].label.split())
        assert f"{whole} {label}" in " ".join(screen.text().split()), screen.text()


@pytest.mark.timeout(30)
def test_a_cost_above_the_budget_is_pointed_out_as_it_is_answered(
    tmp_path: Path, said: list[str]
) -> None:
    """Issue 19 (second trial): the README promises that answers that clash are pointed out at
    once; an amount above another one (a cost above the budget) was not."""
    folder = mini_bank_with(
        tmp_path / "budget",
        before="freeze",
        question="      - id: budget\n        type: number\n        unit: money\n"
        "        text: What is the approved budget?\n        help: What was approved.\n",
        rule="  - id: sync-over-budget\n    section: how\n    severity: high\n"
        "    title: The synchronizer alone costs more than the budget\n"
        "    why: The money runs out.\n    action: Find the money.\n"
        "    when: {question: sync_cost, gt: {question: budget}}\n",
    )
    bank = load_bank(folder)
    path = tmp_path / "a.yaml"
    keys = NEW + MOTIVE + GOALS + SHARES + SYNC + "100k" + ENTER + FREEZE + GO_LIVE + STORY
    drive(keys + FINISH, bank, path)
    shown = [" ".join(line.split()) for line in said]
    assert (
        "With an earlier answer, this one makes a high finding: The synchronizer alone costs "
        "more than the budget. The memo will list it; to change either answer, pick it in the "
        "review at the end."
    ) in shown
    assert load_answers(path, bank).given["budget"].value == 100_000


@pytest.mark.timeout(30)
def test_the_other_motives_list_leaves_out_the_main_one(tmp_path: Path) -> None:
    """Issue 19 (second trial): the list of other goals offered the main goal again."""
    folder = mini_bank_with(
        tmp_path / "besides",
        before="goals",
        question="      - id: other_motives\n        type: multi\n        besides: motive\n"
        "        text: Which other motives weigh as well?\n        help: Mixed.\n"
        "        choices:\n          - {value: customer, label: A customer problem}\n"
        "          - {value: fashion, label: New technology}\n",
    )
    bank = load_bank(folder)
    path = tmp_path / "a.yaml"
    first_offered = " " + ENTER  # tick the first choice of the list
    keys = NEW + MOTIVE + first_offered + GOALS + SHARES + SYNC + FREEZE + GO_LIVE + STORY
    drive(keys + FINISH, bank, path)
    saved = load_answers(path, bank).given
    assert saved["motive"].value == "customer"
    assert saved["other_motives"].value == ["fashion"], "the main motive was not on the list"


@pytest.mark.timeout(20)
def test_the_memo_offer_keeps_its_keys_whole_at_80_columns() -> None:
    """Found trying the README's first hour: '- to skip' wrapped at 80 columns as 'ski' / 'p'."""
    from screen import Screen

    screen = Screen(80)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=screen):
        pipe.send_text("-" + ENTER)
        assert prompt.Terminal().ask_memo_path("out/answers-memo.html") is None
    waiting = next(shot for shot in screen.snapshots if "Write the memo" in shot)
    lines = [line.strip() for line in waiting.splitlines()]
    assert "(Enter: yes · type another path · - to skip)" in lines, waiting
