"""The PDF memo, checked as a reader sees it: text, pages, metadata, the embedded answers."""

from __future__ import annotations

import builtins
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import Renders, render_pdf
from pypdf import PdfReader

from rewrite_advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI_BANK = ROOT / "tests" / "fixtures" / "mini"
MINI_ANSWERS = ROOT / "tests" / "fixtures" / "mini-answers.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) if (ROOT / "examples").is_dir() else []

HOSTILE = (
    '<a rel="attachment" href="file:///etc/passwd">passwd</a> '
    '<img src="http://127.0.0.1:9/pixel.png"> '
    '<link rel="attachment" href="file:///etc/hostname"> '
    "<style>@import url(http://127.0.0.1:9/a.css);</style> "
    '@import "file:///etc/passwd"; background: url(file:///etc/passwd)'
)

# The tests that read one memo's session render run on one worker, so it is rendered once.
MINI_GROUP = pytest.mark.xdist_group("pdf-mini")
CASES = [pytest.param(MINI_ANSWERS, ["--bank", str(MINI_BANK)], id="mini", marks=MINI_GROUP)] + [
    pytest.param(path, [], id=path.stem, marks=pytest.mark.xdist_group(f"pdf-{path.stem}"))
    for path in EXAMPLES
]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:  # pragma: no cover - main always exits
        code = 0
    out, err = capsys.readouterr()
    return code, out, err


