"""The answer form in a real browser: keyboard, branching, autosave, files, safety, a11y.

Every test opens the generated page from file:// in headless Chromium, as a participant
would open an attachment, and fails if the page logs an error or breaks its policy. The
answers files it saves go to ``report`` and ``workshop`` exactly as downloaded.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser import DESKTOP, PHONE, SCREENSHOTS, FormPage
from conftest import EXAMPLES, FIXTURES, MINI_BANK
from test_hostile import HOSTILE

from rewrite_advisor import session, workshop, yamlio
from rewrite_advisor.answers import Answer, Answers, load_answers, resolve_view
from rewrite_advisor.bank import Bank, Question, load_bank
from rewrite_advisor.conditions import questions_in
from rewrite_advisor.form import build_form

BRANCHING = FIXTURES / "branching"
pytestmark = pytest.mark.timeout(300)


def write_form(folder: Path, bank_dir: Path | None = None, **options: Any) -> tuple[Bank, Path]:
    bank = load_bank(bank_dir)
    path = folder / "form.html"
    path.write_text(build_form(bank, **options).html, encoding="utf-8")
    return bank, path


def report(run, path: Path, bank_dir: Path | None = None, *more: Path) -> dict[str, Any]:
    args = ["report", path, *more, "--format", "json"]
    if bank_dir is not None:
        args += ["--bank", bank_dir]
    result = run(*args)
    assert result.code == 0, result.err
    memo: dict[str, Any] = json.loads(result.out)
    return memo


def same_answers(a: Answers, b: Answers) -> None:
    assert set(a.given) == set(b.given)
    for qid, answer in a.given.items():
        other = b.given[qid]
        assert (answer.state, answer.value, answer.note, answer.confidence) == (
            other.state,
            other.value,
            other.note,
            other.confidence,
        ), qid


# --- a whole assessment by keyboard ---------------------------------------------------------


@dataclass
class Step:
    """One question as the keyboard test answers it."""

    question: Question
    answer: Answer
    wrong: str | None = None
    first: Any = None
    """A value chosen first (it hides a later question) before ``answer``'s (which shows it)."""
    hides: str | None = None


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)

    def given(self) -> dict[str, Answer]:
        return {step.question.id: step.answer for step in self.steps}


def option_values(question: Question) -> list[Any]:
    if question.type == "yesno":
        return [True, False]
    return [c.value for c in question.choices or []]


def make_plan(bank: Bank) -> Plan:
    """Answer every question that applies, in order, from the bank's data alone.

    One yes/no or single-choice question is answered twice: first with a value that hides a
    later question, then with one that shows it. One number is typed wrong first, one answer
    carries a note and a confidence, one typed and one listed question are "don't know".
    """
    plan = Plan()
    flags = {"flip": False, "wrong": False, "note": False, "dk_typed": False, "dk_list": False}
    for index, question in enumerate(bank.questions.values()):
        view = resolve_view(bank, plan.given())
        if not question.applies(view):
            continue
        step = Step(question, Answer("known", value_for(question, index)))
        if question.type in ("yesno", "single") and not flags["flip"]:
            flip = find_flip(bank, question, plan.given())
            if flip is not None:
                step.first, shown, step.hides = flip
                step.answer = Answer("known", shown)
                flags["flip"] = True
        elif question.type == "number" and not flags["wrong"]:
            step.wrong = "12x"
            step.answer = Answer("known", step.answer.value, "From the two-team plan", "estimate")
            flags["wrong"] = flags["note"] = True
        elif question.type in ("number", "date", "text") and not flags["dk_typed"]:
            step.answer = Answer("unknown")
            flags["dk_typed"] = True
        elif question.type == "single" and question.critical and not flags["dk_list"]:
            step.answer = Answer("unknown")
            flags["dk_list"] = True
        plan.steps.append(step)
    assert all(flags.values()), f"the bank lacks what the keyboard test needs: {flags}"
    return plan


def value_for(question: Question, index: int) -> Any:
    values = option_values(question)
    if question.type == "yesno":
        return index % 3 != 1
    if question.type == "single":
        return values[index % len(values)]
    if question.type == "multi":
        normal = [c.value for c in question.choices or [] if not c.exclusive]
        return normal[:2]
    if question.type == "number":
        low = int(question.min) if question.min is not None else 0
        value = low + index % 7 + 1
        return min(value, int(question.max)) if question.max is not None else value
    if question.type == "date":
        return dt.date(2027, 1, 1) + dt.timedelta(days=index * 9)
    return f"Answer to {question.id}, typed in the browser"


def find_flip(bank: Bank, gate: Question, given: dict[str, Answer]) -> tuple[Any, Any, str] | None:
    """Two values of ``gate``: one that hides a later question, one that shows it."""
    for later in bank.questions.values():
        if later.when is None or gate.id not in questions_in(later.when):
            continue
        outcome = {}
        for value in option_values(gate):
            view = resolve_view(bank, {**given, gate.id: Answer("known", value)})
            outcome[value] = later.applies(view)
        hide = next((v for v, shown in outcome.items() if not shown), None)
        show = next((v for v, shown in outcome.items() if shown), None)
        if hide is not None and show is not None:
            return hide, show, later.id
    return None


