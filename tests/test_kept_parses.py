"""A question bank's parsed files are kept in the user's cache, and never served stale."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import MINI_BANK

from rewrite_advisor import bank as bank_module
from rewrite_advisor import resources, yamlio
from rewrite_advisor.bank import load_bank
from rewrite_advisor.errors import AdvisorError, BankError


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "rewrite-advisor" / "parsed"


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(MINI_BANK, folder)
    return folder


def test_a_bank_read_twice_is_the_same_bank_and_its_parse_is_kept(
    cache: Path, bank_copy: Path
) -> None:
    first = load_bank(bank_copy)
    kept = sorted(cache.iterdir())
    assert len(kept) == 2, "one entry for bank.yaml and one for rules.yaml"
    assert all(p.stat().st_size > 0 for p in kept)
    assert cache.stat().st_mode & 0o777 == 0o700
    again = load_bank(bank_copy)
    assert again.model_dump() == first.model_dump()
    assert sorted(cache.iterdir()) == kept


def test_a_kept_parse_keeps_the_lines_for_messages(cache: Path, bank_copy: Path) -> None:
    path = bank_copy / "bank.yaml"
    fresh = yamlio.read(path)
    assert yamlio.read_kept(path) == fresh  # parsed and kept
    assert yamlio.read_kept(path) == fresh  # read back from the cache
    assert fresh.lines, "the document knows its lines"


def test_a_changed_bank_is_parsed_again_and_keeps_one_entry(cache: Path, bank_copy: Path) -> None:
    load_bank(bank_copy)
    bank_file = bank_copy / "bank.yaml"
    text = bank_file.read_text()
    first_title = load_bank(bank_copy).sections[0].title
    for edit in range(3):
        changed = f"title: A title changed by hand ({edit})"
        bank_file.write_text(text.replace(f"title: {first_title}", changed, 1))
        assert load_bank(bank_copy).sections[0].title == changed.removeprefix("title: ")
    assert len(list(cache.iterdir())) == 2, "editing a bank replaces its entry"
    bank_file.write_text(text)
    assert load_bank(bank_copy).sections[0].title == first_title


def test_two_banks_with_the_same_files_in_two_folders_each_read_their_own(
    cache: Path, bank_copy: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(bank_copy, other)
    assert load_bank(other).directory == str(other)
    assert load_bank(bank_copy).directory == str(bank_copy)
    assert len(list(cache.iterdir())) == 4


def test_a_broken_bank_is_an_error_every_time_not_only_the_first(
    cache: Path, bank_copy: Path
) -> None:
    bank_file = bank_copy / "bank.yaml"
    bank_file.write_text(bank_file.read_text() + "\nsections: [\n")
    for _ in range(2):
        with pytest.raises(AdvisorError) as raised:
            load_bank(bank_copy)
        assert raised.value.path is not None and str(raised.value.path).endswith("bank.yaml")
        assert raised.value.line is not None
    assert list(cache.iterdir()) == []  # nothing kept of a file that does not parse


@pytest.mark.parametrize("damage", [b"", b"not json", b"\xff" * 40, b'{"from": 1}', b"[]"])
def test_a_damaged_kept_parse_is_passed_over(cache: Path, bank_copy: Path, damage: bytes) -> None:
    expected = load_bank(bank_copy).model_dump()
    for kept in cache.iterdir():
        kept.write_bytes(damage)
    assert load_bank(bank_copy).model_dump() == expected


def test_a_cache_folder_others_can_write_is_not_used(cache: Path, bank_copy: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    assert resources.cache_dir("parsed") is None
    load_bank(bank_copy)
    assert list(cache.iterdir()) == []


def test_a_cache_that_cannot_be_made_costs_nothing_but_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bank_copy: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_bank(bank_copy).id
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(Path, "home", _no_home)
    assert load_bank(bank_copy).id


def _no_home() -> Path:
    raise RuntimeError("Could not determine home directory.")


def test_the_checks_still_run_on_a_kept_parse(
    cache: Path, bank_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept parse saves only the YAML reading: the bank is validated and checked each time."""
    load_bank(bank_copy)
    assert len(list(cache.iterdir())) == 2

    def refuse(*args: object) -> None:
        raise BankError("checked", bank_copy)

    monkeypatch.setattr(bank_module, "_check_bank", refuse)
    with pytest.raises(BankError, match="checked"):
        load_bank(bank_copy)


def test_a_missing_bank_file_is_the_same_error_with_or_without_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bank_copy: Path
) -> None:
    (bank_copy / "rules.yaml").unlink()
    messages = []
    for cache_home in (tmp_path / "cache", tmp_path / "a-file"):
        (tmp_path / "a-file").write_text("so no cache can be made under it")
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
        with pytest.raises(AdvisorError) as raised:
            load_bank(bank_copy)
        messages.append(str(raised.value))
    assert messages[0] == messages[1] == f"{bank_copy / 'rules.yaml'}: no such file"


