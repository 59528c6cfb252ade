"""Records and the ADR tools teams already use: log4brains, adr-tools, pyadr, markdownlint.

The styles and the detection are tested on their own; then each real tool reads a folder of
our records. Those tests skip, saying so, where the tool is not installed (``.ci/run``
installs every one of them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK, ROOT, Result

from rewrite_advisor import records

TIMEOUT = 120


def answers_copy(tmp_path: Path, name: str, date: str) -> Path:
    text = MINI_ANSWERS.read_text(encoding="utf-8")
    text = re.sub(r"^date: .*$", f'date: "{date}"', text, count=1, flags=re.MULTILINE)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def add(cli, tmp_path: Path, date: str, *extra: str | Path) -> Result:
    answers = answers_copy(tmp_path, f"answers-{date}.yaml", date)
    result = cli("record", "add", answers, "--bank", MINI_BANK, "--no-pdf", *extra)
    assert result.code == 0, result.err
    return result


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return found


def run_tool(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
    )
    return done


# --------------------------------------------------------------------------- the three styles


def test_log4brains_style_has_the_header_list_before_the_first_section(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--style", "log4brains", "--consulted", "Bo")
    [md] = (tmp_path / "docs" / "decisions").glob("0001-*.md")
    text = md.read_text("utf-8")
    assert text.startswith("# Mini rewrite\n\n* Status: proposed\n* Deciders: Ana\n* Date: ")
    assert "* Consulted: Bo\n" in text
    assert "\n## Links\n" in text
    assert records.read_heading(text).style == "log4brains"


def test_nygard_style_is_what_adr_tools_writes(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = add(cli, tmp_path, "2026-11-20", "--style", "nygard")
    assert "adr-tools lists these records once .adr-dir names the folder" in result.err
    [md] = (tmp_path / "docs" / "decisions").glob("0001-*.md")
    lines = md.read_text("utf-8").splitlines()
    assert lines[:7] == ["# 1. Mini rewrite", "", lines[2], "", "## Status", "", "Proposed"]
    assert re.fullmatch(r"Date: \d{4}-\d\d-\d\d", lines[2])
    assert [ln for ln in lines if ln.startswith("## ")] == [
        "## Status",
        "## Context",
        "## Decision",
        "## Consequences",
    ]


@pytest.mark.parametrize("style", ["madr", "log4brains", "nygard"])
def test_every_style_changes_status_supersedes_and_verifies(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str
) -> None:
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--style", style, "--title", "Old plan")
    add(cli, tmp_path, "2026-11-21", "--title", "New plan")  # follows the folder's style
    folder = tmp_path / "docs" / "decisions"
    new_text = (folder / "0002-new-plan.md").read_text("utf-8")
    assert records.read_heading(new_text).style == style
    assert cli("record", "status", "2", "accepted").code == 0
    assert cli("record", "supersede", "1", "2").code == 0
    old = records.read_heading((folder / "0001-old-plan.md").read_text("utf-8"))
    new = records.read_heading((folder / "0002-new-plan.md").read_text("utf-8"))
    assert old.status.lower().startswith("superseded by [")
    assert "0002-new-plan.md" in old.status
    assert new.status.lower() == "accepted"
    assert "0001-old-plan.md" in (folder / "0002-new-plan.md").read_text("utf-8")
    listing = json.loads(cli("record", "list", "--format", "json").out)
    assert [(r["number"], r["status"]) for r in listing] == [(1, "superseded"), (2, "accepted")]
    result = cli("record", "verify")
    assert result.code == 0, result.err


def test_status_and_supersede_run_twice_say_so_and_change_nothing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20")
    add(cli, tmp_path, "2026-11-21")
    assert cli("record", "status", "2", "accepted").code == 0
    again = cli("record", "status", "2", "accepted")
    assert again.code == 0 and again.err.strip().endswith("accepted already")
    assert cli("record", "supersede", "1", "2").code == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = cli("record", "supersede", "1", "2")
    assert again.code == 0 and again.err.strip().endswith("already")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("files", "folder", "style"),
    [
        (
            {".log4brains.yml": "project:\n  name: x\n  tz: Etc/UTC\n  adrFolder: ./adr\n"},
            "adr",
            "log4brains",
        ),
        ({".adr-dir": "doc/architecture\n"}, "doc/architecture", "nygard"),
        ({".adr": "[adr]\nrecords-dir = decisions\n"}, "decisions", "log4brains"),
        ({".adr": "[adr]\n"}, "docs/adr", "log4brains"),
        ({}, "docs/decisions", "madr"),
    ],
)
def test_the_folder_and_style_come_from_the_repositorys_adr_tool(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict, folder: str, style: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "src"
    sub.mkdir()
    # .log4brains.yml and .adr-dir are found from a sub-folder too; pyadr reads only the cwd,
    # and the default folder is docs/decisions in the current folder.
    monkeypatch.chdir(sub if {".log4brains.yml", ".adr-dir"} & set(files) else tmp_path)
    add(cli, tmp_path, "2026-11-20")
    [md] = (tmp_path / folder).glob("0001-*.md")
    assert records.read_heading(md.read_text("utf-8")).style == style
    assert (tmp_path / folder / "assessments" / md.stem / "record.json").is_file()


def test_a_given_dir_that_the_tool_file_does_not_name_keeps_madr(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".adr-dir").write_text("doc/adr\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--dir", "elsewhere")
    [md] = (tmp_path / "elsewhere").glob("0001-*.md")
    assert records.read_heading(md.read_text("utf-8")).style == "madr"


def test_pyadr_gets_ascii_file_names_that_match_its_slug_of_the_title(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".adr").write_text("[adr]\nrecords-dir = adr\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--title", "Café's billing: 1,000 users & more")
    assert [p.name for p in (tmp_path / "adr").glob("*.md")] == [
        "0001-cafe-s-billing-1000-users-more.md"
    ]
    assert cli("record", "index").err.strip().endswith("index.md")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Use PostgreSQL", "use-postgresql"),
        ("Don't rewrite", "don-t-rewrite"),
        ("Café déjà vu", "cafe-deja-vu"),
        ("a &amp; b", "a-b"),
        ("1,000 users", "1000-users"),
        ("Переписать", "decision"),
    ],
)
def test_ascii_slugs_follow_python_slugify(title: str, slug: str) -> None:
    assert records.ascii_slugify(title) == slug


# --------------------------------------------------------------------------- records by other tools


ADR_TOOLS = """# 1. Record architecture decisions

