"""Shared helpers: run the command line in-process and capture what a user would see."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from rewrite_advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_BANK = FIXTURES / "mini"
MINI_ANSWERS = FIXTURES / "mini-answers.yaml"
EXAMPLES = ROOT / "examples"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run ``rewrite-advisor ARGS...`` in-process; return exit code, stdout and stderr."""

    def _run(*args: str | Path) -> Result:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def cli(run):
    """The same as ``run``, under the name the record and diff tests use."""
    return run


@pytest.fixture
def mini_bank(tmp_path: Path) -> Path:
    """A writable copy of the mini bank, for tests that break it."""
    target = tmp_path / "bank"
    shutil.copytree(MINI_BANK, target)
    return target


# A real browser for the answer form's tests (they skip where Chromium is missing).
from browser import browser, form_page  # noqa: E402, F401


def pytest_configure(config: pytest.Config) -> None:
    """Give the test session a cache folder of its own (compiled templates, parsed banks).

    The tests then start cold, as a first run does, and leave nothing in the user's cache:
    the many question banks they write in temporary folders would each leave an entry there.
    """
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="rewrite-advisor-test-cache-")
    config.stash[_CACHE_KEY] = folder
    os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE_KEY, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_KEY = pytest.StashKey[str]()