def entry_for(cache: Path, path: Path) -> Path:
    """The cache entry of a file, named by the hash of its full path."""
    return cache / f"{hashlib.sha256(str(path.resolve()).encode()).hexdigest()}.json"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from YAML (not served from the cache) from now on."""
    parsed: list[str] = []
    real = yamlio.parse_bytes

    def counting(raw: bytes, path: str) -> yamlio.Document:
        parsed.append(Path(path).name)
        return real(raw, path)

    monkeypatch.setattr(yamlio, "parse_bytes", counting)
    return parsed


def test_a_second_read_is_served_from_the_cache(
    cache: Path, bank_copy: Path, parses: list[str]
) -> None:
    first = load_bank(bank_copy)
    assert sorted(parses) == ["bank.yaml", "rules.yaml"]
    parses.clear()
    assert load_bank(bank_copy).model_dump() == first.model_dump()
    assert parses == []


def test_a_changed_reader_or_yaml_library_parses_again(
    cache: Path, bank_copy: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = yamlio._reader_identity()
    load_bank(bank_copy)
    parses.clear()
    monkeypatch.setattr(yamlio, "_reader_identity", lambda: b"another reader")
    load_bank(bank_copy)
    assert sorted(parses) == ["bank.yaml", "rules.yaml"]
    assert yaml.__version__.encode() in identity and Path(yamlio.__file__).read_bytes() in identity


def test_an_entry_that_is_a_link_is_neither_followed_nor_written_through(
    cache: Path, bank_copy: Path, tmp_path: Path, parses: list[str]
) -> None:
    load_bank(bank_copy)
    entry = entry_for(cache, bank_copy / "bank.yaml")
    forged = tmp_path / "forged.marshal"
    forged.write_bytes(entry.read_bytes())  # a valid entry, reached through a link
    entry.unlink()
    entry.symlink_to(forged)
    before = forged.read_bytes()
    parses.clear()
    load_bank(bank_copy)
    assert parses == ["bank.yaml"], "a link is not read"
    assert forged.read_bytes() == before, "nor written through"
    assert entry.is_file() and not entry.is_symlink()


@pytest.mark.timeout(30)
def test_an_entry_that_is_a_fifo_or_a_folder_is_passed_over(
    cache: Path, bank_copy: Path, parses: list[str]
) -> None:
    load_bank(bank_copy)
    bank_entry = entry_for(cache, bank_copy / "bank.yaml")
    rules_entry = entry_for(cache, bank_copy / "rules.yaml")
    bank_entry.unlink()
    os.mkfifo(bank_entry)
    rules_entry.unlink()
    rules_entry.mkdir()
    parses.clear()
    assert load_bank(bank_copy).id
    assert sorted(parses) == ["bank.yaml", "rules.yaml"]


def test_an_entry_much_larger_than_its_file_is_not_read(
    cache: Path, bank_copy: Path, parses: list[str]
) -> None:
    load_bank(bank_copy)
    entry = entry_for(cache, bank_copy / "rules.yaml")
    size = (bank_copy / "rules.yaml").stat().st_size
    entry.write_bytes(entry.read_bytes() + b"\0" * (32 * size + 2 * 1024 * 1024))
    parses.clear()
    assert load_bank(bank_copy).id
    assert parses == ["rules.yaml"]
    assert entry.stat().st_size < 32 * size, "the entry is written again"


def test_a_hostile_entry_is_only_a_miss(cache: Path, bank_copy: Path, parses: list[str]) -> None:
    load_bank(bank_copy)
    entry = entry_for(cache, bank_copy / "bank.yaml")
    entry.write_bytes(b"[" * 200_000)  # nested deeper than any reader recurses
    parses.clear()
    assert load_bank(bank_copy).id
    assert parses == ["bank.yaml"]


@pytest.mark.parametrize(("mode", "used"), [(0o777, False), (0o1777, True), (0o755, True)])
def test_the_folders_above_the_cache_must_be_closed_to_others_or_sticky(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int, used: bool
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    assert (resources.cache_dir("parsed") is not None) is used


def test_a_rewrite_advisor_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "cache"
    (home / "rewrite-advisor" / "parsed").mkdir(parents=True, mode=0o700)
    (home / "rewrite-advisor").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert resources.cache_dir("parsed") is None


def test_a_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setattr(Path, "home", lambda: tmp_path / "home")
    assert resources.cache_dir("parsed") == (tmp_path / "home/.cache/rewrite-advisor/parsed")
    assert not (tmp_path / "relative").exists()
