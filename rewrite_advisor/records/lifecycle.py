"""Making records and changing them: add, status, supersede, and the index.

Every change holds the folder's lock, first finishes a change that an earlier command left
half done (see :mod:`.store`), and writes through the journal when it touches more than one
file. Everything a new record needs is worked out and rendered before the lock is taken.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import AdvisorError, RecordError
from . import store
from .convention import Convention
from .heading import Style, read_heading
from .manifest import (
    SETTABLE_STATUSES,
    Manifest,
    RecordBank,
    RecordLinks,
    RecordVerdict,
    StatusChange,
    manifest_bytes,
)
from .markdown import (
    INDEX_MARKER,
    RecordText,
    links_block,
    nygard_supersedes_line,
    render_index,
    render_record,
    status_text,
    with_links_block,
    with_nygard_link,
    with_status,
)
from .names import ascii_slugify, record_stem, slugify
from .scoring import memo_for

if TYPE_CHECKING:
    from ..answers import Answers
    from ..memo import Memo

Renderer = Callable[["Memo", str], bytes]
"""Renders a memo in a format ("html", "pdf"); raises AdvisorError when it cannot."""


@dataclass
class RecordRequest:
    """What ``record add`` was asked to record."""

    answers: Answers
    answers_bytes: bytes
    raw_answers: dict[str, Any]
    status: str = "proposed"
    title: str | None = None
    review_by: dt.date | None = None
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)
    pdf: bool = True
    """Keep a PDF of the memo when the renderer can make one."""
    style: Style | None = None
    """The record's style; ``None`` follows the folder's convention."""


@dataclass
class Change:
    """What a command did: the record(s), and an interrupted change it finished first."""

    record: store.Record
    finished: str | None = None
    changed: bool = True
    other: store.Record | None = None


def _check_status(status: str) -> None:
    if status not in SETTABLE_STATUSES:
        raise RecordError(
            f"unknown status '{status}' (use one of: {', '.join(SETTABLE_STATUSES)}; "
            "'superseded' is set by 'record supersede')"
        )


def _make_folder(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordError(f"cannot make the records folder: {exc.strerror}", directory) from None
    if not directory.is_dir():
        raise RecordError("this is not a folder", directory)


def _markdown_text(record: store.Record) -> str:
    if record.markdown is None:
        raise RecordError(
            f"the Markdown file of record {record.number:04d} is missing (run 'record verify')",
            record.expected_folder,
        )
    raw = store.read_file(record.markdown, store.MARKDOWN_LIMIT)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError("the record is not UTF-8 text", record.markdown) from None


def add(
    directory: Path,
    request: RecordRequest,
    render: Renderer,
    today: dt.date,
    convention: Convention | None = None,
) -> Change:
    """Make the next numbered record in ``directory`` (created if missing).

    Everything is worked out and rendered before anything is written; then, holding the
    folder's lock, the number is taken, the assessment folder and its files are created (never
    replaced), and the Markdown file comes last. A failure half way removes what it made.

    Raises:
        RecordError: For a bad status, answers already recorded, or a folder that cannot be
            written.
        AdvisorError: From rendering the memo.
    """
    _check_status(request.status)
    convention = convention or Convention(directory, "madr", "default")
    style: Style = request.style or convention.style
    answers = request.answers
    answers_hash = store.sha256(request.answers_bytes)
    memo = memo_for(answers, request.raw_answers, answers.date or today)
    title = " ".join((request.title or answers.title).split()) or "Rewrite decision"
    slug = ascii_slugify(title) if convention.ascii_slugs else slugify(title)
    html = render(memo, "html")
    pdf: bytes | None = None
    if request.pdf:
        with contextlib.suppress(AdvisorError):  # PDF output is not available here
            pdf = render(memo, "pdf")
    bank_dir = Path(answers.bank.directory)
    files: dict[str, bytes] = {
        store.ANSWERS_FILE: request.answers_bytes,
        store.MEMO_HTML: html,
        store.MEMO_JSON: memo.model_dump_json(indent=2).encode("utf-8") + b"\n",
    }
    if pdf is not None:
        files[store.MEMO_PDF] = pdf
    for name in store.BANK_FILES:
        source = bank_dir / Path(name).name
        try:
            files[name] = source.read_bytes()
        except OSError as exc:
            raise RecordError(f"cannot copy the question bank: {exc.strerror}", source) from None

    _make_folder(directory)
    with store.locked(directory):
        finished = store.finish(directory)
        for existing in store.scan(directory):
            if existing.manifest is not None and existing.manifest.answers_sha256 == answers_hash:
                raise RecordError(
                    f"these answers are recorded already as {existing.stem}; change them "
                    "(for example the date) to record a new assessment",
                    existing.markdown or existing.folder,
                )
        number = max(store.taken_numbers(directory), default=0) + 1
        stem = record_stem(number, slug)
        folder = store.inside(directory, Path(store.ASSESSMENTS) / stem)
        md_path = store.inside(directory, stem + ".md")
        manifest = Manifest(
            number=number,
            title=title,
            slug=slug,
            created=today,
            memo_date=memo.date,
            review_by=request.review_by,
            status=request.status,  # checked above
            status_history=[StatusChange.model_validate({"status": request.status, "date": today})],
            verdict=RecordVerdict(
                id=memo.verdict.id, title=memo.verdict.title, score=memo.verdict.score
            ),
            bank=RecordBank(id=memo.bank.id, version=memo.bank.version, title=memo.bank.title),
            generator=memo.generator,
            answers_sha256=answers_hash,
            files={name: store.sha256(data) for name, data in files.items()},
        )
        extra = RecordText(
            style=style,
            folder=f"{store.ASSESSMENTS}/{stem}",
            consulted=list(request.consulted),
            informed=list(request.informed),
        )
        text = render_record(memo, answers, manifest, extra)
        markdown = text.encode("utf-8")
        manifest = manifest.with_markdown(text)
        journal = store.Journal(
            operation=f"record add {number:04d}",
            adding=store.PlannedRecord(
                folder=f"{store.ASSESSMENTS}/{stem}",
                markdown=stem + ".md",
                files={
                    **{name: store.sha256(data) for name, data in files.items()},
                    store.MANIFEST: store.sha256(manifest_bytes(manifest)),
                },
            ),
        )
        store.begin(directory, journal)
        try:
            folder.parent.mkdir(exist_ok=True)
            folder.mkdir()
            (folder / "bank").mkdir()
            for name, data in files.items():
                store.create_file(store.inside(folder, name), data)
            store.create_file(store.inside(folder, store.MANIFEST), manifest_bytes(manifest))
            store.create_file(md_path, markdown)
        except BaseException as exc:
            if not md_path.exists():
                shutil.rmtree(folder, ignore_errors=True)
            store.end(directory)
            if isinstance(exc, OSError):
                raise RecordError(f"cannot write the record: {exc.strerror}", folder) from None
            raise
        store.end(directory)
    made = store.Record(
        number=number,
        stem=stem,
        markdown=md_path,
        folder=folder,
        manifest=manifest,
        title=title,
        status=manifest.status,
        ours=True,
    )
    return Change(made, finished)


def set_status(directory: Path, number: int, status: str, today: dt.date) -> Change:
    """Change a record's status in its manifest and in its Markdown.

    Raises:
        RecordError: For an unknown record or status, or a superseded record.
    """
    _check_status(status)
    store.require_folder(directory)
    with store.locked(directory):
        finished = store.finish(directory)
        record = store.find(directory, number)
        manifest = record.manifest
        assert manifest is not None  # find() returns our records only
        if manifest.status == "superseded":
            raise RecordError(
                f"record {number:04d} is superseded by {manifest.links.superseded_by or 0:04d}; "
                "its status stays 'superseded'",
                record.markdown,
            )
        text = _markdown_text(record)
        if manifest.status == status and read_heading(text).status.lower() == status:
            return Change(record, finished, changed=False)
        updated = manifest.with_status(status, today)
        assert record.folder is not None and record.markdown is not None
        style = read_heading(text).style
        new_text = with_status(text, status_text(style, status), today, record.markdown)
        updated = updated.with_markdown(new_text)
        store.run(
            directory,
            store.Journal(
                operation=f"record status {number} {status}",
                writes=[
                    store.planned_write(
                        directory, record.folder / store.MANIFEST, manifest_bytes(updated)
                    ),
                    store.planned_write(directory, record.markdown, new_text.encode("utf-8")),
                ],
            ),
        )
    record.manifest = updated
    record.status = status
    return Change(record, finished)


def supersede(directory: Path, old: int, new: int, today: dt.date) -> Change:
    """Mark record ``old`` as superseded by ``new``, and link both ways.

    Raises:
        RecordError: If either is unknown, they are the same, or ``old`` is superseded already.
    """
    if old == new:
        raise RecordError(f"a record cannot supersede itself ({old:04d})")
    store.require_folder(directory)
    with store.locked(directory):
        finished = store.finish(directory)
        old_record, new_record = store.find(directory, old), store.find(directory, new)
        old_m, new_m = old_record.manifest, new_record.manifest
        assert old_m is not None and new_m is not None
        if old_m.links.superseded_by == new:
            return Change(old_record, finished, changed=False, other=new_record)
        if old_m.links.superseded_by is not None:
            raise RecordError(
                f"record {old:04d} is superseded already, by {old_m.links.superseded_by:04d}",
                old_record.markdown,
            )
        if new_m.links.superseded_by == old or old in _chain(directory, new):
            raise RecordError(f"record {new:04d} is itself superseded by {old:04d}: that is a loop")
        old_m = old_m.with_status("superseded", today, note=f"by {new:04d}").model_copy(
            update={"links": RecordLinks(supersedes=old_m.links.supersedes, superseded_by=new)}
        )
        new_m = new_m.model_copy(
            update={
                "links": RecordLinks(
                    supersedes=sorted({*new_m.links.supersedes, old}),
                    superseded_by=new_m.links.superseded_by,
                )
            }
        )
        by_number = {r.number: r for r in store.scan(directory)}
        old_text, new_text = _markdown_text(old_record), _markdown_text(new_record)
        old_style, new_style = read_heading(old_text).style, read_heading(new_text).style
        old_text = with_status(
            old_text,
            status_text(old_style, "superseded", new_record),
            today,
            old_record.markdown,
        )
        if old_style != "nygard":
            old_text = with_links_block(old_text, _links(by_number, old_m))
        if new_style == "nygard":
            new_text = with_nygard_link(new_text, nygard_supersedes_line(old_record))
        else:
            new_text = with_links_block(new_text, _links(by_number, new_m))
        assert old_record.folder and new_record.folder
        assert old_record.markdown and new_record.markdown
        old_m, new_m = old_m.with_markdown(old_text), new_m.with_markdown(new_text)
        store.run(
            directory,
            store.Journal(
                operation=f"record supersede {old} {new}",
                writes=[
                    store.planned_write(
                        directory, old_record.folder / store.MANIFEST, manifest_bytes(old_m)
                    ),
                    store.planned_write(
                        directory, new_record.folder / store.MANIFEST, manifest_bytes(new_m)
                    ),
                    store.planned_write(directory, old_record.markdown, old_text.encode("utf-8")),
                    store.planned_write(directory, new_record.markdown, new_text.encode("utf-8")),
                ],
            ),
        )
    old_record.manifest, new_record.manifest = old_m, new_m
    old_record.status = "superseded"
    return Change(old_record, finished, other=new_record)


def _links(by_number: dict[int, store.Record], manifest: Manifest) -> str:
    superseded_by = (
        by_number.get(manifest.links.superseded_by)
        if manifest.links.superseded_by is not None
        else None
    )
    supersedes = [by_number[n] for n in manifest.links.supersedes if n in by_number]
    return links_block(superseded_by, supersedes)


def _chain(directory: Path, number: int) -> set[int]:
    """The records that ``number`` is superseded by, transitively."""
    seen: set[int] = set()
    by_number = {r.number: r.manifest for r in store.scan(directory) if r.manifest is not None}
    current = by_number.get(number)
    while current is not None and current.links.superseded_by not in (None, *seen):
        nxt = current.links.superseded_by
        assert nxt is not None
        seen.add(nxt)
        current = by_number.get(nxt)
    return seen


_PYADR_INDEX = b"<!-- This file has been generated by `pyadr`."


def write_index(
    directory: Path,
    today: dt.date,
    output: Path | None = None,
    index_name: str = "README.md",
) -> Path:
    """Write the index, by default as ``README.md`` (``index.md`` for pyadr) in the folder.

    An index that ``record index`` or ``pyadr toc`` generated is replaced.

    Raises:
        RecordError: If the folder is missing, or the target exists and was generated by
            neither (it is then someone's own writing and is left alone).
    """
    store.require_folder(directory)
    target = output if output is not None else store.inside(directory, index_name)
    with store.locked(directory):
        store.finish(directory)
        if target.exists():
            head = store.read_file(target, store.MARKDOWN_LIMIT)[:4096]
            # pyadr's own index ('pyadr toc') is generated too, and says it is rewritten
            if INDEX_MARKER.encode() not in head and not head.startswith(_PYADR_INDEX):
                raise RecordError(
                    "this file exists and was not made by 'record index'; "
                    "move it away or give -o another file",
                    target,
                )
        text = render_index(store.scan(directory), today)
        if target.parent.is_dir():
            store.replace_file(target, text.encode("utf-8"))
        else:
            raise RecordError(f"the folder {target.parent} does not exist", target)
    return target
