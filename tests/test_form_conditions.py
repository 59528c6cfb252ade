"""One meaning for conditions: the form's JavaScript and the Python engine agree.

The same randomized conditions and answers go to both evaluators, in Chromium and in Python,
and every result must be identical: the truth of random conditions over random answers of
every type (three-valued, with type mismatches), and which questions apply for random
answers files over the bundled bank and the test banks. The form's YAML reader and writer
are checked the same way against ``yamlio``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import FormPage, new_form_page
from conftest import EXAMPLES, FIXTURES, MINI_BANK, ROOT
from pydantic import TypeAdapter

from rewrite_advisor import yamlio
from rewrite_advisor.answers import bind, parse_answers, resolve_view
from rewrite_advisor.bank import Bank, Question, load_bank
from rewrite_advisor.conditions import (
    AnswerView,
    Condition,
    comparisons,
    compile_condition,
    evaluate,
)
from rewrite_advisor.errors import AdvisorError
from rewrite_advisor.form import build_form

BRANCHING = FIXTURES / "branching"
BANKS = {"bundled": None, "mini": MINI_BANK, "branching": BRANCHING}
CONDITION = TypeAdapter(Condition)
OPERATORS = ("equals", "in", "includes", "includes_any", "gt", "gte", "lt", "lte", "is")
STATES = ("known", "unknown", "unanswered", "skipped")
TEXTS = [
    "x",
    "y",
    "xy",
    "",
    "2027-03-01",
    "2026-12-31",
    "2027-02-30",
    "é",
    "Z",
    "\U0001f600",
    "\ufffd",
]
DATES = [dt.date(2026, 12, 31), dt.date(2027, 3, 1), dt.date(2027, 3, 2)]

JS_EVALUATE = """([cases, skippedIsFalse]) => {
  const C = globalThis.RewriteAdvisorConditions;
  const typed = v => (v && typeof v === "object" && !Array.isArray(v) && "$date" in v)
    ? new C.PyDate(v.$date) : v;
  return cases.map(([cond, states, values]) => {
    const view = new C.View(states, Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typed(v)])));
    return C.evaluate(cond, view, skippedIsFalse);
  });
}"""


@pytest.fixture(scope="module")
def forms(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One form page per bank for the module: these tests only call the page's functions
    (evaluators, the YAML reader and writer), which change nothing on it."""
    opened: dict[str, tuple[Bank, FormPage]] = {}
    folder = tmp_path_factory.mktemp("forms")

    def get(bank_dir: Path | None) -> tuple[Bank, FormPage]:
        key = str(bank_dir)
        if key not in opened:
            bank = load_bank(bank_dir)
            path = folder / f"form-{len(opened)}.html"
            path.write_text(build_form(bank).html, encoding="utf-8")
            form = new_form_page(browser, path)
            opened[key] = (bank, form)
            form.open()
        return opened[key]

    yield {"get": get, "opened": opened}
    for _, form in opened.values():
        form.context.close()


@pytest.fixture
def open_form(forms: dict[str, Any]) -> Iterator[Callable[..., tuple[Bank, FormPage]]]:
    """The bank in a folder (None: the bundled one) and its form, opened once for the module.

    Fails the test if the page logged an error or threw while it ran.
    """
    used: list[FormPage] = []

    def get(bank_dir: Path | None = None) -> tuple[Bank, FormPage]:
        bank, form = forms["get"](bank_dir)
        used.append(form)
        return bank, form

    yield get
    for form in used:
        problems, form.problems[:] = list(form.problems), []
        assert not problems, problems


# --- random conditions over random answers ------------------------------------------------


def random_scalar(rng: random.Random) -> Any:
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice([True, False])
    if kind == 1:
        return rng.choice([-2, 0, 1, 2, 3, 10])
    if kind == 2:
        return rng.choice([0.5, 1.0, 2.5, -0.0])
    return rng.choice(TEXTS)


def random_value(rng: random.Random) -> Any:
    kind = rng.randrange(6)
    if kind == 4:
        return rng.choice(DATES)
    if kind == 5:
        return rng.sample(["x", "y", "z"], rng.randrange(0, 4))
    return random_scalar(rng)