Date: 2026-01-05

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.
"""

ADR_TOOLS_SUPERSEDED = """# 2. Use MySQL

Date: 2026-01-06

## Status

Superseded by [3. Use PostgreSQL](0003-use-postgresql.md)

## Context

Text.
"""

LOG4BRAINS = """# Use a queue

- Status: proposed
- Deciders: Ana, Ben
- Date: 2026-02-01
- Tags: backend

## Context and Problem Statement

Text.
"""

LOG4BRAINS_DRAFT = """# Use a cache

- Status: [draft | proposed | rejected | accepted | deprecated | … | superseded by [xxx](yyyymmdd-xxx.md)] <!-- optional -->
- Deciders: [list everyone involved in the decision] <!-- optional -->

## Context and Problem Statement
"""

PYADR = """# Use Markdown Architectural Decision Records

* Status: rejected
* Deciders: Ana
* Date: 2026-03-01

## Context and Problem Statement
"""


def test_list_and_index_read_records_other_tools_wrote(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    (folder / "0001-record-architecture-decisions.md").write_text(ADR_TOOLS, "utf-8")
    (folder / "0002-use-mysql.md").write_text(ADR_TOOLS_SUPERSEDED, "utf-8")
    (folder / "0004-use-markdown.md").write_text(PYADR, "utf-8")
    (folder / "20260201-use-a-queue.md").write_text(LOG4BRAINS, "utf-8")
    (folder / "20260202-use-a-cache.md").write_text(LOG4BRAINS_DRAFT, "utf-8")
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20")
    listing = json.loads(cli("record", "list", "--format", "json").out)
    assert [(r["number"], r["title"], r["status"]) for r in listing] == [
        (1, "Record architecture decisions", "Accepted"),
        (2, "Use MySQL", "Superseded by [3. Use PostgreSQL](0003-use-postgresql.md)"),
        (4, "Use Markdown Architectural Decision Records", "rejected"),
        (5, "Mini rewrite", "proposed"),  # after the highest number; dates are not numbers
        (20260201, "Use a queue", "proposed"),
        (20260202, "Use a cache", "draft"),
    ]
    text = cli("record", "list").out
    assert "0002  superseded" in text and "0001  accepted" in text
    assert cli("record", "index").code == 0
    index = (folder / "README.md").read_text("utf-8")
    assert (
        "| 0002 | [Use MySQL](0002-use-mysql.md) | Superseded by \\[3. Use PostgreSQL\\]" in index
    )


def test_diff_of_another_tools_record_says_it_has_no_assessment(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    (folder / "0001-record-architecture-decisions.md").write_text(ADR_TOOLS, "utf-8")
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--style", "log4brains")
    for ref in ("1", str(folder / "0001-record-architecture-decisions.md")):
        result = cli("diff", ref, "2")
        assert result.code == 2
        assert "was not made by rewrite-advisor" in result.err
        assert len(result.err.strip().splitlines()) == 1
    # Our own records compare in every style, by number, .md file or assessment folder.
    by_md = cli("diff", folder / "0002-mini-rewrite.md", "2", "--format", "json")
    by_folder = cli("diff", folder / "assessments" / "0002-mini-rewrite", "2", "--format", "json")
    assert by_md.code == 0 and by_folder.code == 0, by_md.err + by_folder.err
    assert json.loads(by_md.out)["verdict_changed"] is False


# --------------------------------------------------------------------------- the real tools


def test_adr_tools_lists_and_supersedes_our_records(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adr = tool("adr")
    monkeypatch.chdir(tmp_path)
    done = run_tool([adr, "init", "docs/decisions"], tmp_path, VISUAL="true", EDITOR="true")
    assert done.returncode == 0, done.stderr
    add(cli, tmp_path, "2026-11-20", "--title", "Replace billing")
    add(cli, tmp_path, "2026-11-21", "--title", "Replace search", "--status", "accepted")
    folder = tmp_path / "docs" / "decisions"

    listed = run_tool([adr, "list"], tmp_path).stdout.split()
    assert listed == [
        "docs/decisions/0001-record-architecture-decisions.md",
        "docs/decisions/0002-replace-billing.md",
        "docs/decisions/0003-replace-search.md",
    ]
    toc = run_tool([adr, "generate", "toc"], tmp_path).stdout
    assert "* [2. Replace billing](0002-replace-billing.md)" in toc
    assert "* [3. Replace search](0003-replace-search.md)" in toc

    # adr-tools' record is read; ours supersede each other the way adr-tools links them.
    listing = json.loads(cli("record", "list", "--format", "json").out)
    assert listing[0]["title"] == "Record architecture decisions"
    assert cli("record", "supersede", "2", "3").code == 0
    links = run_tool(["/usr/libexec/adr-tools/_adr_links", "3"], tmp_path)
    if links.returncode == 0:
        assert links.stdout.strip() == "2=Supersedes"

    # adr-tools supersedes one of ours: verify notices, --repair takes the new status over.
    done = run_tool(
        [adr, "new", "-s", "3", "Buy", "a", "search", "engine"],
        tmp_path,
        EDITOR="true",
        VISUAL="true",
    )
    assert done.returncode == 0, done.stderr
    third = (folder / "0003-replace-search.md").read_text("utf-8")
    assert "Superseded by [4. Buy a search engine](0004-buy-a-search-engine.md)" in third
    result = cli("record", "verify")
    assert result.code == 3 and "record verify --repair" in result.err
    repaired = cli("record", "verify", "--repair")
    assert repaired.code == 0, repaired.err
    assert "0003-replace-search: status 'Superseded by" in repaired.err
    manifest = json.loads(
        (folder / "assessments" / "0003-replace-search" / "record.json").read_text()
    )
    assert manifest["status"] == "superseded" and manifest["links"]["superseded_by"] == 4


def test_adr_tools_superseding_a_madr_record_is_seen_by_verify(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: 'adr new -s 1' left our MADR record 'proposed' and verify exited 0."""
    adr = tool("adr")
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--title", "Replace billing")  # MADR: no .adr-dir yet
    (tmp_path / ".adr-dir").write_text("docs/decisions\n")
    done = run_tool(
        [adr, "new", "-s", "1", "Buy", "billing"], tmp_path, EDITOR="true", VISUAL="true"
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "docs" / "decisions"
    assert "(0001-replace-billing.md)" in (folder / "0002-buy-billing.md").read_text("utf-8")
    result = cli("record", "verify")
    assert result.code == 3, result.err
    assert "0002-buy-billing.md says it supersedes this record" in result.err
    repaired = cli("record", "verify", "--repair")
    assert repaired.code == 0, repaired.err
    assert "0001-replace-billing: superseded by 0002, as 0002-buy-billing.md says" in repaired.err
    old = records.read_heading((folder / "0001-replace-billing.md").read_text("utf-8"))
    assert old.status.startswith("superseded by [0002](0002-buy-billing.md)")
    manifest = json.loads(
        (folder / "assessments" / "0001-replace-billing" / "record.json").read_text()
    )
    assert manifest["status"] == "superseded" and manifest["links"]["superseded_by"] == 2
    assert cli("record", "verify").code == 0


def test_the_markdown_is_hashed_and_verify_sees_it_change(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README says the Markdown is hashed: an edit made outside 'record' is seen."""
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--title", "Replace billing")
    assert cli("record", "status", "1", "accepted").code == 0
    assert cli("record", "verify").code == 0  # our own changes keep the hash
    md = tmp_path / "docs" / "decisions" / "0001-replace-billing.md"
    md.write_text(md.read_text("utf-8").replace("Replace billing", "Keep billing", 1), "utf-8")
    result = cli("record", "verify")
    assert result.code == 3
    assert "0001-replace-billing.md: changed since 'record' last wrote it" in result.err
    repaired = cli("record", "verify", "--repair")
    assert "the Markdown's changes taken over" in repaired.err
    assert cli("record", "verify").code == 0


def test_pyadr_checks_and_indexes_a_folder_of_our_records(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyadr = tool("pyadr")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".adr").write_text("[adr]\nrecords-dir = docs/adr\n", encoding="utf-8")
    done = run_tool([pyadr, "init"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    add(cli, tmp_path, "2026-11-20", "--title", "Replace the billing engine (v2)")
    add(cli, tmp_path, "2026-11-21", "--title", "Ne pas réécrire", "--status", "accepted")
    assert cli("record", "supersede", "2", "3").code == 0
    assert cli("record", "status", "3", "rejected").code == 0
    folder = tmp_path / "docs" / "adr"
    assert (folder / "0002-replace-the-billing-engine-v2.md").is_file()
    assert (folder / "0003-ne-pas-reecrire.md").is_file()

    check = run_tool([pyadr, "check-adr-repo"], tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "All checks passed." in check.stdout + check.stderr
    toc = run_tool([pyadr, "toc"], tmp_path)  # opens every NNNN-* entry: no folder among them
    assert toc.returncode == 0, toc.stdout + toc.stderr
    index = (folder / "index.md").read_text("utf-8")
    superseded = index.split("## Superseded Records")[1].split("##")[0]
    assert (
        "[0002 - Replace the billing engine (v2)](0002-replace-the-billing-engine-v2.md)"
        in superseded
    )
    rejected = index.split("## Rejected Records")[1].split("##")[0]
    assert "[0003 - Ne pas réécrire](0003-ne-pas-reecrire.md)" in rejected
    # Issue 19: pyadr's generated index.md made 'record index' exit 2; it is replaced now.
    indexed = cli("record", "index")
    assert indexed.code == 0, indexed.err
    assert "generated by rewrite-advisor record index" in (folder / "index.md").read_text("utf-8")
    # pyadr's own records are listed by us.
    listing = json.loads(cli("record", "list", "--format", "json").out)
    assert listing[0]["title"] == "Record architecture decisions"
    assert listing[0]["status"] == "accepted"


def test_pyadr_accept_renumbering_is_seen_and_repaired(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: 'pyadr accept' renamed 0001 to the next number; links broke and verify
    --repair did not see it."""
    pyadr = tool("pyadr")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".adr").write_text("[adr]\nrecords-dir = docs/adr\n", encoding="utf-8")
    add(cli, tmp_path, "2026-11-20", "--title", "Replace billing")
    add(cli, tmp_path, "2026-11-21", "--title", "Buy billing")
    assert cli("record", "supersede", "1", "2").code == 0
    folder = tmp_path / "docs" / "adr"
    done = run_tool([pyadr, "accept", "docs/adr/0001-replace-billing.md"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    [renamed] = [p.name for p in folder.glob("*-replace-billing.md")]
    assert renamed != "0001-replace-billing.md"
    number = int(renamed[:4])
    assert "0001-replace-billing.md" in (folder / "0002-buy-billing.md").read_text("utf-8")
    result = cli("record", "verify")
    assert result.code == 3
    assert f"renumbered: the file is {number:04d} but record.json says 0001" in result.err
    repaired = cli("record", "verify", "--repair")
    assert repaired.code == 0, repaired.err
    assert f"number 0001 -> {number:04d}" in repaired.err
    second = (folder / "0002-buy-billing.md").read_text("utf-8")
    assert "0001-replace-billing.md" not in second and renamed in second
    manifest = json.loads((folder / "assessments" / "0002-buy-billing" / "record.json").read_text())
    assert manifest["links"]["supersedes"] == [number]
    assert cli("record", "verify").code == 0


def test_record_list_shows_pyadrs_proposals(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: 'pyadr propose' writes XXXX-slug.md, which record list left out."""
    pyadr = tool("pyadr")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".adr").write_text("[adr]\nrecords-dir = docs/adr\n", encoding="utf-8")
    add(cli, tmp_path, "2026-11-20", "--title", "Replace billing")
    done = run_tool([pyadr, "new", "Use Kafka for events"], tmp_path)
    if done.returncode != 0:
        done = run_tool([pyadr, "propose", "Use Kafka for events"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    [proposal] = (tmp_path / "docs" / "adr").glob("XXXX-*.md")
    listing = cli("record", "list")
    assert listing.code == 0, listing.err
    facts, title = listing.out.splitlines()[-2:]
    assert facts.startswith("XXXX  proposed") and title.strip() == "Use Kafka for events"
    data = json.loads(cli("record", "list", "--format", "json").out)
    assert data[-1]["number"] is None and data[-1]["file"].endswith(proposal.name)
    assert cli("record", "verify").code == 0
    # the next record is numbered as before
    add(cli, tmp_path, "2026-11-21", "--title", "Second")
    assert (tmp_path / "docs" / "adr" / "0002-second.md").is_file()


def _log4brains_repo(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".log4brains.yml").write_text(
        "project:\n  name: Trial\n  tz: Etc/UTC\n  adrFolder: ./docs/adr\n", encoding="utf-8"
    )
    add(cli, tmp_path, "2026-11-20", "--title", "Replace billing")
    add(cli, tmp_path, "2026-11-21", "--title", "Replace search", "--status", "accepted")
    add(cli, tmp_path, "2026-11-22", "--title", "Keep the old scheduler")
    assert cli("record", "supersede", "1", "2").code == 0
    assert cli("record", "status", "3", "rejected").code == 0
    return tmp_path / "docs" / "adr"


@pytest.mark.parametrize(
    ("tool_file", "content", "style", "says"),
    [
        (".log4brains.yml", "project:\n  adrFolder: ./docs/decisions\n", "madr", "log4brains"),
        (".log4brains.yml", "project:\n  adrFolder: ./docs/decisions\n", "nygard", "log4brains"),
        (".adr-dir", "docs/decisions\n", "madr", "adr-tools"),
        (".adr", "[adr]\nrecords-dir = docs/decisions\n", "nygard", "pyadr"),
    ],
)
def test_a_style_the_repositorys_tool_misreads_is_warned_about(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tool_file, content, style, says
) -> None:
    """Issue 19: with --style madr in a log4brains repository, nothing warned."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / tool_file).write_text(content, "utf-8")
    result = add(cli, tmp_path, "2026-11-20", "--style", style)
    assert f"warning: this repository uses {says} ({tool_file})" in result.err
    assert "Without --style, records are written as" in result.err
    plain = add(cli, tmp_path, "2026-11-21")
    assert "warning" not in plain.err


def test_log4brains_lists_our_records_with_their_status(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log4brains = tool("log4brains")
    _log4brains_repo(cli, tmp_path, monkeypatch)
    done = run_tool([log4brains, "adr", "list", "--raw"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "0001-replace-billing,SUPERSEDED,,Replace",
        "billing",
        "0002-replace-search,ACCEPTED,,Replace",
        "search",
        "0003-keep-the-old-scheduler,REJECTED,,Keep",
        "the",
        "old",
        "scheduler",
    ]


@pytest.mark.heavy
@pytest.mark.timeout(600)
def test_log4brains_build_shows_status_deciders_and_dates(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log4brains = tool("log4brains")
    git = tool("git")
    _log4brains_repo(cli, tmp_path, monkeypatch)
    ident = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    for args in (["init", "-q"], ["add", "-A"], [*ident, "commit", "-q", "-m", "records"]):
        done = run_tool([git, *args], tmp_path)
        assert done.returncode == 0, done.stderr
    out = tmp_path / "site"
    done = run_tool([log4brains, "build", "--out", str(out)], tmp_path, NEXT_TELEMETRY_DISABLED="1")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "with a total of 3 ADRs" in done.stdout + done.stderr
    # log4brains keeps data of earlier builds (in its own install) beside this build's.
    build = re.search(r'"buildId":"([^"]+)"', (out / "index.html").read_text("utf-8"))
    assert build is not None
    pages = {}
    for page in (out / "_next" / "data" / build.group(1) / "adr").glob("*.json"):
        adr = json.loads(page.read_text("utf-8"))["pageProps"]["currentAdr"]
        pages[adr["slug"]] = adr
    assert sorted(pages) == [
        "0001-replace-billing",
        "0002-replace-search",
        "0003-keep-the-old-scheduler",
    ]
    first = pages["0001-replace-billing"]
    assert first["status"] == "superseded"
    assert first["supersededBy"]["slug"] == "0002-replace-search"
    assert first["deciders"] == ["Ana"]
    assert first["publicationDate"] is not None
    assert pages["0002-replace-search"]["status"] == "accepted"
    assert pages["0003-keep-the-old-scheduler"]["status"] == "rejected"


def test_markdownlint_passes_the_index_and_records_with_madrs_configuration(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MADR lints its records with markdownlint: all rules but line length and repeated headings."""
    markdownlint = tool("markdownlint-cli2")
    monkeypatch.chdir(tmp_path)
    add(cli, tmp_path, "2026-11-20", "--review-by", "2000-01-01")
    add(cli, tmp_path, "2026-11-21", "--title", "Second")
    add(cli, tmp_path, "2026-11-22", "--title", "Third", "--style", "log4brains")
    assert cli("record", "supersede", "1", "2").code == 0
    assert cli("record", "index").code == 0
    (tmp_path / ".markdownlint.yml").write_text(
        "default: true\nMD013: false\nMD024: false\n", encoding="utf-8"
    )
    done = run_tool([markdownlint, "docs/decisions/*.md"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "MD060" not in done.stdout + done.stderr


def test_markdownlint_default_rules_pass_records_of_the_bundled_bank(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: with the bundled bank, every record broke MD022 (no blank line before
    '## Decision Drivers') and its risk register MD060. Default rules, but line length."""
    markdownlint = tool("markdownlint-cli2")
    monkeypatch.chdir(tmp_path)
    example = (ROOT / "examples" / "conditions-search-service.yaml").read_text("utf-8")
    for day, style in zip(("20", "21", "22"), ("madr", "log4brains", "nygard"), strict=True):
        answers = tmp_path / f"{style}.yaml"
        answers.write_text(re.sub(r"(?m)^date: .*$", f'date: "2026-11-{day}"', example), "utf-8")
        made = cli("record", "add", answers, "--no-pdf", "--style", style, "--title", style)
        assert made.code == 0, made.err
    assert cli("record", "supersede", "1", "2").code == 0
    assert cli("record", "index").code == 0
    (tmp_path / ".markdownlint.yml").write_text("default: true\nMD013: false\n", "utf-8")
    done = run_tool([markdownlint, "docs/decisions/*.md"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_log4brains_records_link_no_file_its_site_leaves_out(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: log4brains publishes the Markdown alone; links to the memo, PDF and answers
    were dead on its built site. Its records name those paths instead, and still verify."""
    folder = _log4brains_repo(cli, tmp_path, monkeypatch)
    text = (folder / "0002-replace-search.md").read_text("utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", text)
    assert targets and all(t.endswith(".md") for t in targets), targets
    assert "`assessments/0002-replace-search/memo.html`" in text
    assert "`assessments/0002-replace-search/record.json`" in text
    assert cli("record", "verify").code == 0
    listing = json.loads(cli("record", "list", "--format", "json").out)
    assert [r["verdict"] for r in listing] == ["go", "go", "go"], "found their assessments"
