"""Decision records: MADR structure, safe names, status and links, index, verify, old banks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import MINI_ANSWERS, MINI_BANK, Result
from markdown_it import MarkdownIt

from rewrite_advisor import records
from rewrite_advisor.answers import bind, parse_answers
from rewrite_advisor.bank import load_bank
from rewrite_advisor.errors import AdvisorError, RecordError
from rewrite_advisor.memo import Memo
from rewrite_advisor.render import render
from rewrite_advisor.yamlio import read

MADR_HEADINGS = [
    "## Context and Problem Statement",
    "## Decision Drivers",
    "## Considered Options",
    "## Decision Outcome",
    "### Consequences",
    "### Confirmation",
    "## More Information",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "docs" / "decisions"


def answers_file(tmp_path: Path, name: str, **changes: str) -> Path:
    """A copy of the mini answers with some lines replaced (old=new pairs as key: value)."""
    text = MINI_ANSWERS.read_text(encoding="utf-8")
    for old, new in changes.items():
        pattern = re.compile(rf"^(\s*){re.escape(old)}:.*$", re.MULTILINE)
        assert pattern.search(text), old
        text = pattern.sub(lambda m, new=new, old=old: f"{m.group(1)}{old}: {new}", text, count=1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def add(cli, folder: Path, answers: Path, *extra: str, bank: Path = MINI_BANK) -> Result:
    # --no-pdf keeps the tests fast; the PDF path is tested with a fake renderer below.
    result = cli("record", "add", answers, "--dir", folder, "--bank", bank, "--no-pdf", *extra)
    assert result.code == 0, result.err
    return result


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head = text[4 : text.index("\n---\n", 3)]
    return yaml.safe_load(head)


def only_record(folder: Path, number: int = 1) -> Path:
    [md] = sorted(folder.glob(f"{number:04d}-*.md"))
    return md


def assert_one_error(result: Result, *needles: str) -> None:
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in lines[0]


# --------------------------------------------------------------------------- MADR form


def test_record_is_madr_4_filled_from_the_answers(cli, folder: Path, tmp_path: Path) -> None:
    answers = answers_file(tmp_path, "a.yaml", freeze="12")
    result = add(cli, folder, answers, "--consulted", "Bo", "--informed", "Support")
    md = only_record(folder)
    assert md.name == "0001-mini-rewrite.md"
    assert "wrote" in result.err and result.out == ""

    meta = front_matter(md)
    assert list(meta) == ["status", "date", "decision-makers", "consulted", "informed"]
    assert meta["status"] == "proposed"
    assert meta["date"] == dt.date.today()  # plain YAML date, as MADR writes it
    assert meta["decision-makers"] == ["Ana"]
    assert meta["consulted"] == ["Bo"]
    assert meta["informed"] == ["Support"]

    text = md.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# Mini rewrite"
    assert [h for h in headings if h in MADR_HEADINGS] == MADR_HEADINGS
    # Filled from the answers and findings, not template text.
    assert "{" not in text.split("---", 2)[2].replace("{{", "")
    assert "What is the main motive? → A customer problem" in text  # a driver from motivation
    assert "Long freeze (high risk)" in text  # a driver from a finding
    assert "* Rewrite" in text and "* Do not rewrite: keep the current system" in text
    assert 'Chosen option: "Rewrite"' in text  # the verdict is Go with conditions
    assert "Conditions to meet first:" in text and "Shorten the freeze." in text
    assert "* Good, because the assessment found a strength: A customer problem drives it." in text
    assert "* Bad, because the assessment found a high risk: Long freeze." in text
    assert "[memo.html](assessments/0001-mini-rewrite/memo.html)" in text
    sha = hashlib.sha256(answers.read_bytes()).hexdigest()
    assert sha in text


def test_markdown_parses_with_the_expected_headings(cli, folder: Path) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    add(cli, folder, MINI_ANSWERS)
    text = only_record(folder).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    tokens = markdown_it.MarkdownIt("commonmark").parse(body)
    titles = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert titles[0] == "Mini rewrite"
    assert [f"{'#' * 2} {t}" for t in titles if f"## {t}" in MADR_HEADINGS] == [
        h for h in MADR_HEADINGS if h.startswith("## ")
    ]
    assert not [t for t in tokens if t.type in ("html_inline",)]


def test_the_folder_keeps_answers_memo_bank_and_hashes(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    record = folder / "assessments" / "0001-mini-rewrite"
    assert (record / "answers.yaml").read_bytes() == MINI_ANSWERS.read_bytes()
    assert (record / "bank" / "bank.yaml").read_bytes() == (MINI_BANK / "bank.yaml").read_bytes()
    assert (record / "bank" / "rules.yaml").read_bytes() == (MINI_BANK / "rules.yaml").read_bytes()
    assert (record / "memo.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    manifest = json.loads((record / "record.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "rewrite-advisor/record"
    assert manifest["bank"] == {"id": "mini", "version": "1.0", "title": "Mini bank"}
    assert manifest["answers_sha256"] == hashlib.sha256(MINI_ANSWERS.read_bytes()).hexdigest()
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((record / name).read_bytes()).hexdigest() == digest
    assert manifest["status_history"][0]["status"] == "proposed"
    assert manifest["links"] == {"supersedes": [], "superseded_by": None}
    # ADR tools read every *.md in the folder: the record folder holds none.
    assert not list(record.rglob("*.md"))


def _answers(path: Path = MINI_ANSWERS, bank: Path = MINI_BANK):
    doc = read(path)
    parsed = parse_answers(doc)
    return bind(parsed, load_bank(bank), doc), parsed.model_dump(mode="json", exclude_none=True)


def test_pdf_is_kept_when_available_and_skipped_when_not(folder: Path) -> None:
    def with_pdf(memo: Memo, fmt: str) -> bytes:
        return b"%PDF-1.7 fake" if fmt == "pdf" else render(memo, fmt)

    def without_pdf(memo: Memo, fmt: str) -> bytes:
        if fmt == "pdf":
            raise AdvisorError("PDF output is not available")
        return render(memo, fmt)

    answers, raw = _answers()
    today = dt.date(2026, 11, 25)
    request = records.RecordRequest(answers, MINI_ANSWERS.read_bytes(), raw)
    made = records.add(folder, request, with_pdf, today).record
    assert (made.folder / "memo.pdf").read_bytes() == b"%PDF-1.7 fake"
    assert made.manifest is not None and "memo.pdf" in made.manifest.files
    assert "memo.pdf)" in made.markdown.read_text(encoding="utf-8")

    other = answers_file(folder.parent, "b.yaml", date='"2026-11-21"')
    answers, raw = _answers(other)
    made = records.add(
        folder, records.RecordRequest(answers, other.read_bytes(), raw), without_pdf, today
    ).record
    assert not (made.folder / "memo.pdf").exists()
    assert made.manifest is not None and "memo.pdf" not in made.manifest.files


def test_hostile_text_stays_text_in_the_record(cli, folder: Path, tmp_path: Path) -> None:
    answers = answers_file(
        tmp_path,
        "h.yaml",
        title='"<script>alert(1)</script> [x](http://evil) # not a heading"',
        participants='["Eve\\n---\\nstatus: accepted", "**bold**"]',
    )
    add(cli, folder, answers)
    md = only_record(folder)
    meta = front_matter(md)
    assert meta["status"] == "proposed"
    assert meta["decision-makers"] == ["Eve\n---\nstatus: accepted", "**bold**"]
    text = md.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]  # after the front matter
    rendered = MarkdownIt("commonmark").enable("table").render(body)
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [x](http://evil) # not a heading" in rendered
    assert "http://evil" not in "".join(re.findall(r'href="[^"]*"', rendered))


# --------------------------------------------------------------------------- numbers and names


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..", "decision"),
        ("/absolute/path", "absolute-path"),
        ("a\\b\x00c\x1b[31m", "a-b-c-31m"),
        ("Переписать биллинг", "переписать-биллинг"),
        ("請求システム", "請求システム"),
        ("Café  déjà vu!", "café-déjà-vu"),
        ("", "decision"),
        ("x" * 300, "x" * records.SLUG_MAX),
    ],
)
def test_safe_slugs(title: str, slug: str) -> None:
    assert records.slugify(title) == slug
    assert "/" not in records.slugify(title) and ".." not in records.slugify(title)


@pytest.mark.parametrize("title", ["../../etc/passwd", "Переписать биллинг", "請求システム"])
def test_hostile_and_non_latin_titles_give_files_inside_the_folder(
    cli, folder: Path, tmp_path: Path, title: str
) -> None:
    add(cli, folder, MINI_ANSWERS, "--title", title)
    md = only_record(folder)
    assert md.parent == folder
    assert md.name == f"0001-{records.slugify(title)}.md"
    text = md.read_text(encoding="utf-8")
    assert text.split("\n---\n", 1)[1].startswith("# ")
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert all(str(p).startswith("docs") for p in written)


def test_numbers_follow_the_highest_in_the_folder(cli, folder: Path, tmp_path: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    add(cli, folder, answers_file(tmp_path, "b.yaml", date='"2026-11-21"'))
    # A hand-written ADR in the same folder takes part in the numbering and the listing.
    (folder / "0007-use-postgres.md").write_text(
        "---\nstatus: accepted\ndate: 2024-01-01\n---\n\n# Use PostgreSQL\n", encoding="utf-8"
    )
    add(cli, folder, answers_file(tmp_path, "c.yaml", date='"2026-11-22"'), "--title", "Third")
    names = sorted(p.name for p in folder.glob("*.md"))
    assert names == [
        "0001-mini-rewrite.md",
        "0002-mini-rewrite.md",
        "0007-use-postgres.md",
        "0008-third.md",
    ]
    listing = cli("record", "list", "--dir", folder)
    assert listing.code == 0
    assert "0007  accepted" in listing.out and "Use PostgreSQL" in listing.out


def test_inside_refuses_paths_that_leave_the_folder(tmp_path: Path) -> None:
    for bad in ("../x", "/etc/passwd", "a/../../x", "."):
        with pytest.raises(RecordError):
            records.inside(tmp_path, bad)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside)
    with pytest.raises(RecordError):
        records.inside(tmp_path, "link/file")


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(RecordError, match="never overwritten"):
        records.create_file(target, b"theirs")
    assert target.read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_recording_the_same_answers_twice_is_refused(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    before = sorted(p.name for p in folder.iterdir())
    result = cli("record", "add", MINI_ANSWERS, "--dir", folder, "--bank", MINI_BANK)
    assert_one_error(result, "recorded already as 0001-mini-rewrite")
    assert sorted(p.name for p in folder.iterdir()) == before


# --------------------------------------------------------------------------- status and links


def test_status_changes_update_front_matter_manifest_and_list(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    md = only_record(folder)
    result = cli("record", "status", "1", "accepted", "--dir", folder)
    assert result.code == 0 and "accepted" in result.err
    assert front_matter(md)["status"] == "accepted"
    manifest = json.loads(
        (folder / "assessments" / "0001-mini-rewrite" / "record.json").read_text("utf-8")
    )
    assert [c["status"] for c in manifest["status_history"]] == ["proposed", "accepted"]
    assert "0001  accepted" in cli("record", "list", "--dir", folder).out
    assert cli("record", "status", "0001", "deprecated", "--dir", folder).code == 0
    assert front_matter(md)["status"] == "deprecated"


def test_a_user_edit_of_the_record_survives_a_status_change(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    md = only_record(folder)
    md.write_text(md.read_text("utf-8") + "\nA note the team added by hand.\n", "utf-8")
    assert cli("record", "status", "1", "accepted", "--dir", folder).code == 0
    assert "A note the team added by hand." in md.read_text("utf-8")


def test_supersede_links_both_ways(cli, folder: Path, tmp_path: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    add(cli, folder, answers_file(tmp_path, "b.yaml", date='"2027-02-01"'), "--title", "Again")
    result = cli("record", "supersede", "1", "2", "--dir", folder)
    assert result.code == 0, result.err
    old, new = only_record(folder, 1), only_record(folder, 2)
    assert front_matter(old)["status"] == "superseded by [0002](0002-again.md)"
    assert front_matter(new)["status"] == "proposed"
    assert "* Superseded by [0002 Again](0002-again.md)" in old.read_text("utf-8")
    assert "* Supersedes [0001 Mini rewrite](0001-mini-rewrite.md)" in new.read_text("utf-8")
    old_m = json.loads(
        (folder / "assessments" / "0001-mini-rewrite" / "record.json").read_text("utf-8")
    )
    new_m = json.loads((folder / "assessments" / "0002-again" / "record.json").read_text("utf-8"))
    assert old_m["status"] == "superseded"
    assert old_m["links"]["superseded_by"] == 2
    assert new_m["links"]["supersedes"] == [1]
    listing = cli("record", "list", "--dir", folder).out
    assert "0001  superseded" in listing
    # And the records still verify: the Markdown changed, the stored evidence did not.
    assert cli("record", "verify", "--dir", folder).code == 0


def test_index_has_a_status_column(cli, folder: Path, tmp_path: Path) -> None:
    add(cli, folder, MINI_ANSWERS, "--review-by", "2000-01-01")
    add(cli, folder, answers_file(tmp_path, "b.yaml", date='"2027-02-01"'), "--title", "Again")
    cli("record", "supersede", "1", "2", "--dir", folder)
    result = cli("record", "index", "--dir", folder)
    assert result.code == 0, result.err
    text = (folder / "README.md").read_text("utf-8")
    assert "| Number | Title | Status | Verdict | Date | Review by |" in text
    assert (
        "| 0001 | [Mini rewrite](0001-mini-rewrite.md) | superseded by [0002](0002-again.md) |"
        in text
    )
    assert "| 0002 | [Again](0002-again.md) | proposed | Go" in text
    # Running it again replaces its own file.
    assert cli("record", "index", "--dir", folder).code == 0


def test_index_leaves_a_readme_it_did_not_write(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    (folder / "README.md").write_text("Our own notes\n", encoding="utf-8")
    result = cli("record", "index", "--dir", folder)
    assert_one_error(result, "README.md", "was not made by 'record index'")
    assert (folder / "README.md").read_text("utf-8") == "Our own notes\n"
    out = folder.parent / "decisions-index.md"
    assert cli("record", "index", "--dir", folder, "-o", out).code == 0
    assert "Mini rewrite" in out.read_text("utf-8")


def test_list_due_shows_overdue_reviews(cli, folder: Path, tmp_path: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    add(cli, folder, MINI_ANSWERS, "--review-by", "2000-01-01")
    add(cli, folder, answers_file(tmp_path, "b.yaml", date='"2026-11-21"'), "--review-by", future)
    add(
        cli,
        folder,
        answers_file(tmp_path, "c.yaml", date='"2026-11-22"'),
        "--review-by",
        "2001-01-01",
    )
    cli("record", "status", "3", "rejected", "--dir", folder)  # closed: no longer due
    listing = cli("record", "list", "--dir", folder)
    assert "2000-01-01 OVERDUE" in listing.out
    assert (
        f"{future} " in listing.out
        or listing.out.rstrip().endswith(future)
        or future in listing.out
    )
    due = cli("record", "list", "--due", "--dir", folder)
    assert due.code == 0
    lines = due.out.strip().splitlines()[2:]
    assert [line[:4] for line in lines] == ["0001", "    "]
    data = json.loads(cli("record", "list", "--format", "json", "--dir", folder).out)
    assert [(r["number"], r["review"]) for r in data] == [(1, "overdue"), (2, None), (3, None)]
    assert data[0]["review_by"] == "2000-01-01" and data[0]["verdict"] == "go"
    assert [r["date"] for r in data[1:]] == ["2026-11-21", "2026-11-22"], "the assessment's date"
    assert data[1]["recorded"] == dt.date.today().isoformat()
    header, title, *rows = listing.out.splitlines()
    assert header.split()[:5] == ["#", "status", "verdict", "assessed", "review"]
    assert title.split() == ["title"]
    assert "2026-11-21" in rows[2] and rows[3].strip() == "Mini rewrite"


def test_list_fits_80_columns(cli, folder: Path, tmp_path: Path) -> None:
    """Issue 19 polish: record list was 111 columns wide."""
    add(cli, folder, MINI_ANSWERS, "--review-by", "2000-01-01", "--title", "Word " * 40)
    listing = cli("record", "list", "--dir", folder)
    assert listing.code == 0
    assert max(len(line) for line in listing.out.splitlines()) <= 80
    assert "2000-01-01 OVERDUE" in listing.out
    assert " ".join(listing.out.split()).count("Word") == 40, "the title in full"


# --------------------------------------------------------------------------- verify


def test_verify_passes_on_untouched_records(cli, folder: Path, tmp_path: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    add(cli, folder, answers_file(tmp_path, "b.yaml", date='"2026-11-21"', freeze="12"))
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["ok 0001-mini-rewrite", "ok 0002-mini-rewrite"]
    assert cli("record", "verify", "2", "--dir", folder).out.strip() == "ok 0002-mini-rewrite"


def test_verify_fails_on_an_edited_answers_file(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    stored = folder / "assessments" / "0001-mini-rewrite" / "answers.yaml"
    stored.write_text(stored.read_text("utf-8").replace("freeze: 2", "freeze: 1"), "utf-8")
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3
    assert "answers.yaml: changed since it was recorded (SHA-256 differs)" in result.err
    assert result.err.strip().splitlines()[-1] == "error: 1 of 1 records failed verification"


def test_verify_fails_on_an_edited_memo(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    memo = folder / "assessments" / "0001-mini-rewrite" / "memo.html"
    memo.write_text(memo.read_text("utf-8").replace("Proceed.", "Proceed at once."), "utf-8")
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3
    assert "memo.html: changed since it was recorded" in result.err


def test_verify_fails_when_answers_and_hashes_are_both_edited(cli, folder: Path) -> None:
    """Re-hashing alone is not enough: the answers must still give the stored memo."""
    add(cli, folder, MINI_ANSWERS)
    record = folder / "assessments" / "0001-mini-rewrite"
    stored = record / "answers.yaml"
    stored.write_text(
        stored.read_text("utf-8").replace("motive: customer", "motive: fashion"), "utf-8"
    )
    manifest = json.loads((record / "record.json").read_text("utf-8"))
    digest = hashlib.sha256(stored.read_bytes()).hexdigest()
    manifest["files"]["answers.yaml"] = manifest["answers_sha256"] = digest
    (record / "record.json").write_text(json.dumps(manifest), "utf-8")
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3
    assert "re-scoring the stored answers with the stored bank gives a different memo" in result.err


def test_verify_reports_a_missing_file_and_a_status_edited_by_hand(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    (folder / "assessments" / "0001-mini-rewrite" / "memo.json").unlink()
    md = only_record(folder)
    md.write_text(md.read_text("utf-8").replace("status: proposed", "status: accepted"), "utf-8")
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3
    assert "memo.json: missing" in result.err
    assert "its status is 'accepted' but record.json says 'proposed'" in result.err


def test_a_record_made_with_an_older_bank_still_verifies(cli, folder: Path, tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    add(cli, folder, MINI_ANSWERS, bank=bank)
    before = (folder / "assessments" / "0001-mini-rewrite" / "memo.html").read_bytes()

    # The bank moves on: a new version, a rule that now fires harder, other verdict text.
    (bank / "bank.yaml").write_text(
        (bank / "bank.yaml").read_text("utf-8").replace('version: "1.0"', 'version: "1.1"'), "utf-8"
    )
    rules = (bank / "rules.yaml").read_text("utf-8")
    rules = rules.replace("when: {question: freeze, gt: 6}", "when: {question: freeze, gt: 1}")
    rules = rules.replace(
        "go: {title: Go, summary: Proceed.}", "go: {title: Go!, summary: Ship it.}"
    )
    (bank / "rules.yaml").write_text(rules, "utf-8")
    assert load_bank(bank).version == "1.1"
    # Today's bank no longer takes the old answers ...
    assert cli("report", MINI_ANSWERS, "--bank", bank).code == 2
    # ... but the record re-scores and re-renders with the copy it keeps.
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 0, result.err
    assert result.err == ""
    assert (folder / "assessments" / "0001-mini-rewrite" / "memo.html").read_bytes() == before


def test_verify_fails_when_the_stored_bank_copy_is_changed(cli, folder: Path) -> None:
    add(cli, folder, MINI_ANSWERS)
    rules = folder / "assessments" / "0001-mini-rewrite" / "bank" / "rules.yaml"
    rules.write_text(rules.read_text("utf-8").replace("Proceed.", "Go now."), "utf-8")
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3
    assert "bank/rules.yaml: changed since it was recorded" in result.err


def html_only(memo: Memo, fmt: str) -> bytes:
    if fmt == "pdf":
        raise AdvisorError("no PDF in this test")
    return render(memo, fmt)


def test_a_template_change_is_a_warning_not_a_failure(folder: Path) -> None:
    answers, raw = _answers()
    request = records.RecordRequest(answers, MINI_ANSWERS.read_bytes(), raw)
    records.add(folder, request, html_only, dt.date(2026, 11, 25))

    def restyled(memo: Memo, fmt: str) -> bytes:
        return html_only(memo, fmt).replace(b"<body", b"<body data-restyled")

    [result] = records.verify(folder, restyled).results
    assert result.ok
    assert [w.kind for w in result.warnings] == ["changed-rendering"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["record", "status", "9", "accepted"], ["there is no record 0009"]),
        (["record", "status", "1", "approved"], ["unknown status 'approved'"]),
        (["record", "status", "1", "superseded"], ["is set by 'record supersede'"]),
        (["record", "status", "one", "accepted"], ["'one' is not a record number"]),
        (["record", "status", "0", "accepted"], ["'0' is not a record number"]),
        (["record", "supersede", "1", "1"], ["cannot supersede itself"]),
        (["record", "supersede", "1", "5"], ["there is no record 0005"]),
        (["record", "verify", "4"], ["there is no record 0004"]),
        (
            ["record", "add", MINI_ANSWERS, "--status", "approved", "--bank", MINI_BANK],
            ["unknown status"],
        ),
        (
            ["record", "add", MINI_ANSWERS, "--review-by", "next week", "--bank", MINI_BANK],
            ["--review-by 'next week' is not a date"],
        ),
        (["record", "add", "missing.yaml", "--bank", MINI_BANK], ["missing.yaml", "no such file"]),
        (["record", "add", MINI_ANSWERS], ["no such folder"]),  # the bank it names is not here
        (["record", "list", "--format", "xml"], ["'xml' is not one of"]),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(
    cli, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list, needles: list
) -> None:
    add(cli, folder, MINI_ANSWERS)
    if args == ["record", "add", MINI_ANSWERS]:
        monkeypatch.setattr("rewrite_advisor.resources.default_bank_dir", lambda: tmp_path / "none")
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "--dir", folder)
    assert_one_error(result, *needles)


def test_unknown_record_folder_is_an_error(cli, tmp_path: Path) -> None:
    result = cli("record", "status", "1", "accepted", "--dir", tmp_path / "nowhere")
    assert_one_error(result, "no such records folder")
    result = cli("record", "index", "--dir", tmp_path / "nowhere")
    assert_one_error(result, "no such records folder")
    result = cli("record", "list", "--dir", tmp_path / "nowhere")
    assert_one_error(result, "nowhere", "no such records folder")


@pytest.mark.parametrize(
    "args",
    [
        ["record", "list"],
        ["record", "list", "--due"],
        ["record", "status", "1", "accepted"],
        ["record", "supersede", "1", "2"],
        ["record", "index"],
        ["record", "verify"],
        ["diff", "1", str(MINI_ANSWERS)],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_dir_given_that_does_not_exist_is_named_as_missing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """Issue 19 (second trial): 'record list --dir nodir' said "give --dir" to someone who had."""
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "--dir", "nodir")
    assert_one_error(result)
    assert result.err == (
        "error: nodir: no such records folder: the folder given with --dir does not exist "
        "(check its name; 'record add' makes a new one)\n"
    )
    assert not (tmp_path / "nodir").exists()


def test_dir_that_is_a_file_is_an_error(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "decisions"
    blocker.write_text("not a folder", encoding="utf-8")
    result = cli("record", "add", MINI_ANSWERS, "--dir", blocker, "--bank", MINI_BANK)
    assert_one_error(result)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_record_commands_are_documented(cli) -> None:
    result = cli("record", "--help")
    assert result.code == 0
    for command in ("add", "list", "status", "supersede", "index", "verify"):
        assert command in result.out
        sub = cli("record", command, "--help")
        assert sub.code == 0 and "--dir" in sub.out and "Example" in sub.out


# --------------------------------------------------------------------------- an ADR tool reads them


def test_adr_log_lists_the_records(cli, folder: Path, tmp_path: Path) -> None:
    """adr-log (npm) builds its index from the records; skipped where it is not installed."""
    tool = shutil.which("adr-log")
    if tool is None:
        pytest.skip("adr-log is not installed (npm install -g adr-log)")
    add(cli, folder, MINI_ANSWERS)
    add(
        cli,
        folder,
        answers_file(tmp_path, "b.yaml", date='"2026-11-21"'),
        "--title",
        "Переписать биллинг",
    )
    assert cli("record", "index", "--dir", folder).code == 0  # README.md, left out with -e
    index = folder / "index.md"
    index.write_text("<!-- adrlog -->\n<!-- adrlogstop -->\n", encoding="utf-8")
    done = subprocess.run(
        [tool, "-d", str(folder), "-i", "-e", "README.md"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    text = index.read_text(encoding="utf-8")
    assert "* [ADR-0001](0001-mini-rewrite.md) - Mini rewrite" in text
    assert "* [ADR-0002](0002-переписать-биллинг.md) - Переписать биллинг" in text
    assert "README.md" not in text


def test_a_subfolder_finds_the_repositorys_records_folder_as_git_finds_its_root(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19 C: from a subfolder, record add used to start a second docs/decisions at 0001."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    deep = repo / "src" / "billing"
    deep.mkdir(parents=True)
    monkeypatch.chdir(repo)
    first = cli("record", "add", MINI_ANSWERS, "--bank", MINI_BANK, "--no-pdf")
    assert first.code == 0, first.err
    assert "note: using the records folder" not in first.err
    monkeypatch.chdir(deep)
    second = cli(
        "record", "add", answers_file(tmp_path, "b.yaml", date='"2026-11-21"'),
        "--bank", MINI_BANK, "--no-pdf",
    )  # fmt: skip
    assert second.code == 0, second.err
    assert "note: using the records folder ../../docs/decisions" in second.err
    assert not (deep / "docs").exists()
    assert sorted(p.name for p in (repo / "docs" / "decisions").glob("*.md")) == [
        "0001-mini-rewrite.md",
        "0002-mini-rewrite.md",
    ]
    listing = cli("record", "list")
    assert listing.code == 0, listing.err
    assert "0001" in listing.out and "0002" in listing.out


def test_a_new_records_folder_goes_to_the_top_of_the_repository(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    monkeypatch.chdir(repo / "src")
    made = cli("record", "add", MINI_ANSWERS, "--bank", MINI_BANK, "--no-pdf")
    assert made.code == 0, made.err
    assert "note: using the records folder ../docs/decisions" in made.err
    assert [p.name for p in (repo / "docs" / "decisions").glob("*.md")] == ["0001-mini-rewrite.md"]
    assert not (repo / "src" / "docs").exists()


def test_a_past_review_date_is_kept_with_a_warning(cli, folder: Path, tmp_path: Path) -> None:
    """Issue 19 G: --review-by 2000-01-01 was accepted silently."""
    past = add(cli, folder, MINI_ANSWERS, "--review-by", "2000-01-01")
    assert "warning: the review date 2000-01-01 has passed" in past.err
    future = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    later = add(
        cli, folder, answers_file(tmp_path, "b.yaml", date='"2026-11-21"'), "--review-by", future
    )
    assert "warning" not in later.err


def test_record_paths_are_shown_from_the_current_folder(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19 polish: record add printed absolute paths, its errors relative ones."""
    monkeypatch.chdir(tmp_path)
    made = cli("record", "add", MINI_ANSWERS, "--bank", MINI_BANK, "--no-pdf")
    assert made.code == 0, made.err
    assert made.err == (
        "Go: wrote docs/decisions/0001-mini-rewrite.md and "
        "docs/decisions/assessments/0001-mini-rewrite/\n"
    )
    indexed = cli("record", "index")
    assert indexed.err == "wrote docs/decisions/README.md\n"