def random_compare(rng: random.Random, names: list[str]) -> dict[str, Any]:
    op = rng.choice(OPERATORS)
    question = rng.choice(names)
    if op == "is":
        return {"question": question, "is": rng.choice([*STATES, "answered"])}
    if op in ("in", "includes_any"):
        return {"question": question, op: [random_scalar(rng) for _ in range(rng.randrange(1, 4))]}
    if op != "includes" and rng.random() < 0.3:
        return {"question": question, op: {"question": rng.choice(names)}}
    return {"question": question, op: random_scalar(rng)}


def random_condition(rng: random.Random, names: list[str], depth: int = 0) -> dict[str, Any]:
    roll = rng.random()
    if depth < 3 and roll < 0.2:
        return {
            "all": [random_condition(rng, names, depth + 1) for _ in range(rng.randrange(1, 4))]
        }
    if depth < 3 and roll < 0.4:
        return {
            "any": [random_condition(rng, names, depth + 1) for _ in range(rng.randrange(1, 4))]
        }
    if depth < 3 and roll < 0.5:
        return {"not": random_condition(rng, names, depth + 1)}
    return random_compare(rng, names)


def as_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def test_random_conditions_mean_the_same_in_python_and_javascript(open_form) -> None:
    """Both readings: rules' (a skipped question is undetermined) and when's (it is false)."""
    rng = random.Random(20261120)
    names = ["a", "b", "c", "d"]
    cases, plain, when = [], [], []
    for _ in range(800):
        cond = CONDITION.validate_python(random_condition(rng, names))
        states = {n: rng.choice(STATES) for n in names}
        values = {n: random_value(rng) for n in names if states[n] == "known"}
        view = AnswerView(states, values)
        plain.append(evaluate(cond, view))
        assert compile_condition(cond)(view) == plain[-1]
        when.append(compile_condition(cond, skipped_is_false=True)(view))
        dumped = CONDITION.dump_python(cond, mode="json", by_alias=True, exclude_none=True)
        cases.append([dumped, states, {k: as_json(v) for k, v in values.items()}])
    _, form = open_form(MINI_BANK)
    for skipped_is_false, expected in ((False, plain), (True, when)):
        got = form.page.evaluate(JS_EVALUATE, [cases, skipped_is_false])
        differ = [(c, e, g) for c, e, g in zip(cases, expected, got, strict=True) if e != g]
        assert not differ, (skipped_is_false, differ[:5])
    # The cases are worth something: every outcome and every operator occur, and the two
    # readings differ somewhere.
    assert {True, False, None} <= set(plain) and plain != when
    assert set(OPERATORS) <= {op for case in cases for op in json.dumps(case[0]).split('"')}


DATE_VIEW = AnswerView({"d": "known", "t": "known"}, {"d": dt.date(2027, 3, 1), "t": "2027-03-01"})
DATE_CONDITIONS = [
    {"question": "d", "equals": "2027-03-01"},
    {"question": "d", "in": ["2027-03-01"]},
    {"question": "t", "equals": {"question": "d"}},
    {"question": "d", "gt": "2027-02-28"},
    {"question": "d", "lt": "2027-02-30"},
    {"question": "d", "lt": "20270401"},
]


def test_a_date_answer_equals_its_text_and_only_yyyy_mm_dd_is_a_date() -> None:
    got = [evaluate(CONDITION.validate_python(c), DATE_VIEW) for c in DATE_CONDITIONS]
    assert got == [True, True, True, True, None, None]


def test_dates_compare_the_same_in_the_form(open_form) -> None:
    view, conds = DATE_VIEW, DATE_CONDITIONS
    expected = [evaluate(CONDITION.validate_python(c), view) for c in conds]
    _, form = open_form(MINI_BANK)
    got = form.page.evaluate(
        JS_EVALUATE,
        [
            [
                [c, dict(view.states), {k: as_json(v) for k, v in view.values.items()}]
                for c in conds
            ],
            False,
        ],
    )
    assert got == expected


# --- which questions apply, for random answers files ------------------------------------------


