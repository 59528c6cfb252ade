"""Records survive kills, concurrent writers, deletions and awkward names.

The kill tests run the real program under strace and kill it at every rename, link and unlink
it makes (``inject=SYSCALL:signal=KILL:when=N``), then check that the folder can always be
brought to the state an uninterrupted run leaves, both by running the command again and by
``record verify --repair``. They skip where strace is missing (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK, Result

from rewrite_advisor import records

WRITES = ("rename", "renameat", "renameat2", "link", "linkat", "unlink", "unlinkat")


def answers_copy(tmp_path: Path, name: str, date: str) -> Path:
    text = MINI_ANSWERS.read_text(encoding="utf-8")
    text = re.sub(r"^date: .*$", f'date: "{date}"', text, count=1, flags=re.MULTILINE)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def add(cli, folder: Path, answers: Path, *extra: str) -> Result:
    result = cli("record", "add", answers, "--dir", folder, "--bank", MINI_BANK, "--no-pdf", *extra)
    assert result.code == 0, result.err
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_one_error(result: Result, *needles: str) -> None:
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for needle in needles:
        assert needle in lines[0]


# --------------------------------------------------------------------------- kills


def program(cache: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(cache)}
    return [sys.executable, "-m", "rewrite_advisor"], env


def syscalls_made(strace: str, args: list[str], cwd: Path, cache: Path) -> Counter[str]:
    """How many times the command calls each of :data:`WRITES`, in a run to the end."""
    command, env = program(cache)
    log = cwd.parent / f"{cwd.name}.strace"
    trace = ["-f", "-qq", "-o", str(log), "-e", "trace=" + ",".join(WRITES)]
    done = subprocess.run(
        [strace, *trace, *command, *args], cwd=cwd, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    names = re.findall(r"^(?:\d+ +)?(\w+)\(", log.read_text(), re.MULTILINE)
    return Counter(names)


def killed_at(strace: str, args: list[str], cwd: Path, cache: Path, call: str, n: int) -> int:
    command, env = program(cache)
    inject = ["-f", "-qq", "-o", os.devnull, "-e", f"inject={call}:signal=KILL:when={n}"]
    done = subprocess.run(
        [strace, *inject, *command, *args], cwd=cwd, env=env, capture_output=True, timeout=120
    )
    return done.returncode


def check_every_kill(cli, tmp_path: Path, base: Path, args: list[str]) -> int:
    """Kill ``args`` at every write; each time both ways back must give the finished state."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (.ci/run installs it)")
    cache = tmp_path / "cache"
    work = tmp_path / "work"

    def fresh() -> Path:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work, symlinks=True)
        return work

    def in_folder(argv: list[str]) -> list[str]:
        return [a.replace(str(base), str(work)) for a in argv]

    # Warm the template cache, then count the writes of an uninterrupted run.
    syscalls_made(strace, in_folder(args), fresh(), cache)
    counts = syscalls_made(strace, in_folder(args), fresh(), cache)
    expected = snapshot(work / "decisions")
    assert counts, "the command wrote nothing"

    kills = 0
    for call, total in sorted(counts.items()):
        for n in range(1, total + 1):
            fresh()
            code = killed_at(strace, in_folder(args), work, cache, call, n)
            if code == 0:
                continue  # this run made fewer such calls (a cache write it did not need)
            assert code in (-9, 137), f"{call} #{n}: exit {code}"
            kills += 1
            folder = work / "decisions"
            # Reading never crashes on what the kill left.
            seen = cli("record", "verify", "--dir", folder)
            assert seen.code in (0, 3) and "Traceback" not in seen.err, seen.err
            listed = cli("record", "list", "--dir", folder)
            assert listed.code == 0 and "Traceback" not in listed.err, listed.err
            damaged = tmp_path / "damaged"
            shutil.rmtree(damaged, ignore_errors=True)
            shutil.copytree(work, damaged, symlinks=True)

            # One way back: the same command again.
            again = cli(*args[:1], *in_folder(args)[1:]) if False else cli(*in_folder(args))
            assert again.code == 0 or "recorded already" in again.err, (call, n, again.err)
            verified = cli("record", "verify", "--dir", folder)
            assert verified.code == 0, (call, n, verified.err)
            assert snapshot(folder) == expected, (call, n)

            # The other: record verify --repair, then the command.
            shutil.rmtree(work)
            shutil.copytree(damaged, work, symlinks=True)
            repaired = cli("record", "verify", "--repair", "--dir", folder)
            assert repaired.code == 0, (call, n, repaired.err)
            again = cli(*in_folder(args))
            assert again.code == 0 or "recorded already" in again.err, (call, n, again.err)
            assert snapshot(folder) == expected, (call, n)
    return kills


