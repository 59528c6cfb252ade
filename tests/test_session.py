"""The assessment flow without a terminal: a scripted asker stands in for the person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import mini_bank_with

from rewrite_advisor.answers import Answer, load_answers
from rewrite_advisor.bank import Bank, Question, Rule, Section, load_bank
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
        table: dict[str, Answer | list[Answer]],
        reviews: list[str | None] | None = None,
        interrupt_at: str | None = None,
        name: str = "",
        keep: list[bool] | None = None,
    ):
        self.table = dict(table)
        self.name = name
        self.keep = list(keep or [])
        self.began: list[list[str]] = []
        self.events: list[str] = []
        self.conflicts: list[tuple[str, str, list[str]]] = []
        self.reviews = list(reviews or [])
        self.interrupt_at = interrupt_at
        self.asked: list[str] = []
        self.progress: list[str] = []
        self.told: list[str] = []
        self.sections: list[str] = []
        self.defaults: dict[str, Answer | None] = {}

    def begin(self, lines: list[str]) -> None:
        self.began.append(lines)
        self.events.append("begin")

    def ask_title(self, default: str) -> str:
        self.events.append("title")
        return "Billing rewrite"

    def ask_participant(self) -> str:
        self.events.append("name")
        return self.name

    def keep_conflict(self, question: Question, answer: str, rules: list[Rule]) -> bool:
        self.conflicts.append((question.id, answer, [r.id for r in rules]))
        return self.keep.pop(0) if self.keep else True

    def start_section(self, section: Section) -> None:
        self.sections.append(section.id)

    def ask(
        self, question: Question, progress: Progress, current: Answer | None, currency: str
    ) -> Answer:
        if question.id == self.interrupt_at:
            raise KeyboardInterrupt
        self.events.append(question.id)
        self.asked.append(question.id)
        self.progress.append(str(progress))
        self.defaults[question.id] = current
        answer = self.table[question.id]
        return answer.pop(0) if isinstance(answer, list) else answer

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


# --- the first minutes of a new user --------------------------------------------------------


def test_a_new_file_introduces_the_bank_then_asks_title_and_name(
    bank: Bank, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    asker = ScriptedAsker(FULL, name="  Ana   Souza ")
    run(bank, path, asker, today=TODAY)
    assert asker.events[:4] == ["begin", "title", "name", "motive"]
    intro = asker.began[0]
    assert intro[0] == "Mini bank (mini 1.0)"
    assert (
        intro[-1] == f"Up to 7 questions in 2 sections (some apply only to some kinds of rewrite). "
        f"Your answers go to {path}."
    )
    assert load_answers(path, bank).participants == ["Ana Souza"]


def test_enter_skips_the_name_and_participant_asks_no_name(bank: Bank, tmp_path: Path) -> None:
    skipped = ScriptedAsker(FULL, name="")
    run(bank, tmp_path / "a.yaml", skipped, today=TODAY)
    assert load_answers(tmp_path / "a.yaml", bank).participants == []
    given = ScriptedAsker(FULL, name="never used")
    run(bank, tmp_path / "b.yaml", given, today=TODAY, participant="Bo")
    assert "name" not in given.events
    assert load_answers(tmp_path / "b.yaml", bank).participants == ["Bo"]


def test_a_resumed_file_is_introduced_but_asks_no_title_or_name(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    with pytest.raises(Interrupted):
        run(bank, path, ScriptedAsker(FULL, interrupt_at="shares_data"), today=TODAY)
    asker = ScriptedAsker(FULL)
    run(bank, path, asker, today=TODAY)
    assert asker.events[:2] == ["begin", "shares_data"]
    assert asker.began == [[f"Mini bank (mini 1.0): {path}"]]


def test_resuming_a_finished_file_says_everything_is_answered(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    run(bank, path, ScriptedAsker(FULL), today=TODAY)
    for review in (False, True):
        asker = ScriptedAsker(FULL)
        run(bank, path, asker, today=TODAY, review=review)
        assert asker.asked == []
        assert asker.told == [
            f"{path}: all 7 questions that apply are answered. "
            "Pick an answer to change, or Finish for the verdict."
        ]


def test_review_of_an_unfinished_file_says_what_finish_does(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    with pytest.raises(Interrupted):
        run(bank, path, ScriptedAsker(FULL, interrupt_at="freeze"), today=TODAY)

    class Reviewing(ScriptedAsker):
        def review(self, items: list[ReviewItem]) -> str | None:
            self.items = items
            return super().review(items)

    asker = Reviewing(FULL)
    run(bank, path, asker, today=TODAY, review=True)
    assert asker.told[0] == (
        f"{path}: 4 answered, 3 still open. Pick an answer to change; "
        "Finish asks the 3 open questions, then gives the verdict."
    )
    assert [i.question.id for i in asker.items if i.open] == ["freeze", "go_live", "story"]
    assert asker.asked == ["freeze", "go_live", "story"], "Finish asked the open questions"


@pytest.fixture
def dated_bank(tmp_path: Path) -> Bank:
    """The mini bank with a second date and a rule that compares the two."""
    return load_bank(
        mini_bank_with(
            tmp_path / "dated",
            before="story",
            question="      - id: last_client\n"
            "        type: date\n"
            "        text: When does the last client move?\n"
            "        help: The end of two systems.\n",
            rule="  - id: last-before-first\n"
            "    section: how\n"
            "    severity: high\n"
            "    title: The last client moves before the first\n"
            "    why: One of the dates is wrong.\n"
            "    action: Correct the dates.\n"
            "    when: {question: last_client, lt: {question: go_live}}\n",
        )
    )


def test_a_date_before_the_one_it_follows_is_caught_at_once(
    dated_bank: Bank, tmp_path: Path
) -> None:
    early, late = Answer("known", dt.date(2027, 1, 1)), Answer("known", dt.date(2027, 9, 1))
    path = tmp_path / "a.yaml"
    asker = ScriptedAsker({**FULL, "last_client": [early, late]}, keep=[False])
    run(dated_bank, path, asker, today=TODAY)
    assert asker.conflicts == [("last_client", "2027-01-01", ["last-before-first"])]
    assert asker.asked.count("last_client") == 2, "asked again, the first answer offered"
    assert asker.defaults["last_client"] == early
    assert load_answers(path, dated_bank).given["last_client"].value == late.value


def test_a_conflicting_date_can_be_kept(dated_bank: Bank, tmp_path: Path) -> None:
    early = Answer("known", dt.date(2027, 1, 1))
    path = tmp_path / "a.yaml"
    asker = ScriptedAsker({**FULL, "last_client": early}, keep=[True])
    run(dated_bank, path, asker, today=TODAY)
    assert len(asker.conflicts) == 1 and asker.asked.count("last_client") == 1
    assert load_answers(path, dated_bank).given["last_client"].value == early.value


def test_conflicts_come_from_the_bank_rules_not_from_question_ids() -> None:
    bank = load_bank()
    answers = new_answers(bank, "T", None, TODAY, Path("a.yaml"))
    answers.given["first_switch_date"] = Answer("known", dt.date(2027, 6, 1))
    answers.given["switch_off_date"] = Answer("known", dt.date(2027, 1, 1))
    session = Session(answers)
    assert [r.id for r in session.conflicts("switch_off_date")] == ["switch-dates-contradict"]
    assert [r.id for r in session.conflicts("first_switch_date")] == ["switch-dates-contradict"]
    answers.given["switch_off_date"] = Answer("known", dt.date(2027, 12, 1))
    assert session.conflicts("switch_off_date") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("120k", 120000),
        ("$120,000", 120000),
        ("120,000 USD", 120000),
        ("€ 1.2m // estimate", 1200000),
        ("120 000", 120000),
        ("1.5 million", 1500000),
    ],
)
def test_money_is_read_as_people_write_it(bank: Bank, text: str, value: int) -> None:
    currency = "EUR" if "€" in text else "USD"
    reply = parse_typed(bank.questions["sync_cost"], text, currency)
    assert reply.value == value


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("sync_cost", "$120,000", "amounts here are in EUR, not $"),
        ("sync_cost", "1,5", "a comma or a space separates thousands"),
        ("freeze", "3 weeks", "the answer is in months, not in weeks"),
        ("freeze", "2k", "expected a number of months"),
        # issue 19 J: the most typed duration, with what to write instead
        ("freeze", "1.5 years", "the answer is in months: write 18 for '1.5 years'"),
        # what is not a number gets an example of what is
        (
            "freeze",
            "about 4",
            "expected a number, got 'about 4': write a number, such as 18 or 18 months",
        ),
        (
            "sync_cost",
            "a lot",
            "expected a number, got 'a lot': write a number, such as 120000, 120,000 or 120k",
        ),
    ],
)
def test_written_numbers_that_do_not_fit(bank: Bank, qid: str, text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_typed(bank.questions[qid], text, "EUR")
    assert message in str(caught.value)


def test_a_number_with_its_unit_is_understood(bank: Bank) -> None:
    assert parse_typed(bank.questions["freeze"], "18 months", "EUR").value == 18


def test_two_amounts_weighed_by_a_rule_are_not_a_contradiction() -> None:
    bank = load_bank()
    answers = new_answers(bank, "T", None, TODAY, Path("a.yaml"))
    for qid, value in (("data_moves", "per_group"), ("sync_direction", "one_way")):
        answers.given[qid] = Answer("known", value)
    answers.given["sync_build_cost"] = Answer("known", 500_000)
    answers.given["sync_no_build_cost"] = Answer("known", 100_000)
    session = Session(answers)
    assert session.conflicts("sync_build_cost") == []


@pytest.fixture
def budget_bank(tmp_path: Path) -> Bank:
    """The mini bank with a budget, and a rule that weighs the synchronizer's cost against it."""
    return load_bank(
        mini_bank_with(
            tmp_path / "budget",
            before="freeze",
            question="      - id: budget\n"
            "        type: number\n"
            "        unit: money\n"
            "        text: What is the approved budget?\n"
            "        help: What leadership said yes to.\n",
            rule="  - id: sync-over-budget\n"
            "    section: how\n"
            "    severity: high\n"
            "    title: The synchronizer alone costs more than the budget\n"
            "    why: The money runs out.\n"
            "    action: Find the money or a cheaper way.\n"
            "    when: {question: sync_cost, gt: {question: budget}}\n"
            "  - id: sync-within-budget\n"
            "    section: how\n"
            "    severity: strength\n"
            "    title: The synchronizer fits the budget\n"
            "    why: Costed.\n"
            "    action: Keep it so.\n"
            "    when: {question: sync_cost, lte: {question: budget}}\n",
        )
    )


