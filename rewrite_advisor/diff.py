"""Compare two assessments: what moved in the answers, findings, section scores and verdict.

Both sides are memos. An answers file is scored with the bank it names (``--bank``); a record
gives the memo it stored when it was made, so a team that re-assesses months later compares
against exactly what was decided. Pure: no printing; the text, Markdown and JSON views are built
from one :class:`AssessmentDiff`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import AdvisorError, RecordError
from .memo import AppendixEntry, Memo

MemoBuilder = Callable[[Path], Memo]
"""Scores an answers file into a memo (the command line passes its own)."""

_STATE_TEXT = {"unknown": "don't know", "unanswered": "not answered", "skipped": "does not apply"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Side(_Model):
    """One of the two assessments compared."""

    source: str
    title: str
    date: dt.date
    bank: str
    verdict: str
    verdict_title: str
    readiness: int
    scoring_model: Literal[1, 2] = Field(
        default=2,
        description="The scoring model the score comes from: 1 for banks before 2.0.0, else 2.",
    )


class AnswerChange(_Model):
    """A question whose answer differs (or that only one side's bank asks)."""

    question: str
    text: str
    section: str
    old: str | None
    new: str | None
    old_note: str | None = None
    new_note: str | None = None


class FindingChange(_Model):
    """A finding that appeared, went away, or changed severity."""

    rule: str
    title: str
    change: Literal["added", "removed", "changed"]
    old_severity: str | None
    new_severity: str | None


class ScoreChange(_Model):
    """A section whose readiness moved."""

    section: str
    title: str
    old: int | None
    new: int | None


class OpenQuestionChange(_Model):
    """An open question that was settled, or that is new."""

    question: str
    text: str
    change: Literal["settled", "opened"]


class AssessmentDiff(_Model):
    """Everything that changed between two assessments."""

    kind: Literal["rewrite-advisor/diff"] = "rewrite-advisor/diff"
    old: Side
    new: Side
    verdict_changed: bool
    readiness_change: int
    scores_comparable: bool = Field(
        default=True,
        description="False when the two scores come from different scoring models: their "
        "difference (readiness_change) then means nothing.",
    )
    answers: list[AnswerChange]
    notes: list[AnswerChange] = []
    """Answers that stayed the same while their note changed (not counted as changed)."""
    findings: list[FindingChange]
    sections: list[ScoreChange]
    open_questions: list[OpenQuestionChange]

    @property
    def unchanged(self) -> bool:
        """True when nothing a reader cares about moved."""
        return not (
            self.verdict_changed
            or self.readiness_change
            or self.answers
            or self.notes
            or self.findings
            or self.sections
            or self.open_questions
        )


def _side(source: str, memo: Memo) -> Side:
    return Side(
        source=source,
        title=memo.title,
        date=memo.date,
        bank=f"{memo.bank.id} {memo.bank.version}",
        verdict=memo.verdict.id,
        verdict_title=memo.verdict.title,
        readiness=memo.verdict.score,
        scoring_model=scoring_model(memo),
    )


def scoring_model(memo: Memo) -> Literal[1, 2]:
    """The scoring model a memo was scored with: only model 2 weighs the answers' quality."""
    return 2 if memo.verdict.quality is not None else 1


SCORES_NOT_COMPARABLE = (
    "the two scores come from different versions of the scoring (model {old} and model {new}) "
    "and are not comparable"
)


def answer_text(entry: AppendixEntry | None) -> str | None:
    """An answer as a reader sees it; ``None`` when the question is not in that bank."""
    if entry is None:
        return None
    text = (entry.answer or "") if entry.state == "known" else _STATE_TEXT[entry.state]
    if entry.confidence and entry.confidence != "sure":
        text += f" ({entry.confidence})"
    return text


def compare(
    old: Memo, new: Memo, old_source: str = "old", new_source: str = "new"
) -> AssessmentDiff:
    """What changed from ``old`` to ``new``, question by question and rule by rule."""
    old_entries = {e.question: (s.title, e) for s in old.appendix for e in s.questions}
    new_entries = {e.question: (s.title, e) for s in new.appendix for e in s.questions}
    answers: list[AnswerChange] = []
    notes: list[AnswerChange] = []
    for qid in [*new_entries, *(q for q in old_entries if q not in new_entries)]:
        before = old_entries.get(qid)
        after = new_entries.get(qid)
        b, a = (before[1] if before else None), (after[1] if after else None)
        key_b = (b.state, b.value, b.confidence, b.note) if b else None
        key_a = (a.state, a.value, a.confidence, a.note) if a else None
        if key_b == key_a:
            continue
        section, entry = after or before  # type: ignore[misc]
        same_answer = key_b is not None and key_a is not None and key_b[:3] == key_a[:3]
        (notes if same_answer else answers).append(
            AnswerChange(
                question=qid,
                text=entry.text,
                section=section,
                old=answer_text(b),
                new=answer_text(a),
                old_note=b.note if b and (not a or a.note != b.note) else None,
                new_note=a.note if a and (not b or a.note != b.note) else None,
            )
        )
    old_findings = {f.rule: f for f in old.findings}
    new_findings = {f.rule: f for f in new.findings}
    findings: list[FindingChange] = []
    for rule, f in new_findings.items():
        if rule not in old_findings:
            findings.append(
                FindingChange(
                    rule=rule,
                    title=f.title,
                    change="added",
                    old_severity=None,
                    new_severity=f.severity,
                )
            )
        elif old_findings[rule].severity != f.severity:
            findings.append(
                FindingChange(
                    rule=rule,
                    title=f.title,
                    change="changed",
                    old_severity=old_findings[rule].severity,
                    new_severity=f.severity,
                )
            )
    for rule, f in old_findings.items():
        if rule not in new_findings:
            findings.append(
                FindingChange(
                    rule=rule,
                    title=f.title,
                    change="removed",
                    old_severity=f.severity,
                    new_severity=None,
                )
            )
    old_scores = {s.id: s for s in old.sections}
    new_scores = {s.id: s for s in new.sections}
    sections: list[ScoreChange] = []
    for sid in [*new_scores, *(s for s in old_scores if s not in new_scores)]:
        so, sn = old_scores.get(sid), new_scores.get(sid)
        before_score = so.score if so and so.applicable else None
        after_score = sn.score if sn and sn.applicable else None
        if before_score != after_score:
            title = (sn or so).title  # type: ignore[union-attr]
            sections.append(
                ScoreChange(section=sid, title=title, old=before_score, new=after_score)
            )
    old_open = {o.question: o for o in old.open_questions}
    new_open = {o.question: o for o in new.open_questions}
    opened = [
        OpenQuestionChange(question=q, text=o.text, change="opened")
        for q, o in new_open.items()
        if q not in old_open
    ]
    settled = [
        OpenQuestionChange(question=q, text=o.text, change="settled")
        for q, o in old_open.items()
        if q not in new_open
    ]
    return AssessmentDiff(
        old=_side(old_source, old),
        new=_side(new_source, new),
        verdict_changed=old.verdict.id != new.verdict.id,
        readiness_change=new.verdict.score - old.verdict.score,
        scores_comparable=scoring_model(old) == scoring_model(new),
        answers=answers,
        notes=notes,
        findings=findings,
        sections=sections,
        open_questions=settled + opened,
    )


# --------------------------------------------------------------------------- loading a side


def _record_memo(folder: Path) -> Memo:
    from .records import MEMO_JSON
    from .records.store import read_file

    path = folder / MEMO_JSON
    try:
        return Memo.model_validate_json(read_file(path))
    except ValidationError:
        raise RecordError("the record's memo.json is not a valid memo", path) from None


def names_a_record(ref: str) -> bool:
    """Whether ``ref`` is a record's number to look up in the records folder (not a file)."""
    return re.fullmatch(r"\d{1,9}", ref) is not None and not Path(ref).exists()


def load(ref: str, records_dir: Path, build: MemoBuilder) -> tuple[str, Memo]:
    """A memo from an answers file, a record's number, its ``.md`` file or its folder.

    Raises:
        AdvisorError: If ``ref`` is none of these, or the file does not check out.
    """
    from .records import find, locate, parse_number, read_heading
    from .records.store import MARKDOWN_LIMIT, read_file

    path = Path(ref)
    record = locate(path)
    if record is not None and record.folder is not None:
        return str(path), _record_memo(record.folder)
    if path.suffix.lower() == ".md" and path.is_file():
        text = read_file(path, MARKDOWN_LIMIT).decode("utf-8", errors="replace")
        title = read_heading(text).title or path.stem
        raise RecordError(
            f"this decision record ('{' '.join(title.split())[:80]}') was not made by "
            "rewrite-advisor: it has no assessment to compare",
            path,
        )
    if path.is_file():
        return str(path), build(path)
    if re.fullmatch(r"\d{1,9}", ref):  # no folder holds a billion records
        found = find(records_dir, parse_number(ref))
        assert found.folder is not None
        return found.name, _record_memo(found.folder)
    raise AdvisorError("no such answers file or record", ref)


# --------------------------------------------------------------------------- views


def _arrow(old: Any, new: Any) -> str:
    left = "(not asked)" if old is None else str(old)
    right = "(not asked)" if new is None else str(new)
    return f"{left} → {right}"


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def render_text(diff: AssessmentDiff) -> str:
    """A plain-text summary a person reads in a terminal."""

    def one(text: str) -> str:
        return " ".join(text.split())

    lines = [f"{diff.old.source} ({diff.old.date}) → {diff.new.source} ({diff.new.date})"]
    verdict = (
        _arrow(diff.old.verdict_title, diff.new.verdict_title)
        if diff.verdict_changed
        else f"{diff.new.verdict_title} (unchanged)"
    )
    lines.append(f"Verdict: {verdict}")
    readiness = f"{diff.old.readiness} → {diff.new.readiness}"
    if diff.scores_comparable:
        lines.append(f"Score: {readiness} ({_signed(diff.readiness_change)})")
    else:
        lines.append(f"Score: {readiness} ({_signed(diff.readiness_change)}, not comparable)")
        why = SCORES_NOT_COMPARABLE.format(old=diff.old.scoring_model, new=diff.new.scoring_model)
        lines.append(f"  Note: {why}.")
    if diff.old.bank != diff.new.bank:
        lines.append(f"Question bank: {diff.old.bank} → {diff.new.bank}")
    if diff.unchanged:
        lines.append("")
        lines.append("Nothing changed: same answers, findings, scores and verdict.")
        return "\n".join(lines) + "\n"
    if diff.answers:
        lines += ["", f"Answers changed ({len(diff.answers)}):"]
        for a in diff.answers:
            lines.append(f"  {one(a.text)} [{a.question}]")
            lines.append(f"      {one(_arrow(a.old, a.new))}")
            if a.old_note or a.new_note:
                notes = _arrow(a.old_note or "(none)", a.new_note or "(none)")
                lines.append(f"      note: {one(notes)}")
    if diff.notes:
        lines += ["", f"Notes changed, answers the same ({len(diff.notes)}):"]
        for a in diff.notes:
            lines.append(f"  {one(a.text)} [{a.question}]")
            notes = _arrow(a.old_note or "(none)", a.new_note or "(none)")
            lines.append(f"      note: {one(notes)}")
    if diff.findings:
        lines += ["", f"Findings ({len(diff.findings)}):"]
        for f in diff.findings:
            mark = {"added": "+", "removed": "-", "changed": "~"}[f.change]
            severity = (
                _arrow(f.old_severity, f.new_severity)
                if f.change == "changed"
                else f.new_severity or f.old_severity
            )
            lines.append(f"  {mark} {f.change:<8} [{severity}] {one(f.title)} ({f.rule})")
    if diff.sections:
        lines += ["", "Section scores:"]
        for s in diff.sections:
            change = _signed(s.new - s.old) if s.old is not None and s.new is not None else ""
            lines.append(f"  {one(s.title)}: {_arrow(s.old, s.new)} {change}".rstrip())
    if diff.open_questions:
        lines += ["", "Open questions:"]
        for o in diff.open_questions:
            lines.append(f"  {'settled' if o.change == 'settled' else 'new':<8} {one(o.text)}")
    return "\n".join(lines) + "\n"


def render_markdown(diff: AssessmentDiff) -> str:
    """The same as CommonMark (``templates/diff.md.j2``), every value escaped."""
    from .render import markdown_template

    return markdown_template("diff.md.j2").render(
        diff=diff, signed=_signed, not_comparable=SCORES_NOT_COMPARABLE
    )


def render_json(diff: AssessmentDiff) -> str:
    """The diff as JSON."""
    return diff.model_dump_json(indent=2) + "\n"


def render(diff: AssessmentDiff, fmt: str) -> str:
    """Render in ``text``, ``md`` or ``json``."""
    if fmt == "json":
        return render_json(diff)
    if fmt == "md":
        return render_markdown(diff)
    return render_text(diff)
