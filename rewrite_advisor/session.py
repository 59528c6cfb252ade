"""The interactive assessment as a flow, independent of the terminal.

This module decides what to ask next, where the person is ("How · 4 of about 7"), where a
resumed session starts, and which questions a changed answer makes appear or disappear. It
saves the answers file atomically after every answer. It never prints and never imports the
prompt library: it talks to the person through an :class:`Asker` (the terminal one lives in
:mod:`rewrite_advisor.prompt`; tests use fakes or a prompt_toolkit pipe).

Typed answers (numbers, dates, text) accept a short syntax, parsed here::

    14                          the answer
    14 // estimate, from the plan   the answer, a confidence and a note
    dk // nobody has estimated it   "don't know", with a note
    ?                           show why the question matters

A note starts after ``//`` (at the start or after a space, so ``https://`` stays text); when
it begins with ``sure``, ``estimate`` or ``guess`` that word is the confidence.

Answers to questions that stop applying (a changed answer turned their ``when`` false) stay
in the file, where ``report`` ignores them; if the person changes the answer back, the
question is asked again with the kept answer as the default.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .answers import Answer, Answers, AnswersWriter, OtherBankVersion, load_answers
from .bank import Bank, Confidence, Question, Rule, Section
from .conditions import Compare, QuestionRef, comparisons, questions_in
from .errors import AdvisorError, AnswersError, Interrupted

if TYPE_CHECKING:
    from .memo import Memo

DEFAULT_TITLE = "Rewrite assessment"
DEFAULT_ANSWERS = Path("answers.yaml")
DONT_KNOW_WORDS = ("dk", "idk", "don't know", "dont know", "do not know", "unknown")
CONFIDENCES: tuple[Confidence, ...] = ("sure", "estimate", "guess")
REVIEW_NOTE_LIMIT = 40
"""How much of a note the review menu shows (the whole note is offered when changing it)."""

_NOTE_SEPARATOR = re.compile(r"(?:^|\s)//")
_CONFIDENCE_WORD = re.compile(r"^(sure|estimate|guess)\b[\s,;:.\-]*", re.IGNORECASE)


# --- typed replies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """What a person typed at a number, date or text question, understood."""

    kind: Literal["answer", "dont_know", "help"]
    value: Any = None
    note: str | None = None
    confidence: Confidence | None = None

    def to_answer(self) -> Answer:
        """The answer this reply gives (not for ``help``)."""
        if self.kind == "dont_know":
            return Answer("unknown", None, self.note, self.confidence)
        return Answer("known", self.value, self.note, self.confidence)


def parse_note(text: str) -> tuple[Confidence | None, str | None]:
    """Split a note into its leading confidence word, if any, and the rest."""
    text = " ".join(text.split())
    confidence: Confidence | None = None
    match = _CONFIDENCE_WORD.match(text)
    if match:
        word = match.group(1).lower()
        confidence = next(c for c in CONFIDENCES if c == word)
        text = text[match.end() :]
    return confidence, text or None


def parse_typed(question: Question, text: str, currency: str = "") -> Reply:
    """Understand a typed answer: a value, ``dk``, or ``?``, with an optional ``// note``.

    Numbers are read as people write them (``120k``, ``$120,000``, ``18 months``; see
    :meth:`~rewrite_advisor.bank.Question.cast_typed`), amounts in ``currency``.

    Raises:
        ValueError: With a message for the person when the value does not fit the question.
    """
    stripped = text.strip()
    if stripped == "?":
        return Reply("help")
    parts = _NOTE_SEPARATOR.split(stripped, maxsplit=1)
    head = parts[0].strip()
    confidence, note = parse_note(parts[1]) if len(parts) > 1 else (None, None)
    if head.lower() in DONT_KNOW_WORDS:
        return Reply("dont_know", None, note, confidence)
    if not head:
        raise ValueError("type an answer, dk for don't know, or ? for why it matters")
    return Reply("answer", question.cast_typed(head, currency), note, confidence)


def typed_default(question: Question, answer: Answer | None) -> str:
    """The text to prefill for a typed question that already has an answer."""
    if answer is None or answer.state not in ("known", "unknown"):
        return ""
    if answer.state == "unknown":
        head = "dk"
    elif isinstance(answer.value, dt.date):
        head = answer.value.isoformat()
    else:
        head = str(answer.value)
    tail = ", ".join(part for part in (answer.confidence, answer.note) if part)
    return f"{head} // {tail}" if tail else head


def describe_answer(
    question: Question, answer: Answer | None, currency: str, note_limit: int | None = None
) -> str:
    """An answer as the person sees it in the review menu and after answering.

    With ``note_limit``, a longer note is cut at a word and ends with an ellipsis.
    """
    if answer is None or answer.state == "unanswered":
        return "(not answered)"
    shown = (
        "Don't know"
        if answer.state == "unknown"
        else question.format_answer(answer.value, currency)
    )
    note = answer.note
    if note and note_limit is not None:
        note = shorten(note, note_limit)
    extra = [part for part in (answer.confidence, note) if part]
    return f"{shown} ({'; '.join(extra)})" if extra else shown


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 1)]
    if " " in head[1:]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(",;:-– ") + "…"


# --- where the person is ---------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where a question sits: its section, its place among the questions that apply."""

    section: Section
    position: int
    total: int

    def __str__(self) -> str:
        """Return e.g. ``Coexistence · 14 of about 38``."""
        return f"{self.section.title} · {self.position} of about {self.total}"


