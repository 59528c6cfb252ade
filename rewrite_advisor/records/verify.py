"""``record verify``: is every record whole, and do its answers still give its memo?

Problems (exit code 3): a stored file changed or missing (the Markdown, the assessment folder,
``record.json`` or a file it lists), a status in the Markdown that ``record.json`` does not
have, a change that a killed command left half done, or stored answers that no longer re-score
to the stored memo with the stored bank. A memo that re-scores the same but renders
differently with this version of the program is a warning.

The Markdown's SHA-256 is kept in ``record.json`` (records made since 0.2): any change that
``record`` did not make is a problem. So is a record that says it supersedes one of ours
(``adr new -s`` writes that into the new record only) while ours is not superseded.

A record that an ADR tool renumbered (``pyadr accept`` renames its Markdown) is a problem too:
links to its old name are broken.

``--repair`` finishes an interrupted change, takes a new number over (fixing the links), and
takes into ``record.json`` a status that an ADR
tool (or a person) wrote into the Markdown, the Markdown's new SHA-256, and a supersession
another record claims (marking ours superseded, in both files); it never changes the stored
evidence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import AdvisorError, RecordError
from . import store
from .heading import read_heading
from .manifest import SETTABLE_STATUSES, RecordLinks, manifest_bytes
from .scoring import rescore

if TYPE_CHECKING:
    from ..memo import Memo

Renderer = Callable[["Memo", str], bytes]


@dataclass
class Problem:
    """One thing wrong with a record."""

    path: Path
    message: str
    kind: Literal["tampered", "drift", "missing", "changed-rendering", "interrupted", "journal"]

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Verification:
    """The outcome of verifying one record."""

    record: store.Record
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the record is intact and re-scores to the same memo."""
        return not self.problems


@dataclass
class FolderVerification:
    """The outcome of verifying a records folder."""

    results: list[Verification]
    problems: list[Problem] = field(default_factory=list)
    """Problems of the folder itself (an interrupted change)."""
    repaired: list[str] = field(default_factory=list)
    """What ``--repair`` did, one sentence each."""

    @property
    def failed(self) -> int:
        """How many records (and the folder itself) have problems."""
        return sum(1 for r in self.results if not r.ok) + (1 if self.problems else 0)


def _current_generator() -> str:
    """The name memos made by this program carry."""
    from .. import __version__

    return f"rewrite-advisor {__version__}"


def _memo_content(data: dict[str, Any], *, wording: bool = True) -> dict[str, Any]:
    """What re-scoring must give again.

    All but the program's name; for a record made by another version of the program, also
    all but the executive summary, the memo's wording of the verdict (a newer release may
    word it better; the verdict, findings and scores stay).
    """
    dropped = {"generator"} if wording else {"generator", "summary"}
    return {k: v for k, v in data.items() if k not in dropped}


def verify_record(record: store.Record, render: Renderer) -> Verification:
    """Check one record: its files, its status, then a re-score with its own bank copy."""
    result = Verification(record)
    if record.markdown is None:
        assert record.folder is not None
        directory = record.folder.parent
        if directory.name == store.ASSESSMENTS:
            directory = directory.parent
        result.problems.append(
            Problem(
                directory / record.name,
                "missing: the record's Markdown file (its assessment folder is still there)",
                "missing",
            )
        )
    if record.folder is None:
        where = record.expected_folder or Path(record.stem)
        result.problems.append(
            Problem(
                where,
                f"missing: the record's assessment folder (answers, memo, bank and "
                f"{store.MANIFEST})",
                "missing",
            )
        )
        return result
    manifest = record.manifest
    if manifest is None:
        error = record.manifest_error or RecordError("missing", record.folder / store.MANIFEST)
        result.problems.append(
            Problem(Path(error.path or record.folder / store.MANIFEST), error.message, "missing")
        )
        return result
    folder = record.folder
    stored: dict[str, bytes] = {}
    tampered: set[str] = set()
    for name, digest in manifest.files.items():
        shown = folder / name
        try:
            data = store.read_file(store.inside(folder, name))
        except RecordError as exc:
            message = "missing" if not shown.exists() else exc.message
            result.problems.append(Problem(shown, message, "missing"))
            continue
        stored[name] = data
        if store.sha256(data) != digest:
            tampered.add(name)
            result.problems.append(
                Problem(shown, "changed since it was recorded (SHA-256 differs)", "tampered")
            )
    if manifest.files.get(store.ANSWERS_FILE) != manifest.answers_sha256:
        result.problems.append(
            Problem(
                folder / store.MANIFEST,
                "the answers' SHA-256 was edited in the manifest",
                "tampered",
            )
        )
    _check_status(record, result)
    _check_markdown_hash(record, result)
    if store.ANSWERS_FILE not in stored or any(n not in stored for n in store.BANK_FILES):
        return result
    try:
        memo = rescore(
            folder / "bank",
            stored[store.ANSWERS_FILE],
            str(folder / store.ANSWERS_FILE),
            manifest.memo_date,
        )
    except AdvisorError as exc:
        result.problems.append(Problem(folder, f"cannot be re-scored: {exc}", "drift"))
        return result
    memo = memo.model_copy(update={"generator": manifest.generator})
    fresh = json.loads(memo.model_dump_json())
    if store.MEMO_JSON in stored:
        try:
            kept = json.loads(stored[store.MEMO_JSON])
        except ValueError:
            kept = None
        same_program = isinstance(kept, dict) and kept.get("generator") == _current_generator()
        if not isinstance(kept, dict) or _memo_content(kept, wording=same_program) != (
            _memo_content(fresh, wording=same_program)
        ):
            result.problems.append(
                Problem(
                    folder / store.MEMO_JSON,
                    "re-scoring the stored answers with the stored bank gives a different memo",
                    "drift",
                )
            )
            return result
    if manifest.verdict.id != memo.verdict.id:
        result.problems.append(
            Problem(
                folder / store.MANIFEST,
                f"the manifest says {manifest.verdict.id}, re-scoring gives {memo.verdict.id}",
                "drift",
            )
        )
    if (
        store.MEMO_HTML in stored
        and store.MEMO_HTML not in tampered
        and render(memo, "html") != stored[store.MEMO_HTML]
    ):
        result.warnings.append(
            Problem(
                folder / store.MEMO_HTML,
                "renders differently with this version of the program (same content)",
                "changed-rendering",
            )
        )
    return result