@pytest.fixture
def two_records(cli, tmp_path: Path) -> Path:
    base = tmp_path / "base"
    folder = base / "decisions"
    add(cli, folder, answers_copy(tmp_path, "a.yaml", "2026-11-20"), "--title", "First")
    add(cli, folder, answers_copy(tmp_path, "b.yaml", "2026-11-21"), "--title", "Second")
    return base


@pytest.mark.heavy
@pytest.mark.timeout(600)
def test_supersede_killed_at_every_write_is_finished_later(
    cli, tmp_path: Path, two_records: Path
) -> None:
    folder = two_records / "decisions"
    kills = check_every_kill(
        cli, tmp_path, two_records, ["record", "supersede", "1", "2", "--dir", str(folder)]
    )
    assert kills >= 5  # the journal, two manifests, two Markdown files


@pytest.mark.heavy
@pytest.mark.timeout(600)
def test_status_killed_at_every_write_is_finished_later(
    cli, tmp_path: Path, two_records: Path
) -> None:
    folder = two_records / "decisions"
    kills = check_every_kill(
        cli, tmp_path, two_records, ["record", "status", "2", "accepted", "--dir", str(folder)]
    )
    assert kills >= 3


@pytest.mark.heavy
@pytest.mark.timeout(600)
def test_add_killed_at_every_write_is_removed_and_can_run_again(
    cli, tmp_path: Path, two_records: Path
) -> None:
    folder = two_records / "decisions"
    answers = answers_copy(tmp_path, "c.yaml", "2026-11-22")
    args = ["record", "add", str(answers), "--dir", str(folder), "--bank", str(MINI_BANK)]
    kills = check_every_kill(cli, tmp_path, two_records, [*args, "--no-pdf"])
    assert kills >= 8  # the journal, six stored files, the manifest, the Markdown


def test_an_interrupted_change_is_reported_and_a_later_hand_edit_is_kept(
    cli, tmp_path: Path, two_records: Path
) -> None:
    folder = two_records / "decisions"
    old = folder / "0001-first.md"
    manifest = folder / "assessments" / "0001-first" / "record.json"
    # As if 'record supersede 1 2' was killed after writing its journal and one manifest.
    planned = records.store.Journal(
        operation="record supersede 1 2",
        writes=[
            records.store.planned_write(
                folder, manifest, manifest.read_bytes().replace(b"proposed", b"superseded")
            ),
            records.store.planned_write(
                folder, old, old.read_bytes().replace(b"proposed", b"superseded")
            ),
        ],
    )
    records.store.begin(folder, planned)
    listed = cli("record", "list", "--dir", folder)
    assert listed.code == 0 and "'record supersede 1 2' was interrupted" in listed.err
    seen = cli("record", "verify", "--dir", folder)
    assert seen.code == 3
    assert "'record supersede 1 2' was interrupted and is not finished" in seen.err
    # Someone edits the record before it is repaired: their edit is never overwritten.
    old.write_text(old.read_text("utf-8") + "\nA note typed meanwhile.\n", "utf-8")
    before = snapshot(folder)
    result = cli("record", "verify", "--repair", "--dir", folder)
    assert_one_error(result, "0001-first.md", "was changed since", records.JOURNAL)
    assert snapshot(folder) == before


# --------------------------------------------------------------------------- concurrent writers


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rewrite_advisor", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_adds_get_different_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    answers = [answers_copy(tmp_path, f"{i}.yaml", f"2026-11-{10 + i}") for i in range(4)]
    runs = [
        _start(
            ["record", "add", str(a), "--dir", str(folder), "--bank", str(MINI_BANK), "--no-pdf"],
            tmp_path,
        )
        for a in answers
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in runs]
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], outcomes
    names = sorted(p.name for p in folder.glob("*.md"))
    assert [n[:5] for n in names] == ["0001-", "0002-", "0003-", "0004-"]
    hashes = {
        json.loads((folder / "assessments" / Path(n).stem / "record.json").read_text())[
            "answers_sha256"
        ]
        for n in names
    }
    assert len(hashes) == 4  # each answers file recorded once, none overwritten