SYNC_OVER_BUDGET = (
    "With an earlier answer, this one makes a high finding: The synchronizer alone costs more "
    "than the budget. The memo will list it; to change either answer, pick it in the review at "
    "the end."
)


def test_two_amounts_that_make_a_finding_are_pointed_out_when_the_second_is_given(
    budget_bank: Bank, tmp_path: Path
) -> None:
    """Issue 19 (second trial): the README says clashing answers are pointed out at once, but
    a cost above the budget was not: only two dates were compared while answering."""
    path = tmp_path / "a.yaml"
    asker = ScriptedAsker({**FULL, "budget": Answer("known", 100_000)})  # sync_cost: 120,000
    run(budget_bank, path, asker, today=TODAY)
    assert asker.told.count(SYNC_OVER_BUDGET) == 1
    assert asker.asked.count("budget") == 1, "a finding is not a slip: the answer is kept"
    assert asker.conflicts == []
    assert load_answers(path, budget_bank).given["budget"].value == 100_000


def test_a_finding_that_does_not_hold_or_a_strength_is_not_pointed_out(
    budget_bank: Bank, tmp_path: Path
) -> None:
    asker = ScriptedAsker({**FULL, "budget": Answer("known", 500_000)})
    run(budget_bank, tmp_path / "a.yaml", asker, today=TODAY)
    assert not [t for t in asker.told if "finding" in t]


