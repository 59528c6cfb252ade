"""Time ``record list`` and ``record index`` over 1,000 records, as whole processes.

Target on a 2-core machine: under 2 s each. One record is made through the library with the
mini test bank; the other 999 are copies of it with their own number, title and manifest
(written directly, to keep the setup fast). Half have a review date in the past.

Run: python bench/bench_records.py [--records N] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rewrite_advisor import records
from rewrite_advisor.answers import bind, parse_answers
from rewrite_advisor.bank import load_bank
from rewrite_advisor.errors import AdvisorError
from rewrite_advisor.render import render
from rewrite_advisor.yamlio import read

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "tests" / "fixtures" / "mini"
ANSWERS = ROOT / "tests" / "fixtures" / "mini-answers.yaml"


def command() -> list[str]:
    found = shutil.which("rewrite-advisor", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "rewrite_advisor"]


def html_only(memo, fmt: str) -> bytes:
    if fmt == "pdf":
        raise AdvisorError("no PDF in the benchmark")
    return render(memo, fmt)


def make_records(folder: Path, count: int) -> None:
    doc = read(ANSWERS)
    parsed = parse_answers(doc)
    answers = bind(parsed, load_bank(BANK), doc)
    raw = parsed.model_dump(mode="json", exclude_none=True)
    request = records.RecordRequest(answers, ANSWERS.read_bytes(), raw)
    first = records.add(folder, request, html_only, dt.date(2026, 11, 25)).record
    assert first.manifest is not None and first.folder is not None and first.markdown is not None
    text = first.markdown.read_text(encoding="utf-8")
    for number in range(2, count + 1):
        title = f"Rewrite number {number}"
        slug = records.slugify(title)
        stem = records.record_stem(number, slug)
        target = folder / records.ASSESSMENTS / stem
        shutil.copytree(first.folder, target)
        review = dt.date(2026, 1, 1) if number % 2 else dt.date(2030, 1, 1)
        manifest = first.manifest.model_copy(
            update={"number": number, "title": title, "slug": slug, "review_by": review}
        )
        (target / records.MANIFEST).write_text(manifest.model_dump_json(indent=2), "utf-8")
        (folder / f"{stem}.md").write_text(
            text.replace("# Mini rewrite", f"# {title}").replace(first.stem, stem), "utf-8"
        )


def median_s(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "decisions"
        start = time.perf_counter()
        make_records(folder, options.records)
        print(f"setup: {options.records} records in {time.perf_counter() - start:.1f} s")
        base = command()
        for name, args in (
            ("record list", ["record", "list", "--dir", str(folder)]),
            ("record list --due", ["record", "list", "--due", "--dir", str(folder)]),
            ("record index", ["record", "index", "--dir", str(folder)]),
        ):
            seconds = median_s([*base, *args], options.runs)
            verdict = "ok" if seconds < 2 else "OVER TARGET"
            print(
                f"{name:<18} median {seconds * 1000:7.0f} ms over {options.runs} runs "
                f"(target < 2000 ms) {verdict}"
            )
        index = (folder / "README.md").read_text(encoding="utf-8")
        rows = [line for line in index.splitlines() if re.match(r"^\| \d", line)]
        assert len(rows) == options.records, "the index misses records"


if __name__ == "__main__":
    main()