def literals(bank: Bank) -> dict[str, list[Any]]:
    """The values each question is compared with anywhere in the bank and its rules."""
    found: dict[str, list[Any]] = {}
    conds = [q.when for q in bank.questions.values() if q.when is not None]
    conds += [rule.when for rule in bank.rules]
    for cond in conds:
        for comp in comparisons(cond):
            if comp.operator == "is":
                continue
            operand = comp.operand
            values = operand if isinstance(operand, list) else [operand]
            found.setdefault(comp.question, []).extend(
                v for v in values if not hasattr(v, "question")
            )
    return found


def random_answer(question: Question, rng: random.Random, near: list[Any]) -> Any:
    roll = rng.random()
    if roll < 0.2:
        return None
    if roll < 0.32:
        return {"dont_know": True}
    choices = [c.value for c in question.choices or []]
    if question.type == "single":
        return rng.choice(choices)
    if question.type == "multi":
        alone = [c.value for c in question.choices or [] if c.exclusive]
        if alone and rng.random() < 0.2:
            return [rng.choice(alone)]
        normal = [c for c in choices if c not in alone]
        return rng.sample(normal, rng.randrange(1, len(normal) + 1))
    if question.type == "yesno":
        return rng.choice([True, False])
    if question.type == "number":
        numbers = [v for v in near if isinstance(v, int | float) and not isinstance(v, bool)]
        low = question.min if question.min is not None else -5
        high = question.max if question.max is not None else 200000
        picks = [n + d for n in numbers for d in (-1, 0, 1)] + [rng.uniform(low, high), low, 0, 6]
        value = rng.choice([p for p in picks if low <= p <= high] or [low])
        return int(value) if rng.random() < 0.8 else round(value, 2)
    if question.type == "date":
        base = dt.date(2026, 11, 1) + dt.timedelta(days=rng.randrange(0, 240))
        texts = [v for v in near if isinstance(v, str)]
        return rng.choice([base.isoformat(), *texts]) if texts else base.isoformat()
    texts = [v for v in near if isinstance(v, str)]
    return rng.choice(["an answer", "2027-03-01", *texts])


