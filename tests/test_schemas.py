"""The JSON Schemas: ids, human titles, plain descriptions, and an answers schema from the bank."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, MINI_ANSWERS, MINI_BANK, ROOT

from rewrite_advisor import yamlio
from rewrite_advisor.bank import load_bank
from rewrite_advisor.schemas import KINDS, plain, schema_for

MINI = load_bank(MINI_BANK)
DEFAULT = load_bank()


def walk(node: Any, key: str = "") -> Any:
    """Yield (key, value) for every key in a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item, key)


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_is_valid_with_an_id_and_human_titles(kind: str) -> None:
    schema = schema_for(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].startswith("urn:rewrite-advisor:schema:")
    titles = [v for k, v in walk(schema) if k == "title" and isinstance(v, str)]
    assert titles
    for title in titles:
        assert not re.search(r"[a-z][A-Z]|_", title), f"a class name as a title: {title}"
    descriptions = [v for k, v in walk(schema) if k == "description" and isinstance(v, str)]
    for text in descriptions:
        assert "``" not in text and not re.search(r":[a-z]+:`", text), text
        assert "Args:" not in text and "Raises:" not in text, text


def test_every_schema_has_its_own_id() -> None:
    ids = [schema_for(kind)["$id"] for kind in KINDS] + [schema_for("answers", MINI)["$id"]]
    assert len(set(ids)) == len(ids)


def test_plain_removes_rest_markup() -> None:
    text = (
        "The contents of ``bank.yaml``, see :class:`~rewrite_advisor.bank.Bank`.\n\nArgs:\n  x: y"
    )
    assert plain(text) == "The contents of 'bank.yaml', see Bank."


def test_the_answers_schema_knows_the_bank() -> None:
    schema = schema_for("answers", DEFAULT)
    questions = schema["properties"]["answers"]["properties"]
    assert list(questions) == list(DEFAULT.questions)
    for question in DEFAULT.questions.values():
        entry = questions[question.id]
        assert entry["title"] == question.text
        assert entry["description"].startswith(question.help)
        value = schema["$defs"][f"value_{question.id}"]
        if question.type == "single":
            assert value["enum"] == [c.value for c in question.choices or []]
    assert schema["properties"]["bank"]["properties"]["id"] == {"const": DEFAULT.id}


