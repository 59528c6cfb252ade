"""Reading and writing the user's files: bounded reads, special files, links, inputs kept."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK

from rewrite_advisor import fsio
from rewrite_advisor.errors import AdvisorError, OutputError


def test_a_file_is_replaced_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "memo.md"
    target.write_text("old")
    target.chmod(0o640)
    fsio.write_atomic(target, b"new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["memo.md"]


def test_a_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "memo.md").write_text("old")
    (tmp_path / "link.md").symlink_to("real/memo.md")
    fsio.write_atomic(tmp_path / "link.md", b"new")
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "real" / "memo.md").read_text() == "new"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["memo.md"]


def test_a_dangling_link_makes_its_target(tmp_path: Path) -> None:
    (tmp_path / "link.md").symlink_to("made.md")
    fsio.write_atomic(tmp_path / "link.md", b"new")
    assert (tmp_path / "link.md").is_symlink() and (tmp_path / "made.md").read_text() == "new"


def test_a_link_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError):
        fsio.write_atomic(tmp_path / "a", b"x")


def test_a_device_is_written_in_place() -> None:
    before = os.stat("/dev/null")
    fsio.write_atomic(Path("/dev/null"), b"x")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    with pytest.raises(OutputError, match="No space left"):
        fsio.write_atomic(Path("/dev/full"), b"x")


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    fsio.write_atomic(pipe, b"memo")
    reader.join(10)
    assert got == [b"memo"] and stat.S_ISFIFO(pipe.lstat().st_mode)


@pytest.mark.parametrize("kind", ["folder", "missing folder"])
def test_a_folder_is_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "folder" if kind == "folder" else tmp_path / "nope" / "memo.md"
    if kind == "folder":
        target.mkdir()
    with pytest.raises(OutputError):
        fsio.write_atomic(target, b"x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "memo.md"
    target.write_text("keep")
    target.chmod(0o444)
    with pytest.raises(OutputError, match="read-only"):
        fsio.write_atomic(target, b"new")
    assert target.read_text() == "keep"


def test_inputs_are_bounded_and_devices_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 101)
    assert fsio.read_input(big, limit=101) == b"#" * 101
    with pytest.raises(AdvisorError, match="larger than 100 bytes"):
        fsio.read_input(big, limit=100)
    for device in ("/dev/zero", "/dev/urandom"):
        with pytest.raises(AdvisorError, match="this is a device"):
            fsio.read_input(Path(device))
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")
    with pytest.raises(AdvisorError, match="this is a device"):
        fsio.read_input(tmp_path / "zero.pdf", fsio.PDF_LIMIT)


def test_a_fifo_input_waits_for_its_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_bytes(b"a: 1\n"))
    writer.start()
    assert fsio.read_input(pipe) == b"a: 1\n"
    writer.join(10)


@pytest.mark.parametrize("size", [0, 1, 100, 101, 5000])
def test_a_regular_file_is_read_whole_and_bounded_as_any_input(tmp_path: Path, size: int) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(b"#" * size)
    if size <= 100:
        assert fsio.read_regular(path, limit=100) == fsio.read_input(path, limit=100)
        assert len(fsio.read_regular(path, limit=100)) == size
    else:
        for read in (fsio.read_regular, fsio.read_input):
            with pytest.raises(AdvisorError, match="larger than 100 bytes"):
                read(path, limit=100)


@pytest.mark.timeout(30)
def test_only_a_regular_file_is_read_as_one_never_a_pipe_or_device(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(AdvisorError, match="this is a named pipe"):
        fsio.read_regular(pipe)  # refused, not waited on
    with pytest.raises(AdvisorError, match="this is a device"):
        fsio.read_regular(Path("/dev/zero"))
    with pytest.raises(AdvisorError, match="this is a folder"):
        fsio.read_regular(tmp_path)
    for missing in (tmp_path / "missing.yaml", tmp_path / "*.yaml"):
        with pytest.raises(AdvisorError) as regular:
            fsio.read_regular(missing)
        with pytest.raises(AdvisorError) as plain:
            fsio.read_input(missing)
        assert str(regular.value) == str(plain.value)


def test_a_kept_entry_replaces_a_link_rather_than_writing_through_it(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text("theirs")
    entry = tmp_path / "entry.json"
    entry.symlink_to(target)
    fsio.write_kept(entry, b"{}")
    assert target.read_text() == "theirs"
    assert not entry.is_symlink() and entry.read_bytes() == b"{}"
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_input_is_never_an_output(tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text("x")
    (tmp_path / "link.yaml").symlink_to("a.yaml")
    os.link(source, tmp_path / "hard.yaml")
    for target in ("a.yaml", "link.yaml", "hard.yaml", f"../{tmp_path.name}/a.yaml"):
        with pytest.raises(OutputError, match="never overwritten"):
            fsio.refuse_inputs(tmp_path / target, [source], "the answers file")
    fsio.refuse_inputs(tmp_path / "other.md", [source], "the answers file")
    fsio.refuse_inputs("-", [source], "the answers file")


@pytest.mark.parametrize("fmt", ["md", "json", "html", "pdf"])
def test_report_refuses_to_write_over_its_input(run, tmp_path: Path, fmt: str) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_bytes(MINI_ANSWERS.read_bytes())
    result = run("report", answers, "--bank", MINI_BANK, "-o", answers, "--format", fmt)
    assert result.code == 2
    assert result.err == (
        f"error: {answers}: this is the answers file this command reads; it is never "
        "overwritten: write the output to another file\n"
    )
    assert answers.read_bytes() == MINI_ANSWERS.read_bytes()


def test_team_report_refuses_to_write_over_a_participant(run, tmp_path: Path) -> None:
    names = []
    for name in ("ana", "ben"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(MINI_ANSWERS.read_text().replace("[Ana]", f"[{name}]"))
        names.append(path)
    (tmp_path / "link.json").symlink_to("ben.yaml")
    result = run("report", *names, "--bank", MINI_BANK, "-o", tmp_path / "link.json")
    assert result.code == 2 and "never overwritten" in result.err
    bank_file = MINI_BANK / "rules.yaml"
    result = run("report", names[0], "--bank", MINI_BANK, "-o", bank_file, "--format", "md")
    assert result.code == 2 and "the question bank's file" in result.err


def test_report_writes_through_a_link_and_into_dev_null(run, tmp_path: Path) -> None:
    (tmp_path / "memo.md").write_text("old")
    (tmp_path / "link.md").symlink_to("memo.md")
    assert run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", tmp_path / "link.md").code == 0
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "memo.md").read_text().startswith("# Mini rewrite")
    result = run("report", MINI_ANSWERS, "--bank", MINI_BANK, "-o", "/dev/null", "--format", "md")
    assert result.code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_new_file_is_never_written_over_anything(tmp_path: Path) -> None:
    fsio.write_atomic(tmp_path / "made.md", b"first", new=True)
    assert (tmp_path / "made.md").read_bytes() == b"first"
    (tmp_path / "link.md").symlink_to("nowhere.md")
    for existing in ("made.md", "link.md"):
        with pytest.raises(OutputError, match="never overwritten"):
            fsio.write_atomic(tmp_path / existing, b"second", new=True)
    assert (tmp_path / "made.md").read_bytes() == b"first"
    assert not (tmp_path / "nowhere.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "made.md"]


def test_leftovers_of_a_killed_writer_are_told_from_the_users_files(tmp_path: Path) -> None:
    (tmp_path / ".rewrite-advisor-memo.md.abc123.tmp").write_text("half")
    (tmp_path / "mine.tmp").write_text("the user's")
    fsio.remove_leftovers(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.tmp"]
