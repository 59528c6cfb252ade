"""How the time of check and report grows with the size of a question bank.

Generates banks of N yes/no questions, each asked only when the one before it is answered
yes (the longest chain of 'when' a bank can have), answers them all, and times whole
processes: check, report to JSON, Markdown and HTML, and (up to --pdf-max questions) PDF.
The README's "largest bank" statement comes from this.

    python bench/bench_bank.py                      # 1,000, 5,000 and 20,000 questions
    python bench/bench_bank.py --sizes 500 2000 --pdf-max 2000
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RULES = """\
scoring:
  penalties: {blocker: 45, high: 25, medium: 12, low: 5}
  strength_bonus: 6
  unknown_penalty: 4
  critical_unknown_penalty: 12
  thresholds: {go: 75, go_with_conditions: 55}
  severity_caps: {blocker: not_yet, high: go_with_conditions, medium: go_with_conditions, low: go}
verdicts:
  go: {title: Go, summary: Proceed.}
  go_with_conditions: {title: Go with conditions, summary: Proceed on conditions.}
  not_yet: {title: Not yet, summary: Answer the open questions first.}
  dont_rewrite: {title: Don't rewrite, summary: Improve what you have.}
rules:
  - {id: first-is-no, section: s0, severity: low, title: No, why: W, action: A,
     when: {question: q0, equals: false}}
"""


def make_bank(folder: Path, size: int, per_section: int = 100) -> Path:
    """A chained bank of ``size`` questions and an answers file that answers all of them."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id: big", 'version: "1.0"', "title: A very large bank", "sections:"]
    for s in range((size + per_section - 1) // per_section):
        lines += [
            f"  - id: s{s}",
            f"    title: Section {s}",
            "    intro: Questions.",
            "    questions:",
        ]
        for i in range(s * per_section, min(size, (s + 1) * per_section)):
            lines += [f"      - id: q{i}", "        type: yesno", f"        text: Question {i}?"]
            lines.append("        help: Because it matters.")
            if i:
                lines.append(f"        when: {{question: q{i - 1}, equals: true}}")
    (folder / "bank.yaml").write_text("\n".join(lines) + "\n")
    (folder / "rules.yaml").write_text(RULES)
    answers = folder / "answers.yaml"
    head = ["kind: rewrite-advisor/answers", "bank: {id: big, version: '1.0'}", "title: Big"]
    head += ["date: '2026-11-20'", "participants: [Ana]", "answers:"]
    answers.write_text("\n".join(head + [f"  q{i}: true" for i in range(size)]) + "\n")
    return answers


def timed(args: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (MB) of one whole process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "rewrite_advisor", *args], capture_output=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[-300:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--pdf-max", type=int, default=5000, help="largest bank to render as PDF")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'questions':>9}  {'step':<11} {'seconds':>8}  {'peak MB (any so far)':>20}")
        for size in options.sizes:
            bank = Path(tmp) / f"bank{size}"
            answers = make_bank(bank, size)
            steps = [("check", ["check", str(bank)])]
            for fmt in ("json", "md", "html", "pdf"):
                if fmt == "pdf" and size > options.pdf_max:
                    continue
                out = Path(tmp) / f"memo{size}.{fmt}"
                steps.append(
                    (f"report {fmt}", ["report", str(answers), "--bank", str(bank), "-o", str(out)])
                )
            for name, args in steps:
                seconds, peak = timed(args)
                print(f"{size:>9,}  {name:<11} {seconds:>8.2f}  {peak:>20,}", flush=True)


if __name__ == "__main__":
    main()
