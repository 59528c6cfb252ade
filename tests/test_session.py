"""The assessment flow without a terminal: a scripted asker stands in for the person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rewrite_advisor.answers import Answer, load_answers
from rewrite_advisor.bank import Bank, Question, Section, load_bank
from rewrite_advisor.errors import AnswersError, Interrupted
from rewrite_advisor.session import (
    Progress,
    ReviewItem,
    Session,
    iter_summary,
    memo_path_for,
    new_answers,
    parse_note,
    parse_typed,
    run,
    score,
    typed_default,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(FIXTURES / "mini")


FULL = {
    "motive": Answer("known", "customer"),
    "goals": Answer("known", ["revenue", "cost"]),
    "shares_data": Answer("known", True),
    "sync_cost": Answer("known", 120000, "two engineers", "estimate"),
    "freeze": Answer("known", 2),
    "go_live": Answer("known", dt.date(2027, 3, 1)),
    "story": Answer("unknown"),
}


class ScriptedAsker:
    """Answers from a table; review choices from a list; records what it was told."""

    def __init__(
        self,
        table: dict[str, Answer],
        reviews: list[str | None] | None = None,
        interrupt_at: str | None = None,
    ):
        self.table = dict(table)
        self.reviews = list(reviews or [])
        self.interrupt_at = interrupt_at
        self.asked: list[str] = []
        self.progress: list[str] = []
        self.told: list[str] = []
        self.sections: list[str] = []
        self.defaults: dict[str, Answer | None] = {}

    def ask_title(self, default: str) -> str:
        return "Billing rewrite"

    def start_section(self, section: Section) -> None:
        self.sections.append(section.id)

    def ask(
        self, question: Question, progress: Progress, current: Answer | None, currency: str
    ) -> Answer:
        if question.id == self.interrupt_at:
            raise KeyboardInterrupt
        self.asked.append(question.id)
        self.progress.append(str(progress))
        self.defaults[question.id] = current
        return self.table[question.id]

    def review(self, items: list[ReviewItem]) -> str | None:
        return self.reviews.pop(0) if self.reviews else None

    def tell(self, message: str) -> None:
        self.told.append(message)


def test_a_new_file_asks_every_applicable_question_in_order(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    asker = ScriptedAsker(FULL)
    answers = run(bank, path, asker, today=TODAY, participant="Ana")
    assert asker.asked == list(FULL)
    assert asker.progress[0] == "Why · 1 of about 7"
    assert asker.progress[3] == "How · 4 of about 7"
    assert asker.sections == ["why", "how"]
    saved = load_answers(path, bank)
    assert saved.title == "Billing rewrite"
    assert saved.participants == ["Ana"]
    assert saved.date == TODAY
    assert {k: (v.state, v.value) for k, v in saved.given.items()} == {
        k: (v.state, v.value) for k, v in answers.given.items()
    }
    assert saved.given["sync_cost"].note == "two engineers"


def test_when_false_skips_the_dependent_question(bank: Bank, tmp_path: Path) -> None:
    table = {**FULL, "shares_data": Answer("known", False)}
    asker = ScriptedAsker(table)
    run(bank, tmp_path / "a.yaml", asker, today=TODAY)
    assert "sync_cost" not in asker.asked
    assert asker.progress[-1] == "How · 6 of about 6"


def test_every_answer_is_saved_before_the_next_question(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    seen: list[set[str]] = []

    class Checking(ScriptedAsker):
        def ask(
            self, question: Question, progress: Progress, current: Answer | None, currency: str
        ) -> Answer:
            seen.append(set(load_answers(path, bank).given))
            return super().ask(question, progress, current, currency)

    run(bank, path, Checking(FULL), today=TODAY)
    assert seen[0] == set()
    assert seen[3] == {"motive", "goals", "shares_data"}


def test_ctrl_c_saves_and_carries_the_answers(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    with pytest.raises(Interrupted) as caught:
        run(bank, path, ScriptedAsker(FULL, interrupt_at="freeze"), today=TODAY, resume_command="X")
    assert set(load_answers(path, bank).given) == {"motive", "goals", "shares_data", "sync_cost"}
    assert caught.value.path == path
    assert caught.value.exit_code == 130
    assert "saved in" in str(caught.value) and "To resume: X" in str(caught.value)


def test_resume_starts_at_the_first_open_question_and_says_so(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    with pytest.raises(Interrupted):
        run(bank, path, ScriptedAsker(FULL, interrupt_at="shares_data"), today=TODAY)
    asker = ScriptedAsker(FULL)
    run(bank, path, asker, today=TODAY, participant="Bo")
    assert asker.asked == ["shares_data", "sync_cost", "freeze", "go_live", "story"]
    assert asker.told[0].startswith(f"Resuming {path}: 2 answered so far")
    assert "question 3 of about 7" in asker.told[0]
    assert load_answers(path, bank).participants == ["Bo"]


def test_a_question_never_asked_drops_silently(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    # shares_data is answered "no" on the first pass: sync_cost was never asked, so saying it
    # is "no longer asked" would only confuse.
    asker = ScriptedAsker({**FULL, "shares_data": Answer("known", False)})
    run(bank, path, asker, today=TODAY)
    assert "sync_cost" not in asker.asked
    assert not any(t.startswith("No longer asked") for t in asker.told)


def test_review_drops_and_brings_back_a_dependent_answer(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    run(bank, path, ScriptedAsker(FULL), today=TODAY)
    # Flip shares_data to no: sync_cost stops applying but its answer stays in the file.
    asker = ScriptedAsker({"shares_data": Answer("known", False)}, reviews=["shares_data"])
    run(bank, path, asker, today=TODAY, review=True)
    assert asker.asked == ["shares_data"]
    assert any(t.startswith("No longer asked: What does the synchronizer") for t in asker.told)
    saved = load_answers(path, bank)
    assert saved.given["sync_cost"].value == 120000
    assert saved.answer("sync_cost").state == "skipped"
    # Flip back: sync_cost is asked again, with the kept answer offered as the default.
    back = ScriptedAsker(
        {"shares_data": Answer("known", True), "sync_cost": Answer("known", 90000)},
        reviews=["shares_data"],
    )
    run(bank, path, back, today=TODAY, review=True)
    assert back.asked == ["shares_data", "sync_cost"]
    kept = back.defaults["sync_cost"]
    assert kept is not None and kept.value == 120000
    assert any("applies again" in t for t in back.told)
    assert load_answers(path, bank).answer("sync_cost").value == 90000


def test_review_asks_a_question_that_newly_applies(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    run(bank, path, ScriptedAsker({**FULL, "shares_data": Answer("known", False)}), today=TODAY)
    asker = ScriptedAsker(FULL, reviews=["shares_data"])
    run(bank, path, asker, today=TODAY, review=True)
    assert asker.asked == ["shares_data", "sync_cost"]
    assert "This now applies: What does the synchronizer cost?" in asker.told


def test_a_file_that_is_not_an_answers_file_is_left_alone(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("shopping: [milk, eggs]\n")
    with pytest.raises(AnswersError, match="cannot be resumed, so it is left alone"):
        run(bank, path, ScriptedAsker(FULL), today=TODAY)
    assert path.read_text() == "shopping: [milk, eggs]\n"


def test_answers_for_another_bank_are_left_alone(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    text = (FIXTURES / "mini-answers.yaml").read_text().replace("id: mini", "id: other")
    path.write_text(text)
    with pytest.raises(AnswersError, match="question bank 'other'"):
        run(bank, path, ScriptedAsker(FULL), today=TODAY)
    assert path.read_text() == text


def test_review_needs_an_existing_file(bank: Bank, tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="no answers file here to review"):
        run(bank, tmp_path / "none.yaml", ScriptedAsker(FULL), today=TODAY, review=True)


@pytest.mark.parametrize(
    ("qid", "text", "kind", "value", "confidence", "note"),
    [
        ("freeze", "14", "answer", 14, None, None),
        ("freeze", "14 // estimate, from the plan", "answer", 14, "estimate", "from the plan"),
        ("freeze", " 3 //guess", "answer", 3, "guess", None),
        ("freeze", "dk // nobody knows", "dont_know", None, None, "nobody knows"),
        ("freeze", "DK", "dont_know", None, None, None),
        ("freeze", "?", "help", None, None, None),
        ("go_live", "2027-03-01 // sure", "answer", dt.date(2027, 3, 1), "sure", None),
        ("story", "see https://example.com", "answer", "see https://example.com", None, None),
        ("story", "a letter // Sure: agreed", "answer", "a letter", "sure", "agreed"),
        ("story", "guesswork // surely not", "answer", "guesswork", None, "surely not"),
    ],
)
def test_typed_answers(
    bank: Bank,
    qid: str,
    text: str,
    kind: str,
    value: object,
    confidence: str | None,
    note: str | None,
) -> None:
    reply = parse_typed(bank.questions[qid], text)
    assert (reply.kind, reply.value, reply.confidence, reply.note) == (
        kind,
        value,
        confidence,
        note,
    )


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("freeze", "abc", "expected a number"),
        ("freeze", "61", "must be at most 60"),
        ("freeze", "-1 // guess", "must be at least 0"),
        ("go_live", "next spring", "expected a date as YYYY-MM-DD"),
        ("story", "", "type an answer"),
        ("story", "// only a note", "type an answer"),
    ],
)
def test_typed_answers_that_do_not_fit(bank: Bank, qid: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_typed(bank.questions[qid], text)


def test_typed_default_round_trips(bank: Bank) -> None:
    for qid in ("sync_cost", "go_live", "story"):
        question = bank.questions[qid]
        answer = FULL[qid]
        text = typed_default(question, answer)
        back = parse_typed(question, text).to_answer()
        assert (back.state, back.value, back.note, back.confidence) == (
            answer.state,
            answer.value,
            answer.note,
            answer.confidence,
        )
    assert typed_default(bank.questions["story"], None) == ""


def test_parse_note() -> None:
    assert parse_note("estimate") == ("estimate", None)
    assert parse_note("  GUESS - from memory ") == ("guess", "from memory")
    assert parse_note("from the plan") == (None, "from the plan")


def test_summary_names_the_verdict_and_top_findings(bank: Bank, tmp_path: Path) -> None:
    answers = new_answers(bank, "T", None, TODAY, tmp_path / "a.yaml")
    answers.given.update({**FULL, "freeze": Answer("known", 12)})
    lines = list(iter_summary(score(answers, TODAY)))
    assert lines[0].startswith("Verdict: Go with conditions")
    assert lines[2:4] == ["Held at Go with conditions by:", "  - Long freeze"], (
        "what holds the verdict comes first"
    )
    assert "  + A customer problem drives it" in lines


def test_memo_path_is_next_to_the_answers() -> None:
    assert memo_path_for(Path("work/billing.yaml")) == Path("work/billing-memo.html")


def test_progress_counts_only_questions_that_apply(bank: Bank, tmp_path: Path) -> None:
    answers = new_answers(bank, "T", None, TODAY, tmp_path / "a.yaml")
    session = Session(answers)
    assert str(session.progress("freeze")) == "How · 5 of about 7"
    change = session.record("shares_data", Answer("known", False))
    assert change.dropped == ["sync_cost"] and change.appeared == []
    assert str(session.progress("freeze")) == "How · 4 of about 6"
    change = session.record("shares_data", Answer("unknown"))
    assert change.appeared == ["sync_cost"]