class Keyboard:
    """Drive the form with the keyboard only: Tab, Shift+Tab, arrows, Space, Enter, typing."""

    def __init__(self, form: FormPage):
        self.form = form
        self.page = form.page
        self.tabs = 0

    def active(self, selector: str) -> bool:
        return bool(self.page.evaluate("s => document.activeElement.matches(s)", selector))

    def tab_to(self, selector: str, limit: int = 30) -> None:
        for _ in range(limit):
            if self.active(selector):
                return
            self.page.keyboard.press("Tab")
            self.tabs += 1
        assert self.active(selector), f"Tab did not reach {selector} in {limit} presses"

    def radios(self, question: Question) -> list[str]:
        values = ["yes", "no"] if question.type == "yesno" else option_values(question)
        return [*values, ""]

    def pick(self, question: Question, value: Any) -> None:
        """In a focused radio group, move to ``value`` (None: "Don't know") with the arrows."""
        target = (
            "" if value is None else ("yes" if value is True else "no" if value is False else value)
        )
        names = self.radios(question)
        if not self.page.evaluate("() => document.activeElement.checked"):
            self.page.keyboard.press("Space")
        here = self.page.evaluate("() => document.activeElement.value")
        for _ in range((names.index(target) - names.index(here)) % len(names)):
            self.page.keyboard.press("ArrowDown")
        checked = self.page.locator(f"#q-{question.id} input:checked")
        assert checked.get_attribute("value") == target

    def answer(self, step: Step, bank: Bank) -> None:
        question, answer = step.question, step.answer
        qid = question.id
        if question.type in ("single", "yesno"):
            self.tab_to(f"#q-{qid} input[type=radio]")
            if step.first is not None:
                self.pick(question, step.first)
                assert not self.form.visible(step.hides or ""), "the answer should hide a question"
            self.pick(question, answer.value if answer.state == "known" else None)
            if step.hides:
                assert self.form.visible(step.hides), "the answer should show the question again"
        elif question.type == "multi":
            ticks = answer.value if answer.state == "known" else [""]
            for value in ticks:
                self.tab_to(f'#q-{qid} input[value="{value}"]')
                self.page.keyboard.press("Space")
        elif answer.state == "unknown":
            self.tab_to(f"#dk-{qid}")
            self.page.keyboard.press("Space")
            assert self.page.is_disabled(f"#in-{qid}")
        else:
            self.tab_to(f"#in-{qid}")
            if step.wrong:
                self.page.keyboard.type(step.wrong)
                message = self.page.text_content(f"#err-{qid}")
                with pytest.raises(ValueError) as python:  # as assess reads it typed
                    question.cast_typed(step.wrong)
                assert message == str(python.value)
                assert self.page.get_attribute(f"#in-{qid}", "aria-invalid") == "true"
                self.page.keyboard.press("Control+A")
            value = (
                answer.value.isoformat() if isinstance(answer.value, dt.date) else str(answer.value)
            )
            self.page.keyboard.type(value)
            assert self.page.is_hidden(f"#err-{qid}")
        if answer.note:
            self.tab_to(f"#notebox-{qid} > summary")
            self.page.keyboard.press("Enter")
            self.tab_to(f"#note-{qid}")
            self.page.keyboard.type(answer.note)
            self.tab_to(f"#conf-{qid}")
            for _ in range(["", "sure", "estimate", "guess"].index(answer.confidence or "")):
                self.page.keyboard.press("ArrowDown")
            assert self.page.input_value(f"#conf-{qid}") == answer.confidence


DOWN, ENTER, BACKSPACE = "\x1b[B", "\r", "\x7f"


def assess_keys(plan: Plan, title: str) -> str:
    """The same answers as keystrokes for ``assess``'s terminal prompts (see test_assess_prompt)."""
    keys = [title + ENTER]
    for step in plan.steps:
        question, answer = step.question, step.answer
        values = option_values(question)
        if question.type in ("single", "yesno"):
            # "Don't know" is the last entry, after a separator the arrows skip.
            index = len(values) if answer.state == "unknown" else values.index(answer.value)
            keys.append(DOWN * index + ENTER)
        elif question.type == "multi":
            ticks = (
                [len(values)]
                if answer.state == "unknown"
                else [values.index(v) for v in answer.value]
            )
            here = 0
            for tick in sorted(ticks):
                keys.append(DOWN * (tick - here) + " ")
                here = tick
            keys.append(ENTER)
        else:
            if step.wrong:
                keys.append(step.wrong + ENTER + BACKSPACE * len(step.wrong))
            value = answer.value.isoformat() if isinstance(answer.value, dt.date) else answer.value
            head = "dk" if answer.state == "unknown" else str(value)
            tail = f" // {answer.confidence}, {answer.note}" if answer.note else ""
            keys.append(head + tail + ENTER)
    keys.append(ENTER)  # the review menu: Finish
    return "".join(keys)


