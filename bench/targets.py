"""The speed targets, measured as a user meets them, each next to its target: PASS or MISS.

    python bench/targets.py [--runs 5] [--no-suite]

Every figure is the median of ``--runs`` cold processes of the installed command (the bytecode
caches and the compiled-template cache are warm, as they are from a user's second run on):

- ``report EXAMPLE -o memo.pdf`` for every bundled example, and its peak memory;
- ``record add EXAMPLE`` with its PDF, into a new records folder each run;
- ``report EXAMPLE -o memo.html`` / ``.md`` / ``.json``;
- the start of ``assess`` to the first question on screen, in a pseudo-terminal (a new file,
  whose first question is the title, and a saved file, whose first question is question 1);
- the README's test command (``python -m pytest``), once, warm; it must skip nothing that can
  run here. ``--no-suite`` leaves it out (it takes minutes).

Exit code 0 when every figure passes, 1 when one misses.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TEXT_EXAMPLE = ROOT / "examples" / "go-billing-strangler.yaml"
MiB = 1024 * 1024

PDF_SECONDS = 1.0
PDF_MIB = 80
RECORD_SECONDS = 1.3
TEXT_SECONDS = 0.15
FIRST_QUESTION_SECONDS = 0.25
SUITE_SECONDS = 60.0


@dataclass
class Figure:
    """One measured figure and its target."""

    what: str
    measured: float
    target: float
    unit: str

    @property
    def passed(self) -> bool:
        return self.measured <= self.target

    def line(self) -> str:
        shown = f"{self.measured:.2f} {self.unit}"
        goal = f"<= {self.target:g} {self.unit}"
        return f"{self.what:52} {shown:>11}  {goal:>12}  {'PASS' if self.passed else 'MISS'}"


def advisor() -> str:
    here = Path(sys.executable).parent / "rewrite-advisor"
    found = str(here) if here.exists() else shutil.which("rewrite-advisor")
    if found is None:
        sys.exit("rewrite-advisor is not installed: pip install -e .")
    return found


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one process, which must succeed."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a long stderr cannot block
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"failed: {' '.join(args)}\n{err.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss * 1024


def medians(make: Callable[[int], list[str]], runs: int, cwd: Path) -> tuple[float, int]:
    """The median seconds and the largest peak memory over ``runs`` runs (and one to warm)."""
    timed(make(-1), cwd)
    results = [timed(make(i), cwd) for i in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def first_question(args: list[str], expect: str, cwd: Path) -> float:
    import pexpect

    env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    start = time.perf_counter()
    child = pexpect.spawn(advisor(), args, cwd=str(cwd), env=env, encoding="utf-8", timeout=30)
    child.expect(expect)
    elapsed = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def scale(what: str, args: list[str], runs: int, cwd: Path) -> None:
    """Print, for scale, what part of a figure the libraries alone take (not a target)."""
    seconds, peak = medians(lambda i: args, runs, cwd)
    print(f"  for scale: {what:41} {seconds:.2f} s, {peak / MiB:.0f} MiB", flush=True)


def print_html(example: Path, out: Path) -> None:
    """Write the exact HTML that the PDF renderer lays out for ``example``."""
    from rewrite_advisor.cli import build_memo
    from rewrite_advisor.pdf import printable_memo
    from rewrite_advisor.render import render_html

    out.write_text(render_html(printable_memo(build_memo(example, None)), for_print=True))


def pdf_figures(runs: int, cwd: Path) -> list[Figure]:
    figures = []
    for example in EXAMPLES:
        seconds, peak = medians(
            lambda i, e=example: [advisor(), "report", str(e), "-o", f"memo{i}.pdf"], runs, cwd
        )
        name = example.stem
        figures.append(Figure(f"report {name} -o memo.pdf", seconds, PDF_SECONDS, "s"))
        figures.append(Figure("  peak memory of that", peak / MiB, PDF_MIB, "MiB"))
        for figure in figures[-2:]:
            print(figure.line(), flush=True)
        weasyprint = Path(sys.executable).parent / "weasyprint"
        if weasyprint.exists():
            page = cwd / f"{name}.html"
            print_html(example, page)
            scale(
                "WeasyPrint's own command, same page",
                [str(weasyprint), str(page), "w.pdf"],
                runs,
                cwd,
            )
    return figures


def record_figure(runs: int, cwd: Path) -> Figure:
    seconds, _ = medians(
        lambda i: [advisor(), "record", "add", str(TEXT_EXAMPLE), "--dir", f"records{i}"],
        runs,
        cwd,
    )
    return Figure(f"record add {TEXT_EXAMPLE.stem} (with PDF)", seconds, RECORD_SECONDS, "s")


def text_figures(runs: int, cwd: Path) -> list[Figure]:
    figures = []
    for suffix in ("html", "md", "json"):
        seconds, _ = medians(
            lambda i, s=suffix: [advisor(), "report", str(TEXT_EXAMPLE), "-o", f"memo.{s}"],
            runs,
            cwd,
        )
        figures.append(
            Figure(f"report {TEXT_EXAMPLE.stem} -o memo.{suffix}", seconds, TEXT_SECONDS, "s")
        )
        print(figures[-1].line(), flush=True)
    libraries = "import click, jinja2, pydantic, yaml"
    scale("importing click, jinja2, pydantic, yaml", [sys.executable, "-c", libraries], runs, cwd)
    return figures


def assess_figures(runs: int, cwd: Path) -> list[Figure]:
    from rewrite_advisor.bank import load_bank

    bank = load_bank(None)
    saved = cwd / "saved.yaml"
    new, resumed = [], []
    first_question(["assess", "-o", "warm.yaml"], "Title of this assessment", cwd)
    for i in range(runs):
        new.append(
            first_question(["assess", "-o", f"new{i}.yaml"], "Title of this assessment", cwd)
        )
        saved.write_text(
            "kind: rewrite-advisor/answers\nformat: 1\n"
            f"bank: {{id: {bank.id}, version: '{bank.version}'}}\n"
            "title: Bench\nanswers: {}\n"
        )
        resumed.append(first_question(["assess", "-o", saved.name], r"Enter · |// note\)", cwd))
    libraries = "import click, pydantic, questionary, yaml"
    scale(
        "importing click, pydantic, questionary, yaml",
        [sys.executable, "-c", libraries],
        runs,
        cwd,
    )
    return [
        Figure(
            "assess, new file: start to the title question",
            statistics.median(new),
            FIRST_QUESTION_SECONDS,
            "s",
        ),
        Figure(
            "assess, saved file: start to question 1",
            statistics.median(resumed),
            FIRST_QUESTION_SECONDS,
            "s",
        ),
    ]


def suite_figures() -> list[Figure]:
    """The README's test command, once, warm; and how many tests it skipped."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0:
        sys.exit(f"the test suite failed: {summary}")
    skipped = re.search(r"(\d+) skipped", summary)
    print(f"suite: {summary}")
    return [
        Figure("README test command (python -m pytest), warm", seconds, SUITE_SECONDS, "s"),
        Figure("  tests it skipped", float(skipped.group(1)) if skipped else 0.0, 0, "tests"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-suite", action="store_true", help="leave out the test suite")
    opts = parser.parse_args()
    print(f"{os.cpu_count()} cores; medians of {opts.runs} cold processes", flush=True)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        figures += pdf_figures(opts.runs, cwd)
        for figure in [record_figure(opts.runs, cwd)]:
            print(figure.line(), flush=True)
            figures.append(figure)
        figures += text_figures(opts.runs, cwd)
        for figure in assess_figures(opts.runs, cwd):
            print(figure.line(), flush=True)
            figures.append(figure)
    if not opts.no_suite:
        for figure in suite_figures():
            print(figure.line(), flush=True)
            figures.append(figure)
    missed = [f for f in figures if not f.passed]
    print(f"{len(figures) - len(missed)} of {len(figures)} figures pass")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
