"""The answer form as a file: one self-contained page, a strict policy, escaped texts, errors.

What the page does in a browser is in test_form_browser.py; that its conditions and its YAML
mean what Python's do is in test_form_conditions.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, MINI_ANSWERS, MINI_BANK
from test_hostile import HOSTILE

from rewrite_advisor import yamlio
from rewrite_advisor.bank import load_bank
from rewrite_advisor.form import build_form

BRANCHING = FIXTURES / "branching"


class Page(HTMLParser):
    """The elements, attributes and raw script/style texts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.blocks.append((*self._open, data))
        else:
            self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def policy(page: Page) -> dict[str, list[str]]:
    meta = next(
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    directives = [d.split() for d in (meta["content"] or "").split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_form_writes_one_page_small_enough_to_mail(run, tmp_path: Path) -> None:
    out = tmp_path / "form.html"
    result = run("form", "-o", out)
    assert result.code == 0, result.err
    size = out.stat().st_size
    assert size < 300 * 1024, size
    assert result.err == (
        f"Wrote {out} ({size // 1024} KB, {len(load_bank().questions)} questions). "
        "Send it to each participant; each sends back the answers file it saves.\n"
    )
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_form_defaults_to_form_html_and_writes_to_standard_output(
    run, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("form", "--bank", MINI_BANK).code == 0
    assert (tmp_path / "form.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = run("form", "-o", "-", "--bank", MINI_BANK)
    assert (result.code, result.err) == (0, "")
    assert result.out == (tmp_path / "form.html").read_text(encoding="utf-8")


def test_the_page_loads_nothing_from_anywhere() -> None:
    html = build_form(load_bank()).html
    page = parse(html)
    assert not [
        t for t, _ in page.tags if t in ("link", "img", "iframe", "object", "embed", "base")
    ]
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        assert (attrs.get("href") or "#").startswith("#"), attrs
    styles = [text for tag, _, text in page.blocks if tag == "style"]
    assert len(styles) == 1
    assert "url(" not in styles[0] and "@import" not in styles[0]
    assert not re.search(
        r"\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts)\b", html
    )


def test_the_policy_allows_exactly_the_inline_script_and_style() -> None:
    page = parse(build_form(load_bank()).html)
    rules = policy(page)
    assert rules["default-src"] == ["'none'"]
    assert rules["base-uri"] == ["'none'"] and rules["form-action"] == ["'none'"]
    scripts = [text for tag, attrs, text in page.blocks if tag == "script" and "type" not in attrs]
    styles = [text for tag, _, text in page.blocks if tag == "style"]
    assert len(scripts) == 1 and len(styles) == 1
    assert rules["script-src"] == [sha256(scripts[0])]
    assert rules["style-src"] == [sha256(styles[0])]
    assert not [source for sources in rules.values() for source in sources if "unsafe" in source]
    # The meta element comes before anything the policy governs.
    first = [t for t, a in page.tags if t in ("meta", "style", "script")][:2]
    assert first == ["meta", "meta"]
    assert not [a for _, a in page.tags if any(k.startswith("on") or k == "style" for k in a)]


def test_every_question_choice_and_help_is_on_the_page() -> None:
    for folder in (None, MINI_BANK, BRANCHING):
        bank = load_bank(folder)
        page = parse(build_form(bank).html)
        ids = {a.get("id") for _, a in page.tags}
        text = " ".join(" ".join(page.text).split())
        for section in bank.sections:
            assert f"s-{section.id}" in ids
            assert section.title in text and " ".join(section.intro.split()) in text
        for question in bank.questions.values():
            assert f"q-{question.id}" in ids
            assert " ".join(question.text.split()) in text
            assert " ".join(question.help.split()) in text
            for choice in question.choices or []:
                assert choice.label in text
        labelled = {a.get("for") for t, a in page.tags if t == "label"}
        for tag, attrs in page.tags:
            if attrs.get("data-part") in ("note", "confidence"):
                continue  # the note fields' template: the browser tests check them labelled
            if tag in ("textarea", "select") or (
                tag == "input" and attrs.get("type") in ("text", "file")
            ):
                assert attrs.get("id") in labelled, attrs
        assert ("main", {"id": "main"}) in page.tags


def test_hostile_bank_texts_stay_text(tmp_path: Path) -> None:
    bank_dir = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank_dir)
    data = yamlio.read(bank_dir / "bank.yaml").data
    data["title"] = HOSTILE[0]
    section = data["sections"][0]
    section["title"], section["intro"] = HOSTILE[4], HOSTILE[3]
    question = section["questions"][0]
    question["text"], question["help"] = HOSTILE[0] + "</script>", HOSTILE[9]
    question["choices"][0]["label"] = HOSTILE[5] + "<!--"
    (bank_dir / "bank.yaml").write_text(yamlio.dump(data), encoding="utf-8")
    html = build_form(
        load_bank(bank_dir), title=HOSTILE[1] + HOSTILE[0], participant=HOSTILE[4]
    ).html
    page = parse(html)
    assert [t for t, _ in page.tags if t == "script"] == ["script"] * 3
    assert not [t for t, _ in page.tags if t in ("img", "svg", "a") and t != "a"]
    assert not [a for t, a in page.tags if t == "a" and not (a.get("href") or "").startswith("#")]
    texts = " ".join(page.text)
    assert HOSTILE[0] in texts and HOSTILE[4] in texts and HOSTILE[9] in texts
    for _, attrs, text in page.blocks:
        if attrs.get("type") == "application/json":
            assert "<" not in text and ">" not in text and "&" not in text
            json.loads(text)


def test_from_embeds_one_persons_answers(tmp_path: Path, run) -> None:
    out = tmp_path / "form.html"
    result = run(
        "form", "--bank", MINI_BANK, "--from", MINI_ANSWERS, "--participant", "Ben", "-o", out
    )
    assert result.code == 0, result.err
    page = parse(out.read_text(encoding="utf-8"))
    config = json.loads(next(t for _, a, t in page.blocks if a.get("id") == "form-config"))
    start = config["start"]
    assert start["participants"] == ["Ben"]
    assert config["title"] == start["title"] == "Mini rewrite"
    expected = yamlio.read(MINI_ANSWERS).data["answers"]
    assert set(start["answers"]) == set(expected)
    assert start["answers"]["sync_cost"] == expected["sync_cost"]
    assert config["storageKey"] == json.dumps(["rewrite-advisor", "mini", "1.0", "Mini rewrite"])


def test_title_names_the_form_and_keys_its_storage(run, tmp_path: Path) -> None:
    out = tmp_path / "form.html"
    assert run("form", "--bank", MINI_BANK, "--title", "  Replace   billing ", "-o", out).code == 0
    page = parse(out.read_text(encoding="utf-8"))
    assert ("title", {}) in page.tags
    assert "Replace billing: answer form" in page.text
    config = json.loads(next(t for _, a, t in page.blocks if a.get("id") == "form-config"))
    assert config["storageKey"] == json.dumps(["rewrite-advisor", "mini", "1.0", "Replace billing"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "form.yaml"],
            "error: form.yaml: the form is an HTML page; name it .html (or - for standard output)\n",
        ),
        (
            ["--bank", "no-such-bank", "-o", "f.html"],
            "error: no-such-bank: no such folder: a question bank is a folder with bank.yaml and rules.yaml\n",
        ),
        (["--from", "missing.yaml", "-o", "f.html"], "error: missing.yaml: no such file\n"),
        (
            ["-o", "no-such-folder/f.html"],
            "error: no-such-folder/f.html: the folder no-such-folder does not exist\n",
        ),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    run, tmp_path: Path, monkeypatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("form", *args)
    assert (result.code, result.err, result.out) == (2, message, "")
    assert not list(tmp_path.glob("*.html"))


def test_a_bad_from_file_is_located(run, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI_ANSWERS.read_text().replace("freeze: 2", "freeze: [2"), encoding="utf-8")
    result = run("form", "--bank", MINI_BANK, "--from", broken, "-o", tmp_path / "f.html")
    assert result.code == 2
    assert re.fullmatch(rf"error: {re.escape(str(broken))}:\d+: invalid YAML: .*\n", result.err), (
        result.err
    )

    other_bank = tmp_path / "other.yaml"
    other_bank.write_text(
        MINI_ANSWERS.read_text().replace("id: mini", "id: other"), encoding="utf-8"
    )
    result = run("form", "--bank", MINI_BANK, "--from", other_bank, "-o", tmp_path / "f.html")
    assert result.code == 2
    assert (
        result.err
        == f"error: {other_bank}:3: these answers are for the question bank 'other', not 'mini'\n"
    )

    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(MINI_ANSWERS.read_text().replace("freeze: 2", "freeze: 99"), encoding="utf-8")
    result = run("form", "--bank", MINI_BANK, "--from", wrong, "-o", tmp_path / "f.html")
    assert result.code == 2
    assert re.fullmatch(
        rf"error: {re.escape(str(wrong))}:\d+: freeze: must be at most 60\n", result.err
    )
    assert not (tmp_path / "f.html").exists()


def test_a_team_file_is_not_a_start(run, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    data = yamlio.read(EXAMPLES / "workshop" / "ana.yaml").data
    data["participants"] = ["Ana", "Ben"]
    data["workshop"] = {
        "sources": [
            {"participant": "Ana", "file": "ana.yaml", "sha256": "0" * 64},
            {"participant": "Ben", "file": "ben.yaml", "sha256": "1" * 64},
        ]
    }
    team.write_text(yamlio.dump(data), encoding="utf-8")
    result = run("form", "--from", team, "-o", tmp_path / "f.html")
    assert result.code == 2
    assert result.err == (
        f"error: {team}: this is a team file from 'rewrite-advisor workshop'; "
        "start the form from one person's answers file\n"
    )


def test_the_scripts_cannot_end_their_own_element() -> None:
    from rewrite_advisor import form, resources

    for name in form.SCRIPTS:
        folder = (
            Path(form.__file__).parent if name == "conditions.js" else resources.templates_dir()
        )
        text = (folder / name).read_text(encoding="utf-8").lower()
        assert "</script" not in text and "<!--" not in text, name
    assert "</style" not in (resources.templates_dir() / "form.css").read_text().lower()


def test_a_start_made_with_an_earlier_bank_version_carries_over(run, tmp_path: Path) -> None:
    old = FIXTURES / "bank-1.0.0" / "go-billing-strangler.yaml"
    out = tmp_path / "form.html"
    result = run("form", "--from", old, "-o", out)
    assert result.code == 0, result.err
    bank = load_bank()
    note, wrote = result.err.splitlines()
    assert note.startswith(
        f"note: {note.split()[1]} answers made with version 1.0.0 of the question bank have no "
        f"place in version {bank.version} and are left out of the form: "
    )
    assert wrote.startswith(f"Wrote {out} (")
    page = parse(out.read_text(encoding="utf-8"))
    start = json.loads(next(t for _, a, t in page.blocks if a.get("id") == "form-config"))["start"]
    assert start["bank"] == {"id": bank.id, "version": bank.version}
    assert set(start["answers"]) <= set(bank.questions)
    left_out = note.split(": ")[-1].split(", ")
    assert not set(left_out) & set(start["answers"])