@dataclass(frozen=True)
class Change:
    """Questions that an answer made apply (appeared) or stop applying (dropped)."""

    appeared: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewItem:
    """One line of the review menu."""

    question: Question
    section: Section
    answer: str
    open: bool = False
    """Whether the question still has no answer (neither a value nor "don't know")."""


class Session:
    """The state of one assessment: which questions apply, which are open, what changed."""

    def __init__(self, answers: Answers):
        self.answers = answers

    @property
    def bank(self) -> Bank:
        """The question bank being asked."""
        return self.answers.bank

    def applicable(self) -> list[Question]:
        """The questions that apply given the answers so far, in the order they are asked."""
        view = self.answers.view()
        return [q for q in self.bank.questions.values() if view.state(q.id) != "skipped"]

    def open_questions(self) -> list[Question]:
        """Applicable questions without an answer (neither a value nor "don't know")."""
        view = self.answers.view()
        return [q for q in self.applicable() if view.state(q.id) == "unanswered"]

    def next_question(self) -> Question | None:
        """The first applicable question without an answer, or ``None`` when all are done."""
        remaining = self.open_questions()
        return remaining[0] if remaining else None

    def answered_count(self) -> int:
        """How many applicable questions have an answer ("don't know" included)."""
        return len(self.applicable()) - len(self.open_questions())

    def progress(self, question_id: str) -> Progress:
        """Where ``question_id`` sits among the questions that apply now."""
        ids = [q.id for q in self.applicable()]
        position = ids.index(question_id) + 1 if question_id in ids else len(ids)
        return Progress(self.bank.section_of[question_id], position, len(ids))

    def as_asked(self, question: Question) -> Question:
        """The question as it is asked now.

        A multiple choice asked besides an earlier single choice (the other goals, after the
        main goal) does not offer the choice given there again.
        """
        if question.besides is None:
            return question
        view = self.answers.view()
        if view.state(question.besides) != "known":
            return question
        offered = question.offered(view.value(question.besides))
        return question.model_copy(update={"choices": offered})

    def record(self, question_id: str, answer: Answer) -> Change:
        """Store an answer and report which questions it made apply or stop applying."""
        before = {q.id for q in self.applicable()}
        self.answers.given[question_id] = answer
        after = [q.id for q in self.applicable()]
        dropped = [qid for qid in self.bank.questions if qid in before and qid not in after]
        return Change(appeared=[qid for qid in after if qid not in before], dropped=dropped)

    def resume_message(self, path: Path, review: bool = False) -> str | None:
        """Say where a resumed session starts, or ``None`` for a fresh one.

        With ``review`` the review menu comes first, and the message says what Finish does.
        """
        nxt = self.next_question()
        answered = self.answered_count()
        if nxt is None:
            return (
                f"{path}: all {answered} questions that apply are answered. "
                "Pick an answer to change, or Finish for the verdict."
            )
        if review:
            left = len(self.open_questions())
            return (
                f"{path}: {answered} answered, {left} still open. Pick an answer to change; "
                f"Finish asks the {left} open {'question' if left == 1 else 'questions'}, "
                "then gives the verdict."
            )
        if answered == 0:
            return None
        where = self.progress(nxt.id)
        return (
            f"Resuming {path}: {answered} answered so far; "
            f"continuing at question {where.position} of about {where.total} "
            f"({where.section.title})."
        )

    def review_items(self) -> list[ReviewItem]:
        """Every applicable question with its answer as shown (a long note cut), in order."""
        open_ids = {q.id for q in self.open_questions()}
        return [
            ReviewItem(
                q,
                self.bank.section_of[q.id],
                describe_answer(
                    q,
                    self.answers.given.get(q.id),
                    self.answers.currency,
                    note_limit=REVIEW_NOTE_LIMIT,
                ),
                open=q.id in open_ids,
            )
            for q in self.applicable()
        ]

    def conflicts(self, question_id: str) -> list[Rule]:
        """Rules of the bank that compare this date with another one, and now hold.

        A rule whose whole condition compares two dates with each other (the switch-off date
        before the first switch) says that the two contradict each other, which is most often
        a slip of the keyboard; the person hears it as soon as the second is given. Rules that
        weigh two amounts (a cost above another) are findings, not contradictions.
        """
        view = self.answers.view()
        found = []
        for rule, test in self.bank.rule_tests:
            cond = rule.when
            if not isinstance(cond, Compare) or not isinstance(cond.operand, QuestionRef):
                continue
            compared = (
                self.bank.questions[cond.question],
                self.bank.questions[cond.operand.question],
            )
            if any(q.type != "date" for q in compared):
                continue
            if question_id in (cond.question, cond.operand.question) and test(view) is True:
                found.append(rule)
        return found

    def findings_between(self, question_id: str) -> list[Rule]:
        """Rules of the bank that weigh this answer against another answer, and now hold.

        A rule that compares two answers with each other (the total cost above the budget,
        the first switch before new clients can start, more spent than planned by now) is
        decided as soon as the second of them is given, and the person hears it then, with
        any other answer the rule looks at already given. Such a finding is not a slip of
        the keyboard, so the answer is kept (contradictions, :meth:`conflicts`, are asked
        again); strengths are not pointed out.
        """
        view = self.answers.view()
        contradictions = {rule.id for rule in self.conflicts(question_id)}
        found = []
        for rule, test in self.bank.rule_tests:
            if rule.severity == "strength" or rule.id in contradictions:
                continue
            if not any(isinstance(c.operand, QuestionRef) for c in comparisons(rule.when)):
                continue
            if question_id in questions_in(rule.when) and test(view) is True:
                found.append(rule)
        return found


