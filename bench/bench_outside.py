"""What the outside view adds to one memo, with a case library of 100 cases.

Builds a library of 100 cases in a temporary folder (the bundled cases, copied under new ids
until there are 100), then times, in this process, what ``report`` does for the outside view:
loading the library (first cold, then with the parses kept in the user's cache as every later
report finds them) and finding the nearest cases for one memo. Prints medians; the target is
under 50 ms for the two together, warm.

    python bench/bench_outside.py
    python bench/bench_outside.py --cases 200 --runs 20
"""

from __future__ import annotations

import argparse
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
        (folder / name).write_bytes((bundled / entry.answers).read_bytes())
        entries.append(
            f"  - {{id: case-{n:03d}, name: Case {n}, years: '{entry.years}', "
            f"shape: [{', '.join(entry.shape)}], outcome: {entry.outcome}, "
            f"what_happened: Copied from {entry.id}., answers: {name}}}"
        )
    (folder / outside.LIBRARY_FILE).write_text(
        "kind: rewrite-advisor/cases\nformat: 1\ncases:\n" + "\n".join(entries) + "\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    bank = load_bank()
    defaults = outside.bundled_settings()
    answers, _ = read_answers(ROOT / "examples" / "go-billing-strangler.yaml", None)
    view = answers.view()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_library(folder, args.cases)
        start = time.perf_counter()
        library = outside.load_library(folder, bank, defaults=defaults)
        cold = time.perf_counter() - start
        loads, nears = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            library = outside.load_library(folder, bank, defaults=defaults)
            loads.append(time.perf_counter() - start)
            start = time.perf_counter()
            found = outside.outside_view(library, answers, view, "go", "Go")
            nears.append(time.perf_counter() - start)
        assert found is not None and len(found.cases) == 3
    load, near = statistics.median(loads), statistics.median(nears)
    print(f"library of {args.cases} cases, medians of {args.runs} runs:")
    print(f"  load the library, cold (first parse)   {cold * 1000:7.1f} ms")
    print(f"  load the library, warm (kept parses)   {load * 1000:7.1f} ms")
    print(f"  nearest cases for one memo             {near * 1000:7.1f} ms")
    total = load + near
    verdict = "PASS" if total < 0.050 else "MISS"
    print(f"  added to one report (warm)             {total * 1000:7.1f} ms  (target 50) {verdict}")


if __name__ == "__main__":
    main()