def assess_in_terminal(bank: Bank, plan: Plan, path: Path, title: str, participant: str) -> Answers:
    """Answer ``plan`` through assess's real prompts, keystroke by keystroke.

    In a thread of its own: the prompts run an event loop, and so does Playwright's.
    """
    from concurrent.futures import ThreadPoolExecutor

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from rewrite_advisor import prompt

    def answer() -> Answers:
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text(assess_keys(plan, title))
            return session.run(
                bank, path, prompt.Terminal(), today=dt.date.today(), participant=participant
            )

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(answer).result(timeout=120)


def test_a_whole_assessment_by_keyboard_gives_the_verdict_assess_gives(
    form_page, run, tmp_path: Path
) -> None:
    bank, path = write_form(tmp_path, title="Replace the billing engine")
    plan = make_plan(bank)
    form = form_page(path)
    keys = Keyboard(form)
    for step in plan.steps:
        keys.answer(step, bank)
    # The form shows exactly the questions that apply, as Python works them out.
    view = resolve_view(bank, plan.given())
    shown = {q: form.visible(q) for q in bank.questions}
    expected = {q: view.state(q) != "skipped" for q in bank.questions}
    assert shown == expected
    assert form.page.text_content("#progress").endswith(f"· {len(plan.steps)} answered")

    keys.tab_to("#to-review", limit=40)
    form.page.keyboard.press("Enter")
    assert keys.active("#review-h")
    summary = form.page.text_content("#review-summary")
    unknown = sum(1 for s in plan.steps if s.answer.state == "unknown")
    assert (
        summary
        == f'{len(plan.steps)} of about {len(plan.steps)} questions answered ({unknown} of them "don\'t know").'
    )
    keys.tab_to("#participant", limit=3 * len(plan.steps))
    form.page.keyboard.type("Ana Keyboard")
    keys.tab_to("#save")
    with form.page.expect_download() as download:
        form.page.keyboard.press("Enter")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "ana-keyboard.yaml"

    assess_file = tmp_path / "assess.yaml"
    typed = assess_in_terminal(
        bank, plan, assess_file, "Replace the billing engine", "Ana Keyboard"
    )
    assert report(run, saved)["verdict"] == report(run, assess_file)["verdict"]
    browser_answers = load_answers(saved, bank)
    same_answers(browser_answers, typed)
    assert (browser_answers.title, browser_answers.participants) == (
        typed.title,
        typed.participants,
    )
    assert form.requests == [form.url]


# --- nothing typed is lost ------------------------------------------------------------------------


def test_a_reload_in_the_middle_loses_nothing(form_page, tmp_path: Path) -> None:
    bank, path = write_form(tmp_path, MINI_BANK)
    form = form_page(path)
    page = form.page
    single = next(q for q in bank.questions.values() if q.type == "single")
    multi = next(q for q in bank.questions.values() if q.type == "multi")
    number = next(q for q in bank.questions.values() if q.type == "number" and q.when is None)
    text = next(q for q in bank.questions.values() if q.type == "text")
    page.check(f'#q-{single.id} input[value="{option_values(single)[1]}"]')
    page.check(f'#q-{multi.id} input[value="{option_values(multi)[0]}"]')
    page.fill(f"#in-{number.id}", "7 months?")
    page.click(f"#notebox-{text.id} > summary")
    page.fill(f"#note-{text.id}", "half a thought, not finished")
    page.select_option(f"#conf-{text.id}", "guess")
    page.fill(f"#in-{text.id}", "A letter to every customer")
    form.reload()
    assert page.is_checked(f'#q-{single.id} input[value="{option_values(single)[1]}"]')
    assert page.is_checked(f'#q-{multi.id} input[value="{option_values(multi)[0]}"]')
    assert page.input_value(f"#in-{number.id}") == "7 months?"
    with pytest.raises(ValueError) as typed:  # the message assess gives at the prompt
        number.cast_typed("7 months?")
    assert page.text_content(f"#err-{number.id}") == str(typed.value)
    assert page.input_value(f"#note-{text.id}") == "half a thought, not finished"
    assert page.input_value(f"#conf-{text.id}") == "guess"
    assert page.get_attribute(f"#notebox-{text.id}", "open") is not None
    assert page.input_value(f"#in-{text.id}") == "A letter to every customer"
    assert "Welcome back" in page.text_content("#status")
    # A closed tab and a new one: the same.
    again = form.context.new_page()
    again.goto(form.url)
    again.wait_for_selector("html.ready")
    assert again.input_value(f"#in-{number.id}") == "7 months?"