def _markdown_status(record: store.Record) -> str | None:
    if record.markdown is None:
        return None
    try:
        raw = store.read_file(record.markdown, store.MARKDOWN_LIMIT)
    except RecordError:
        return None
    return read_heading(raw.decode("utf-8", errors="replace")).status


def _check_status(record: store.Record, result: Verification) -> None:
    manifest = record.manifest
    assert manifest is not None
    if record.markdown is None:
        return
    status = _markdown_status(record)
    if status is None:
        result.problems.append(Problem(record.markdown, "cannot be read", "missing"))
        return
    word = status.split(" ")[0].lower() if status else ""
    if word != manifest.status:
        result.problems.append(
            Problem(
                record.markdown,
                f"its status is '{status}' but {store.MANIFEST} says '{manifest.status}' "
                "(use 'record status' to change it, or 'record verify --repair' to keep the "
                "Markdown's)",
                "drift",
            )
        )


def _markdown_bytes(record: store.Record) -> bytes | None:
    if record.markdown is None:
        return None
    try:
        return store.read_file(record.markdown, store.MARKDOWN_LIMIT)
    except RecordError:
        return None


def _check_markdown_hash(record: store.Record, result: Verification) -> None:
    manifest = record.manifest
    assert manifest is not None
    raw = _markdown_bytes(record)
    if manifest.markdown_sha256 is None or raw is None or record.markdown is None:
        return  # made before the Markdown was hashed, or missing (reported already)
    if store.sha256(raw) != manifest.markdown_sha256:
        result.problems.append(
            Problem(
                record.markdown,
                "changed since 'record' last wrote it (SHA-256 differs); if an ADR tool or a "
                "person changed it on purpose, 'record verify --repair' takes the change over",
                "tampered",
            )
        )


# How adr-tools (``adr new -s``) and Nygard-style records say that they supersede another.
_SUPERSEDES = re.compile(r"^Supersedes \[[^\]\n]*\]\((?:\./)?0*(\d{1,9})-[^)\n]*\)", re.M)


def _claimed_supersessions(records: Iterable[store.Record]) -> dict[int, store.Record]:
    """Records whose Markdown says it supersedes another: the other's number -> the record."""
    claims: dict[int, store.Record] = {}
    for record in records:
        raw = _markdown_bytes(record)
        if raw is None:
            continue
        for match in _SUPERSEDES.finditer(raw.decode("utf-8", errors="replace")):
            number = int(match.group(1))
            if number != record.number:
                claims.setdefault(number, record)
    return claims


def _unseen_supersession(
    record: store.Record, claims: dict[int, store.Record]
) -> store.Record | None:
    """The record that says it supersedes ``record`` while ``record`` does not know it."""
    manifest = record.manifest
    if manifest is None or manifest.status == "superseded":
        return None
    status = _markdown_status(record) or ""
    if status.lower().startswith("superseded"):
        return None  # the Markdown says so: the status check reports it
    return claims.get(record.number)


