"""Time from starting `rewrite-advisor assess` to the first question on screen.

Runs the installed command in a pseudo-terminal (pexpect) and waits for the prompt text.
Target: ``FIRST_QUESTION_SECONDS`` in ``targets.py``, on the 2-core machine. Usage:

    python bench/bench_assess.py [--runs 5] [--bank DIR]

Two cases: a new file (the first prompt is the title) and a file to resume (the first
prompt is the first open question). Also times `assess --help`, which must not import
questionary.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect
from targets import FIRST_QUESTION_SECONDS, advisor, first_question

ROOT = Path(__file__).resolve().parent.parent
TARGET = FIRST_QUESTION_SECONDS
# Every question prompt shows its key hints: lists "... Enter · ...", typed "... // note)".
QUESTION_ON_SCREEN = r"Enter · |// note\)"


def run_help() -> float:
    start = time.perf_counter()
    child = pexpect.spawn(advisor(), ["assess", "--help"], encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    return time.perf_counter() - start


def report(name: str, times: list[float]) -> bool:
    median = statistics.median(times)
    ok = median < TARGET
    shown = " ".join(f"{t:.3f}" for t in times)
    print(f"{name:44} median {median:.3f} s  min {min(times):.3f}  max {max(times):.3f}  [{shown}]")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bank", default=None, help="a bank folder (default: the bundled bank)")
    opts = parser.parse_args()
    bank_args = ["--bank", str(Path(opts.bank).resolve())] if opts.bank else []
    print(f"{opts.runs} runs each; target: first question under {TARGET} s (median)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        new: list[float] = []
        for i in range(opts.runs):
            args = ["assess", "-o", f"new{i}.yaml", *bank_args]
            new.append(first_question(args, "Title of this assessment", folder))
        ok &= report("new file: start -> title prompt", new)
        # A saved file with a title and no answers yet: the first prompt is question 1.
        from rewrite_advisor.bank import load_bank

        bank = load_bank(Path(opts.bank) if opts.bank else None)
        saved = folder / "saved.yaml"
        resumed: list[float] = []
        for _ in range(opts.runs):
            saved.write_text(
                "kind: rewrite-advisor/answers\nformat: 1\n"
                f"bank: {{id: {bank.id}, version: '{bank.version}'}}\n"
                "title: Bench\nanswers: {}\n"
            )
            args = ["assess", "-o", saved.name, *bank_args]
            resumed.append(first_question(args, QUESTION_ON_SCREEN, folder))
        ok &= report("existing file: start -> first question", resumed)
    report("assess --help", [run_help() for _ in range(opts.runs)])
    print("PASS" if ok else "SLOWER THAN TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
