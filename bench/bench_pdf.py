"""Benchmark the PDF memo as whole processes, the way a user runs it.

    python bench/bench_pdf.py [--runs 5] [ANSWERS.yaml ...]

Reports, per answers file (examples/*.yaml when present, else the mini fixture):
- the cold `rewrite-advisor report ANSWERS -o memo.pdf` median wall time (target <= 1.0 s);
- WeasyPrint's own command line on the same print HTML, plain and with the same PDF/A-3b and
  tagging options, and our ratio to it (target <= 1.3);
- the peak resident memory of one run;
- the very-long-answer case: a 100,000-character word and 1 MB of text in the answers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADVISOR = str(BIN / "rewrite-advisor")
WEASYPRINT = (
    str(BIN / "weasyprint") if (BIN / "weasyprint").exists() else shutil.which("weasyprint")
)
MINI = (ROOT / "tests/fixtures/mini-answers.yaml", ["--bank", str(ROOT / "tests/fixtures/mini")])


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss


def median_run(cmd: list[str], runs: int) -> tuple[float, int]:
    results = [timed(cmd) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def print_html(answers: Path, bank: list[str], out: Path) -> None:
    """Write the exact HTML the PDF renderer lays out."""
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from rewrite_advisor.cli import build_memo\n"
        "from rewrite_advisor.pdf import printable_memo\n"
        "from rewrite_advisor.render import render_html\n"
        "bank = Path(sys.argv[2]) if len(sys.argv) > 2 else None\n"
        "memo = build_memo(Path(sys.argv[1]), bank)\n"
        "sys.stdout.write(render_html(printable_memo(memo), for_print=True))\n"
    )
    args = [sys.executable, "-c", code, str(answers), *bank[1:]]
    out.write_text(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def long_answers(answers: Path, folder: Path) -> Path:
    """The same answers with a 100,000-character word in one note and 1 MB of prose in another."""
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    entries = data.get("answers") or {}
    extra = ["x" * 100_000, "the old system keeps surprising us " * 30_000]  # the second is ~1 MB
    for qid, note in zip(list(entries), extra, strict=False):
        entry = entries[qid]
        entries[qid] = (
            {**entry, "note": note} if isinstance(entry, dict) else {"value": entry, "note": note}
        )
    out = folder / f"long-{answers.stem}.json"
    out.write_text(json.dumps(data, default=str), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    cases = [(p, []) for p in opts.answers] or [(p, []) for p in examples] or [MINI]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {opts.runs} runs each, medians")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for answers, bank in cases:
            pdf = folder / "memo.pdf"
            ours, rss = median_run(
                [ADVISOR, "report", str(answers), *bank, "-o", str(pdf)], opts.runs
            )
            html = folder / "memo.html"
            print_html(answers, bank, html)
            plain, _ = median_run([WEASYPRINT, str(html), str(folder / "wp.pdf")], opts.runs)
            same, _ = median_run(
                [
                    WEASYPRINT,
                    "--pdf-variant",
                    "pdf/a-3b",
                    "--pdf-tags",
                    str(html),
                    str(folder / "wp2.pdf"),
                ],
                opts.runs,
            )
            pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            count = next(
                (ln.split()[-1] for ln in pages.splitlines() if ln.startswith("Pages:")), "?"
            )
            print(f"\n{answers.name}: {count} pages, {pdf.stat().st_size / 1024:.0f} KiB")
            print(f"  report -o memo.pdf (cold process)   {ours:6.2f} s   target <= 1.00 s")
            ratio = ours / plain
            print(
                f"  weasyprint CLI, same HTML           {plain:6.2f} s   ratio {ratio:.2f} (<= 1.3)"
            )
            print(f"  weasyprint CLI, + PDF/A-3b, tags    {same:6.2f} s   ratio {ours / same:.2f}")
            print(f"  peak memory (max RSS of a run)      {rss / 1024:6.0f} MiB")
            long = long_answers(answers, folder)
            t_long, rss_long = median_run(
                [ADVISOR, "report", str(long), *bank, "-o", str(folder / "long.pdf")],
                max(1, opts.runs // 2),
            )
            size = long.stat().st_size / 1e6
            peak = rss_long / 1024
            print(f"  100,000-char word, {size:.1f} MB   {t_long:6.2f} s   peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
