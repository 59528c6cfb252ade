"""A case library's views are kept in the user's cache, and never served stale or forged.

A later load of the same files, bank and program takes each case's view (what the distance
reads) from the cache instead of parsing and checking the case's file again; anything else (an
edited case, an edited bank, another version of the program, a damaged entry) reads the files
again, and gives what a load without any cache gives.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT

from rewrite_advisor import fsio, outside, yamlio
from rewrite_advisor.bank import Bank, load_bank
from rewrite_advisor.cli import read_answers
from rewrite_advisor.evaluation import evaluate

PLAN = EXAMPLES / "go-billing-strangler.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own; the folder the views are kept in."""
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "rewrite-advisor" / "cases"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A team's library of six cases: bundled cases, each copied into the folder."""
    bundled = outside.bundled_folder()
    parsed = outside.parse_library(yamlio.read(bundled / outside.LIBRARY_FILE))
    folder = tmp_path / "ours"
    folder.mkdir()
    lines = ["kind: rewrite-advisor/cases", "format: 1", "cases:"]
    for entry in parsed.cases[:6]:
        ours = f"ours-{entry.id}"  # the bundled library is in every report too
        shutil.copy(bundled / entry.answers, folder / f"{ours}.yaml")
        lines.append(
            f"  - {{id: {ours}, name: {ours}, years: '{entry.years}', "
            f"shape: [{', '.join(entry.shape)}], outcome: {entry.outcome}, "
            f"what_happened: Copied., answers: {ours}.yaml}}"
        )
    (folder / outside.LIBRARY_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The case files parsed and checked (not taken from the cache) from now on."""
    found: list[str] = []
    real = outside.parse_answers

    def counting(doc: yamlio.Document) -> Any:
        found.append(Path(doc.path).name)
        return real(doc)

    monkeypatch.setattr(outside, "parse_answers", counting)
    return found


def without_cache(folder: Path, bank: Bank) -> outside.Library:
    """The library as a load with no cache at all reads it."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder / outside.LIBRARY_FILE)  # a file: no cache
    try:
        return outside.load_library(folder, bank)
    finally:
        if before is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = before


def seen(library: outside.Library) -> list[tuple[Any, ...]]:
    """Everything a memo reads of each case; values by repr, so that 1, 1.0 and True differ."""
    return [
        (
            c.entry,
            list(c.view.states.items()),
            repr(list(c.view.values.items())),
            c.source,
            c.currency,
            c.migrated_from,
            c.dropped,
        )
        for c in library.cases
    ]


def nearest_cases(library: outside.Library) -> list[tuple[str, int, list[str]]]:
    """The nearest cases a memo of the plan shows: id, how alike, and where they differ."""
    answers, _ = read_answers(PLAN, None)
    found = outside.outside_view(library, answers, answers.view(), "go", "Go")
    assert found is not None
    return [(c.id, c.similarity, [d.that_case for d in c.differs]) for c in found.cases]


def entry_of(cache: Path) -> Path:
    entries = list(cache.iterdir())
    assert len(entries) == 1, "one entry for the library on its bank"
    return entries[0]


def test_a_second_load_reads_no_case_file_again_and_finds_the_same(
    cache: Path, library: Path, bank: Bank, reads: list[str]
) -> None:
    first = outside.load_library(library, bank)
    assert len(reads) == 6
    assert entry_of(cache).stat().st_mode & 0o777 == 0o600
    reads.clear()
    again = outside.load_library(library, bank)
    shown = nearest_cases(again)
    assert reads == [], "every view is taken from the cache, and a memo needs nothing else"
    assert shown == nearest_cases(first)
    assert seen(again) == seen(first) == seen(without_cache(library, bank))


def test_a_case_from_the_cache_still_has_its_whole_answers(
    cache: Path, library: Path, bank: Bank
) -> None:
    cold = outside.load_library(library, bank)
    warm = outside.load_library(library, bank)
    for a, b in zip(cold.cases, warm.cases, strict=True):
        assert b.answers.given == a.answers.given and b.answers.given
        assert (b.answers.title, b.answers.source) == (a.answers.title, a.answers.source)
    assert evaluate(warm).as_data() == evaluate(cold).as_data()


def test_the_whole_answers_come_from_the_bytes_the_view_came_from(
    cache: Path, library: Path, bank: Bank
) -> None:
    cold = outside.load_library(library, bank)
    warm = outside.load_library(library, bank)
    Path(warm.cases[0].source).write_text("not: [an answers file", encoding="utf-8")
    assert warm.cases[0].answers.given == cold.cases[0].answers.given


def test_editing_a_case_file_after_a_report_changes_the_next_reports_nearest_cases(
    cache: Path, library: Path, bank: Bank, run, reads: list[str]
) -> None:
    def report() -> list[dict[str, Any]]:
        result = run("report", PLAN, "--cases", library, "-o", "-", "--format", "json")
        assert result.code == 0, result.err
        cases: list[dict[str, Any]] = json.loads(result.out)["summary"]["nearest_cases"]["cases"]
        return cases

    before = report()
    entries = len(list(cache.iterdir()))  # ours, and the bundled library's unless loaded before
    # A case edited to answer as the plan does: the next report finds it nearest, alike on all.
    first = outside.parse_library(yamlio.read(library / outside.LIBRARY_FILE)).cases[0]
    edited = library / f"{first.id}.yaml"
    edited.write_bytes(PLAN.read_bytes())
    reads.clear()
    after = report()
    assert reads == [edited.name], "only the edited file is read again"
    assert after[0]["id"] == first.id and after[0]["similarity"] == 100
    assert after != before
    assert nearest_cases(outside.load_library(library, bank)) == nearest_cases(
        without_cache(library, bank)
    )
    assert len(list(cache.iterdir())) == entries, "the entry is replaced, not added to"


def test_editing_a_case_and_editing_it_back_is_read_again_both_times(
    cache: Path, library: Path, bank: Bank, reads: list[str]
) -> None:
    outside.load_library(library, bank)
    path = library / sorted(p.name for p in library.glob("*.yaml") if p.name != "cases.yaml")[0]
    text = path.read_text(encoding="utf-8")
    for edit in (text.replace("confidence: estimate", "confidence: guess", 1), text):
        path.write_text(edit, encoding="utf-8")
        reads.clear()
        loaded = outside.load_library(library, bank)
        assert reads == [path.name]
        assert seen(loaded) == seen(without_cache(library, bank))


def test_a_changed_bank_reads_every_case_again(
    cache: Path, library: Path, tmp_path: Path, reads: list[str]
) -> None:
    folder = tmp_path / "bank"
    shutil.copytree(ROOT / "questions", folder)
    before = outside.load_library(library, load_bank(folder))
    bank_file = folder / "bank.yaml"
    text = bank_file.read_text(encoding="utf-8")
    condition = "when: {question: customer_problem, equals: true}"
    assert condition in text
    # Same id and version, another meaning: the problem's description is asked when there is none.
    bank_file.write_text(text.replace(condition, condition.replace("true", "false")), "utf-8")
    changed = load_bank(folder)
    reads.clear()
    after = outside.load_library(library, changed)
    assert len(reads) == 6
    assert seen(after) == seen(without_cache(library, changed)) != seen(before)
    assert len(list(cache.iterdir())) == 1, "an edited bank replaces its library's entry"


def test_a_changed_rules_file_changes_the_banks_identity(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    shutil.copytree(ROOT / "questions", folder)
    first = load_bank(folder).identity
    assert load_bank(folder).identity == first, "the same files, the same bank"
    rules = folder / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "penalties: {blocker: 40, high: 15" in text
    rules.write_text(text.replace("high: 15", "high: 16", 1), "utf-8")
    assert load_bank(folder).identity != first
    other = tmp_path / "elsewhere"
    shutil.copytree(folder, other)
    assert load_bank(other).identity != load_bank(folder).identity, "a bank is also its folder"


def test_another_version_of_the_program_reads_every_case_again(
    cache: Path, library: Path, bank: Bank, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside.load_library(library, bank)
    monkeypatch.setattr(outside, "_program_identity", lambda: b"another version")
    reads.clear()
    outside.load_library(library, bank)
    assert len(reads) == 6


def test_the_program_identity_changes_with_any_module_of_the_package(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(Path(outside.__file__).parent, package)
    first = outside._identity_of(package)
    assert outside._identity_of(package) == first
    answers = package / "answers.py"
    answers.write_bytes(answers.read_bytes() + b"# a comment\n")
    assert outside._identity_of(package) != first


Damage = Callable[[Path, Bank], None]


def damage_case(change: Callable[[dict[str, Any], Bank], None]) -> Damage:
    """A damage to the first case of a valid entry, keeping the entry's JSON valid."""

    def apply(entry: Path, bank: Bank) -> None:
        data = json.loads(entry.read_text(encoding="utf-8"))
        change(next(iter(data["cases"].values())), bank)
        entry.write_text(json.dumps(data), encoding="utf-8")

    return apply


def forge(kind: str, value: Any) -> Damage:
    """The kept value of the case's first known answer to a question of type ``kind``."""

    def change(case: dict[str, Any], bank: Bank) -> None:
        known = [q for q, s in zip(bank.questions, case["states"], strict=True) if s == "k"]
        index = next(i for i, q in enumerate(known) if bank.questions[q].type == kind)
        case["values"][index] = value

    return damage_case(change)


def flip_first_state(case: dict[str, Any], bank: Bank) -> None:
    """Known turned unknown, or the other way: the values no longer match the states."""
    case["states"] = ("u" if case["states"][0] == "k" else "k") + case["states"][1:]


def write(data: bytes) -> Damage:
    return lambda entry, bank: entry.write_bytes(data)


DAMAGES: dict[str, Damage] = {
    "empty": write(b""),
    "not json": write(b"not json"),
    "not text": write(b"\xff" * 40),
    "cut short": lambda p, b: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "another shape": write(b'{"from": 1, "cases": []}'),
    "a list": write(b"[]"),
    "nested too deeply": write(b"[" * 200_000),
    "states cut short": damage_case(lambda c, b: c.update(states=c["states"][:-1])),
    "an unknown state": damage_case(lambda c, b: c.update(states="x" + c["states"][1:])),
    "a state flipped": damage_case(flip_first_state),
    "a value missing": damage_case(lambda c, b: c["values"].pop()),
    "a value too many": damage_case(lambda c, b: c["values"].append("extra")),
    "values not a list": damage_case(lambda c, b: c.update(values={})),
    "a currency not text": damage_case(lambda c, b: c.update(currency=7)),
    "no states": damage_case(lambda c, b: c.pop("states")),
    "a case that is empty": damage_case(lambda c, b: c.clear()),
    "a choice not in the bank": forge("single", "rm -rf"),
    "a choice that is a list": forge("single", ["a", "b"]),
    "choices out of order": forge("multi", ["z", "a"]),
    "yes or no as text": forge("yesno", "yes"),
    "a number as text": forge("number", "12"),
    "a number too large": forge("number", 1e300),
    "a number past 10^15": forge("number", 10**16),
    "not a number": forge("number", float("nan")),  # JSON's NaN, which Python reads
    "a number that is true": forge("number", True),
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_or_forged_entry_is_only_a_miss_and_is_written_again(
    cache: Path, library: Path, bank: Bank, reads: list[str], damage: str
) -> None:
    expected = seen(outside.load_library(library, bank))
    DAMAGES[damage](entry_of(cache), bank)
    reads.clear()
    assert seen(outside.load_library(library, bank)) == expected
    assert reads, "what does not fit the bank is read from the files"
    reads.clear()
    assert seen(outside.load_library(library, bank)) == expected
    assert reads == [], "the entry is written again, whole"


def test_an_entry_that_is_a_link_is_neither_followed_nor_written_through(
    cache: Path, library: Path, bank: Bank, tmp_path: Path, reads: list[str]
) -> None:
    outside.load_library(library, bank)
    entry = entry_of(cache)
    forged = tmp_path / "elsewhere.json"
    forged.write_bytes(entry.read_bytes())  # a valid entry, reached through a link
    entry.unlink()
    entry.symlink_to(forged)
    before = forged.read_bytes()
    reads.clear()
    outside.load_library(library, bank)
    assert len(reads) == 6, "a link is not read"
    assert forged.read_bytes() == before, "nor written through"
    assert entry.is_file() and not entry.is_symlink()


@pytest.mark.timeout(30)
def test_an_entry_that_is_a_fifo_is_passed_over(
    cache: Path, library: Path, bank: Bank, reads: list[str]
) -> None:
    outside.load_library(library, bank)
    entry = entry_of(cache)
    entry.unlink()
    os.mkfifo(entry)
    reads.clear()
    outside.load_library(library, bank)
    assert len(reads) == 6


def test_an_entry_much_larger_than_the_library_is_not_read(
    cache: Path, library: Path, bank: Bank, reads: list[str]
) -> None:
    outside.load_library(library, bank)
    entry = entry_of(cache)
    size = sum(p.stat().st_size for p in library.iterdir())
    entry.write_bytes(entry.read_bytes() + b" " * (32 * size + 2 * fsio.MB))
    reads.clear()
    outside.load_library(library, bank)
    assert len(reads) == 6
    assert entry.stat().st_size < 32 * size, "the entry is written again"


def test_a_cache_folder_others_can_write_is_not_used(
    cache: Path, library: Path, bank: Bank, reads: list[str]
) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    expected = seen(without_cache(library, bank))
    for _ in range(2):
        assert seen(outside.load_library(library, bank)) == expected
    assert list(cache.iterdir()) == []
    assert len(reads) == 18


def test_loads_at_the_same_time_leave_an_entry_that_serves(
    cache: Path, library: Path, bank: Bank
) -> None:
    expected = seen(without_cache(library, bank))
    found: list[list[tuple[Any, ...]]] = []
    failed: list[BaseException] = []

    def load() -> None:
        try:
            found.append(seen(outside.load_library(library, bank)))
        except BaseException as exc:  # pragma: no cover - reported below
            failed.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed and found == [expected] * 4
    assert seen(outside.load_library(library, bank)) == expected
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []


def test_a_case_carried_over_from_an_earlier_bank_is_read_every_time(
    cache: Path, library: Path, bank: Bank, reads: list[str]
) -> None:
    """Carrying over depends on the archived bank too: such a case is not kept."""
    shutil.copy(ROOT / "tests" / "fixtures" / "bank-2.0.0" / PLAN.name, library / "old.yaml")
    with (library / outside.LIBRARY_FILE).open("a", encoding="utf-8") as handle:
        handle.write(
            "  - {id: old-billing, name: Old billing, years: '2020', shape: [strangler], "
            "outcome: succeeded, what_happened: Done., answers: old.yaml}\n"
        )
    outside.load_library(library, bank)
    for _ in range(2):
        reads.clear()
        found = outside.load_library(library, bank)
        assert reads == ["old.yaml"]
        assert found.cases[-1].migrated_from == "2.0.0"
    assert seen(found) == seen(without_cache(library, bank))


def test_the_distance_is_the_weighted_mean_of_the_parts_to_the_last_bit(bank: Bank) -> None:
    library = outside.bundled_library(bank)
    assert library is not None
    measure = library.measure
    views = [c.view for c in library.cases]
    for a in views:
        for b, distance in zip(views, measure.distances(a, views), strict=True):
            parts = measure.parts(a, b)
            total = sum(p.weight for p in parts)
            mean = 1.0 if total == 0 else sum(p.weight * p.difference for p in parts) / total
            assert distance == mean == measure.distance(a, b)


def test_a_memo_of_a_link_to_a_case_file_is_not_compared_with_that_case(
    library: Path, bank: Bank, tmp_path: Path
) -> None:
    loaded = outside.load_library(library, bank)
    case = loaded.cases[0]
    link = tmp_path / "link.yaml"
    link.symlink_to(Path(case.source).resolve())
    ids = [n.case.entry.id for n in outside.nearest(loaded, case.view, source=str(link))]
    assert case.entry.id not in ids and len(ids) == len(loaded.cases) - 1
    ids = [n.case.entry.id for n in outside.nearest(loaded, case.view, source=str(PLAN))]
    assert ids[0] == case.entry.id