def finding_message(rule: Rule) -> str:
    """What is said when two answers together make a finding (see ``findings_between``)."""
    return (
        f"With an earlier answer, this one makes a {rule.severity} finding: {rule.title}. "
        "The memo will list it; to change either answer, pick it in the review at the end."
    )


# --- the person on the other side ------------------------------------------------------------


class Asker(Protocol):
    """What the flow needs from a terminal (or from a test)."""

    def begin(self, lines: list[str]) -> None:
        """Introduce the session before anything is asked (the terminal adds its keys)."""

    def ask_title(self, default: str) -> str:
        """Ask the title of a new assessment."""

    def ask_participant(self) -> str:
        """Ask the name of the person answering; an empty string skips it."""

    def start_section(self, section: Section) -> None:
        """Introduce a section the first time one of its questions is asked."""

    def ask(
        self, question: Question, progress: Progress, current: Answer | None, currency: str
    ) -> Answer:
        """Ask one question; ``current`` is its answer so far, offered as the default."""

    def review(self, items: list[ReviewItem]) -> str | None:
        """Let the person pick a question to change; ``None`` when they are done."""

    def tell(self, message: str) -> None:
        """Show a short message."""

    def keep_conflict(self, question: Question, answer: str, rules: list[Rule]) -> bool:
        """Say that ``answer`` contradicts an earlier one (``rules``); whether to keep it."""


