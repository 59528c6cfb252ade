"""Jinja's compiled templates, kept in the user's cache, are read only from the user's own files.

Jinja unpickles a kept entry, and opening a named pipe waits for a writer: an entry that is not
a regular file of the user's own is passed over, as a parsed bank's is (``test_kept_parses``).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_ANSWERS, MINI_BANK, ROOT

NOBODY = 65534


def report(cache_home: Path, out: Path) -> subprocess.CompletedProcess[bytes]:
    """``report`` of the mini answers as Markdown, as a process with its own cache."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT)}
    args = ["report", str(MINI_ANSWERS), "--bank", str(MINI_BANK), "-o", str(out)]
    return subprocess.run(
        [sys.executable, "-m", "rewrite_advisor", *args],
        env=env,
        capture_output=True,
        timeout=60,
    )


def kept_templates(tmp_path: Path) -> tuple[Path, list[Path], bytes]:
    """Render once to fill the cache; the cache home, its compiled templates, the memo."""
    home = tmp_path / "cache"
    out = tmp_path / "first.md"
    done = report(home, out)
    assert done.returncode == 0, done.stderr
    entries = sorted((home / "rewrite-advisor" / "templates").glob("__jinja2_*"))
    assert entries, "the templates were kept"
    return home, entries, out.read_bytes()


def test_a_named_pipe_in_place_of_a_compiled_template_is_passed_over(tmp_path: Path) -> None:
    home, entries, memo = kept_templates(tmp_path)
    for entry in entries:
        entry.unlink()
        os.mkfifo(entry)
    out = tmp_path / "again.md"
    try:
        done = report(home, out)
    except subprocess.TimeoutExpired:
        pytest.fail("report waited on a named pipe in the template cache")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == memo


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_compiled_template_owned_by_another_user_is_never_unpickled(tmp_path: Path) -> None:
    from jinja2.bccache import bc_magic

    home, entries, memo = kept_templates(tmp_path)
    marker = tmp_path / "ran"
    for entry in entries:
        entry.write_bytes(bc_magic + pickle.dumps(_Planted(marker)))
        os.chown(entry, NOBODY, NOBODY)
        entry.chmod(0o600)
    out = tmp_path / "again.md"
    done = report(home, out)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), "the program unpickled another user's file"
    assert out.read_bytes() == memo
