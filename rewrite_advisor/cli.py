"""The command line: options to library calls, exceptions to exit codes, in one place.

Exit codes: 0 done; 2 bad usage or bad input (one ``error:`` line on stderr); 130 interrupted;
1 only for a bug. Heavy modules (pydantic models, Jinja, WeasyPrint, questionary) are imported
inside the commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import Interrupted

if TYPE_CHECKING:
    from .answers import Answers
    from .bank import Bank

EXIT_OK = 0
EXIT_BUG = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130

MAIN_HELP = """Decide whether to rewrite a system, and write the decision down.

\b
Examples:
  rewrite-advisor assess -o answers.yaml          answer the questions (saves as you go)
  rewrite-advisor questions                       list the questions
  rewrite-advisor report answers.yaml -o memo.html
  rewrite-advisor report answers.yaml -o - --format json | jq .verdict
  rewrite-advisor check my-bank/                  validate a team's own bank
  rewrite-advisor schema answers > answers.schema.json

Exit codes: 0 done, 2 bad usage or bad input, 130 interrupted, 1 a bug.
"""


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


def load_bank(bank_dir: Path | None) -> Bank:
    """Load the given bank, or the bundled one."""
    from .bank import load_bank as _load

    return _load(bank_dir)


@click.group(help=MAIN_HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="rewrite-advisor", message="%(prog)s %(version)s")
def cli() -> None:
    """The command group (see MAIN_HELP)."""


@cli.command()
@click.argument("answers_files", metavar="ANSWERS...", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", default="-", show_default=True, metavar="OUT", help="Where to write the memo; - for standard output.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "md", "json"]),
    default=None,
    help="Output format. Default: from the suffix of OUT, else md.",
)
@_bank_option
def report(answers_files: Sequence[Path], output: str, fmt: str | None, bank_dir: Path | None) -> None:
    """Score answers and render the decision memo.

    \b
    Examples:
      rewrite-advisor report answers.yaml -o memo.html
      rewrite-advisor report answers.yaml -o memo.md
      rewrite-advisor report answers.yaml -o - --format json
      rewrite-advisor report partial.yaml          (lists what is unanswered)
    """
    from . import fsio
    from .render import format_for

    chosen = format_for(output, fmt)
    if not chosen:
        fail(f"cannot tell the format from '{output}': use a .html, .pdf, .md or .json name, or --format")
    if chosen == "pdf" and output == "-" and sys.stdout.isatty():
        fail("a PDF cannot be written to a terminal: give -o memo.pdf")
    if len(answers_files) > 1:
        fail("one answers file at a time (a team memo from several files is not supported yet)")
    memo = build_memo(answers_files[0], bank_dir)
    data = render_memo(memo, chosen)
    fsio.write_output(output, data)
    if output != "-":
        click.echo(f"{memo.verdict.title}: wrote {output}", err=True)


def read_answers(path: Path, bank_dir: Path | None) -> tuple[Answers, dict[str, Any]]:
    """Read and check an answers file; return the answers and the file's plain data."""
    from . import yamlio
    from .answers import bind, parse_answers

    doc = yamlio.read(path)
    parsed = parse_answers(doc)
    bank = load_bank(bank_dir)
    answers = bind(parsed, bank, doc)
    return answers, parsed.model_dump(mode="json", exclude_none=True)


def build_memo(path: Path, bank_dir: Path | None) -> Any:
    """Read an answers file and score it into a memo."""
    from datetime import date

    from .engine import assess

    answers, raw = read_answers(path, bank_dir)
    return assess(answers, raw, date.today())


def render_memo(memo: Any, fmt: str) -> bytes:
    """Render a memo in one of the formats."""
    from .render import render

    if fmt == "pdf":
        fail("PDF output is not available in this version: use .html and print it, or .md")
    return render(memo, fmt)


@cli.command()
@_bank_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
        data = bank.meta.model_dump(mode="json", by_alias=True, exclude_none=True)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from .conditions import describe as describe_condition

    lines = [f"{bank.meta.title} ({bank.id} {bank.version}): {len(bank.questions)} questions", ""]
    number = 0
    for section in bank.sections:
        lines.append(f"== {section.title} [{section.id}]")
        lines.append(f"   {section.intro}")
        for q in section.questions:
            number += 1
            flag = "  (matters)" if q.critical else ""
            lines.append(f"{number:3}. {q.text}{flag}")
            detail = f"id: {q.id} · {q.type}"
            if q.unit:
                detail += f" in {q.unit}"
            lines.append(f"     {detail}")
            for c in q.choices or []:
                lines.append(f"       - {c.value}: {c.label}")
            if q.when is not None:
                lines.append(f"     asked only if {describe_condition(q.when)}")
        lines.append("")
    click.echo("\n".join(lines).rstrip())


