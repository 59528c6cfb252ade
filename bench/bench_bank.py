"""How the time of check and report grows with the size of a question bank.

Generates banks of N yes/no questions, each asked only when the one before it is answered
yes (the longest chain of 'when' a bank can have), answers them all, and times whole
processes: check, report to JSON, Markdown and HTML, and (up to --pdf-max questions) PDF.
Then, for the PDF, the worst case: the default bank's own questions (with their help texts and
choices) copied until the bank has N of them, none answered, so that every one is an open
question listed in the memo. The README's "largest bank" statement comes from this.

    python bench/bench_bank.py                      # 1,000, 5,000 and 20,000 questions
    python bench/bench_bank.py --sizes 500 2000 --pdf-max 2000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

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


def make_real_bank(folder: Path, size: int) -> Path:
    """The default bank's questions copied up to ``size`` (ids renamed), and no answer at all."""
    folder.mkdir(parents=True, exist_ok=True)
    source = yaml.safe_load((ROOT / "questions" / "bank.yaml").read_text("utf-8"))
    questions = [dict(q) for section in source["sections"] for q in section["questions"]]
    first = {"id": "q0", "type": "yesno", "text": "First?", "help": "The rule looks at it."}
    sections = [{"id": "s0", "title": "First", "intro": "Questions.", "questions": [first]}]
    made = 1
    while made < size:
        copy = len(sections)
        batch = []
        for question in questions[: size - made]:
            question = {k: v for k, v in question.items() if k not in ("when", "critical")}
            batch.append({**question, "id": f"{question['id']}_{copy}"})
            made += 1
        sections.append({"id": f"s{copy}", "title": f"Part {copy}", "intro": "Questions."})
        sections[-1]["questions"] = batch
    bank = {k: v for k, v in source.items() if k not in ("sections", "plan", "previous")}
    bank.update({"id": "big", "version": "1.0", "title": "A very large bank"})
    bank["sections"] = sections
    text = yaml.dump(bank, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
    (folder / "bank.yaml").write_text(text)
    (folder / "rules.yaml").write_text(RULES)
    answers = folder / "answers.yaml"
    head = ["kind: rewrite-advisor/answers", "bank: {id: big, version: '1.0'}", "title: Big"]
    answers.write_text("\n".join([*head, "date: '2026-11-20'", "answers: {}"]) + "\n")
    return answers


class _NoAliases(yaml.SafeDumper):
    """Writes a value that repeats in full each time (the program refuses YAML aliases)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def timed(args: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (MB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "rewrite_advisor", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)  # this process's own peak, not the largest so far
    seconds = time.perf_counter() - start
    err = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err[-300:]}")
    return seconds, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--pdf-max", type=int, default=5000, help="largest bank to render as PDF")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'questions':>9}  {'step':<11} {'seconds':>8}  {'peak MB':>8}")
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
            if size <= options.pdf_max:
                real = Path(tmp) / f"real{size}"
                unanswered = make_real_bank(real, size)
                out = Path(tmp) / f"real{size}.pdf"
                steps.append(
                    (
                        "pdf, real questions, none answered",
                        ["report", str(unanswered), "--bank", str(real), "-o", str(out)],
                    )
                )
            for name, args in steps:
                seconds, peak = timed(args)
                print(f"{size:>9,}  {name:<11} {seconds:>8.2f}  {peak:>8,}", flush=True)


if __name__ == "__main__":
    main()
