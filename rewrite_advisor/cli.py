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
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper size of a PDF memo.",
)
@_bank_option
def report(
    answers_files: Sequence[Path], output: str, fmt: str | None, paper: str, bank_dir: Path | None
) -> None:
    """Score answers and render the decision memo.

    ANSWERS is an answers file, or a PDF memo made by 'report': the answers embedded in
    it are used. A PDF memo is PDF/A-3 with the answers file attached.

    \b
    Examples:
      rewrite-advisor report answers.yaml -o memo.html
      rewrite-advisor report answers.yaml -o memo.pdf --paper letter
      rewrite-advisor report memo.pdf -o memo.html    (from the answers inside the PDF)
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
    source = read_source(answers_files[0])
    memo = build_memo(answers_files[0], bank_dir, source)
    data = render_memo(memo, chosen, sources=[source], paper=paper)
    fsio.write_output(output, data)
    if output != "-":
        click.echo(f"{memo.verdict.title}: wrote {output}", err=True)


def read_source(path: Path) -> tuple[str, bytes]:
    """An answers file's name and bytes; for a PDF memo, the answers file embedded in it."""
    from . import yamlio

    if path.suffix.lower() == ".pdf":
        from .pdf import embedded_answers

        return embedded_answers(path)
    return path.name, yamlio.read_bytes(path)


def read_answers(
    path: Path, bank_dir: Path | None, source: tuple[str, bytes] | None = None
) -> tuple[Answers, dict[str, Any]]:
    """Read and check an answers file; return the answers and the file's plain data."""
    from . import yamlio
    from .answers import bind, parse_answers

    name, raw = source or read_source(path)
    label = str(path) if name == path.name else f"{path} (embedded {name})"
    doc = yamlio.parse_bytes(raw, label)
    parsed = parse_answers(doc)
    bank = load_bank(bank_dir)
    answers = bind(parsed, bank, doc)
    return answers, parsed.model_dump(mode="json", exclude_none=True)


def build_memo(path: Path, bank_dir: Path | None, source: tuple[str, bytes] | None = None) -> Any:
    """Read an answers file (or the one inside a PDF memo) and score it into a memo."""
    from datetime import date

    from .engine import assess

    answers, raw = read_answers(path, bank_dir, source)
    return assess(answers, raw, date.today())


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