def random_file(bank: Bank, rng: random.Random, near: dict[str, list[Any]]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in bank.questions.values():
        value = random_answer(question, rng, near.get(question.id, []))
        if value is not None:
            answers[question.id] = value
    return {
        "kind": "rewrite-advisor/answers",
        "format": 1,
        "bank": {"id": bank.id, "version": bank.version},
        "title": "Random",
        "participants": ["Ana"],
        "answers": answers,
    }


def python_states(bank: Bank, data: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Each question's state, and the questions that matter, as the engine works them out."""
    doc = yamlio.Document("random.yaml", data)
    answers = bind(parse_answers(doc), bank, doc)
    view = resolve_view(bank, answers.given)
    matter = [q.id for q in bank.questions.values() if q.matters(view)]
    return {qid: view.state(qid) for qid in bank.questions}, matter


@pytest.mark.parametrize("name", sorted(BANKS))
def test_the_same_questions_apply_in_the_form_and_in_python(open_form, name: str) -> None:
    bank, form = open_form(BANKS[name])
    rng = random.Random(f"applies-{name}")
    near = literals(bank)
    files = [random_file(bank, rng, near) for _ in range(200)]
    expected = [python_states(bank, data) for data in files]
    got = form.page.evaluate(
        "files => files.map(f => [RewriteAdvisorForm.states(f), RewriteAdvisorForm.matters(f)])",
        files,
    )
    got = [(states, matter) for states, matter in got]
    differ = [(f["answers"], e, g) for f, e, g in zip(files, expected, got, strict=True) if e != g]
    assert not differ, differ[:2]
    # Every conditional question was both asked and skipped somewhere in these files, and
    # every question that matters only sometimes both mattered and did not.
    for question in bank.questions.values():
        if question.when is not None:
            seen = {states[question.id] for states, _ in expected}
            assert "skipped" in seen and seen - {"skipped"}, (question.id, seen)
        if not isinstance(question.critical, bool):
            seen_matter = {question.id in matter for _, matter in expected}
            assert seen_matter == {True, False}, question.id


# --- the form's YAML reader and writer against yamlio ---------------------------------------------

HOSTILE_TEXTS = [
    "plain words",
    "a: colon",
    "a #hash",
    "#start",
    "- dash",
    "'single' and \"double\"",
    "line one\nline two\n\nafter a blank",
    "  leading and trailing  ",
    "tab\there",
    "yes",
    "no",
    "null",
    "~",
    "true",
    "1.0",
    "0x1F",
    "2027-03-01",
    "\u00e9\u00e8 \u4e2d\u6587 \U0001f600",
    "back\\slash",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "[not, a, list]",
    "{not: a map}",
    "a" * 200 + " " + "b" * 50 + " words " * 30,
    "control \x01\x7f\x85\u2028\u2029 chars",
    "@at",
    "`tick",
    "% percent",
    "",
    " ",
    "\ufeffbom",
]


def hostile_file(bank: Bank, rng: random.Random) -> dict[str, Any]:
    text_questions = [q.id for q in bank.questions.values() if q.type == "text"]
    answers: dict[str, Any] = {}
    for qid in bank.questions:
        if rng.random() < 0.5:
            answers[qid] = {
                "dont_know": True,
                "note": rng.choice(HOSTILE_TEXTS) or "n",
                "confidence": "guess",
            }
    for qid in text_questions:
        text = rng.choice(HOSTILE_TEXTS).strip() or "x"
        answers[qid] = {"value": text, "note": rng.choice(HOSTILE_TEXTS) or "n"}
    return {
        "kind": "rewrite-advisor/answers",
        "format": 1,
        "bank": {"id": bank.id, "version": bank.version},
        "title": rng.choice(HOSTILE_TEXTS).strip() or "Title",
        "date": "2026-11-20",
        "participants": [rng.choice(HOSTILE_TEXTS).strip() or "Ana"],
        "answers": answers,
    }


BLANKS = " \t\n\r\f\v"


def tidy(text: str) -> str:
    """What the form trims from typed text: the ASCII blanks, as Python's strip() would."""
    return text.strip(BLANKS)


def yaml_texts() -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.rglob("*.yaml"))]
    texts += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.rglob("*.yaml"))]
    texts += [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "questions").rglob("*.yaml"))
    ]
    rng = random.Random(7)
    mini = load_bank(MINI_BANK)
    for index in range(40):
        data = hostile_file(mini, rng)
        texts.append((f"dumped-{index}", yamlio.dump(data)))
        # JSON escapes astral characters as surrogate pairs, which YAML readers refuse.
        bmp = json.loads(json.dumps(data).replace("\\ud83d\\ude00", "smile"))
        texts.append((f"json-{index}", json.dumps(bmp, indent=index % 3)))
    texts += [
        ("folded", "a: >\n  one\n  two\n\n  three\n    more\n  four\nb: |-\n  keep\n\n  this\n"),
        ("kept", "a: |+\n  x\n\n\nb: >-\n  y\n  z\n"),
        ("explicit", "a: |2\n    two spaces\n  in\n"),
        ("quoted", "a: 'it''s\n  folded'\nb: \"esc \\t \\u00e9 \\x41\\\n  joined\"\n"),
        ("flow", "a: [1, 'two', {three: 3, four: [4]}]\nb: {c: , d}\n"),
        ("nested", "- a: 1\n  b:\n  - x\n  - y\n- - 1\n  - 2\n-\n- last\n"),
        ("comments", "# top\na: 1 # one\n# between\nb:   # empty\nc: x#y\n"),
        ("document", "---\na: 1\n...\n"),
        ("plain-multiline", "a: one\n  two\n\n  three\nb: x\n"),
        ("keys", "1: a\ntrue: b\n'q: k': c\n\"d\": e\n"),
        (
            "scalars",
            "a: [~, null, '', 0o17, 0x1f, +12, -1.5e3, .5, 1., .inf, -.inf, yes, on, off, 2027-03-01]\n",
        ),
        (
            "numbers",
            "a: [08, 007, -.5, 1e3, 1.5e3, 1.5e+3, 1_000, 0b101, '1:30', 1:30, +.inf, .NaN, -0, 0x_1]\n",
        ),
    ]
    return texts


