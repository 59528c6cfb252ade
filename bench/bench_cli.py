"""Time whole processes of the everyday commands and print medians.

Targets on a 2-core machine: ``--help`` under 150 ms, and ``report`` to HTML, Markdown or
JSON the target in ``targets.py`` (which measures every target of the speed issue at once).
It also checks that the PDF and prompt libraries are not imported on these paths.

Run: python bench/bench_cli.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from targets import TEXT_SECONDS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "go-billing-strangler.yaml"


def command() -> list[str]:
    found = shutil.which("rewrite-advisor", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "rewrite_advisor"]


def median_ms(args: list[str], runs: int, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def heavy_imports(args: list[str], cwd: Path) -> list[str]:
    probe = (
        "import sys, runpy\n"
        f"sys.argv = {['rewrite-advisor', *args]!r}\n"
        "try:\n"
        "    runpy.run_module('rewrite_advisor', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('HEAVY:' + ','.join(m for m in ('weasyprint', 'questionary', 'prompt_toolkit')"
        " if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True)
    line = next(x for x in done.stderr.splitlines() if x.startswith("HEAVY:"))
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    cmd = command()
    text_ms = round(TEXT_SECONDS * 1000)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        cases = [
            ("--help", ["--help"], 150),
            ("report -o memo.html", ["report", str(EXAMPLE), "-o", "memo.html"], text_ms),
            ("report -o memo.md", ["report", str(EXAMPLE), "-o", "memo.md"], text_ms),
            ("report --format json", ["report", str(EXAMPLE), "-o", "memo.json"], text_ms),
        ]
        median_ms([*cmd, "--help"], 2, cwd)  # warm the file cache
        print(f"{'command':28} {'median':>9} {'target':>8}  heavy imports")
        for name, args, target in cases:
            ms = median_ms([*cmd, *args], runs, cwd)
            heavy = heavy_imports(args, cwd) or ["none"]
            flag = "ok" if ms <= target else "OVER"
            print(f"{name:28} {ms:7.0f}ms {target:6}ms  {', '.join(heavy)}  {flag}")


if __name__ == "__main__":
    main()