def test_every_two_answer_finding_of_the_bundled_bank_is_decided_by_either_answer() -> None:
    bank = load_bank()
    answers = new_answers(bank, "T", None, TODAY, Path("a.yaml"))
    session = Session(answers)
    given = answers.given
    given["total_cost"] = Answer("known", 2_000_000)
    given["budget"] = Answer("known", 1_500_000)
    assert [r.id for r in session.findings_between("budget")] == ["cost-over-budget"]
    assert [r.id for r in session.findings_between("total_cost")] == ["cost-over-budget"]
    given["budget"] = Answer("known", 3_000_000)  # within it: a strength, said in the memo
    assert session.findings_between("budget") == []
    # A comparison inside a larger condition: decided once the rest is given too.
    given["first_switch_date"] = Answer("known", dt.date(2027, 3, 1))
    given["new_clients_date"] = Answer("known", dt.date(2027, 9, 1))
    assert session.findings_between("new_clients_date") == []  # how customers move: not given
    given["moves"] = Answer("known", "accounts")
    assert [r.id for r in session.findings_between("new_clients_date")] == [
        "migration-before-new-clients"
    ]
    assert [r.id for r in session.findings_between("moves")] == ["migration-before-new-clients"]
    # Two amounts weighed by a rule, once data is kept in step.
    for qid, value in (("data_moves", "per_group"), ("sync_direction", "one_way")):
        given[qid] = Answer("known", value)
    given["sync_build_cost"] = Answer("known", 500_000)
    given["sync_no_build_cost"] = Answer("known", 100_000)
    assert [r.id for r in session.findings_between("sync_build_cost")] == [
        "sync-costs-more-than-going-without"
    ]
    # A contradiction is asked again (conflicts), not also told as a finding.
    given["switch_off_date"] = Answer("known", dt.date(2027, 1, 1))
    assert [r.id for r in session.conflicts("switch_off_date")] == ["switch-dates-contradict"]
    assert "switch-dates-contradict" not in [
        r.id for r in session.findings_between("switch_off_date")
    ]