# --- the file --------------------------------------------------------------------------------


def open_answers(
    path: Path,
    bank: Bank,
    participant: str | None,
    today: dt.date,
    *,
    must_exist: bool = False,
    carry_over_command: str | None = None,
) -> Answers | None:
    """Load the answers file to resume, or return ``None`` when it does not exist yet.

    A file that exists but is not an answers file for ``bank`` is never overwritten. One made
    with another version of the bank gets ``carry_over_command``, the command that starts a
    new file with its answers (``assess -o NEW.yaml --from FILE``), as the way out.

    Raises:
        AnswersError: If the file exists and cannot be resumed, or ``must_exist`` and it does
            not exist.
    """
    if path.is_dir():
        raise AnswersError("this is a folder; give a file name with -o", path)
    if path.exists() and not path.is_file():
        raise AnswersError(
            "this is a device or a named pipe; answers are saved to a file: give one with -o", path
        )
    if not path.exists():
        if must_exist:
            raise AnswersError("there is no answers file here to review", path)
        return None
    try:
        answers = load_answers(path, bank)
    except OtherBankVersion as exc:
        way_out = (
            f"start a new file with its answers carried over: {carry_over_command}"
            if carry_over_command
            else "start a new file with its answers carried over: assess -o NEW.yaml --from FILE"
        )
        raise AnswersError(
            f"the file exists and cannot be resumed, so it is left alone ({exc.message}); "
            f"to answer with version {bank.version}, {way_out} (see 'Answers made with an "
            "earlier version of the bank' in the README)",
            path,
            exc.line,
        ) from None
    except AdvisorError as exc:
        raise AnswersError(
            f"the file exists and cannot be resumed, so it is left alone ({exc}); "
            "fix it, or choose another file with -o",
            path,
        ) from None
    if participant and participant not in answers.participants:
        answers.participants.append(participant)
    if answers.date is None:
        answers.date = today
    return answers


def new_answers(
    bank: Bank, title: str, participant: str | None, today: dt.date, path: Path
) -> Answers:
    """Empty answers for a new assessment."""
    return Answers(
        bank=bank,
        title=title.strip() or DEFAULT_TITLE,
        date=today,
        participants=[participant] if participant else [],
        currency=bank.meta.currency,
        given={},
        source=str(path),
    )


def intro_lines(bank: Bank, path: Path, answers: Answers | None) -> list[str]:
    """What the person reads before the first prompt: the bank, its size, the file."""
    if answers is not None:
        return [f"{bank.meta.title} ({bank.id} {bank.version}): {path}"]
    empty = Session(Answers(bank, DEFAULT_TITLE, None, [], bank.meta.currency))
    lines = [f"{bank.meta.title} ({bank.id} {bank.version})"]
    if bank.meta.description:
        lines.append(" ".join(bank.meta.description.split()))
    lines.append(
        f"Up to {len(empty.applicable())} questions in {len(bank.sections)} sections (some apply "
        f"only to some kinds of rewrite). Your answers go to {path}."
    )
    return lines


# --- the flow --------------------------------------------------------------------------------