_SUPERSEDER = re.compile(r"\]\((?:[^)]*/)?0*(\d{1,9})-[^)]*\)|\[0*(\d{1,9})[\].\s-]")


def _adopt_numbers(directory: Path) -> list[str]:
    """Take over the numbers that an ADR tool gave our records by renaming their Markdown.

    ``pyadr accept`` renames ``0001-x.md`` to the next free number: ``record.json`` takes the
    new number, and links to the old file name (in every record's Markdown) and to the old
    number (in every ``record.json``) follow it.
    """
    from .names import href, record_stem

    records = store.scan(directory)
    moved: dict[int, store.Record] = {}
    for record in records:
        manifest = record.manifest
        if manifest is None or record.markdown is None or manifest.number == record.number:
            continue
        moved[manifest.number] = record
    if not moved:
        return []
    renames = {
        href(record_stem(old, record.manifest.slug) + ".md"): href(record.markdown.name)
        for old, record in moved.items()
        if record.manifest is not None and record.markdown is not None
    }
    numbers = {old: record.number for old, record in moved.items()}
    writes: list[store.PlannedWrite] = []
    for record in records:
        text: str | None = None
        if record.markdown is not None:
            raw = _markdown_bytes(record)
            if raw is not None:
                text = raw.decode("utf-8", errors="replace")
                new_text = _relinked(text, renames)
                if new_text != text:
                    writes.append(
                        store.planned_write(directory, record.markdown, new_text.encode("utf-8"))
                    )
                    text = new_text
        manifest = record.manifest
        if manifest is None or record.folder is None:
            continue
        links = manifest.links
        updated = manifest.model_copy(
            update={
                "number": record.number,
                "links": RecordLinks(
                    supersedes=sorted(numbers.get(n, n) for n in links.supersedes),
                    superseded_by=(
                        None
                        if links.superseded_by is None
                        else numbers.get(links.superseded_by, links.superseded_by)
                    ),
                ),
            }
        )
        if text is not None and manifest.markdown_sha256 is not None:
            raw = _markdown_bytes(record)
            if raw is not None and store.sha256(raw) == manifest.markdown_sha256:
                updated = updated.with_markdown(text)  # our own Markdown, relinked
        if updated != manifest:
            writes.append(
                store.planned_write(
                    directory, record.folder / store.MANIFEST, manifest_bytes(updated)
                )
            )
    store.run(directory, store.Journal(operation="record verify --repair", writes=writes))
    return [
        f"{record.stem}: number {old:04d} -> {record.number:04d}, as its file is named; "
        "links to it updated"
        for old, record in moved.items()
    ]


def _relinked(text: str, renames: dict[str, str]) -> str:
    """``text`` with Markdown links to renamed files pointed at their new names."""

    def relink(match: re.Match[str]) -> str:
        target = match.group(2)
        return f"]({match.group(1)}{renames.get(target, target)}"

    return re.sub(r"\]\((\./)?([^()\s#]+\.md)", relink, text)


