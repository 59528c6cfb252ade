"""What the outside view adds to one memo, with a case library of 100 cases.

Builds a library of 100 cases in a temporary folder (the bundled cases, copied under new ids
until there are 100, each with a first line of its own so that every file differs), then
times, in this process, what ``report`` does for the outside view: loading the library and
finding the nearest cases for one memo.

* **cold**: the first load, with an empty cache folder (a temporary one, so that nothing is
  left in the user's): every case file is parsed, checked and resolved, and its view kept.
* **warm**: every later load, as each later ``report`` finds the cache: the case files are read
  and hashed, and their views taken from the cache. What a new process works out once (the
  hash of the program's source and of the bank) is worked out again in each run.

Prints medians of the elapsed time, which the target is for (under 50 ms for the two together,
warm), and beside each the CPU time of this process: on a machine busy with other work the
elapsed time can be several times the CPU time, and the CPU time grows less.

    python bench/bench_outside.py
    python bench/bench_outside.py --cases 200 --runs 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rewrite_advisor import outside, yamlio  # noqa: E402
from rewrite_advisor.bank import load_bank  # noqa: E402
from rewrite_advisor.cli import read_answers  # noqa: E402


def make_library(folder: Path, size: int) -> None:
    """A library of ``size`` cases: the bundled ones, copied under new ids."""
    bundled = outside.bundled_folder()
    parsed = outside.parse_library(yamlio.read(bundled / outside.LIBRARY_FILE))
    entries = []
    for n in range(size):
        entry = parsed.cases[n % len(parsed.cases)]
        name = f"case-{n:03d}.yaml"
        # A first line of its own: every copy is a file of its own to the cache, as in a real
        # library of 100 cases, not 27 files read 100 times.
        copied = (
            f"# Case {n}, copied from {entry.id}.\n".encode()
            + (bundled / entry.answers).read_bytes()
        )
        (folder / name).write_bytes(copied)
        entries.append(
            f"  - {{id: case-{n:03d}, name: Case {n}, years: '{entry.years}', "
            f"shape: [{', '.join(entry.shape)}], outcome: {entry.outcome}, "
            f"what_happened: Copied from {entry.id}., answers: {name}}}"
        )
    (folder / outside.LIBRARY_FILE).write_text(
        "kind: rewrite-advisor/cases\nformat: 1\ncases:\n" + "\n".join(entries) + "\n",
        encoding="utf-8",
    )


class Clock:
    """Elapsed time and this process's CPU time, from when it is made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        """Seconds since it was made: elapsed, and CPU."""
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    cache = tempfile.TemporaryDirectory()
    os.environ["XDG_CACHE_HOME"] = cache.name
    bank = load_bank()
    defaults = outside.bundled_settings()
    answers, _ = read_answers(ROOT / "examples" / "go-billing-strangler.yaml", None)
    view = answers.view()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_library(folder, args.cases)
        clock = Clock()
        library = outside.load_library(folder, bank, defaults=defaults)
        cold = clock.read()
        loads, nears = [], []
        for _ in range(args.runs):
            outside._program_identity.cache_clear()  # as a new process finds them
            vars(bank).pop("identity", None)
            clock = Clock()
            library = outside.load_library(folder, bank, defaults=defaults)
            loads.append(clock.read())
            clock = Clock()
            found = outside.outside_view(library, answers, view, "go", "Go")
            nears.append(clock.read())
        assert found is not None and len(found.cases) == 3
    cache.cleanup()

    def median(found: list[tuple[float, float]], which: int) -> float:
        return statistics.median(t[which] for t in found)

    def line(what: str, wall: float, cpu: float, end: str = "") -> None:
        print(f"  {what:<38} {wall * 1000:7.1f} ms  (CPU {cpu * 1000:5.1f} ms){end}")

    print(f"library of {args.cases} cases, medians of {args.runs} runs:")
    line("load the library, cold (empty cache)", *cold)
    line("load the library, warm (kept views)", median(loads, 0), median(loads, 1))
    line("nearest cases for one memo", median(nears, 0), median(nears, 1))
    total = median(loads, 0) + median(nears, 0)
    verdict = "PASS" if total < 0.050 else "MISS"
    cpu = median(loads, 1) + median(nears, 1)
    line("added to one report (warm)", total, cpu, f"  target 50 ms: {verdict}")
    print("(CPU: this process's own time, which other work on a busy machine inflates less)")


if __name__ == "__main__":
    main()
