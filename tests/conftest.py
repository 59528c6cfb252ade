"""Shared helpers: run the command line in-process and capture what a user would see."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from rewrite_advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_BANK = FIXTURES / "mini"
MINI_ANSWERS = FIXTURES / "mini-answers.yaml"
EXAMPLES = ROOT / "examples"


# --- How the tests are shared among the workers (pytest-xdist) ----------------------------------
#
# pyproject.toml asks for --dist loadgroup: tests go to the workers one at a time, in collection
# order, and the tests marked @pytest.mark.xdist_group(NAME) go together to one worker (they
# run in order in one folder, or read one render made once). With pytest 9.2, xdist 3.8 loses
# those groups without a word (pytest-dev/pytest-xdist#1386: it renames the tests to pass
# them on, which pytest no longer allows), so each worker also writes the groups it collected
# to a file, and the scheduler below reads them.

GROUPS_FILE = "xdist-groups-{}.json"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the tests marked ``heavy`` first (no worker then ends the run alone on one), and
    write down the groups for the scheduler."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)
    worker = getattr(config, "workerinput", None)
    if worker is None or not config.getvalue("loadgroup") or not config.option.basetemp:
        return
    groups = {}
    for item in items:
        names = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if names:
            groups[item.nodeid] = "_".join(names)
    folder = Path(config.option.basetemp).parent
    target = folder / GROUPS_FILE.format(worker["workerid"])
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(groups), encoding="utf-8")
    partial.replace(target)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadgroup, with the groups the workers wrote down (see above)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupScheduling(LoadGroupScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                folder = config._tmp_path_factory.getbasetemp()
                written = sorted(folder.glob(GROUPS_FILE.format("*")))
                self.groups = json.loads(written[0].read_text("utf-8")) if written else {}
            return self.groups.get(nodeid) or str(super()._split_scope(nodeid))

    return GroupScheduling(config, log)


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


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def mini_bank_with(folder: Path, *, before: str, question: str, rule: str = "") -> Path:
    """A copy of the mini bank at ``folder`` with ``question`` (YAML) asked before the
    question ``before``, and ``rule`` (YAML, one or more rules) first among its rules."""
    shutil.copytree(FIXTURES / "mini", folder)
    text = (folder / "bank.yaml").read_text()
    (folder / "bank.yaml").write_text(
        text.replace(f"      - id: {before}\n", f"{question}      - id: {before}\n")
    )
    rules = (folder / "rules.yaml").read_text()
    (folder / "rules.yaml").write_text(rules.replace("rules:\n", f"rules:\n{rule}", 1))
    return folder


def render_pdf(out: Path, *args: str | Path) -> list[str]:
    """Run ``report ARGS -o OUT`` in-process, quietly; return the warnings WeasyPrint logged.

    What the command prints is kept from the calling test's captured output (a test that reads
    its own output after asking for a PDF reads only its own).
    """
    records: list[logging.LogRecord] = []
    logger = logging.getLogger("weasyprint")
    handler, level = _Keep(records), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            main(["report", *[str(a) for a in args], "-o", str(out)])
    except SystemExit as exc:
        assert exc.code == 0, err.getvalue()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return [
        r.getMessage()
        for r in records
        if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING
    ]


@dataclass
class Rendered:
    path: Path
    warnings: list[str] = field(default_factory=list)
    """What WeasyPrint logged at warning level or above while it rendered this PDF."""


class Renders:
    """PDFs rendered once per worker, for the tests that only read them.

    Tests that share a render are kept on one worker (``xdist_group``), so each is rendered
    once per run.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.done: dict[tuple[str, ...], Rendered] = {}

    def __call__(self, *args: str | Path) -> Rendered:
        """The PDF of ``report ARGS``."""
        key = tuple(str(a) for a in args)
        if key not in self.done:
            out = self.folder / f"memo-{len(self.done)}.pdf"
            self.done[key] = Rendered(out, render_pdf(out, *args))
        return self.done[key]


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Renders:
    """``pdfs(ANSWERS, OPTIONS...)``: the memo PDF of those answers, rendered once."""
    return Renders(tmp_path_factory.mktemp("pdfs"))


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