def test_the_same_answers_added_twice_at_once_are_recorded_once(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    answers = answers_copy(tmp_path, "a.yaml", "2026-11-20")
    args = [
        "record",
        "add",
        str(answers),
        "--dir",
        str(folder),
        "--bank",
        str(MINI_BANK),
        "--no-pdf",
    ]
    runs = [_start(args, tmp_path), _start(args, tmp_path)]
    outcomes = sorted((p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in runs)
    assert outcomes[0][0] == 0 and outcomes[1][0] == 2, outcomes
    assert "recorded already" in outcomes[1][1]
    assert len(list(folder.glob("*.md"))) == 1


# --------------------------------------------------------------------------- deletions


def test_verify_names_a_deleted_manifest_folder_or_markdown(
    cli, tmp_path: Path, two_records: Path
) -> None:
    folder = two_records / "decisions"
    add(cli, folder, answers_copy(tmp_path, "c.yaml", "2026-11-22"), "--title", "Third")
    (folder / "assessments" / "0001-first" / "record.json").unlink()
    shutil.rmtree(folder / "assessments" / "0002-second")
    (folder / "0003-third.md").unlink()
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3
    err = result.err
    assert "0001-first/record.json: missing" in err
    assert "assessments/0002-second: missing: the record's assessment folder" in err
    assert "0003-third.md: missing: the record's Markdown file" in err
    assert err.strip().splitlines()[-1] == "error: 3 of 3 records failed verification"
    for number in ("1", "2", "3"):
        assert cli("record", "verify", number, "--dir", folder).code == 3


def test_a_record_made_before_the_assessments_folder_still_verifies(
    cli, tmp_path: Path, two_records: Path
) -> None:
    """Older releases kept NNNN-slug/ beside the Markdown: it is read, verified and changed."""
    folder = two_records / "decisions"
    for stem in ("0001-first", "0002-second"):
        (folder / "assessments" / stem).rename(folder / stem)
        md = folder / f"{stem}.md"
        md.write_text(md.read_text("utf-8").replace(f"assessments/{stem}", stem), "utf-8")
        # and, as then, no SHA-256 of the Markdown in record.json
        manifest = folder / stem / "record.json"
        data = json.loads(manifest.read_text("utf-8"))
        del data["markdown_sha256"]
        manifest.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
    (folder / "assessments").rmdir()
    assert cli("record", "verify", "--dir", folder).code == 0
    assert cli("record", "supersede", "1", "2", "--dir", folder).code == 0
    assert cli("record", "verify", "--dir", folder).code == 0
    manifest = json.loads((folder / "0001-first" / "record.json").read_text())
    assert manifest["status"] == "superseded"
    diff = cli("diff", "1", "2", "--dir", folder, "--format", "json")
    assert diff.code == 0, diff.err
    (folder / "0001-first" / "record.json").unlink()
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3 and "0001-first/record.json: missing" in result.err


@pytest.mark.timeout(30)
def test_a_fifo_in_a_record_folder_is_reported_not_waited_on(cli, two_records: Path) -> None:
    folder = two_records / "decisions"
    memo = folder / "assessments" / "0001-first" / "memo.html"
    memo.unlink()
    os.mkfifo(memo)
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 3
    assert "memo.html: this is a special file, not a regular file" in result.err


# --------------------------------------------------------------------------- names and folders


def test_a_title_of_60_cjk_extension_b_characters_gives_a_short_enough_name(
    cli, tmp_path: Path
) -> None:
    title = "".join(chr(0x20000 + i) for i in range(60))  # four bytes each in UTF-8
    folder = tmp_path / "decisions"
    add(cli, folder, answers_copy(tmp_path, "a.yaml", "2026-11-20"), "--title", title)
    [md] = folder.glob("*.md")
    assert len(md.name.encode("utf-8")) <= 255
    assert len(records.slugify(title).encode("utf-8")) <= records.SLUG_MAX_BYTES
    assert md.name.startswith("0001-" + title[:10])
    assert cli("record", "verify", "--dir", folder).code == 0
    assert cli("record", "status", "1", "accepted", "--dir", folder).code == 0


@pytest.mark.parametrize(
    "title",
    [
        "é" * 200,  # two bytes each
        "e\u0301" * 100,  # a letter and a combining accent
        "👩‍👩‍👧" * 40,  # emoji are not letters: the default slug
        "ﷺ" * 80,  # one character that NFKC makes many
    ],
)
def test_slugs_are_cut_by_bytes_and_never_end_half_a_letter(title: str) -> None:
    slug = records.slugify(title)
    assert 0 < len(slug.encode("utf-8")) <= records.SLUG_MAX_BYTES
    assert slug == slug.rstrip("-")
    assert not slug[-1:].isspace()


def test_list_of_a_folder_that_does_not_exist_is_an_error(cli, tmp_path: Path) -> None:
    for args in (
        ["record", "list", "--dir", tmp_path / "typo"],
        ["record", "list", "--due", "--dir", tmp_path / "typo"],
        ["record", "verify", "--dir", tmp_path / "typo"],
        ["record", "supersede", "1", "2", "--dir", tmp_path / "typo"],
    ):
        assert_one_error(cli(*args), "typo", "no such records folder")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert_one_error(cli("record", "list", "--dir", blocker), "is a file")


@pytest.mark.parametrize("number", ["9" * 5000, "0" * 20, "1" + "0" * 9, "-1", "1e3"])
def test_record_numbers_out_of_range_are_one_error_line(
    cli, two_records: Path, number: str
) -> None:
    folder = two_records / "decisions"
    for args in (["record", "status", number, "accepted"], ["record", "verify", number]):
        result = cli(*args, "--dir", folder)
        assert result.code == 2, result.err
        assert len(result.err.strip().splitlines()) == 1 and len(result.err) < 300


# --------------------------------------------------------------------------- records made by 0.1


def test_records_made_by_release_0_1_still_verify_and_change(cli, tmp_path: Path) -> None:
    """Made by rewrite-advisor 0.1 with the default bank 1.0.0: folders beside the Markdown."""
    shutil.copytree(Path(__file__).parent / "fixtures" / "records-made-by-0.1", tmp_path / "old")
    folder = tmp_path / "old" / "decisions"
    result = cli("record", "verify", "--dir", folder)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "ok 0001-replace-the-billing-engine-for-usage-based-plans",
        "ok 0002-move-appointment-scheduling-off-the-legacy-monolith",
    ]
    listing = json.loads(cli("record", "list", "--dir", folder, "--format", "json").out)
    assert [(r["number"], r["status"], r["verdict"]) for r in listing] == [
        (1, "superseded", "go"),
        (2, "proposed", "not_yet"),
    ]
    assert cli("record", "status", "2", "accepted", "--dir", folder).code == 0
    assert cli("record", "verify", "--dir", folder).code == 0
    diff = cli("diff", "1", "2", "--dir", folder, "--format", "json")
    assert diff.code == 0, diff.err
    assert json.loads(diff.out)["new"]["verdict"] == "not_yet"


# --------------------------------------------------------------------------- an untrusted journal


def plant_journal(folder: Path, journal: dict[str, object]) -> None:
    data = {"kind": "rewrite-advisor/journal", "format": 1, **journal}
    (folder / records.JOURNAL).write_text(json.dumps(data), encoding="utf-8")


FORGED = {
    "the whole assessments folder": {
        "operation": "record add 0003",
        "adding": {"folder": "assessments", "markdown": "0003-nothing.md"},
    },
    "another record's folder": {
        "operation": "record add 0003",
        "adding": {"folder": "assessments/0001-first", "markdown": "0003-nothing.md"},
    },
    "another record's folder, named as its own": {
        "operation": "record add 0001",
        "adding": {"folder": "assessments/0001-first", "markdown": "0001-first-gone.md"},
    },
    "a folder outside": {
        "operation": "record add 0003",
        "adding": {"folder": "assessments/../..", "markdown": "0003-x.md"},
    },
    "a file that only a person edits": {
        "operation": "record status 1 accepted",
        "writes": [{"path": "../a.yaml", "before": "0" * 64, "after": "gone"}],
    },
    "a new file": {
        "operation": "record status 1 accepted",
        "writes": [{"path": "0009-new.md", "before": None, "after": "x"}],
    },
    "an operation with escapes": {"operation": "record add \x1b]0;PWNED\x07"},
    "not JSON": None,
}


@pytest.mark.parametrize("forged", list(FORGED))
def test_a_forged_journal_is_refused_and_nothing_is_touched(
    cli, tmp_path: Path, two_records: Path, forged: str
) -> None:
    folder = two_records / "decisions"
    journal = FORGED[forged]
    if journal is None:
        (folder / records.JOURNAL).write_bytes(b"\x00not json")
    else:
        plant_journal(folder, journal)
    (tmp_path / "a.yaml").write_text("the user's own file\n")
    before = snapshot(folder)
    repaired = cli("record", "verify", "--repair", "--dir", folder)
    assert repaired.code == 3, repaired.err
    assert "not a journal" in repaired.err and "nothing was changed" in repaired.err
    assert "\x1b" not in repaired.err
    assert snapshot(folder) == before
    added = cli(
        "record", "add", answers_copy(tmp_path, "c.yaml", "2026-11-22"), "--dir", folder,
        "--bank", MINI_BANK, "--no-pdf",
    )  # fmt: skip
    assert_one_error(added, records.JOURNAL, "nothing was changed")
    assert cli("record", "status", "2", "accepted", "--dir", folder).code == 2
    assert snapshot(folder) == before
    assert (tmp_path / "a.yaml").read_text() == "the user's own file\n"


def test_an_interrupted_add_deletes_only_what_it_wrote_and_moves_the_rest_aside(
    cli, tmp_path: Path, two_records: Path
) -> None:
    folder = two_records / "decisions"
    made = folder / "assessments" / "0003-third"
    (made / "bank").mkdir(parents=True)
    (made / "answers.yaml").write_bytes(b"answers it wrote\n")
    (made / "memo.html").write_bytes(b"<p>a memo someone put here</p>\n")
    (made / "bank" / "notes.txt").write_bytes(b"a note of someone's\n")
    plant_journal(
        folder,
        {
            "operation": "record add 0003",
            "adding": {
                "folder": "assessments/0003-third",
                "markdown": "0003-third.md",
                "files": {
                    "answers.yaml": records.sha256(b"answers it wrote\n"),
                    "memo.html": records.sha256(b"the memo it wrote\n"),
                },
            },
        },
    )
    result = cli("record", "verify", "--repair", "--dir", folder)
    assert result.code == 0, result.err
    assert "kept in .rewrite-advisor-kept-0003-third" in result.err
    assert not made.exists()
    kept = folder / ".rewrite-advisor-kept-0003-third"
    assert (kept / "memo.html").read_bytes() == b"<p>a memo someone put here</p>\n"
    assert (kept / "bank" / "notes.txt").read_bytes() == b"a note of someone's\n"
    assert not (kept / "answers.yaml").exists(), "what it provably wrote is removed"
    assert not (folder / records.JOURNAL).exists()
    assert [r.number for r in records.scan(folder)] == [1, 2]


def test_a_5000_digit_superseded_by_in_the_markdown_is_no_traceback(cli, two_records: Path) -> None:
    folder = two_records / "decisions"
    markdown = folder / "0001-first.md"
    text = markdown.read_text("utf-8")
    markdown.write_text(
        text.replace("status: proposed", f"status: superseded by [{'9' * 5000}](x.md)", 1), "utf-8"
    )
    for args in (["record", "verify", "--repair"], ["record", "verify"], ["record", "list"]):
        result = cli(*args, "--dir", folder)
        assert result.code in (0, 3) and "Traceback" not in result.err, result.err
        assert len(result.out) < 4000


def test_a_5000_digit_number_in_record_json_is_one_error_line(cli, two_records: Path) -> None:
    folder = two_records / "decisions"
    manifest = folder / "assessments" / "0001-first" / "record.json"
    data = json.loads(manifest.read_text("utf-8"))
    data["links"]["superseded_by"] = 0
    text = json.dumps(data).replace('"superseded_by": 0', '"superseded_by": ' + "9" * 5000)
    manifest.write_text(text, "utf-8")
    assert_one_error(cli("record", "status", "1", "accepted", "--dir", folder), "record.json")
    seen = cli("record", "verify", "--dir", folder)
    assert seen.code == 3 and "Traceback" not in seen.err
    listed = cli("record", "list", "--dir", folder)
    assert listed.code == 0, listed.err