def _adopt_statuses(directory: Path, today: dt.date) -> list[str]:
    """Take into ``record.json`` the statuses that the Markdown files say (an ADR tool's change)."""
    from .markdown import status_text, with_status

    done = []
    records = store.scan(directory)
    by_number = {r.number: r for r in records}
    writes: list[store.PlannedWrite] = []
    changed: dict[int, Any] = {}
    texts: dict[int, str] = {}
    claims = _claimed_supersessions(records)
    for record in records:
        manifest = record.manifest
        if manifest is None or record.folder is None:
            continue
        claimer = _unseen_supersession(record, claims)
        raw = _markdown_bytes(record)
        if claimer is not None and raw is not None and record.markdown is not None:
            # adr-tools' 'adr new -s' says so in the new record only: mark this one too.
            text = raw.decode("utf-8", errors="replace")
            style = read_heading(text).style
            with contextlib.suppress(RecordError):
                text = with_status(
                    text, status_text(style, "superseded", claimer), today, record.markdown
                )
                texts[record.number] = text
                changed[record.number] = manifest.with_status(
                    "superseded", today, note=f"by {claimer.number:04d}, from {claimer.name}"
                ).model_copy(
                    update={
                        "links": RecordLinks(
                            supersedes=manifest.links.supersedes, superseded_by=claimer.number
                        )
                    }
                )
                done.append(
                    f"{record.stem}: superseded by {claimer.number:04d}, as {claimer.name} says"
                )
                continue
        status = _markdown_status(record)
        if not status:
            continue
        word = status.split(" ")[0].lower()
        if word == manifest.status:
            continue
        if word in SETTABLE_STATUSES:
            changed[record.number] = manifest.with_status(word, today, note="from the Markdown")
            done.append(f"{record.stem}: status '{word}' taken from the Markdown")
        elif word == "superseded":
            match = _SUPERSEDER.search(status)
            number = int(match.group(1) or match.group(2)) if match else None
            updated = manifest.with_status(
                "superseded",
                today,
                note=f"by {number:04d}, from the Markdown" if number else "from the Markdown",
            ).model_copy(
                update={
                    "links": RecordLinks(supersedes=manifest.links.supersedes, superseded_by=number)
                }
            )
            changed[record.number] = updated
            other = by_number.get(number) if number is not None else None
            if other is not None and other.manifest is not None and other.folder is not None:
                base = changed.get(other.number, other.manifest)
                changed[other.number] = base.model_copy(
                    update={
                        "links": RecordLinks(
                            supersedes=sorted({*base.links.supersedes, record.number}),
                            superseded_by=base.links.superseded_by,
                        )
                    }
                )
            done.append(f"{record.stem}: status '{status[:80]}' taken from the Markdown")
    for record in records:  # the Markdown as it is now is the one to check from here on
        manifest = changed.get(record.number, record.manifest)
        if manifest is None or record.folder is None or manifest.markdown_sha256 is None:
            continue
        if record.number in texts:
            now = texts[record.number]
        else:
            raw = _markdown_bytes(record)
            if raw is None:
                continue
            now = raw.decode("utf-8", errors="replace")
            if store.sha256(raw) != manifest.markdown_sha256:
                done.append(f"{record.stem}: the Markdown's changes taken over (SHA-256 updated)")
        changed[record.number] = manifest.with_markdown(now)
    for number, manifest in changed.items():
        record = by_number[number]
        folder = record.folder
        assert folder is not None
        if manifest == record.manifest:
            continue
        writes.append(
            store.planned_write(directory, folder / store.MANIFEST, manifest_bytes(manifest))
        )
        if number in texts and record.markdown is not None:
            writes.append(
                store.planned_write(directory, record.markdown, texts[number].encode("utf-8"))
            )
    if writes:
        store.run(directory, store.Journal(operation="record verify --repair", writes=writes))
    return done


def verify(
    directory: Path,
    render: Renderer,
    numbers: Iterable[int] = (),
    *,
    repair: bool = False,
    today: dt.date | None = None,
) -> FolderVerification:
    """Verify the given records, or every record made by this tool in the folder.

    Raises:
        RecordError: If the folder or a given record does not exist.
    """
    store.require_folder(directory)
    outcome = FolderVerification([])
    if repair:
        with store.locked(directory):
            try:
                finished = store.finish(directory)
            except store.ForeignJournal:
                pass  # reported below, and nothing is repaired
            else:
                if finished:
                    outcome.repaired.append(f"finished {finished}")
                outcome.repaired += _adopt_numbers(directory)
                outcome.repaired += _adopt_statuses(directory, today or dt.date.today())
    with store.locked(directory, shared=True):
        try:
            journal = store.pending(directory)
        except store.ForeignJournal as exc:
            journal = None
            outcome.problems.append(Problem(Path(exc.path or directory), exc.message, "journal"))
        if journal is not None:
            outcome.problems.append(
                Problem(
                    directory / store.JOURNAL,
                    f"'{journal.operation}' was interrupted and is not finished; run "
                    "'record verify --repair' (or the same command again) to finish it",
                    "interrupted",
                )
            )
        found = store.scan(directory)
        records = [r for r in found if r.ours]
        wanted = list(numbers)
        if wanted:
            ours = {r.number for r in records}
            for number in wanted:
                if number not in ours:
                    store.find(directory, number)  # says why: not there, or not ours
            records = [r for r in records if r.number in wanted]
        outcome.results = [verify_record(r, render) for r in records]
        for result in outcome.results:
            manifest, markdown = result.record.manifest, result.record.markdown
            if (
                manifest is not None
                and markdown is not None
                and (manifest.number != result.record.number)
            ):
                result.problems.append(
                    Problem(
                        markdown,
                        f"renumbered: the file is {result.record.number:04d} but "
                        f"{store.MANIFEST} says {manifest.number:04d} (an ADR tool renamed "
                        "it, as 'pyadr accept' does), so links to it from other records "
                        "are broken; 'record verify --repair' updates them",
                        "drift",
                    )
                )
        claims = _claimed_supersessions(found)
        for result in outcome.results:
            claimer = _unseen_supersession(result.record, claims)
            if claimer is not None and result.record.markdown is not None:
                assert result.record.manifest is not None
                result.problems.append(
                    Problem(
                        result.record.markdown,
                        f"{claimer.name} says it supersedes this record, but its status is "
                        f"'{result.record.manifest.status}' ('record verify --repair' marks "
                        f"it superseded by {claimer.number:04d})",
                        "drift",
                    )
                )
    return outcome