@pytest.fixture
def besides_bank(tmp_path: Path) -> Bank:
    """The mini bank with other motives, asked besides the main one."""
    return load_bank(
        mini_bank_with(
            tmp_path / "besides",
            before="goals",
            question="      - id: other_motives\n"
            "        type: multi\n"
            "        besides: motive\n"
            "        text: Which other motives weigh as well?\n"
            "        help: Motives are often mixed.\n"
            "        choices:\n"
            "          - {value: customer, label: A customer problem}\n"
            "          - {value: fashion, label: New technology}\n"
            "          - {value: none, label: No other, exclusive: true}\n",
        )
    )


def test_other_motives_do_not_offer_the_main_one_again(besides_bank: Bank, tmp_path: Path) -> None:
    """Issue 19 (second trial): after the main goal, 'other goals' offered it again."""
    offered: list[list[str]] = []

    class Recording(ScriptedAsker):
        def ask(self, question, progress, current, currency):  # type: ignore[no-untyped-def]
            if question.id == "other_motives":
                offered.append([c.value for c in question.choices or []])
            return super().ask(question, progress, current, currency)

    asker = Recording({**FULL, "other_motives": Answer("known", ["fashion"])})
    run(besides_bank, tmp_path / "a.yaml", asker, today=TODAY)  # motive: customer
    assert offered == [["fashion", "none"]]
    # Without a main motive known yet, every choice is offered.
    asker = Recording({**FULL, "motive": Answer("unknown"), "other_motives": Answer("unknown")})
    run(besides_bank, tmp_path / "b.yaml", asker, today=TODAY)
    assert offered[-1] == ["customer", "fashion", "none"]


def test_the_summary_lists_no_question_that_cannot_change_the_verdict() -> None:
    """A session ended with "Held at Go with conditions by: - don't know: ..." and then
    "However this question is answered, the verdict is Go with conditions.", and with the
    verdict's stock text about blockers: now the memo's own decision and status sentences."""
    from conftest import EXAMPLES

    answers = load_answers(EXAMPLES / "conditions-search-service.yaml", load_bank())
    unknown = "customer_problem customer_problem_text other_goals schedule_compressed"
    for qid in (
        *unknown.split(),
        "competitor_activity",
        "transition_budget",
        "customer_visible",
        "success_metrics_text",
    ):
        answers.given[qid] = Answer("unknown")
    memo = score(answers, TODAY)
    assert memo.summary is not None and memo.summary.settled
    lines = list(iter_summary(memo))
    assert lines[:6] == [
        "Verdict: Go with conditions (score 63/100: quality 71, known 89%)",
        f"  {memo.summary.decision}",
        f"  {memo.summary.status}",
        "Held at Go with conditions by:",
        "  - Every new feature is built twice, for a long time",
        "  - Overall score 63/100",
    ]
    assert memo.summary.status.startswith("Settled on the answers given: whatever the answer")
    text = "\n".join(lines)
    assert "don't know:" not in text
    assert "However" not in text
    assert "blocker" not in text


def test_the_last_line_counts_answers_as_the_memo_does() -> None:
    """It said "Answered 66 of 66 questions that apply." where the memo said 60 of 66 answered
    and 6 "don't know"."""
    from conftest import EXAMPLES

    memo = score(load_answers(EXAMPLES / "dont-rewrite-fashion.yaml", load_bank()), TODAY)
    assert memo.summary is not None
    known = memo.summary.known
    assert (known.applicable, known.answered, known.dont_know) == (68, 60, 8)
    assert list(iter_summary(memo))[-1] == (
        '68 of 68 questions that apply have an answer: 60 known, 8 "don\'t know".'
    )


def test_the_last_line_counts_dont_know_apart_with_scoring_model_1(
    bank: Bank, tmp_path: Path
) -> None:
    answers = new_answers(bank, "T", None, TODAY, tmp_path / "a.yaml")
    answers.given.update({**FULL, "motive": Answer("unknown")})
    del answers.given["story"]
    lines = list(iter_summary(score(answers, TODAY)))
    assert lines[-1] == '6 of 7 questions that apply have an answer: 5 known, 1 "don\'t know".'


def test_a_percentage_that_is_not_a_number_gets_an_example() -> None:
    full = load_bank()
    with pytest.raises(ValueError) as caught:
        parse_typed(full.questions["maintenance_share"], "about 40%", "EUR")
    assert str(caught.value) == (
        "expected a number, got 'about 40%': write a number, such as 40 or 40%"
    )