def test_a_question_that_stops_applying_keeps_its_answer(form_page, run, tmp_path: Path) -> None:
    bank, path = write_form(tmp_path, MINI_BANK)
    dependent = next(
        q for q in bank.questions.values() if q.when is not None and q.type == "number"
    )
    gate = bank.questions[questions_in(dependent.when)[0]]
    assert gate.type == "yesno"
    show = next(
        v
        for v in (True, False)
        if dependent.applies(resolve_view(bank, {gate.id: Answer("known", v)}))
    )
    form = form_page(path)
    page = form.page
    page.check(f'#q-{gate.id} input[value="{"yes" if show else "no"}"]')
    page.fill(f"#in-{dependent.id}", "5000")
    page.check(f'#q-{gate.id} input[value="{"no" if show else "yes"}"]')
    assert not form.visible(dependent.id)
    assert "No longer asked" in page.text_content("#announce")
    page.click("#to-review")
    assert page.text_content("#review-kept").startswith(
        "One answer to a question that no longer applies is kept"
    )
    page.fill("#participant", "Ana")
    saved = form.save(tmp_path)
    assert yamlio.read(saved).data["answers"][dependent.id] == 5000
    memo = report(run, saved, MINI_BANK)
    assert memo["answered"] < len(bank.questions)
    page.click("#back")
    page.check(f'#q-{gate.id} input[value="{"yes" if show else "no"}"]')
    assert page.input_value(f"#in-{dependent.id}") == "5000"


