"""The command line: options to library calls, exceptions to exit codes, in one place.

Exit codes: 0 done; 2 bad usage or bad input (one ``error:`` line on stderr); 130 interrupted;
1 only for a bug. Heavy modules (pydantic models, Jinja, WeasyPrint, questionary) are imported
inside the commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import Interrupted

if TYPE_CHECKING:
    import datetime as dt

    from .answers import Answers
    from .bank import Bank
    from .prompt import Terminal

EXIT_OK = 0
EXIT_BUG = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130

MAIN_HELP = """Decide whether to rewrite a system, and write the decision down.

\b
Examples:
  rewrite-advisor assess -o answers.yaml          answer the questions (saves as you go)
  rewrite-advisor form -o form.html               the same questions as a page for a browser
  rewrite-advisor questions                       list the questions
  rewrite-advisor report answers.yaml -o memo.html
  rewrite-advisor report answers.yaml -o - --format json | jq .verdict
  rewrite-advisor report answers/*.yaml -o agenda.html   where a team disagrees
  rewrite-advisor workshop answers/*.yaml         settle a team's disagreements
  rewrite-advisor record add answers.yaml         archive the decision (MADR)
  rewrite-advisor check my-bank/                  validate a team's own bank
  rewrite-advisor cases evaluate                  how well the nearest cases predict
  rewrite-advisor schema answers > answers.schema.json

Exit codes: 0 done, 2 bad usage or bad input, 3 record verify found a changed
record, 130 interrupted, 1 a bug.
"""


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a line (or lines) with every control character from a file made visible."""
    from .terminal import clean

    click.echo(clean(text), err=err, nl=nl)


def done(message: str) -> None:
    """Say what a command did (``Go: wrote memo.html``), on standard error.

    Standard output carries only what a command produces (a memo, a listing, JSON, a schema,
    a diff, the result of a check), so it can always be piped; lines about what was done to
    files, and warnings, go to standard error.
    """
    echo(message, err=True)  # control characters from files made visible


def fail(message: str) -> NoReturn:
    """Stop with a usage-style error line and exit code 2."""
    from .errors import AdvisorError

    raise AdvisorError(message)


def _bank_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--bank",
        "bank_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="A question bank folder (bank.yaml and rules.yaml). Default: the bundled bank.",
    )(func)


def _cases_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--cases",
        "cases_dirs",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False),
        help="A case library folder (cases.yaml and an answers file per case) to compare the "
        "plan with, besides the bundled one; repeatable.",
    )(func)


def case_library(bank: Bank, cases_dirs: Sequence[Path] = ()) -> Any:
    """The bundled case library on ``bank`` (if its cases are on it), with the team's own."""
    from . import outside

    libraries = []
    bundled = outside.bundled_library(bank)
    if bundled is not None:
        libraries.append(bundled)
    if cases_dirs:
        defaults = outside.bundled_settings() if bank.id == load_bank(None).id else None
        libraries += [outside.load_library(d, bank, defaults=defaults) for d in cases_dirs]
    return outside.combined(libraries) if libraries else None


def bank_files(bank_dir: Path | None) -> list[Path]:
    """The files of the given bank (or the bundled one), which no output may replace."""
    from .bank import BANK_FILE, RULES_FILE
    from .resources import default_bank_dir

    folder = bank_dir if bank_dir is not None else default_bank_dir()
    return [folder / BANK_FILE, folder / RULES_FILE]


def load_bank(bank_dir: Path | None) -> Bank:
    """Load the given bank, or the bundled one."""
    from .bank import load_bank as _load

    return _load(bank_dir)


_answers_files = click.argument(
    "answers_files",
    metavar="ANSWERS...",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
)


@click.group(
    help=MAIN_HELP,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(
    __version__, "--version", prog_name="rewrite-advisor", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """The command group (see MAIN_HELP); alone, it prints the help (exit 0)."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.command()
@_answers_files
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="OUT",
    help="Where to write the memo; - for standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "md", "json"]),
    default=None,
    help="Output format. Default: from the suffix of OUT, else md.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Paper size of a PDF memo, and of an HTML memo when it is printed. Default: a4.",
)
@_bank_option
@_cases_option
def report(
    answers_files: Sequence[Path],
    output: str,
    fmt: str | None,
    paper: str | None,
    bank_dir: Path | None,
    cases_dirs: Sequence[Path],
) -> None:
    """Score answers and render the decision memo.

    ANSWERS is an answers file, or a PDF memo made by 'report': the answers embedded in
    it are used. A PDF memo is PDF/A-3 with the answers file attached (a team memo's
    PDF: every participant's file, and it re-renders as the team memo). - reads one
    from standard input (a file named - is ./-).

    \b
    Examples:
      rewrite-advisor report answers.yaml -o memo.html
      rewrite-advisor report answers.yaml -o memo.pdf --paper letter
      rewrite-advisor report answers.yaml -o memo.html --paper letter  (prints on letter)
      rewrite-advisor report memo.pdf -o memo.html    (from the answers inside the PDF)
      rewrite-advisor report answers.yaml -o memo.md
      rewrite-advisor report answers.yaml -o - --format json
      some-command | rewrite-advisor report - -o memo.html   (answers piped in)
      rewrite-advisor report partial.yaml          (lists what is unanswered)
      rewrite-advisor report answers/*.yaml -o team.html   (where the team disagrees)
      rewrite-advisor report team.yaml -o memo.html        (after 'workshop': with dissent)
      rewrite-advisor report answers.yaml --cases our-projects/   (and our own past rewrites)

    Every memo shows the documented rewrites nearest to the plan and how they ended,
    from the case library shipped with the tool and any given with --cases.
    """
    from . import fsio
    from .render import format_for

    chosen = format_for(output, fmt)
    if not chosen:
        fail(
            f"cannot tell the format from '{output}': "
            "name it .html, .pdf, .md or .json, or use --format"
        )
    if chosen == "pdf" and output == "-" and sys.stdout.isatty():
        fail("a PDF cannot be written to a terminal: give -o memo.pdf")
    if sum(str(p) == "-" for p in answers_files) > 1:
        fail("'-' (standard input) can be given once")
    if "-" in map(str, answers_files) and len(answers_files) > 1:
        # A team memo names each file, for the workshop to read them again.
        fail("'-' (standard input) reads one answers file: give a team's files by their names")
    # '-' is standard input (named <stdin> in messages); a file named '-' is './-'.
    answers_files = [fsio.STDIN if str(p) == "-" else p for p in answers_files]
    if fsio.STDIN in answers_files:
        fsio.refuse_inputs(output, ["/dev/stdin"], "the answers file")  # report - -o a < a
    fsio.refuse_inputs(output, answers_files, "the answers file")
    fsio.refuse_inputs(output, bank_files(bank_dir), "the question bank's file")
    if paper is not None and chosen in ("md", "json"):
        kind = {"md": "Markdown", "json": "JSON"}[chosen]
        done(f"warning: --paper applies to PDF and HTML memos; a {kind} memo has no page size")
    # A team memo's PDF holds every participant's file: it is read as those files.
    labelled = [(label, source) for p in answers_files for label, source in read_sources(p)]
    sources = [source for _, source in labelled]
    if len(labelled) > 1:
        memo = build_team_memo(
            [label for label, _ in labelled],
            bank_dir,
            [raw for _, raw in sources],
            # a file from a PDF is named as it was when the PDF was made
            [str(label) if label in answers_files else name for label, (name, _) in labelled],
        )
    else:
        memo = build_memo(answers_files[0], bank_dir, sources[0], cases_dirs)
    # The answers a PDF carries are named as files; those piped in, answers.yaml.
    attached = [("answers.yaml" if n == fsio.STDIN.name else n, raw) for n, raw in sources]
    data = render_memo(memo, chosen, sources=attached, paper=paper or "a4")
    fsio.write_output(output, data)
    if output != "-":
        done(f"{memo.verdict.title}: wrote {output}")


def read_sources(path: Path) -> list[tuple[Path, tuple[str, bytes]]]:
    """The answers files in ``path``, each with a label for messages, its name and bytes.

    An answers file is itself; a PDF memo holds one, a team memo's PDF one per participant.
    """
    from . import fsio

    if path is fsio.STDIN:
        raw = fsio.read_standard_input(fsio.ANSWERS_LIMIT, "an answers file")
        if not raw.startswith(b"%PDF-"):
            return [(path, (path.name, raw))]
        from .pdf import answers_in_pdf

        files = answers_in_pdf(raw, path)
    elif path.suffix.lower() == ".pdf":
        from .pdf import embedded_answers

        files = embedded_answers(path)
    else:
        raw = fsio.read_input(path, fsio.ANSWERS_LIMIT, "an answers file (YAML or JSON)")
        if not raw.startswith(b"%PDF-"):
            return [(path, (path.name, raw))]
        from .pdf import answers_in_pdf

        files = answers_in_pdf(raw, path)
    return [
        (path if name == path.name else Path(f"{path} (embedded {name})"), (name, data))
        for name, data in files
    ]


def read_source(path: Path) -> tuple[str, bytes]:
    """An answers file's name and bytes; for a PDF memo, the answers file embedded in it.

    Raises:
        AnswersError: For a team memo's PDF, which holds several: naming them and what reads it.
    """
    from .errors import AnswersError

    found = read_sources(path)
    if len(found) > 1:
        names = ", ".join(name for _, (name, _) in found)
        raise AnswersError(
            f"this PDF is a team memo with {len(found)} answers files ({names}): 'report' reads "
            "it whole; here give one answers file (pdfdetach -saveall extracts them)",
            path,
        )
    return found[0][1]


def read_answers(
    path: Path, bank_dir: Path | None, source: tuple[str, bytes] | None = None
) -> tuple[Answers, dict[str, Any]]:
    """Read and check an answers file; return the answers and the file's plain data."""
    from .answers import bind, parse_answers, read_document

    name, raw = source or read_source(path)
    label = str(path) if name == path.name else f"{path} (embedded {name})"
    doc = read_document(raw, label)
    parsed = parse_answers(doc)
    bank = load_bank(bank_dir)
    if bank_dir is None and parsed.bank.id == bank.id and parsed.bank.version != bank.version:
        from .resources import archived_bank_dir

        earlier = archived_bank_dir(parsed.bank.version)
        if earlier is not None:
            bank = load_bank(earlier)  # answers made with an earlier bank score as they did
    answers = bind(parsed, bank, doc)
    return answers, parsed.model_dump(mode="json", exclude_none=True)


def build_memo(
    path: Path,
    bank_dir: Path | None,
    source: tuple[str, bytes] | None = None,
    cases_dirs: Sequence[Path] = (),
) -> Any:
    """Read an answers file (or the one inside a PDF memo) and score it into a memo."""
    from datetime import date

    from .engine import assess

    answers, raw = read_answers(path, bank_dir, source)
    library = case_library(answers.bank, cases_dirs)
    return assess(answers, raw, date.today(), library=library)


def build_team_memo(
    paths: Sequence[Path],
    bank_dir: Path | None,
    contents: Sequence[bytes] | None = None,
    names: Sequence[str] | None = None,
) -> Any:
    """Score several participants' answers files (read already: ``contents``) into a team memo.

    ``names`` are the files as the memo names them, where they differ from ``paths`` (which
    errors name): a file taken from a team memo's PDF is named as when the PDF was made.
    """
    import dataclasses
    from datetime import date

    from . import workshop

    today = date.today()
    participants = workshop.load_participants(paths, load_bank(bank_dir), contents)
    if (note := workshop.differing_titles(participants)) is not None:
        done(note)
    if names is not None:
        participants = [
            dataclasses.replace(p, file=name) for p, name in zip(participants, names, strict=True)
        ]
    return workshop.team_memo(workshop.analyse(participants, today), today)


def render_memo(
    memo: Any, fmt: str, *, sources: Sequence[tuple[str, bytes]] = (), paper: str = "a4"
) -> bytes:
    """Render a memo in one of the formats; a PDF embeds ``sources``, the answers files."""
    from .render import render

    if fmt == "pdf":
        from .pdf import render_pdf

        if not sources:
            fail("a PDF memo needs the answers file to embed")
        return render_pdf(memo, sources, paper=paper)
    return render(memo, fmt, paper=paper)


@cli.command()
@_bank_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def questions(bank_dir: Path | None, fmt: str) -> None:
    """List the question bank: sections, questions, choices and conditions.

    \b
    Examples:
      rewrite-advisor questions
      rewrite-advisor questions --format json > questions.json
      rewrite-advisor questions --bank my-bank/
    """
    import json

    bank = load_bank(bank_dir)
    if fmt == "json":
        from .terminal import json_escape

        data = bank.meta.model_dump(mode="json", by_alias=True, exclude_none=True)
        click.echo(json_escape(json.dumps(data, indent=2, ensure_ascii=False)))
        return
    from .bank import own_condition
    from .conditions import describe as describe_condition

    lines = [f"{bank.meta.title} ({bank.id} {bank.version}): {len(bank.questions)} questions", ""]
    number = 0
    for section in bank.sections:
        lines.append(f"== {section.title} [{section.id}]")
        lines.append(f"   {section.intro}")
        if section.owner:
            lines.append(f"   owner: {section.owner}")
        if section.when is not None:
            lines.append(f"   the section is asked only if {describe_condition(section.when)}")
        for q in section.questions:
            number += 1
            flag = ""
            if q.critical is True:
                flag = "  (matters)"
            elif q.critical is not False:
                flag = f"  (matters when {describe_condition(q.critical)})"
            elif not q.counts_in_knowledge:
                flag = "  (for the memo: not counted in knowledge)"
            lines.append(f"{number:3}. {q.text}{flag}")
            detail = f"id: {q.id} · {q.type}"
            if q.unit:
                detail += f" in {q.unit}"
            lines.append(f"     {detail}")
            for c in q.choices or []:
                lines.append(f"       - {c.value}: {c.label}")
            own = own_condition(q, section)
            if own is not None:
                lines.append(f"     asked only if {describe_condition(own)}")
        lines.append("")
    echo("\n".join(lines).rstrip())


@cli.command()
@click.argument("folder", metavar="[FOLDER]", required=False, type=click.Path(path_type=Path))
@_bank_option
def check(folder: Path | None, bank_dir: Path | None) -> None:
    """Validate a question bank folder, or a case library folder.

    With no FOLDER, checks the bundled bank and the bundled case library. A folder
    with cases.yaml is a case library: each case is checked against the bank (--bank,
    or the bundled one); cases on an earlier bank version are carried over, and what
    did not carry over is listed. Prints a summary and exits 0 when all is valid;
    prints one 'error: FILE:LINE: ...' line and exits 2 when it is not.

    \b
    Examples:
      rewrite-advisor check
      rewrite-advisor check my-bank/
      rewrite-advisor check our-projects/          (a team's own case library)
    """
    from . import outside

    if folder is not None and outside.is_library(folder):
        bank = load_bank(bank_dir)
        defaults = outside.bundled_settings() if bank.id == load_bank(None).id else None
        echo(_library_line(outside.load_library(folder, bank, defaults=defaults), folder))
        return
    if folder is not None and bank_dir is not None:
        fail("give the bank as FOLDER or with --bank, not both")
    bank = load_bank(folder or bank_dir)
    severities: dict[str, int] = {}
    for rule in bank.rules:
        severities[rule.severity] = severities.get(rule.severity, 0) + 1
    counts = ", ".join(f"{n} {s}" for s, n in severities.items())
    memo_only = sum(1 for q in bank.questions.values() if not q.counts_in_knowledge)
    aside = f" ({memo_only} not counted in knowledge)" if memo_only else ""
    echo(
        f"ok: {bank.id} {bank.version}: {len(bank.sections)} sections, "
        f"{len(bank.questions)} questions{aside}, {len(bank.rules)} rules ({counts})"
    )
    if folder is None and bank_dir is None:
        library = outside.bundled_library(bank)
        if library is not None:
            echo(_library_line(library, outside.bundled_folder()))


def _library_line(library: Any, folder: Path) -> str:
    """One line on a case library that loaded: its cases by outcome, and what was migrated."""
    cases = library.cases
    outcomes = {
        o: sum(1 for c in cases if c.entry.outcome == o) for o in ("failed", "succeeded", "mixed")
    }
    line = (
        f"ok: case library {folder}: {len(cases)} cases ({outcomes['failed']} failed, "
        f"{outcomes['succeeded']} succeeded, {outcomes['mixed']} mixed) on "
        f"{library.bank.id} {library.bank.version}"
    )
    for case in cases:
        if case.migrated_from is not None:
            dropped = ", ".join(case.dropped) or "nothing"
            line += (
                f"\n  {case.entry.id}: carried over from {case.migrated_from}; dropped: {dropped}"
            )
    return line


@cli.group("cases", invoke_without_command=True)
@click.pass_context
def cases_group(ctx: click.Context) -> None:
    """The case library: documented rewrites that every memo compares a plan with.

    \b
    Examples:
      rewrite-advisor cases evaluate
      rewrite-advisor cases evaluate --cases our-projects/
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cases_group.command("evaluate")
@_bank_option
@_cases_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def cases_evaluate(bank_dir: Path | None, cases_dirs: Sequence[Path], fmt: str) -> None:
    """Leave-one-out: how well the nearest cases predict how each case ended.

    Each failed or succeeded case is predicted from its nearest others (itself left
    out), and the rules' verdict on it is scored too: Go or Go with conditions expects
    success, Not yet or Don't rewrite failure. Prints both accuracies on the same
    cases, and the cases where the two disagree.
    """
    import json

    from .evaluation import evaluate

    bank = load_bank(bank_dir)
    library = case_library(bank, cases_dirs)
    if library is None:
        fail("no case library fits this bank: give one with --cases")
    result = evaluate(library)
    if fmt == "json":
        from .terminal import json_escape

        click.echo(json_escape(json.dumps(result.as_data(), indent=2, ensure_ascii=False)))
        return
    echo("\n".join(result.lines()))


NO_TERMINAL = (
    "assess needs a terminal; write an answers file (see 'rewrite-advisor schema answers') "
    "and run 'rewrite-advisor report FILE'"
)


def program() -> str:
    """How to run this program again, for hints: as it was run, unless it is on PATH as usual.

    ``rewrite-advisor`` when that name on PATH runs this program; otherwise the command as it
    was invoked (``sys.argv[0]``: a path such as ``.venv/bin/rewrite-advisor``, or another
    name linked to it), and for ``python -m rewrite_advisor``, this Python with ``-m``.
    """
    import shlex
    import shutil

    typed = sys.argv[0] if sys.argv else ""
    found = shutil.which("rewrite-advisor")
    here = Path(typed)
    if here.name == "__main__.py" and here.parent.name == "rewrite_advisor":
        return "rewrite-advisor" if found else f"{shlex.quote(sys.executable)} -m rewrite_advisor"
    # what was run: the path typed, or the name looked up on PATH (an alias links to us)
    ran = typed if os.sep in typed else shutil.which(typed) if typed else None
    if ran is None:  # not run as a program (python -c, a test)
        return "rewrite-advisor"
    try:
        resolved = Path(ran).resolve()
        if resolved.name != "rewrite-advisor" or (
            found is not None and Path(found).resolve() == resolved
        ):
            return "rewrite-advisor"  # on PATH as usual, or not this program
    except (OSError, RuntimeError):
        return "rewrite-advisor"
    return shlex.quote(typed)


def _start_from(
    from_file: Path,
    path: Path,
    bank: Bank,
    bank_dir: Path | None,
    participant: str | None,
    today: dt.date,
    terminal: Terminal,
) -> None:
    """Write a new answers file at ``path`` from the answers of ``from_file`` that still fit.

    The file is read, and ``path`` checked, before the session's introduction is shown, so
    that a wrong file gets its one-line error alone.
    """
    from . import answers as answers_io
    from . import session
    from .errors import OutputError
    from .upgrade import carry_over

    if path.exists():
        raise OutputError("already exists; --from starts a new file, so give another -o", path)
    earlier, _ = read_answers(from_file, bank_dir)
    terminal.begin(session.intro_lines(bank, path, None))
    result = carry_over(earlier, bank)
    started = result.answers
    started.source = str(path)
    if participant is None and not started.participants:
        participant = " ".join(terminal.ask_participant().split()) or None
    if participant:  # the new file is this person's: OLD's names stay in OLD
        started.participants = [participant]
    started.date = today
    started.workshop = None
    answers_io.save(started, path)
    lines = [
        f"Started {path} from {from_file} (question bank {earlier.bank.version}"
        + (f" → {bank.version}" if earlier.bank.version != bank.version else "")
        + f"): {len(result.carried)} answers carried over."
    ]
    if result.dropped:
        lines.append(
            f"  Not carried over (no place in version {bank.version}, or no longer fitting): "
            + ", ".join(result.dropped)
            + f". They stay in {from_file}."
        )
    terminal.show(lines)


def has_terminal() -> bool:
    """Whether standard input and output are both an interactive terminal."""
    try:
        return bool(sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty())
    except (ValueError, OSError):  # closed streams
        return False


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="ANSWERS",
    help="The answers file to write, or to resume if it exists. Default: answers.yaml here.",
)
@click.option(
    "--participant",
    metavar="NAME",
    default=None,
    help="Your name, recorded in the file. Without it, a new file asks for it (Enter skips).",
)
@_bank_option
@click.option(
    "--review", is_flag=True, help="Start with the review menu to change answers in a file."
)
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="OLD",
    help="Start a new ANSWERS file with the answers of OLD that still fit (OLD may be made "
    "with an earlier version of the bank; it is not changed). With --participant, the new "
    "file names that person only.",
)
def assess(
    output: Path | None,
    participant: str | None,
    bank_dir: Path | None,
    review: bool,
    from_file: Path | None,
) -> None:
    """Answer the questions interactively; every answer is saved at once.

    Resumes ANSWERS at the first open question if it exists (a file that is not an
    answers file is never overwritten). Ctrl-C saves and exits 130. Numbers can be
    written as people write them (120k, $120,000, 18 months). At the end: a review
    menu of every answer, the verdict, the top findings, and an offer to write the memo.

    \b
    Keys:
      ?               why a question matters
      Don't know      the last choice of every list; type dk for typed answers
      /               in a list: answer with the highlighted choice, then a note
      // note         after a typed answer: 14 // estimate, from the plan
      Space, Enter    tick choices, confirm

    \b
    Examples:
      rewrite-advisor assess                          (answers.yaml here)
      rewrite-advisor assess -o billing.yaml --participant Ana
      rewrite-advisor assess -o billing.yaml --review (change answers)
      rewrite-advisor assess -o new.yaml --from old.yaml (carry answers over)
    """
    import shlex
    from datetime import date

    from . import session

    if not has_terminal():
        fail(NO_TERMINAL)
    from .prompt import Terminal

    path = output or session.DEFAULT_ANSWERS
    folder = path.parent
    if not folder.is_dir():
        from .errors import OutputError

        raise OutputError(f"the folder {folder} does not exist", path)
    bank = load_bank(bank_dir)
    resume = f"{program()} assess -o {shlex.quote(str(path))}"
    # for a file made with another version of the bank: a new file with its answers
    carry_over = f"{program()} assess -o NEW.yaml --from {shlex.quote(str(path))}"
    if bank_dir is not None:
        resume += f" --bank {shlex.quote(str(bank_dir))}"
        carry_over += f" --bank {shlex.quote(str(bank_dir))}"
    terminal = Terminal()
    today = date.today()
    if from_file is not None:
        _start_from(from_file, path, bank, bank_dir, participant, today, terminal)
    answers = session.run(
        bank,
        path,
        terminal,
        today=today,
        participant=participant,
        review=review,
        resume_command=resume,
        carry_over_command=carry_over,
    )
    memo = session.score(answers, today)
    terminal.show(["", *session.iter_summary(memo)])
    from . import fsio
    from .errors import AdvisorError
    from .render import format_for

    default = str(session.memo_path_for(path))
    while (target := terminal.ask_memo_path(default)) is not None:
        try:
            chosen = format_for(target, None)
            if chosen not in ("html", "pdf", "md", "json"):
                fail(f"cannot tell the format from '{target}': name it .html, .pdf, .md or .json")
            if fsio.same_file(target, path):
                fail("that is the answers file; name the memo differently")
            fsio.refuse_inputs(target, bank_files(bank_dir), "the question bank's file")
            if Path(target).exists() and not terminal.confirm(f"{target} exists. Replace it?"):
                continue
            sources = [(path.name, fsio.read_input(path))]
            fsio.write_atomic(Path(target), render_memo(memo, chosen, sources=sources))
        except AdvisorError as exc:
            terminal.tell(f"error: {exc}")
            default = target
            continue
        terminal.tell(f"Wrote {target}. Your answers are in {path}.")
        return
    terminal.tell(
        f"Your answers are in {path}. Render later: {program()} report "
        f"{shlex.quote(str(path))} -o {shlex.quote(str(session.memo_path_for(path)))}"
    )


@cli.command()
@_answers_files
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("team.yaml"),
    show_default=True,
    metavar="TEAM",
    help="The team file to write, or to resume if it exists.",
)
@_bank_option
def workshop(answers_files: Sequence[Path], output: Path, bank_dir: Path | None) -> None:
    """Settle the team's disagreements with a facilitator; saves after every decision.

    Reads every participant's answers file (one person each, made with
    'assess --participant NAME'), shows how much the team agrees, then walks through
    the disputed questions only, most important first: every answer with its note and
    confidence, what is at stake, then the agreed answer and who still disagrees, with
    what they would answer and why. TEAM is an answers file with that dissent in it;
    'report TEAM' renders the team memo. Running the same command again resumes where
    it stopped; Ctrl-C saves and exits 130.

    \b
    Examples:
      rewrite-advisor report answers/*.yaml -o agenda.html   (where the team disagrees)
      rewrite-advisor workshop answers/*.yaml -o team.yaml
      rewrite-advisor report team.yaml -o memo.html          (with the dissent)
    """
    import shlex
    from datetime import date

    from . import fsio
    from . import workshop as team_workshop

    today = date.today()
    bank = load_bank(bank_dir)
    participants = team_workshop.load_participants(answers_files, bank)
    if (note := team_workshop.differing_titles(participants)) is not None:
        done(note)
    if output.resolve() in {Path(p.file).resolve() for p in participants} or any(
        fsio.same_file(output, p.file) for p in participants
    ):
        fail(f"{output}: this is a participant's answers file; name the team file differently")
    fsio.refuse_inputs(output, bank_files(bank_dir), "the question bank's file")
    analysis = team_workshop.analyse(participants, today)
    facilitation = team_workshop.open_facilitation(analysis, output)
    if not has_terminal():
        fail(
            "workshop needs a terminal; for the disagreements without one, run "
            f"'{program()} report " + " ".join(shlex.quote(str(p)) for p in answers_files) + "'"
        )
    from .prompt import Facilitator

    resume = f"{program()} workshop " + " ".join(
        shlex.quote(str(p)) for p in [*answers_files, "-o", output]
    )
    if bank_dir is not None:
        resume += f" --bank {shlex.quote(str(bank_dir))}"
    moderator = Facilitator()
    team_workshop.facilitate(facilitation, moderator, resume)
    moderator.show(team_workshop.closing_lines(facilitation, program()))


@cli.command()
@click.option(
    "-o",
    "--output",
    default="form.html",
    show_default=True,
    metavar="FORM",
    help="The HTML file to write; - for standard output.",
)
@_bank_option
@click.option("--title", default=None, metavar="TEXT", help="The assessment's title.")
@click.option(
    "--participant", metavar="NAME", default=None, help="Fill in the name of the person answering."
)
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="ANSWERS",
    help="Start from the answers in this file (one person's answers file).",
)
def form(
    output: str,
    bank_dir: Path | None,
    title: str | None,
    participant: str | None,
    from_file: Path | None,
) -> None:
    """Write the answer form: one HTML page to send to each participant.

    The page works in any current browser, offline, with nothing installed. It asks
    the bank's questions with everything 'assess' has, keeps the answers in the
    browser as they are typed, and saves NAME.yaml: an answers file that 'report'
    and 'workshop' read as it is. Its script and style are inline, allowed by hash
    in a strict Content-Security-Policy; it makes no request of any kind.

    \b
    Examples:
      rewrite-advisor form -o billing-form.html --title "Replace billing"
      rewrite-advisor form --participant Ana -o ana-form.html
      rewrite-advisor form --from known-facts.yaml -o form.html
      rewrite-advisor report answers/*.yaml -o agenda.html   (the files people send back)
    """
    from . import fsio
    from .form import build_form

    special = Path(output).exists() and not Path(output).is_file() and not Path(output).is_dir()
    if output != "-" and not special and Path(output).suffix.lower() not in (".html", ".htm"):
        # (a device or a named pipe, such as /dev/null, is written as it is named)
        fail(f"{output}: the form is an HTML page; name it .html (or - for standard output)")
    fsio.refuse_inputs(output, [from_file] if from_file else [], "the answers file")
    fsio.refuse_inputs(output, bank_files(bank_dir), "the question bank's file")
    bank = load_bank(bank_dir)
    start = read_answers(from_file, bank_dir)[0] if from_file is not None else None
    page = build_form(bank, title=title, participant=participant, start=start)
    if page.left_out and start is not None:
        echo(
            f"note: {len(page.left_out)} answers made with version {start.bank.version} of the "
            f"question bank have no place in version {bank.version} and are left out of the "
            f"form: {', '.join(page.left_out)}",
            err=True,
        )
    fsio.write_output(output, page.html.encode("utf-8"))
    if output != "-":
        echo(
            f"Wrote {output} ({page.size // 1024} KB, {page.questions} questions). Send it to "
            "each participant; each sends back the answers file it saves.",
            err=True,
        )


@cli.command()
@click.argument("kind", type=click.Choice(["bank", "rules", "answers", "memo", "cases"]))
@_bank_option
def schema(kind: str, bank_dir: Path | None) -> None:
    """Print the JSON Schema of a file format.

    \b
    bank     bank.yaml of a question bank
    rules    rules.yaml of a question bank
    answers  an answers file for the bank (--bank, else the bundled one): its
             question ids, choice values and value types, with the help texts
    memo     the JSON memo written by 'report --format json'
    cases    cases.yaml of a case library of past projects ('report --cases')

    \b
    Examples:
      rewrite-advisor schema answers > answers.schema.json
      rewrite-advisor schema answers --bank my-bank/ > answers.schema.json
    """
    import json

    from .schemas import schema_for

    if bank_dir is not None and kind != "answers":
        fail(
            "--bank applies to 'schema answers' only: the other formats are the same for every bank"
        )
    bank = load_bank(bank_dir) if kind == "answers" else None
    echo(json.dumps(schema_for(kind, bank), indent=2))


RECORD_HELP = """Keep decision records in the repository, next to the code.

\b
Each record is NNNN-slug.md, which ADR tools read, and a folder
assessments/NNNN-slug/ with the answers, the memo (HTML, and PDF when
available), a copy of the question bank and record.json (SHA-256 of every
file, status history, review date, links). Records are referred to by number.

\b
The Markdown follows the ADR tool the repository uses: log4brains
(.log4brains.yml), adr-tools (.adr-dir) or pyadr (.adr), else the records
already in the folder, else MADR 4; 'record add --style' chooses. Without
--dir, the folder is the one that tool's file names, else the nearest
docs/decisions from here up to the repository's top (as git finds its
root), else a new one at that top; a folder above this one is named.

\b
Examples:
  rewrite-advisor record add answers.yaml --review-by 2027-06-01
  rewrite-advisor record list --due
  rewrite-advisor record status 3 accepted
  rewrite-advisor record supersede 1 3
  rewrite-advisor record index
  rewrite-advisor record verify

Exit codes: 0 done, 2 bad usage or bad input, 3 'record verify' found tampering or drift.
"""


def _dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--dir",
        "directory",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="The records folder (it must exist, except for 'record add'). Default: the one "
        "named by .log4brains.yml, .adr-dir or pyadr's .adr, else the nearest docs/decisions up "
        "to the repository's top.",
    )(func)


def _convention(directory: Path | None, *, existing: bool = True) -> Any:
    """The records folder and its ADR tool's conventions.

    With ``existing``, a folder given with ``--dir`` must exist (only ``record add`` makes one).
    """
    from .records import detect

    if existing:
        _given_folder_exists(directory)
    convention = detect(directory)
    if convention.found_above:  # found by walking up, as git finds its root: say which
        echo(f"note: using the records folder {convention.directory}", err=True)
    return convention


def _given_folder_exists(directory: Path | None) -> None:
    """Stop when the folder given with ``--dir`` does not exist: say so, not "give --dir"."""
    if directory is not None and not directory.exists() and not directory.is_symlink():
        fail(
            f"{directory}: no such records folder: the folder given with --dir does not exist "
            "(check its name; 'record add' makes a new one)"
        )


def _from_here(path: Path | None) -> Path | None:
    """A path the records code resolved, shown as the user's other paths are: from here."""
    if path is None:
        return None
    try:
        return path.relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return path


def _note_finished(finished: str | None) -> None:
    if finished:
        echo(f"note: finished {finished} first", err=True)


def _date(value: str | None, what: str) -> Any:
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{what} '{value}' is not a date like 2027-06-01")


def _number(text: str) -> int:
    import re

    from .records import parse_number

    if re.match(r"\d{10}", Path(text).name):  # no folder holds a billion records
        fail(f"'{text[:20]}...' is not a record number (use 1, 0001 or 0001-title.md)")
    return parse_number(text)


@cli.group(help=RECORD_HELP, invoke_without_command=True)
@click.pass_context
def record(ctx: click.Context) -> None:
    """Decision records (see RECORD_HELP); alone, it prints the help (exit 0)."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@record.command("add")
@click.argument("answers_file", metavar="ANSWERS", type=click.Path(path_type=Path, dir_okay=False))
@_dir_option
@click.option(
    "--status",
    default="proposed",
    show_default=True,
    metavar="STATUS",
    help="proposed, accepted, rejected or deprecated.",
)
@click.option(
    "--review-by",
    "review_by",
    metavar="YYYY-MM-DD",
    help="When to review the decision. A date already past is kept, with a warning: the "
    "record is due at once.",
)
@click.option("--title", default=None, help="The record's title. Default: the answers' title.")
@click.option("--consulted", multiple=True, metavar="NAME", help="Someone consulted (repeatable).")
@click.option("--informed", multiple=True, metavar="NAME", help="Someone informed (repeatable).")
@click.option(
    "--style",
    type=click.Choice(["madr", "log4brains", "nygard"]),
    default=None,
    help="How the Markdown is written: MADR 4, log4brains (also read by pyadr) or "
    "Nygard (adr-tools). Default: what the repository uses; another style than its ADR "
    "tool reads is warned about.",
)
@click.option(
    "--pdf/--no-pdf",
    default=True,
    show_default=True,
    help="Keep a PDF of the memo too, when PDF output is available.",
)
@_bank_option
def record_add(
    answers_file: Path,
    directory: Path | None,
    status: str,
    review_by: str | None,
    title: str | None,
    consulted: tuple[str, ...],
    informed: tuple[str, ...],
    style: str | None,
    pdf: bool,
    bank_dir: Path | None,
) -> None:
    """Score ANSWERS and archive the decision as the next numbered record.

    \b
    Examples:
      rewrite-advisor record add answers.yaml
      rewrite-advisor record add answers.yaml --status accepted --review-by 2027-06-01
      rewrite-advisor record add answers.yaml --dir adr --title "Replace billing"
      rewrite-advisor record add answers.yaml --style nygard    # for adr-tools
    """
    from datetime import date

    from . import records

    due = _date(review_by, "--review-by")
    convention = _convention(directory, existing=False)
    source = read_source(answers_file)
    answers, raw = read_answers(answers_file, bank_dir, source)
    request = records.RecordRequest(
        answers=answers,
        answers_bytes=source[1],
        raw_answers=raw,
        status=status,
        title=title,
        review_by=due,
        consulted=list(consulted),
        informed=list(informed),
        pdf=pdf,
        style=style,  # type: ignore[arg-type]  # one of the choices
    )

    def render_with_answers(memo: Any, fmt: str) -> bytes:
        return render_memo(memo, fmt, sources=[source])

    made = records.add(convention.directory, request, render_with_answers, date.today(), convention)
    _note_finished(made.finished)
    record = made.record
    assert record.manifest is not None
    kept_pdf = records.MEMO_PDF in record.manifest.files
    extra = " (no PDF: not available here)" if pdf and not kept_pdf else ""
    verdict = record.manifest.verdict.title
    done(f"{verdict}: wrote {_from_here(record.markdown)} and {_from_here(record.folder)}/{extra}")
    if style and convention.tool in _TOOL_FILES and style != convention.style:
        echo(f"warning: {_style_mismatch(convention.tool, convention.style, style)}", err=True)
    if due is not None and due < date.today():
        echo(
            f"warning: the review date {due.isoformat()} has passed: the record is due for "
            "review now ('record list --due' lists it)",
            err=True,
        )
    if (style or convention.style) == "nygard" and not convention.adr_tools_finds_it:
        echo(
            f"note: adr-tools lists these records once .adr-dir names the folder "
            f"(echo {convention.directory} > .adr-dir)",
            err=True,
        )


_TOOL_FILES = {"log4brains": ".log4brains.yml", "adr-tools": ".adr-dir", "pyadr": ".adr"}
_MISREAD = {
    "log4brains": "log4brains shows it with a wrong status (a superseded record as accepted)",
    "adr-tools": "adr-tools lists it with '-' as its title and cannot change its status",
    "pyadr": "pyadr reads the log4brains style only",
}


def _style_mismatch(tool: str, tool_style: str, style: str) -> str:
    """Why a record written in ``style`` is misread by the repository's ADR tool."""
    return (
        f"this repository uses {tool} ({_TOOL_FILES[tool]}), which reads the {tool_style} "
        f"style; this record is {style}, so {_MISREAD[tool]}. Without --style, records are "
        f"written as {tool} reads them"
    )


@record.command("list")
@_dir_option
@click.option("--due", is_flag=True, help="Only records whose review date has come.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def record_list(directory: Path | None, due: bool, fmt: str) -> None:
    """List the records: number, status, verdict, assessment date, review-by, title.

    Each record takes two lines of at most 80 columns (the title on the second).

    ADRs written by log4brains, adr-tools, pyadr or by hand are listed too, with
    the title and status their Markdown gives (pyadr's proposals, XXXX-slug.md,
    last, numbered XXXX; null in the JSON). Reviews that are due today or
    overdue are flagged; --due shows only those (records that are rejected,
    deprecated or superseded are never due).

    \b
    Examples:
      rewrite-advisor record list
      rewrite-advisor record list --due --dir adr
    """
    import json
    import textwrap
    from datetime import date

    from .records import scan, store

    folder = _convention(directory).directory
    store.require_folder(folder)
    journal = store.pending(folder)
    if journal is not None:
        echo(
            f"warning: '{journal.operation}' was interrupted; "
            "run 'record verify --repair' to finish it",
            err=True,
        )
    today = date.today()
    rows = [r for r in scan(folder) if not due or r.review_state(today)]
    if not due:
        rows += store.scan_proposals(folder)  # pyadr's XXXX-slug.md: not numbered yet
    if fmt == "json":
        data = [
            {
                "number": r.number or None,
                "title": r.title,
                "status": r.status,
                "verdict": r.manifest.verdict.id if r.manifest else None,
                "date": r.manifest.memo_date.isoformat() if r.manifest else None,
                "recorded": r.manifest.created.isoformat() if r.manifest else None,
                "review_by": r.manifest.review_by.isoformat()
                if r.manifest and r.manifest.review_by
                else None,
                "review": r.review_state(today) or None,
                "file": str(r.markdown) if r.markdown else None,
            }
            for r in rows
        ]
        from .terminal import json_escape

        click.echo(json_escape(json.dumps(data, indent=2, ensure_ascii=False)))
        return
    if not rows:
        echo("no records are due for review" if due else f"no records in {folder}")
        return
    # 80 columns: the facts on one line, the title (in full) on the next, indented.
    lines = [
        f"{'#':<4}  {'status':<10}  {'verdict':<18}  {'assessed':<10}  review by",
        f"{'':<4}  title",
    ]
    for r in rows:
        m = r.manifest
        state = r.review_state(today)
        review = (m.review_by.isoformat() if m and m.review_by else "") + (
            f" {state.upper()}" if state else ""
        )
        assessed = m.memo_date.isoformat() if m else ""
        verdict = m.verdict.title if m else "-"
        number = f"{r.number:04d}" if r.number else "XXXX"
        facts = f"{number}  {r.status_word or '-':<10}  {verdict:<18}  {assessed:<10}  {review}"
        title = textwrap.wrap(" ".join(r.title.split()), 74) or [""]
        lines += [facts.rstrip(), *(f"{'':<4}  {part}" for part in title)]
    echo("\n".join(lines))  # titles come from files: control characters made visible


@record.command("status")
@click.argument("number", metavar="N")
@click.argument("status", metavar="STATUS")
@_dir_option
def record_status(number: str, status: str, directory: Path | None) -> None:
    """Set record N's status: proposed, accepted, rejected or deprecated.

    The Markdown and record.json change together: if the command is killed
    half way, running it again (or 'record verify --repair') finishes it.

    \b
    Example:
      rewrite-advisor record status 3 accepted
    """
    from datetime import date

    from .records import set_status

    folder = _convention(directory).directory
    changed = set_status(folder, _number(number), status, date.today())
    _note_finished(changed.finished)
    done(f"{changed.record.stem}: {status}" + ("" if changed.changed else " already"))


@record.command("supersede")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@_dir_option
def record_supersede(old: str, new: str, directory: Path | None) -> None:
    """Mark record OLD as superseded by record NEW; both link to each other.

    Both records' Markdown and record.json change together: if the command is
    killed half way, running it again (or 'record verify --repair') finishes it.

    \b
    Example:
      rewrite-advisor record supersede 1 4
    """
    from datetime import date

    from .records import supersede

    folder = _convention(directory).directory
    changed = supersede(folder, _number(old), _number(new), date.today())
    _note_finished(changed.finished)
    assert changed.other is not None
    already = "" if changed.changed else " already"
    done(f"{changed.record.stem}: superseded by {changed.other.stem}{already}")


@record.command("index")
@_dir_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the index. Default: README.md in the records folder "
    "(index.md where pyadr is used: it checks every other .md file as a record).",
)
def record_index(directory: Path | None, output: Path | None) -> None:
    """Write the index of the records (a Markdown table with a status column).

    An existing file is replaced only if 'record index' (or 'pyadr toc') made it.

    \b
    Examples:
      rewrite-advisor record index
      rewrite-advisor record index -o docs/decisions.md
    """
    from datetime import date

    from .records import write_index

    convention = _convention(directory)
    target = write_index(convention.directory, date.today(), output, convention.index_name)
    done(f"wrote {_from_here(target)}")


@record.command("verify")
@click.argument("numbers", metavar="[N]...", nargs=-1)
@_dir_option
@click.option(
    "--strict", is_flag=True, help="Also fail when a memo only renders differently (same content)."
)
@click.option(
    "--repair",
    is_flag=True,
    help="First finish a change that a killed command left half done, and take into "
    "record.json a status or a change that an ADR tool made (the Markdown's status, "
    "its SHA-256, a record that says it supersedes ours, a new number and the links to it).",
)
def record_verify(
    numbers: tuple[str, ...], directory: Path | None, strict: bool, repair: bool
) -> None:
    """Check records: their files, their status, and a re-score with their own bank copy.

    Prints 'ok' per intact record. Each problem is an 'error:' line on stderr and
    the exit code is 3: a stored file changed or missing (the Markdown, whose
    SHA-256 record.json keeps, the assessment folder, record.json, or a file it
    lists), a status in the Markdown that record.json does not have, another
    record saying it supersedes one that does not know it (adr new -s), a record
    an ADR tool renumbered (pyadr accept), an interrupted change, or answers that
    no longer give the stored memo. A memo whose content re-scores the same but
    renders differently with this version of the program is a warning (an error
    with --strict).

    \b
    Examples:
      rewrite-advisor record verify
      rewrite-advisor record verify 2 5
      rewrite-advisor record verify --repair
    """
    from .errors import VerificationFailed
    from .records import verify

    folder = _convention(directory).directory
    outcome = verify(folder, render_memo, [_number(n) for n in numbers], repair=repair)
    for repaired in outcome.repaired:
        done(f"repaired: {repaired}")
    for problem in outcome.problems:
        echo(f"error: {problem}", err=True)
    failed = 0
    for result in outcome.results:
        problems = result.problems + (result.warnings if strict else [])
        for warning in [] if strict else result.warnings:
            echo(f"warning: {warning}", err=True)
        for problem in problems:
            echo(f"error: {problem}", err=True)
        if problems:
            failed += 1
        else:
            echo(f"ok {result.record.stem}")
    if failed or outcome.problems:
        total = len(outcome.results)
        parts = [f"{failed} of {total} records failed verification"] if failed else []
        if any(p.kind == "journal" for p in outcome.problems):
            parts.append("the folder's journal was refused")
        elif outcome.problems:
            parts.append("an interrupted change is not finished")
        raise VerificationFailed("; ".join(parts))
    if not outcome.results:
        echo(f"no records to verify in {folder}")


@cli.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@_dir_option
@_bank_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True
)
def diff_command(
    old: str, new: str, directory: Path | None, bank_dir: Path | None, fmt: str
) -> None:
    """Show what changed between two assessments: answers, findings, scores, verdict.

    OLD and NEW are answers files, record numbers (looked up in --dir), or a
    record's .md file or folder. Records compare as they were recorded. Answers
    whose note alone changed are listed apart from the changed answers.

    \b
    Examples:
      rewrite-advisor diff march.yaml june.yaml
      rewrite-advisor diff 1 june.yaml --format md
      rewrite-advisor diff 1 3 --format json
    """
    from . import diff

    def build(path: Path) -> Any:
        return build_memo(path, bank_dir)

    if any(diff.names_a_record(ref) for ref in (old, new)):
        _given_folder_exists(directory)
        folder = _convention(directory, existing=False).directory
    else:  # files, or a record's own .md or folder: no records folder is looked for
        folder = directory or Path()
    old_source, old_memo = diff.load(old, folder, build)
    new_source, new_memo = diff.load(new, folder, build)
    result = diff.compare(old_memo, new_memo, old_source, new_source)
    from .terminal import json_escape

    text = diff.render(result, fmt)
    if fmt == "json":
        click.echo(json_escape(text), nl=False)
    else:
        echo(text, nl=False)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command line and exit with the documented code."""
    from .errors import AdvisorError

    try:
        code = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="rewrite-advisor",
            standalone_mode=False,
        )
    except AdvisorError as exc:
        _error(str(exc))
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        echo(str(exc), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.exceptions.Abort:
        _error("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except click.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        _error(exc.format_message() + hint)
        sys.exit(EXIT_INPUT)
    except click.ClickException as exc:
        _error(exc.format_message())
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_OK)
    except OSError as exc:
        # A path the system refuses (too long, a loop of links, no permission to look).
        where = f"{exc.filename}: " if exc.filename is not None else ""
        _error(f"{where}{exc.strerror or exc}")
        sys.exit(EXIT_INPUT)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _error(message: str) -> None:
    """Print the one ``error:`` line: whitespace folded, control characters made visible."""
    import contextlib

    with contextlib.suppress(OSError):
        echo(f"error: {' '.join(message.split())}", err=True)


def _quiet_stdout() -> None:
    import contextlib
    import os

    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
