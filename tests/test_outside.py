"""The outside view: the case library, the distance, nearest cases in every memo, and the
leave-one-out figures the README states."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from markupsafe import escape

from rewrite_advisor import outside
from rewrite_advisor.bank import load_bank
from rewrite_advisor.cli import build_memo
from rewrite_advisor.evaluation import evaluate
from rewrite_advisor.render import render_html, render_markdown

LIBRARY = ROOT / "cases"
FOUR = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def library() -> outside.Library:
    found = outside.bundled_library(load_bank())
    assert found is not None
    return found


def test_the_library_holds_every_documented_case_and_only_those(library) -> None:
    ids = {c.entry.id for c in library.cases}
    shared = ROOT.parent / "shared" / "cases"
    if shared.is_dir():  # the source of the cases, beside the repository
        text = "".join(p.read_text(encoding="utf-8") for p in shared.glob("*.md"))
        documented = {m.group(2) for m in re.finditer(r"^## ([FSM])-([a-z0-9-]+):", text, re.M)}
        assert ids == documented
    assert len(ids) >= 27
    for case in library.cases:
        assert case.entry.sources, case.entry.id
        assert case.migrated_from is None


@pytest.mark.parametrize(
    "path",
    sorted(LIBRARY.glob("*.yaml")) + sorted((EXAMPLES / "cases").glob("*.yaml")),
    ids=lambda p: p.stem,
)
def test_a_case_file_names_its_class_as_the_library_does(library, path: Path) -> None:
    if path.name == outside.LIBRARY_FILE:
        return
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.search(r"Class: ([FSM])\b", first)
    assert match, path
    entry = next(
        c.entry for c in library.cases if Path(c.answers.source or "").resolve() == path.resolve()
    )
    assert entry.outcome[0].upper() == match.group(1)
    answers = next(c.answers for c in library.cases if c.entry.id == entry.id)
    bank = answers.bank
    assert all(
        (a.note or "").strip() for q, a in answers.given.items() if bank.questions[q].type != "text"
    )


def test_dont_know_counts_half_a_difference_and_ordered_choices_by_meaning(library) -> None:
    measure = library.measure
    from rewrite_advisor.conditions import AnswerView

    def view(**answers: object) -> AnswerView:
        states = {q: ("unknown" if v is None else "known") for q, v in answers.items()}
        return AnswerView(states, {q: v for q, v in answers.items() if v is not None})

    # Ordered: none < one_way < two_way (sync_direction applies only when data moves in groups).
    base = {"data_moves": "per_group"}
    none = view(**base, sync_direction="none")
    one = view(**base, sync_direction="one_way")
    two = view(**base, sync_direction="two_way")
    part = {p.question: p.difference for p in measure.parts(none, one)}
    assert part["sync_direction"] == 0.5
    assert {p.question: p.difference for p in measure.parts(none, two)}["sync_direction"] == 1.0
    # A "don't know" on one side: half a difference, never a full one; on both: not compared.
    dont = view(**base, sync_direction=None)
    assert {p.question: p.difference for p in measure.parts(none, dont)}["sync_direction"] == 0.5
    assert "sync_direction" not in {p.question for p in measure.parts(dont, dont)}
    # Questions the rules never look at are not compared.
    assert "customer_problem_text" not in {c.id for c in measure.compared}


def test_a_memo_never_lists_its_own_case(library) -> None:
    path = EXAMPLES / "cases" / "tsb.yaml"
    memo = build_memo(path, None)
    assert "tsb" not in [c.id for c in memo.summary.nearest_cases.cases]


@pytest.mark.parametrize("path", FOUR, ids=lambda p: p.stem)
def test_every_example_shows_its_nearest_cases_in_every_text_format(path: Path) -> None:
    memo = build_memo(path, None)
    view = memo.summary.nearest_cases
    assert view is not None and len(view.cases) == 3
    assert view.failed + view.succeeded + view.mixed == view.nearest
    data = json.loads(memo.model_dump_json())
    assert data["summary"]["nearest_cases"]["cases"][0]["id"] == view.cases[0].id
    md, html = render_markdown(memo), render_html(memo)
    top_md = md.split("\n## Appendix\n", 1)[0]
    for case in view.cases:
        assert case.name in top_md and f"{case.similarity}% alike" in top_md
        assert str(escape(case.name)) in html
    assert "### F. The nearest documented rewrites" in md
    assert view.base_rate in top_md
    if view.disagreement:
        assert view.disagreement in top_md


def test_the_memo_says_plainly_where_rules_and_cases_disagree(library) -> None:
    memo = build_memo(EXAMPLES / "cases" / "govuk.yaml", None)
    view = memo.summary.nearest_cases
    expected = outside.expects(memo.verdict.id)
    outlook = outside.predict(
        outside.nearest(library, _view(memo), source=str(EXAMPLES / "cases" / "govuk.yaml"))[
            : view.nearest
        ]
    )
    if outlook != expected:
        assert view.disagreement and view.disagreement.startswith(
            f"The rules say {memo.verdict.title};"
        )
    else:
        assert view.disagreement is None


def _view(memo):
    from rewrite_advisor.cli import read_answers

    answers, _ = read_answers(EXAMPLES / "cases" / "govuk.yaml", None)
    return answers.view()


def _own_library(tmp_path: Path) -> Path:
    folder = tmp_path / "ours"
    folder.mkdir()
    shutil.copy(EXAMPLES / "go-billing-strangler.yaml", folder / "billing.yaml")
    shutil.copy(EXAMPLES / "dont-rewrite-fashion.yaml", folder / "fashion.yaml")
    (folder / "cases.yaml").write_text(
        "kind: rewrite-advisor/cases\nformat: 1\ncases:\n"
        "  - {id: billing-2024, name: Our billing engine, years: '2024', shape: [strangler],\n"
        "     outcome: succeeded, what_happened: Moved piece by piece; done on time., answers: billing.yaml}\n"
        "  - {id: ui-2022, name: Our UI framework rewrite, years: 2021-2022, shape: [whole_product],\n"
        "     outcome: failed, what_happened: Stopped after a year., answers: fashion.yaml}\n",
        encoding="utf-8",
    )
    return folder


def test_a_team_library_of_two_past_projects_works(tmp_path: Path, run) -> None:
    folder = _own_library(tmp_path)
    result = run("check", folder)
    assert result.code == 0 and "2 cases (1 failed, 1 succeeded, 0 mixed)" in result.out
    result = run(
        "report",
        EXAMPLES / "not-yet-unknowns.yaml",
        "--cases",
        folder,
        "-o",
        "-",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    view = json.loads(result.out)["summary"]["nearest_cases"]
    assert "2 documented rewrites from" in view["library"]
    ids = {c["id"] for c in view["cases"]}
    assert len(ids) == 3
    result = run("cases", "evaluate", "--cases", folder)
    assert result.code == 0 and "Nearest 5 cases:" in result.out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("outcome: failed", "outcome: lost"), "cases.yaml:7: case 'ui-2022', outcome"),
        (
            ("answers: fashion.yaml", "answers: missing.yaml"),
            "cases.yaml:7: case 'ui-2022': no answers file missing.yaml",
        ),
        (("id: ui-2022", "id: billing-2024"), "cases.yaml:6: case 'billing-2024' is listed twice"),
        (
            ("format: 1", "format: 1\nquestions: {sync_direction: {order: [none, sideways]}}"),
            "'sideways' is not one of its choices",
        ),
    ],
)
def test_a_malformed_library_gives_a_located_error(tmp_path: Path, run, change, message) -> None:
    folder = _own_library(tmp_path)
    index = folder / "cases.yaml"
    index.write_text(index.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    for args in (
        ("check", folder),
        ("report", EXAMPLES / "go-billing-strangler.yaml", "--cases", folder),
    ):
        result = run(*args)
        assert result.code == 2, result.out
        assert result.err.startswith("error: ") and message in result.err, result.err
        assert "Traceback" not in result.err


def test_a_case_on_another_bank_version_is_refused_or_carried_over(tmp_path: Path, run) -> None:
    folder = _own_library(tmp_path)
    fashion = folder / "fashion.yaml"
    fashion.write_text(
        fashion.read_text(encoding="utf-8").replace('version: "2.2.0"', 'version: "9.0.0"'),
        encoding="utf-8",
    )
    result = run("check", folder)
    assert result.code == 2
    assert (
        "fashion.yaml:" in result.err
        and "version 9.0.0" in result.err
        and "cannot be carried over" in result.err
    )
    archived = sorted(
        p.name for p in (ROOT / "questions" / "archive").iterdir() if (p / "bank.yaml").is_file()
    )
    older = [v for v in archived if v.startswith("2.")]
    if older:  # a case on an archived 2.x bank is carried over, and check says what was dropped
        source = next((ROOT / "tests" / "fixtures").glob(f"bank-{older[-1]}/*.yaml"), None)
        if source is not None and "kind: rewrite-advisor/answers" in source.read_text(
            encoding="utf-8"
        ):
            shutil.copy(source, fashion)
            result = run("check", folder)
            assert result.code == 0 and f"carried over from {older[-1]}" in result.out


def test_the_readme_figures_are_computed(library) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"the (\d+) nearest cases predict \*\*(\d+) of (\d+)\*\* \((\d+)%\); the rules' verdict "
        r"is right on \*\*(\d+) of (\d+)\*\* \((\d+)%\)",
        readme,
    )
    assert match, "the README states both leave-one-out figures"
    result = evaluate(library)
    n = len(result.cases)
    expected = (
        library.nearest,
        result.outside_right,
        n,
        round(100 * result.outside_right / n),
        result.rules_right,
        n,
        round(100 * result.rules_right / n),
    )
    assert tuple(int(g) for g in match.groups()) == expected
    assert f"{len(library.cases)} documented rewrites" in readme