@cli.command()
@click.argument("bank_dir", metavar="[BANK_DIR]", required=False, type=click.Path(path_type=Path))
def check(bank_dir: Path | None) -> None:
    """Validate a question bank folder (the bundled one by default).

    Prints a summary and exits 0 when the bank is valid; prints one
    'error: FILE:LINE: ...' line and exits 2 when it is not.

    \b
    Examples:
      rewrite-advisor check
      rewrite-advisor check my-bank/
    """
    bank = load_bank(bank_dir)
    severities: dict[str, int] = {}
    for rule in bank.rules:
        severities[rule.severity] = severities.get(rule.severity, 0) + 1
    counts = ", ".join(f"{n} {s}" for s, n in severities.items())
    click.echo(
        f"ok: {bank.id} {bank.version}: {len(bank.sections)} sections, "
        f"{len(bank.questions)} questions, {len(bank.rules)} rules ({counts})"
    )


NO_TERMINAL = (
    "assess needs a terminal; write an answers file (see 'rewrite-advisor schema answers') "
    "and run 'rewrite-advisor report FILE'"
)


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
    "--participant", metavar="NAME", default=None, help="Your name, recorded in the file."
)
@_bank_option
@click.option(
    "--review", is_flag=True, help="Start with the review menu to change answers in a file."
)
def assess(
    output: Path | None, participant: str | None, bank_dir: Path | None, review: bool
) -> None:
    """Answer the questions interactively; every answer is saved at once.

    Resumes ANSWERS at the first open question if it exists (a file that is not an
    answers file is never overwritten). Ctrl-C saves and exits 130. At the end: the
    verdict, the top findings, and an offer to write the memo.

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
    """  # noqa: D301 - click needs a real \b to keep these lines as they are
    import shlex
    from datetime import date

    from . import session

    if not has_terminal():
        fail(NO_TERMINAL)
    from .prompt import Terminal

    path = output or session.DEFAULT_ANSWERS
    bank = load_bank(bank_dir)
    resume = f"rewrite-advisor assess -o {shlex.quote(str(path))}"
    if bank_dir is not None:
        resume += f" --bank {shlex.quote(str(bank_dir))}"
    terminal = Terminal()
    today = date.today()
    answers = session.run(
        bank,
        path,
        terminal,
        today=today,
        participant=participant,
        review=review,
        resume_command=resume,
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
            if Path(target).resolve() == path.resolve():
                fail("that is the answers file; name the memo differently")
            if Path(target).exists() and not terminal.confirm(f"{target} exists. Replace it?"):
                continue
            fsio.write_atomic(Path(target), render_memo(memo, chosen))
        except AdvisorError as exc:
            terminal.tell(f"error: {exc}")
            default = target
            continue
        terminal.tell(f"Wrote {target}. Your answers are in {path}.")
        return
    terminal.tell(
        f"Your answers are in {path}. Render later: rewrite-advisor report {path} -o memo.html"
    )


@cli.command()
@click.argument("kind", type=click.Choice(["bank", "rules", "answers", "memo"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a file format.

    \b
    bank     bank.yaml of a question bank
    rules    rules.yaml of a question bank
    answers  an answers file
    memo     the JSON memo written by 'report --format json'

    \b
    Example:
      rewrite-advisor schema answers > answers.schema.json
    """
    import json

    from .schemas import schema_for

    click.echo(json.dumps(schema_for(kind), indent=2))


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command line and exit with the documented code."""
    from .errors import AdvisorError

    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="rewrite-advisor", standalone_mode=False)
    except AdvisorError as exc:
        _error(str(exc))
        sys.exit(exc.exit_code)
    except Interrupted as exc:
        click.echo(str(exc), err=True)
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
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _error(message: str) -> None:
    try:
        click.echo(f"error: {message}", err=True)
    except OSError:
        pass


def _quiet_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