def run(
    bank: Bank,
    path: Path,
    asker: Asker,
    *,
    today: dt.date,
    participant: str | None = None,
    review: bool = False,
    resume_command: str | None = None,
    carry_over_command: str | None = None,
) -> Answers:
    """Ask every open question, then offer the review menu; save after every answer.

    With ``review``, the file must exist and the review menu comes first (open questions are
    asked after it, and the menu says so). A new file asks for the title and, unless
    ``participant`` is given, the name of the person answering (Enter skips it).

    Raises:
        Interrupted: On Ctrl-C, after saving; it carries the answers and how to resume.
        AdvisorError: If the file cannot be resumed or written.
    """
    answers = open_answers(
        path, bank, None, today, must_exist=review, carry_over_command=carry_over_command
    )
    # The file stays exactly as it is until an answer changes; then only that answer's lines
    # (and a participant added here) are rewritten.
    writer = AnswersWriter(path, answers)
    if answers is not None and participant and participant not in answers.participants:
        answers.participants.append(participant)
    asker.begin(intro_lines(bank, path, answers))
    try:
        if answers is None:
            title = asker.ask_title(DEFAULT_TITLE)
            if participant is None:
                participant = " ".join(asker.ask_participant().split()) or None
            answers = new_answers(bank, title, participant, today, path)
            writer.save(answers)
        flow = _Flow(Session(answers), writer, asker)
        message = flow.session.resume_message(path, review=review)
        if message:
            asker.tell(message)
        if review:
            flow.review()
            flow.fill()
        else:
            flow.fill()
            flow.review()
    except KeyboardInterrupt:
        if answers is not None:
            writer.save(answers)
        raise Interrupted(answers, path, resume_command) from None
    return answers


class _Flow:
    def __init__(self, session: Session, writer: AnswersWriter, asker: Asker):
        self.session = session
        self.writer = writer
        self.asker = asker
        self.sections_seen: set[str] = set()

    @property
    def answers(self) -> Answers:
        return self.session.answers

    def ask(self, question: Question) -> Change:
        section = self.session.bank.section_of[question.id]
        if section.id not in self.sections_seen:
            self.sections_seen.add(section.id)
            self.asker.start_section(section)
        before = [q.id for q in self.session.applicable()]
        while True:
            answer = self.asker.ask(
                self.session.as_asked(question),
                self.session.progress(question.id),
                self.answers.given.get(question.id),
                self.answers.currency,
            )
            self.session.record(question.id, answer)
            self.writer.save(self.answers)
            conflicts = self.session.conflicts(question.id)
            shown = describe_answer(question, answer, self.answers.currency)
            if not conflicts or self.asker.keep_conflict(question, shown, conflicts):
                break
        for rule in self.session.findings_between(question.id):
            self.asker.tell(finding_message(rule))
        after = [q.id for q in self.session.applicable()]
        return Change(
            appeared=[qid for qid in after if qid not in before],
            dropped=[qid for qid in before if qid not in after],
        )

    def fill(self) -> None:
        while (question := self.session.next_question()) is not None:
            self.follow(self.ask(question))

    def follow(self, change: Change) -> None:
        """Tell what a change dropped; ask again what it brought back, in bank order."""
        queue = list(change.appeared)
        self._tell_dropped(change.dropped)
        while queue:
            qid = queue.pop(0)
            if qid not in {q.id for q in self.session.applicable()}:
                continue
            question = self.session.bank.questions[qid]
            if qid in self.answers.given:
                self.asker.tell(
                    f"This applies again (your earlier answer is the default): {question.text}"
                )
            else:
                self.asker.tell(f"This now applies: {question.text}")
            nested = self.ask(question)
            queue.extend(q for q in nested.appeared if q not in queue)
            self._tell_dropped(nested.dropped)

    def _tell_dropped(self, dropped: list[str]) -> None:
        # Only questions the person has answered are worth a word; one never asked yet
        # simply will not come up.
        for qid in dropped:
            if qid not in self.answers.given:
                continue
            text = self.session.bank.questions[qid].text
            self.asker.tell(
                f"No longer asked: {text} (its answer is kept in the file but no longer counts)"
            )

    def review(self) -> None:
        while True:
            chosen = self.asker.review(self.session.review_items())
            if chosen is None:
                return
            self.follow(self.ask(self.session.bank.questions[chosen]))
            self.fill()