def test_schema_answers_takes_a_bank(run) -> None:
    result = run("schema", "answers", "--bank", MINI_BANK)
    assert result.code == 0
    schema = json.loads(result.out)
    assert set(schema["properties"]["answers"]["properties"]) == set(MINI.questions)
    assert run("schema", "rules", "--bank", MINI_BANK).code == 2


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("**/*.yaml")), ids=lambda p: p.name)
def test_every_example_fits_the_schema_of_its_bank(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(
        schema_for("answers", DEFAULT), format_checker=jsonschema.FormatChecker()
    )
    assert not list(validator.iter_errors(yamlio.read(path).data))


# --- The tool and a strict validator accept the same files --------------------------------

MUTATIONS = [
    ("as written", lambda t: t),
    ("unquoted date", lambda t: t.replace('date: "2026-11-20"', "date: 2026-11-20")),
    ("date in another form", lambda t: t.replace('"2026-11-20"', '"20/11/2026"')),
    ("compact date", lambda t: t.replace('"2026-11-20"', '"20261120"')),
    ("date as a number", lambda t: t.replace('date: "2026-11-20"', "date: 20261120")),
    ("unquoted answer date", lambda t: t.replace('go_live: "2027-03-01"', "go_live: 2027-03-01")),
    ("answer date as a number", lambda t: t.replace('go_live: "2027-03-01"', "go_live: 20270301")),
    ("wrong choice", lambda t: t.replace("motive: customer", "motive: fashionable")),
    ("wrong multi choice", lambda t: t.replace("[revenue, cost]", "[revenue, cots]")),
    ("one multi choice alone", lambda t: t.replace("[revenue, cost]", "revenue")),
    ("a choice twice", lambda t: t.replace("[revenue, cost]", "[cost, cost]")),
    ("unknown question", lambda t: t.replace("  freeze: 2", "  freeze: 2\n  frieze: 2")),
    ("number in quotes", lambda t: t.replace("freeze: 2", 'freeze: "2"')),
    ("number as a word", lambda t: t.replace("freeze: 2", "freeze: two")),
    ("number below min", lambda t: t.replace("freeze: 2", "freeze: -1")),
    ("number too large", lambda t: t.replace("freeze: 2", "freeze: 1e300")),
    ("yes/no as a string", lambda t: t.replace("shares_data: true", 'shares_data: "maybe"')),
    ("yes/no as yes", lambda t: t.replace("shares_data: true", "shares_data: yes")),
    ("yes/no as a quoted No", lambda t: t.replace("shares_data: true", 'shares_data: " No "')),
    ("yes/no as a number", lambda t: t.replace("shares_data: true", "shares_data: 1")),
    ("text as a number", lambda t: t.replace('value: "A letter to every customer"', "value: 42")),
    ("text as a list", lambda t: t.replace('value: "A letter to every customer"', "value: [a]")),
    ("confidence unknown", lambda t: t.replace("confidence: guess", "confidence: certain")),
    ("unknown key in an answer", lambda t: t.replace("confidence: guess", "confidense: guess")),
    ("other bank", lambda t: t.replace("id: mini", "id: maxi")),
    ("other version", lambda t: t.replace('version: "1.0"', 'version: "2.0"')),
    ("unknown top key", lambda t: t + "extra: 1\n"),
    ("empty title", lambda t: t.replace("title: Mini rewrite", 'title: ""')),
    ("participant as a number", lambda t: t.replace("[Ana]", "[7]")),
    ("answer left empty", lambda t: t.replace("freeze: 2", "freeze:")),
    ("don't know", lambda t: t.replace("freeze: 2", "freeze: {dont_know: true}")),
    # issue 19: the schema took a value beside "don't know", which report refuses
    (
        "don't know and a value",
        lambda t: t.replace("freeze: 2", "freeze: {dont_know: true, value: 14}"),
    ),
    (
        "don't know and null",
        lambda t: t.replace("freeze: 2", "freeze: {dont_know: true, value: null}"),
    ),
    (
        "known and a value",
        lambda t: t.replace("freeze: 2", "freeze: {dont_know: false, value: 14}"),
    ),
    ("don't know, a note", lambda t: t.replace("freeze: 2", "freeze: {dont_know: true, note: x}")),
]


def tool_accepts(run, tmp_path: Path, text: str) -> bool:
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    result = run("report", path, "--bank", MINI_BANK, "-o", "-", "--format", "json")
    assert result.code in (0, 2), result.err
    return result.code == 0


def validator_accepts(text: str) -> bool:
    # A strict validator as many editors and CI checks run it: YAML 1.1 (PyYAML), JSON Schema
    # 2020-12 with formats checked.
    validator = jsonschema.Draft202012Validator(
        schema_for("answers", MINI), format_checker=jsonschema.FormatChecker()
    )
    return not list(validator.iter_errors(yaml.safe_load(text)))


@pytest.mark.parametrize(("name", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_the_tool_and_a_strict_validator_agree(run, tmp_path: Path, name: str, mutate) -> None:
    text = mutate(MINI_ANSWERS.read_text())
    assert text != MINI_ANSWERS.read_text() or name == "as written"
    assert tool_accepts(run, tmp_path, text) == validator_accepts(text), name


def test_an_unquoted_date_is_refused_with_how_to_fix_it(run, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(MINI_ANSWERS.read_text().replace('"2026-11-20"', "2026-11-20"))
    result = run("report", path, "--bank", MINI_BANK)
    assert result.code == 2
    assert result.err == (
        f'error: {path}:5: write the date in quotes, like "2026-11-20": unquoted, other YAML '
        "tools and JSON Schema validators read it as a date, not as text\n"
    )


def test_the_readme_shows_the_modeline() -> None:
    assert "yaml-language-server: $schema=answers.schema.json" in (ROOT / "README.md").read_text()


def test_a_case_library_fits_its_schema_and_the_readmes_example_works(run, tmp_path: Path) -> None:
    """A new user could not find the format of a team's own case library."""
    schema = json.loads(run("schema", "cases").out)
    validator = jsonschema.Draft202012Validator(schema)
    bundled = yaml.safe_load((ROOT / "cases" / "cases.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(bundled)) == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(kind: rewrite-advisor/cases\n.*?)```", readme, re.DOTALL)
    assert block, "the README shows a cases.yaml"
    example = yaml.safe_load(block.group(1))
    assert list(validator.iter_errors(example)) == []
    folder = tmp_path / "our-projects"
    folder.mkdir()
    (folder / "cases.yaml").write_text(block.group(1), encoding="utf-8")
    entry = example["cases"][0]
    (folder / entry["answers"]).write_bytes((EXAMPLES / "not-yet-unknowns.yaml").read_bytes())
    checked = run("check", folder)
    assert checked.code == 0, checked.err
    assert "1 case" in checked.out
    bad = dict(entry, outcome="ok")
    validator_errors = list(validator.iter_errors({**example, "cases": [bad]}))
    assert validator_errors, "an outcome the tool refuses, the schema refuses too"