# --- loading and saving files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "example",
    sorted(
        str(p.relative_to(EXAMPLES))
        for p in [*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("shapes/*.yaml")]
    ),
)
def test_loading_an_example_shows_every_answer_and_saves_it_back(
    form_page, run, tmp_path: Path, example: str
) -> None:
    bank, path = write_form(tmp_path)
    form = form_page(path)
    page = form.page
    source = EXAMPLES / example
    answers = load_answers(source, bank)
    form.load(source)
    assert page.text_content("#status").startswith(
        f"Loaded {len(answers.given)} answers from {source.name}"
    )
    assert page.text_content("#title") == answers.title
    view = answers.view()
    for qid, answer in answers.given.items():
        question = bank.questions[qid]
        assert form.visible(qid) == (view.state(qid) != "skipped"), qid
        if question.type in ("single", "multi", "yesno"):
            checked = page.eval_on_selector_all(
                f"#q-{qid} input:checked", "xs => xs.map(x => x.value)"
            )
            if answer.state == "unknown":
                assert checked == [""], qid
            elif question.type == "yesno":
                assert checked == ["yes" if answer.value else "no"], qid
            else:
                assert checked == (answer.value if question.type == "multi" else [answer.value]), (
                    qid
                )
        elif answer.state == "unknown":
            assert page.is_checked(f"#dk-{qid}"), qid
        else:
            shown = page.input_value(f"#in-{qid}")
            value = answer.value.isoformat() if isinstance(answer.value, dt.date) else answer.value
            assert shown == (f"{value:g}" if isinstance(value, float) else str(value)), qid
        assert page.input_value(f"#note-{qid}") == (answer.note or ""), qid
        assert page.input_value(f"#conf-{qid}") == (answer.confidence or ""), qid
    page.click("#to-review")
    saved = form.save(tmp_path)
    again = load_answers(saved, bank)
    same_answers(again, answers)
    assert again.participants == answers.participants
    assert report(run, saved)["verdict"] == report(run, source)["verdict"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"bank": {"id": "other", "version": "1.0"}},
            "these answers are for the question bank 'other', not 'mini'",
        ),
        (
            {"bank": {"id": "mini", "version": "9.9"}},
            "these answers were made with version 9.9 of the question bank, but this form asks version 1.0 (the facilitator can make a form that starts from this file)",
        ),
        ({"answers": {"nope": 1}}, "unknown question 'nope'"),
        ({"answers": {"freeze": 99}}, "freeze: must be at most 60"),
        (
            {"answers": {"motive": "boredom"}},
            "motive: 'boredom' is not one of the choices: customer, fashion",
        ),
        (
            {"answers": {"freeze": {"value": 2, "dont_know": True}}},
            "answers.freeze: an answer cannot have both a value and dont_know: true",
        ),
        ({"kind": "something-else"}, "this is not an answers file (kind is 'something-else')"),
        (
            {"workshop": {"sources": []}},
            "this is a team file from 'rewrite-advisor workshop'; load one person's answers file",
        ),
    ],
)
def test_a_file_that_does_not_fit_is_refused_and_changes_nothing(
    form_page, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    _, path = write_form(tmp_path, MINI_BANK)
    form = form_page(path)
    form.page.fill("#in-story", "typed before the load")
    data = yamlio.read(FIXTURES / "mini-answers.yaml").data | change
    bad = tmp_path / "bad.yaml"
    bad.write_text(yamlio.dump(data), encoding="utf-8")
    form.load(bad)
    assert form.page.text_content("#status") == f"bad.yaml: {message}. Nothing was changed."
    assert form.page.input_value("#in-story") == "typed before the load"
    assert form.dialogs == []


def test_a_broken_yaml_file_is_refused_with_its_line(form_page, tmp_path: Path) -> None:
    _, path = write_form(tmp_path, MINI_BANK)
    form = form_page(path)
    bad = tmp_path / "broken.yaml"
    bad.write_text("kind: rewrite-advisor/answers\nanswers:\n  freeze: [2\n", encoding="utf-8")
    form.load(bad)
    assert (
        form.page.text_content("#status")
        == "broken.yaml: line 3: a [ list is not closed. Nothing was changed."
    )


def test_from_starts_the_form_with_the_answers_and_the_browser_keeps_its_own(
    form_page, tmp_path: Path
) -> None:
    _, path = write_form(
        tmp_path,
        MINI_BANK,
        start=load_answers(FIXTURES / "mini-answers.yaml", load_bank(MINI_BANK)),
        participant="Ben",
    )
    form = form_page(path)
    page = form.page
    assert page.input_value("#in-sync_cost") == "120000"
    assert page.input_value("#note-sync_cost") == "two engineers for a quarter"
    page.fill("#in-sync_cost", "150000")
    form.reload()
    assert page.input_value("#in-sync_cost") == "150000"
    page.click("#start-over")
    assert form.dialogs[-1].startswith("confirm: Clear every answer")
    assert page.input_value("#in-sync_cost") == "120000"
    page.click("#to-review")
    assert page.input_value("#participant") == "Ben"


# --- the workshop: three people, three browsers, one agenda ------------------------------------------


def test_three_people_answer_in_browsers_and_the_agenda_shows_where_they_disagree(
    form_page, run, tmp_path: Path
) -> None:
    bank, path = write_form(tmp_path, title="Replace the billing engine")
    folder = tmp_path / "answers"
    folder.mkdir()
    people = {"Ana Souza": 0, "Ben Okafor": 1, "Carla Mendes": 1}
    for name, choice in people.items():
        form = form_page(path)
        page = form.page
        for index, question in enumerate(bank.questions.values()):
            if not form.visible(question.id):
                continue
            if question.type in ("single", "yesno"):
                values = ["yes", "no"] if question.type == "yesno" else option_values(question)
                page.check(
                    f'#q-{question.id} input[value="{values[(index + choice) % len(values)]}"]'
                )
            elif question.type == "multi":
                page.check(f'#q-{question.id} input[value="{option_values(question)[choice]}"]')
            elif question.type == "number":
                page.fill(f"#in-{question.id}", str(int(question.min or 0) + 3 + 20 * choice))
            elif question.type == "date":
                page.fill(f"#in-{question.id}", f"2027-0{3 + 3 * choice}-01")
            else:
                page.fill(f"#in-{question.id}", f"{name} says so")
        page.click("#to-review")
        page.fill("#participant", name)
        form.save(folder)
    files = sorted(folder.glob("*.yaml"))
    assert [f.name for f in files] == ["ana-souza.yaml", "ben-okafor.yaml", "carla-mendes.yaml"]
    assert [p.name for p in workshop.load_participants(files, bank)] == [
        "Ana Souza",
        "Ben Okafor",
        "Carla Mendes",
    ]
    agenda = tmp_path / "agenda.html"
    result = run("report", *files, "-o", agenda)
    assert result.code == 0, result.err
    assert "Where the team disagrees" in agenda.read_text(encoding="utf-8")


# --- safety ------------------------------------------------------------------------------------------


def hostile_bank(folder: Path) -> Path:
    target = folder / "bank"
    shutil.copytree(MINI_BANK, target)
    data = yamlio.read(target / "bank.yaml").data
    data["title"] = HOSTILE[0]
    section = data["sections"][0]
    section["title"], section["intro"] = HOSTILE[4], HOSTILE[3]
    question = section["questions"][0]
    question["text"], question["help"] = HOSTILE[0], HOSTILE[9]
    question["choices"][0]["label"] = HOSTILE[5]
    (target / "bank.yaml").write_text(yamlio.dump(data), encoding="utf-8")
    return target


def test_a_hostile_bank_and_a_hostile_answers_file_do_nothing(form_page, tmp_path: Path) -> None:
    bank_dir = hostile_bank(tmp_path)
    _, path = write_form(tmp_path, bank_dir, title=HOSTILE[4], participant=HOSTILE[5])
    form = form_page(path)
    page = form.page
    data = yamlio.read(FIXTURES / "mini-answers.yaml").data
    data["title"] = HOSTILE[0] + HOSTILE[1]
    data["participants"] = [HOSTILE[4]]
    data["answers"]["story"] = {"value": "\n".join(HOSTILE), "note": HOSTILE[3] + HOSTILE[9]}
    data["answers"]["sync_cost"]["note"] = HOSTILE[6]
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(yamlio.dump(data), encoding="utf-8")
    form.load(hostile)
    page.click("#to-review")
    counts = page.evaluate(
        "() => ['script', 'img', 'svg', 'iframe', 'a[href^=javascript]'].map(s => document.querySelectorAll(s).length)"
    )
    assert counts == [3, 0, 0, 0, 0]
    assert page.text_content("#title") == HOSTILE[0] + HOSTILE[1]
    assert page.text_content("h2#h-why") == HOSTILE[4]
    review = page.text_content("#review-list")
    assert HOSTILE[0] in review and HOSTILE[6] in review
    assert page.input_value("#participant") == HOSTILE[4]
    assert form.dialogs == []
    saved = form.save(tmp_path)
    assert yamlio.read(saved).data["answers"]["story"]["value"] == "\n".join(HOSTILE)
    assert form.requests == [form.url]


def test_no_request_leaves_the_page(form_page, tmp_path: Path) -> None:
    _, path = write_form(tmp_path, MINI_BANK)
    form = form_page(path)
    form.load(FIXTURES / "mini-answers.yaml")
    for selector in ("#notebox-motive > summary", "#h-why", "#to-review"):
        form.page.click(selector)
    form.page.click(".change >> nth=0")
    form.page.click("#to-review")
    form.save(tmp_path)
    form.reload()
    assert form.requests == [form.url, form.url]
    violations = form.page.evaluate("() => performance.getEntriesByType('resource').length")
    assert violations == 0


def test_typed_numbers_and_dates_are_checked_as_assess_checks_them(
    form_page, tmp_path: Path
) -> None:
    bank, path = write_form(tmp_path, BRANCHING)
    form = form_page(path)
    cases = []
    for question in bank.questions.values():
        if question.type == "number":
            raws = [
                "12x",
                "-1",
                "61",
                "1,000",
                "1_000",
                "1e3",
                "2.5",
                "inf",
                "-nan",
                " 7 ",
                "0x10",
                "+5",
                ".",
            ]
        elif question.type == "date":
            raws = [
                "2027-02-30",
                "2027-13-01",
                "27-1-1",
                "2027-03-01",
                " 2028-02-29 ",
                "2026-02-29",
                "soon",
            ]
        else:
            continue
        for raw in raws:
            try:
                question.cast_typed(raw, bank.meta.currency)
                expected = None
            except ValueError as exc:
                expected = str(exc)
            cases.append((question.id, raw, expected))
    got = form.page.evaluate(
        "cases => cases.map(([id, raw]) => RewriteAdvisorForm.typedError(id, raw))",
        [c[:2] for c in cases],
    )
    assert [(c[0], c[1], g) for c, g in zip(cases, got, strict=True)] == cases


# Numbers as people type them: one table, read by assess (Python) and by the form (script).
WRITTEN_NUMBERS = [
    "45%",
    "45 %",
    "45 percent",
    "120k",
    "120K",
    "$120,000",
    "120 000 EUR",
    "USD 120000",
    "€120k",
    "1.5m",
    "1.5 million",
    "2.5bn",
    "14 months",
    "14 month",
    "14mo",
    "1 person",
    "6 people",
    "3 weeks",
    "1.5 years",
    "120,000",
    "120'000",
    "1.234.567",
    "1,5",
    "12 34",
    "-3",
    "+5",
    "1e3",
    "inf",
    "-nan",
    "0x10",
    ".",
    ".5",
    "12x",
    "  7  ",
    "7\u00a0months",
    "1" * 400,
    "9" * 20,
    "0.000001",
    "61",
    "abc",
    "",
]


def test_typed_numbers_are_read_as_assess_reads_them(form_page, tmp_path: Path) -> None:
    """The issue's 45%, 120k, $120,000, 1.5m and 14 months: the form takes what assess takes."""
    bank, path = write_form(tmp_path)
    form = form_page(path)
    cases = []
    for question in bank.questions.values():
        if question.type != "number":
            continue
        for raw in WRITTEN_NUMBERS:
            if not raw.strip():
                continue
            try:
                expected: list[Any] = [question.cast_typed(raw, bank.meta.currency), None]
            except ValueError as exc:
                expected = [None, str(exc)]
            cases.append((question.id, raw, expected))
    got = form.page.evaluate(
        "cases => cases.map(([id, raw]) => RewriteAdvisorForm.typedAnswer(id, raw))",
        [c[:2] for c in cases],
    )
    assert [(c[0], c[1], g) for c, g in zip(cases, got, strict=True)] == cases
    kinds = {q.unit for q in bank.questions.values() if q.type == "number"}
    assert {"money", "months", "percent", "people"} <= kinds
    accepted = {(c[0], c[1]) for c in cases if c[2][1] is None}
    money = next(q.id for q in bank.questions.values() if q.unit == "money")
    months = next(q.id for q in bank.questions.values() if q.unit == "months")
    percent = next(q.id for q in bank.questions.values() if q.unit == "percent")
    for wanted in [(percent, "45%"), (money, "120k"), (money, "$120,000"), (money, "1.5m")]:
        assert wanted in accepted
    assert (months, "14 months") in accepted


def test_exclusive_choices_stand_alone(form_page, tmp_path: Path) -> None:
    bank, path = write_form(tmp_path)
    question = next(
        q
        for q in bank.questions.values()
        if q.type == "multi" and any(c.exclusive for c in q.choices or [])
    )
    alone = next(c.value for c in question.choices or [] if c.exclusive)
    normal = [c.value for c in question.choices or [] if not c.exclusive]
    form = form_page(path)
    page = form.page
    box = f"#q-{question.id}"

    def ticked() -> list[str]:
        return list(page.eval_on_selector_all(f"{box} input:checked", "xs => xs.map(x => x.value)"))

    page.check(f'{box} input[value="{normal[0]}"]')
    page.check(f'{box} input[value="{normal[1]}"]')
    assert ticked() == normal[:2]
    page.check(f'{box} input[value="{alone}"]')
    assert ticked() == [alone]
    page.check(f'{box} input[value="{normal[0]}"]')
    assert ticked() == [normal[0]]
    page.check(f"{box} input[data-dont-know]")
    assert ticked() == [""]
    page.check(f'{box} input[value="{alone}"]')
    assert ticked() == [alone]


# --- accessibility and looks -------------------------------------------------------------------


def fill_some(form: FormPage, bank: Bank) -> None:
    """Answer about half of the questions, one wrongly, one with a note."""
    page = form.page
    for index, question in enumerate(list(bank.questions.values())[: len(bank.questions) // 2]):
        if not form.visible(question.id):
            continue
        if question.type in ("single", "yesno"):
            values = ["yes", "no"] if question.type == "yesno" else option_values(question)
            page.check(f'#q-{question.id} input[value="{values[index % len(values)]}"]')
        elif question.type == "multi":
            page.check(f'#q-{question.id} input[value="{option_values(question)[0]}"]')
        elif question.type == "number":
            page.fill(f"#in-{question.id}", "lots")
            page.locator(f"#in-{question.id}").blur()
        elif question.type == "date":
            page.check(f"#dk-{question.id}")
        else:
            page.fill(
                f"#in-{question.id}",
                "Customers cannot reconcile invoices with their usage reports.",
            )
    first = next(iter(bank.questions))
    page.click(f"#notebox-{first} > summary")
    page.fill(f"#note-{first}", "From the support ticket review in October.")
    page.select_option(f"#conf-{first}", "estimate")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_nothing_serious_and_the_screens_are_kept(
    form_page, tmp_path: Path, size: str
) -> None:
    from browser import axe_script

    axe_script()
    bank, path = write_form(tmp_path, title="Replace the billing engine", participant="Ana Souza")
    form = form_page(path, viewport=DESKTOP if size == "desktop" else PHONE, bypass_csp=True)
    page = form.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"form-{size}-first.png"))
    fill_some(form, bank)
    found = {"questions": form.axe()}
    page.screenshot(path=str(SCREENSHOTS / f"form-{size}-answering.png"))
    page.locator(".question.invalid >> nth=0").screenshot(
        path=str(SCREENSHOTS / f"form-{size}-wrong-number.png")
    )
    page.locator(".question:has(details.note[open]) >> nth=0").screenshot(
        path=str(SCREENSHOTS / f"form-{size}-note.png")
    )
    page.click("#to-review")
    found["review"] = form.axe()
    page.screenshot(path=str(SCREENSHOTS / f"form-{size}-review.png"))
    page.screenshot(path=str(SCREENSHOTS / f"form-{size}-review-full.png"), full_page=True)
    serious = {
        where: [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in found[where]
            if v["impact"] in ("serious", "critical")
        ]
        for where in found
    }
    assert serious == {"questions": [], "review": []}
    others = {where: sorted({v["id"] for v in found[where]}) for where in found}
    assert others == {"questions": [], "review": []}
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, "the page scrolls sideways"


def test_saving_waits_for_a_name_and_for_wrong_answers_to_be_fixed(
    form_page, tmp_path: Path
) -> None:
    _, path = write_form(tmp_path, MINI_BANK)
    form = form_page(path)
    page = form.page
    downloads: list[Any] = []
    page.on("download", lambda download: downloads.append(download))
    page.fill("#in-freeze", "99")
    page.click("#to-review")
    page.click("#save")
    assert page.text_content("#participant-err") == (
        "Type your name first: the file must say whose answers these are."
    )
    assert keys_focus(page) == "participant"
    page.fill("#participant", "Ana")
    page.click("#save")
    question = load_bank(MINI_BANK).questions["freeze"]
    assert page.text_content("#save-status") == f'Fix this answer before saving: "{question.text}".'
    assert downloads == []
    page.click(".bad .change")
    assert keys_focus(page) == "in-freeze"
    page.fill("#in-freeze", "9")
    page.click("#to-review")
    saved = form.save(tmp_path)
    assert saved.name == "ana.yaml"
    assert yamlio.read(saved).data["answers"] == {"freeze": 9}


def keys_focus(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement.id"))


def in_view_below_the_bar(page: Any, selector: str) -> bool:
    """Whether the top of ``selector`` is on screen, not under the sticky progress bar."""
    return bool(
        page.evaluate(
            """s => {
                const top = document.querySelector(s).getBoundingClientRect().top;
                const bar = document.querySelector('.bar').getBoundingClientRect().bottom;
                return top >= bar - 1 && top < innerHeight - 40;
            }""",
            selector,
        )
    )


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_skip_link_takes_the_keyboard_to_the_questions(
    form_page, tmp_path: Path, size: str
) -> None:
    """Issue 19: the skip link's target could not take focus, and in the review it was hidden."""
    bank, path = write_form(tmp_path, MINI_BANK)
    form = form_page(path, viewport=DESKTOP if size == "desktop" else PHONE)
    page = form.page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('a.skip')")
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().top") >= 0
    page.keyboard.press("Enter")
    assert keys_focus(page) == "questions"
    assert page.is_visible("#questions")
    assert in_view_below_the_bar(page, "#questions")
    page.keyboard.press("Tab")
    first = next(iter(bank.questions))
    assert page.evaluate(
        f"() => document.getElementById('q-{first}').contains(document.activeElement)"
    )

    # From the review, where the questions are hidden, the link brings them back.
    page.click("#to-review")
    assert page.is_hidden("#questions")
    page.focus("a.skip")
    page.keyboard.press("Enter")
    assert page.is_hidden("#review") and page.is_visible("#questions")
    assert keys_focus(page) == "questions"
    assert in_view_below_the_bar(page, "#questions")


def test_every_form_has_a_submit_button_and_submitting_saves_without_leaving(
    form_page, tmp_path: Path
) -> None:
    """Issue 19 (pa11y H32.2): the form had no submit button. Saving is the save form's submit:
    Enter in the name field saves as the button does, and the page stays where it is."""
    _, path = write_form(tmp_path, MINI_BANK)
    form = form_page(path)
    page = form.page
    forms = page.evaluate(
        "() => [...document.forms].map(f => f.id + ': ' + f.querySelectorAll("
        "'button[type=submit], button:not([type]), input[type=submit], input[type=image]'"
        ").length)"
    )
    assert forms == ["save-form: 1"]
    assert page.get_attribute("#save", "type") == "submit"

    # Enter in an answer does not leave the questions.
    page.fill("#in-freeze", "9")
    page.press("#in-freeze", "Enter")
    assert page.is_visible("#questions") and page.is_hidden("#review")

    page.click("#to-review")
    page.fill("#participant", "Ana")
    with page.expect_download() as info:
        page.press("#participant", "Enter")
    assert info.value.suggested_filename == "ana.yaml"
    assert page.text_content("#save-status").startswith("Saved ana.yaml")
    assert page.url == form.url and page.is_visible("#review")
    saved = tmp_path / "ana.yaml"
    info.value.save_as(saved)
    assert yamlio.read(saved).data["answers"] == {"freeze": 9}
    with page.expect_download() as again:
        page.click("#save")
    assert again.value.suggested_filename == "ana.yaml"
    assert page.url == form.url


def test_a_form_started_from_an_earlier_bank_version_opens_with_what_carried_over(
    form_page, run, tmp_path: Path
) -> None:
    old = FIXTURES / "bank-1.0.0" / "go-billing-strangler.yaml"
    path = tmp_path / "form.html"
    assert run("form", "--from", old, "-o", path).code == 0
    form = form_page(path)
    carried = {qid for qid in yamlio.read(old).data["answers"] if qid in load_bank().questions}
    filled = form.page.evaluate(
        "ids => ids.filter(id => document.querySelector(`#q-${id} input:checked`) "
        "|| (document.getElementById(`in-${id}`) || {}).value)",
        sorted(carried),
    )
    assert filled and set(filled) <= carried
    assert form.page.text_content("#title") == yamlio.read(old).data["title"]


def test_other_goals_do_not_offer_the_main_goal_again(form_page, tmp_path: Path) -> None:
    """Issue 19 (second trial): after the main goal, the other goals offered it again."""
    bank, path = write_form(tmp_path)
    page = form_page(path).page
    main, other = "#q-strategic_goal", "#q-other_goals"

    def offered() -> list[str]:
        return list(
            page.eval_on_selector_all(
                f"{other} label.option:not([hidden]) input:not([data-dont-know])",
                "xs => xs.map(x => x.value)",
            )
        )

    every = [c.value for c in bank.questions["other_goals"].choices or []]
    page.check(f'{main} input[value="reduce_cost"]')
    assert offered() == [v for v in every if v != "reduce_cost"]
    page.check(f'{other} input[value="enter_new_market"]')
    # The main goal changes to the one ticked among the others: it is taken off there.
    page.check(f'{main} input[value="enter_new_market"]')
    assert offered() == [v for v in every if v != "enter_new_market"]
    ticked = page.eval_on_selector_all(f"{other} input:checked", "xs => xs.map(x => x.value)")
    assert ticked == []