def holding(memo: Memo) -> list[Any]:
    """The reasons that hold the verdict where it is, and that an answer could change.

    An open, guessed or disputed answer caps the verdict while it stays open; but where the
    memo's summary finds the verdict settled (no answer to them changes it), or the search
    of the verdict range did not vary a question, that question holds nothing.
    """
    verdict = memo.verdict
    held = [r for r in verdict.reasons if r.caps == verdict.id]
    open_kinds = ("open_question", "guess", "dispute")
    if memo.summary is not None and memo.summary.settled:
        return [r for r in held if r.kind not in open_kinds]
    if verdict.range is not None:
        varied = set(verdict.range.questions)
        return [r for r in held if r.kind != "open_question" or r.ref in varied]
    return held


def iter_summary(memo: Memo, top: int = 3) -> Iterator[str]:
    """Yield the lines that end a session: the verdict, what holds it there, then the rest.

    With a memo summary (scoring model 2), the decision and whether it is settled are the
    memo's own sentences, so the terminal and the memo say the same.
    """
    verdict = memo.verdict
    summary = memo.summary
    if verdict.knowledge is not None:
        yield (
            f"Verdict: {verdict.title} (score {verdict.score}/100: quality {verdict.quality}, "
            f"known {verdict.knowledge}%)"
        )
    else:
        yield f"Verdict: {verdict.title} (readiness {verdict.score}/100)"
    if summary is not None:
        yield f"  {summary.decision}"
        yield f"  {summary.status}"
    else:
        yield f"  {verdict.summary}"
    unknown = {o.question for o in memo.open_questions if o.reason == "unknown"}
    labels = {"finding": "", "guess": "only a guess: ", "dispute": "disputed: ", "score": ""}
    held = holding(memo)
    if held:
        yield f"Held at {verdict.title} by:"
        for reason in held[: top + 2]:
            label = labels.get(reason.kind, "")
            if reason.kind == "open_question":
                label = "don't know: " if reason.ref in unknown else "not answered: "
            yield f"  - {label}{reason.text}"
        if len(held) > top + 2:
            yield f"  - and {len(held) - top - 2} more (listed in the memo)"
    if summary is None:  # the status above says as much
        if verdict.range is not None:
            yield f"  {verdict.range.text}"
        if verdict.provisional:
            yield f"  Provisional: {len(verdict.provisional)} answer(s) that matter are guesses."
    shown = {r.ref for r in held}
    risks = [f for f in memo.risks if f.rule not in shown][:top]
    if risks:
        yield "Other findings:" if held else "Top findings:"
        for finding in risks:
            yield f"  [{finding.severity}] {finding.title} ({finding.section_title})"
            yield f"      {finding.action}"
    strengths = memo.strengths[:top]
    if strengths:
        yield "Strengths:"
        for finding in strengths:
            yield f"  + {finding.title}"
    if memo.open_questions:
        count = len(memo.open_questions)
        yield f"Open questions: {count} (listed in the memo)"
    yield answered_line(memo)


def answered_line(memo: Memo) -> str:
    """How many questions that apply have an answer, counted as the memo counts them.

    The memo counts a "don't know" apart from the known answers; so does this line.
    """
    if memo.summary is not None:
        known = memo.summary.known
        dont_know = known.dont_know
        given, applicable = known.answered + dont_know, known.applicable
    else:
        dont_know = sum(1 for o in memo.open_questions if o.reason == "unknown")
        given, applicable = memo.answered, memo.applicable
    return (
        f"{given} of {applicable} questions that apply have an answer: "
        f'{given - dont_know} known, {dont_know} "don\'t know".'
    )


def score(answers: Answers, today: dt.date) -> Memo:
    """Score the answers into a memo, as ``report`` would from the saved file."""
    from .engine import assess

    raw = answers.to_file().model_dump(mode="json", exclude_none=True)
    return assess(answers, raw, today)


def memo_path_for(answers_path: Path) -> Path:
    """Where to offer to write the memo: next to the answers, ``NAME-memo.html``."""
    return answers_path.with_name(f"{answers_path.stem}-memo.html")