def comparable(value: Any) -> Any:
    """Plain data as JSON from the browser shows it: whole floats as ints, infinities as text."""
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, float) and value == int(value) and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def test_the_form_reads_yaml_as_yamlio_does(open_form) -> None:
    _, form = open_form(MINI_BANK)
    texts = yaml_texts()
    got = form.page.evaluate(
        """texts => texts.map(t => {
             try { return {data: JSON.parse(JSON.stringify(RewriteAdvisorYaml.parse(t),
                     (k, v) => typeof v === "number" && !Number.isFinite(v) ? String(v) : v))}; }
             catch (e) { return {error: e.message}; } })""",
        [text for _, text in texts],
    )
    for (name, text), result in zip(texts, got, strict=True):
        expected = comparable(yamlio.parse(text, name).data)
        assert "error" not in result, (name, result)
        assert comparable(result["data"]) == expected, name


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: &x 1\nb: *x\n", "anchors"),
        ("a: 1\na: 2\n", "appears twice"),
        ("a: !!python/object 1\n", "tags"),
        ("a:\n\t- 1\n", "tab"),
        ("a: 'open\n", "not closed"),
        ("a: [1, 2\n", "not closed"),
        ("a: b: c\n", "mapping values"),
        ("a: 1\n---\nb: 2\n", "one document"),
    ],
)
def test_the_form_refuses_what_yamlio_refuses(open_form, text: str, words: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - yamlio raises AdvisorError; the point is both refuse
        yamlio.parse(text)
    _, form = open_form(MINI_BANK)
    message = form.page.evaluate(
        "t => { try { RewriteAdvisorYaml.parse(t); return null; } catch (e) { return e.message; } }",
        text,
    )
    assert message is not None and words in message, message
    assert message.startswith("line "), message


@pytest.mark.parametrize(
    "text",
    [
        "title Foo\nanswers:\n  a: 1\n",  # the next line's ':' used to be blamed
        "answers:\n  budget 100\n  total_cost: 200\n",
        "a: 1\nanswers\n  x: 1\n  y: 2\n",
        "a: 1\nb 2\nc: 3\n",
        "a: 1\nb\n",
    ],
)
def test_the_form_points_at_a_key_without_its_colon_as_yamlio_does(open_form, text: str) -> None:
    """A key that lost its ':' is named on its own line, in yamlio's words, not one line late."""
    with pytest.raises(AdvisorError) as caught:
        yamlio.parse(text, "x.yaml")
    line = int(str(caught.value).split(":")[1])
    assert "this line has no ':' after its key" in str(caught.value)
    _, form = open_form(MINI_BANK)
    message = form.page.evaluate(
        "t => { try { RewriteAdvisorYaml.parse(t); return null; } catch (e) { return e.message; } }",
        text,
    )
    assert message == f"line {line}: this line has no ':' after its key (write 'key: value')"


@pytest.mark.parametrize("name", sorted(BANKS))
def test_what_the_form_writes_reads_back_as_the_same_answers(open_form, name: str) -> None:
    bank, form = open_form(BANKS[name])
    rng = random.Random(f"writes-{name}")
    near = literals(bank)
    files = [hostile_file(bank, rng) for _ in range(30)] + [
        random_file(bank, rng, near) for _ in range(30)
    ]
    written = form.page.evaluate("files => files.map(f => RewriteAdvisorForm.write(f))", files)
    for data, text in zip(files, written, strict=True):
        doc = yamlio.parse(text, "written.yaml")
        again = bind(parse_answers(doc), bank, doc)
        source = yamlio.Document("source.yaml", data)
        original = bind(parse_answers(source), bank, source)
        assert again.title == original.title
        assert again.participants == [
            " ".join(re.split(f"[{BLANKS}]+", tidy(original.participants[0])))
        ]
        assert again.date == (original.date or dt.date.today())  # as assess dates a new file
        assert set(again.given) == {
            qid
            for qid, a in original.given.items()
            if a.state != "unanswered" or tidy(a.note or "")
        }
        for qid, answer in again.given.items():
            before = original.given[qid]
            value = tidy(before.value) if isinstance(before.value, str) else before.value
            assert (answer.state, answer.value, answer.confidence) == (
                before.state,
                value,
                before.confidence,
            ), qid
            assert (answer.note or "") == tidy(before.note or ""), qid