def render(
    answers: Path, bank: list[str], out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> PdfReader:
    code, _, err = run(["report", str(answers), *bank, "-o", str(out), *extra], capsys)
    assert code == 0, err
    return PdfReader(out)


def rendered(answers: Path, bank: list[str], pdfs: Renders) -> Path:
    """The PDF of ``answers``, rendered once per session for the tests that only read it."""
    return pdfs(answers, *bank).path


def text_of(reader: PdfReader, page: int) -> str:
    return " ".join(reader.pages[page].extract_text().split())


def verdict_of(
    answers: Path, bank: list[str], capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    code, out, err = run(["report", str(answers), *bank, "-o", "-", "--format", "json"], capsys)
    assert code == 0, err
    memo: dict[str, object] = json.loads(out)
    return memo


def hostile_answers(tmp_path: Path) -> Path:
    word = "w" * 100_000
    doc = {
        "kind": "rewrite-advisor/answers",
        "format": 1,
        "bank": {"id": "mini", "version": "1.0"},
        "title": "Hostile <b>title</b> " + "T" * 400,
        "date": "2026-11-21",
        "participants": ["<i>Eve</i>", "Mallory"],
        "answers": {
            "motive": {"value": "fashion", "note": HOSTILE},
            "goals": ["revenue"],
            "shares_data": True,
            "sync_cost": {"dont_know": True, "note": word},
            "freeze": {"value": 12, "note": "lorem ipsum dolor sit amet " * 40_000},
            "go_live": {"value": "2027-03-01", "confidence": "guess"},
            "story": {"value": HOSTILE + " " + word, "confidence": "estimate"},
        },
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize(("answers", "bank"), CASES)
def test_page_one_is_the_summary_with_the_verdict(
    answers: Path, bank: list[str], pdfs: Renders, capsys: pytest.CaptureFixture[str]
) -> None:
    memo = verdict_of(answers, bank, capsys)
    reader = PdfReader(rendered(answers, bank, pdfs))
    first = text_of(reader, 0)
    verdict = memo["verdict"]
    assert isinstance(verdict, dict)
    assert "VERDICT" in first.upper()
    assert verdict["title"] in first
    assert "page 1 of" in first
    summary = memo.get("summary")
    if isinstance(summary, dict):
        # Scoring model 2: the executive summary; tests/test_memo_layout.py checks the rest.
        assert " ".join(str(summary["decision"]).split()) in first
        assert "Cost and time" in first and "What to do next" in first
        assert 2 <= len(reader.pages) <= 40
        return
    for heading in ("Key dates", "What leadership is asked to decide"):
        assert heading in first
    # The summary fits on page 1: the full memo starts on page 2.
    section_heading = "Score by section" if "knowledge" in verdict else "Readiness by section"
    assert section_heading not in first
    assert section_heading in text_of(reader, 1)
    if verdict.get("range"):
        assert "What would change it." in first
    assert 2 <= len(reader.pages) <= 40
    assert f"page 2 of {len(reader.pages)}" in text_of(reader, 1)


@pytest.mark.parametrize(("answers", "bank"), CASES)
def test_metadata_pdfa_and_language(
    answers: Path, bank: list[str], pdfs: Renders, capsys: pytest.CaptureFixture[str]
) -> None:
    memo = verdict_of(answers, bank, capsys)
    reader = PdfReader(rendered(answers, bank, pdfs))
    meta = reader.metadata
    assert meta is not None
    verdict = memo["verdict"]
    assert isinstance(verdict, dict)
    assert meta.title is not None and str(memo["title"]) in meta.title
    participants = memo["participants"]
    assert isinstance(participants, list)
    if participants:
        assert meta.author == ", ".join(participants)
    assert meta.subject == f"Verdict: {verdict['title']}"
    assert "rewrite" in str(meta.get("/Keywords"))
    assert str(meta.get("/CreationDate")).startswith("D:" + str(memo["date"]).replace("-", ""))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert f"<xmp:CreateDate>{memo['date']}</xmp:CreateDate>" in xmp
    assert reader.outline  # bookmarks from the headings
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any(str(memo["title"])[:20] in t for t in titles)


@pytest.mark.parametrize(("answers", "bank"), CASES)
def test_exactly_one_embedded_file_the_answers(
    answers: Path, bank: list[str], pdfs: Renders, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = PdfReader(rendered(answers, bank, pdfs))
    files = [(name, data) for name, items in reader.attachments.items() for data in items]
    assert files == [(answers.name, answers.read_bytes())]
    assert reader.trailer["/Root"]["/AF"]  # PDF/A-3 associated file


@pytest.mark.parametrize(("answers", "bank"), CASES)
def test_two_renders_are_byte_identical(
    answers: Path,
    bank: list[str],
    tmp_path: Path,
    pdfs: Renders,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A render now gives the same bytes as the session's first render of the same answers."""
    first = rendered(answers, bank, pdfs)
    render(answers, bank, tmp_path / "b.pdf", capsys)
    assert first.read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize(("answers", "bank"), CASES)
def test_rerender_from_the_pdf_equals_render_from_the_answers(
    answers: Path,
    bank: list[str],
    tmp_path: Path,
    pdfs: Renders,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pdf = rendered(answers, bank, pdfs)
    assert verdict_of(pdf, bank, capsys) == verdict_of(answers, bank, capsys)
    for fmt in ("html", "md"):
        code, from_pdf, err = run(["report", str(pdf), *bank, "-o", "-", "--format", fmt], capsys)
        assert code == 0, err
        code, from_answers, err = run(
            ["report", str(answers), *bank, "-o", "-", "--format", fmt], capsys
        )
        assert from_pdf == from_answers
    # and a PDF made from the PDF is the same PDF
    again = tmp_path / "again.pdf"
    render(pdf, bank, again, capsys)
    assert again.read_bytes() == pdf.read_bytes()


@dataclass
class HostileRender:
    answers: Path
    pdf: Path
    fetchers: list[Any]
    """Every URL fetcher the render made (each keeps the URLs it refused)."""
    warnings: list[str]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileRender:
    """The hostile answers' PDF, rendered once, with the URL fetchers it made."""
    import rewrite_advisor.pdf as pdf_module

    folder = tmp_path_factory.mktemp("hostile")
    fetchers: list[Any] = []
    make = pdf_module._url_fetcher

    def spy(*args: Any) -> Any:
        fetcher = make(*args)
        fetchers.append(fetcher)
        return fetcher

    answers = hostile_answers(folder)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(pdf_module, "_url_fetcher", spy)
        warnings = render_pdf(folder / "memo.pdf", answers, "--bank", MINI_BANK)
    return HostileRender(answers, folder / "memo.pdf", fetchers, warnings)


LETTER = ("--bank", MINI_BANK, "--paper", "letter")


@MINI_GROUP
def test_no_css_warnings(pdfs: Renders, hostile: HostileRender) -> None:
    problems = [
        *pdfs(MINI_ANSWERS, "--bank", MINI_BANK).warnings,
        *hostile.warnings,
        *pdfs(MINI_ANSWERS, *LETTER).warnings,
    ]
    assert problems == []


@MINI_GROUP
def test_hostile_answers_fetch_nothing_and_attach_nothing(hostile: HostileRender) -> None:
    fetchers, answers = hostile.fetchers, hostile.answers
    reader = PdfReader(hostile.pdf)
    assert fetchers and all(f.refused == [] for f in fetchers)  # type: ignore[attr-defined]
    files = [(name, data) for name, items in reader.attachments.items() for data in items]
    assert files == [("hostile.json", answers.read_bytes())]
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            subtype = annot.get_object()["/Subtype"]
            assert subtype == "/Link", subtype
            uri = annot.get_object().get("/A", {}).get("/URI")
            assert uri is None  # only internal links (page references)
        for xobject in page["/Resources"].get("/XObject", {}).values():
            assert xobject.get_object()["/Subtype"] != "/Image"  # no image pulled in
    everything = " ".join(text_of(reader, i) for i in range(len(reader.pages)))
    assert "root:x:0:0" not in everything
    assert 'href="file:///etc/passwd"' in everything  # shown as text, literally
    assert "[truncated: 98,000 characters omitted" in everything
    assert len(reader.pages) < 30
    if shutil.which("pdftotext"):  # poppler reads every page without a complaint
        checked = subprocess.run(
            ["pdftotext", str(hostile.pdf), "-"], capture_output=True, check=True
        )
        assert checked.stderr == b""


def test_fetcher_refuses_all_but_bundled_files(tmp_path: Path) -> None:
    import weasyprint

    from rewrite_advisor import resources
    from rewrite_advisor.pdf import _url_fetcher

    root = resources.templates_dir().resolve()
    fetcher = _url_fetcher(weasyprint, root)
    bundled = root / "memo.html.j2"
    assert fetcher.fetch(bundled.as_uri()).read() == bundled.read_bytes()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in (
        outside.as_uri(),
        "file:///etc/passwd",
        (root / ".." / ".." / "etc" / "passwd").as_uri(),
        root.as_uri() + "/../pyproject.toml",
        "http://127.0.0.1:9/x.png",
        "https://example.org/a.css",
        "data:text/plain,hello",
        "ftp://example.org/x",
    ):
        with pytest.raises(weasyprint.urls.URLFetchingError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 8


@MINI_GROUP
def test_letter_paper(pdfs: Renders) -> None:
    a4 = PdfReader(pdfs(MINI_ANSWERS, "--bank", MINI_BANK).path)
    letter = PdfReader(pdfs(MINI_ANSWERS, *LETTER).path)
    a4_box = a4.pages[0].mediabox
    letter_box = letter.pages[0].mediabox
    assert (round(float(a4_box.width)), round(float(a4_box.height))) == (595, 842)
    assert (round(float(letter_box.width)), round(float(letter_box.height))) == (612, 792)


def test_format_pdf_flag_and_bad_pdf_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "memo.bin"
    code, _, err = run(
        ["report", str(MINI_ANSWERS), "--bank", str(MINI_BANK), "-o", str(out), "--format", "pdf"],
        capsys,
    )
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF-1.7")
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"not a pdf at all")
    code, _, err = run(
        ["report", str(fake), "--bank", str(MINI_BANK), "-o", "-", "--format", "json"], capsys
    )
    assert code == 2
    assert re.fullmatch(r"error: .*fake\.pdf: cannot read this PDF: .*\n", err)
    missing = tmp_path / "missing.pdf"
    code, _, err = run(
        ["report", str(missing), "--bank", str(MINI_BANK), "-o", "-", "--format", "json"], capsys
    )
    assert (code, err) == (2, f"error: {missing}: no such file\n")


def test_a_pdf_without_answers_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfWriter

    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    with plain.open("wb") as handle:
        writer.write(handle)
    code, _, err = run(
        ["report", str(plain), "--bank", str(MINI_BANK), "-o", "-", "--format", "json"], capsys
    )
    assert code == 2
    assert (
        err == f"error: {plain}: this PDF holds no answers file: only memos made by 'report' do\n"
    )


@MINI_GROUP
def test_errors_in_embedded_answers_name_the_pdf(
    tmp_path: Path, pdfs: Renders, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = pdfs(MINI_ANSWERS, "--bank", MINI_BANK).path
    # Scored against another bank, the embedded answers do not fit: the error names both files.
    other = tmp_path / "other"
    other.mkdir()
    for name in ("bank.yaml", "rules.yaml"):
        text = (MINI_BANK / name).read_text().replace("id: mini\n", "id: other\n")
        (other / name).write_text(text)
    code, _, err = run(
        ["report", str(pdf), "--bank", str(other), "-o", "-", "--format", "json"], capsys
    )
    assert code == 2
    assert err.startswith(f"error: {pdf} (embedded mini-answers.yaml):")


def test_missing_pango_is_a_clear_error_and_other_formats_still_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pango(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libgobject-2.0-0': error 0x7e")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pango)
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    out = tmp_path / "memo.pdf"
    code, _, err = run(
        ["report", str(MINI_ANSWERS), "--bank", str(MINI_BANK), "-o", str(out)], capsys
    )
    assert code == 2
    assert err.startswith(
        "error: PDF output needs Pango: install the system packages "
        "libpango-1.0-0 libpangoft2-1.0-0 (Debian/Ubuntu)"
    )
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()
    for fmt in ("html", "md", "json"):
        code, text, err = run(
            ["report", str(MINI_ANSWERS), "--bank", str(MINI_BANK), "-o", "-", "--format", fmt],
            capsys,
        )
        assert code == 0, err
        assert text


def test_html_md_json_and_help_never_import_weasyprint() -> None:
    code = (
        "import sys\n"
        "from rewrite_advisor.cli import main\n"
        "for args in (['--help'], ['report', '--help'], "
        f"['report', {str(MINI_ANSWERS)!r}, '--bank', {str(MINI_BANK)!r},"
        " '-o', '-', '--format', 'html']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint was imported'\n"
        "assert 'pypdf' not in sys.modules, 'pypdf was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_screen_html_is_unchanged_by_print_parts(capsys: pytest.CaptureFixture[str]) -> None:
    code, html, err = run(
        ["report", str(MINI_ANSWERS), "--bank", str(MINI_BANK), "-o", "-", "--format", "html"],
        capsys,
    )
    assert code == 0, err
    assert "@top-left" not in html and "executive summary" not in html.lower()
    assert "@media (max-width: 40rem)" in html


def test_pdf_to_a_terminal_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    code, _, err = run(
        ["report", str(MINI_ANSWERS), "--bank", str(MINI_BANK), "-o", "-", "--format", "pdf"],
        capsys,
    )
    assert code == 2
    assert "cannot be written to a terminal" in err


def test_summary_fits_page_one_with_long_bank_texts_and_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every list on page 1 is capped and every text cut, so the summary never spills over."""
    longer = " and a much longer explanation that goes on" * 8
    bank = tmp_path / "bank"
    bank.mkdir()
    rules = re.sub(
        r"^(    (?:title|why|action): .*)$",
        lambda m: m.group(1) + longer,
        (MINI_BANK / "rules.yaml").read_text(),
        flags=re.M,
    )
    (bank / "rules.yaml").write_text(rules)
    questions = re.sub(
        r"^(        text: .*)$",
        lambda m: m.group(1) + longer,
        (MINI_BANK / "bank.yaml").read_text(),
        flags=re.M,
    )
    (bank / "bank.yaml").write_text(questions)
    doc = json.loads(hostile_answers(tmp_path).read_text())
    doc["participants"] = [f"Person {i} " + "n" * 70 for i in range(12)]
    doc["answers"]["motive"] = "customer"
    doc["answers"]["go_live"] = {"dont_know": True}
    answers = tmp_path / "stress.json"
    answers.write_text(json.dumps(doc))
    reader = render(answers, ["--bank", str(bank)], tmp_path / "memo.pdf", capsys)
    first = text_of(reader, 0)
    assert "Not yet" in first and "What leadership is asked to decide" in first
    assert "The answers this memo was made from are attached" in first
    assert "Readiness by section" in text_of(reader, 1)


def test_loading_weasyprint_runs_no_program() -> None:
    """No ldconfig or C compiler runs to find Pango (cffi's lookup is skipped on Linux)."""
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("the lookup is skipped on Linux only")
    script = (
        "import sys\n"
        "spawned = []\n"
        "sys.addaudithook(lambda event, args: spawned.append(event)"
        " if event in ('subprocess.Popen', 'os.posix_spawn', 'os.exec', 'os.fork') else None)\n"
        "from rewrite_advisor.pdf import _weasyprint\n"
        "_weasyprint()\n"
        "print(len(spawned))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "0", result.stderr


def test_a_render_leaves_the_cycle_collector_as_it_found_it() -> None:
    """A program that renders memos through the library, in one thread or several at once,
    keeps its own collector settings."""
    import gc
    import subprocess
    import sys

    script = (
        "import gc, sys\n"
        "from pathlib import Path\n"
        "from rewrite_advisor.cli import build_memo\n"
        "from rewrite_advisor.pdf import render_pdf\n"
        "import threading\n"
        "gc.set_threshold(500, 7, 9)\n"
        "memo = build_memo(Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "pdfs = []\n"
        "def render():\n"
        "    pdfs.append(render_pdf(memo, [('a.yaml', Path(sys.argv[1]).read_bytes())]))\n"
        "render()\n"
        "print(gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())\n"
        "threads = [threading.Thread(target=render) for _ in range(2)]\n"
        "for thread in threads: thread.start()\n"
        "for thread in threads: thread.join()\n"
        "assert len(pdfs) == 3 and all(p == pdfs[0] for p in pdfs), 'three equal PDFs'\n"
        "print(gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(MINI_ANSWERS), str(MINI_BANK)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.splitlines() == ["(500, 7, 9) 0 True"] * 2, result.stderr
    assert gc.isenabled()


@pytest.mark.xdist_group("pdfa-team")
def test_a_team_memo_pdf_is_re_reportable(
    tmp_path: Path,
    pdfs: Renders,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 19 F: a team PDF carries every participant's file; report of it exited 2."""
    files = sorted((ROOT / "examples" / "workshop").glob("*.yaml"))
    team = pdfs(*files).path
    code, from_pdf, err = run(["report", str(team), "-o", "-", "--format", "md"], capsys)
    assert code == 0, err
    monkeypatch.chdir(files[0].parent)  # the memo names the files as given: here, by name
    code, from_files, err = run(
        ["report", *(f.name for f in files), "-o", "-", "--format", "md"], capsys
    )
    assert code == 0, err
    assert from_pdf == from_files
    # A command that takes one answers file says what the PDF holds and what reads it.
    code, _, err = run(
        ["record", "add", str(team), "--dir", str(tmp_path / "d"), "--no-pdf"], capsys
    )
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith(
        f"error: {team}: this PDF is a team memo with {len(files)} answers files"
    )
    assert files[0].name in line and "'report' reads it whole" in line
