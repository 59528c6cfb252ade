"""The terminal side of ``assess``: the only module that imports questionary and prompt_toolkit.

It turns a :class:`~rewrite_advisor.bank.Question` into a questionary prompt, and shows the
messages of the flow in :mod:`rewrite_advisor.session`. Every prompt runs through
:func:`_run`, the one place that calls ``unsafe_ask`` (so Ctrl-C arrives as
``KeyboardInterrupt`` for the flow to save and turn into ``Interrupted``).

Keys, shown next to every question:

* lists (single choice, yes/no): arrows and Enter; ``/`` answers with the highlighted choice
  and asks for a note; ``?`` shows why the question matters;
* multiple choice: Space ticks, Enter confirms; ``/`` and ``?`` as above;
* "Don't know" is the last choice of every list;
* typed answers (numbers, dates, text): ``dk`` for don't know, ``?`` for why it matters,
  and ``// note`` after the answer (``14 // estimate, from the plan``).

Printing goes through prompt_toolkit's output, so tests with ``DummyOutput`` stay quiet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from questionary.prompts.common import InquirerControl

from .answers import Answer, Dissent
from .bank import Question, Section
from .session import Progress, ReviewItem, describe_answer, parse_note, parse_typed, typed_default
from .terminal import clean

_DONT_KNOW = "\x00dont_know"
_FINISH = "\x00finish"
_LIST_KEYS = "↑↓ Enter · / note · ? why"
_MULTI_KEYS = "Space ticks, Enter · / note · ? why"
_TYPED_KEYS = "? why · dk don't know · // note"

LEGEND = """\
Every answer is saved at once; Ctrl-C stops safely and you can resume later.
  ?   why a question matters          Don't know   the last choice of every list
  /   in a list: answer, then add a note
  dk  typed answers: don't know       // note      after a typed answer
  A note that starts with sure, estimate or guess sets your confidence:
      14 // estimate, from last year's plan"""

STYLE = questionary.Style(
    [
        ("progress", "fg:ansicyan"),
        ("section", "bold"),
        ("help", "fg:ansiyellow"),
        ("dim", "fg:ansibrightblack"),
        ("instruction", "fg:ansibrightblack"),
    ]
)


@dataclass(frozen=True)
class _Signal:
    """A key that ends a list prompt without a plain answer: help, or answer-with-note."""

    kind: str
    value: Any


def _run(question: questionary.Question) -> Any:
    """Ask one questionary prompt; the only call of ``unsafe_ask`` in the package."""
    return question.unsafe_ask()


def _say(text: str, style: str = "") -> None:
    # Titles, notes and names come from files: control characters are shown, never sent.
    shown = clean(text)
    print_formatted_text(FormattedText([(f"class:{style}" if style else "", shown)]), style=STYLE)


def _with_list_keys(question: questionary.Question, multi: bool) -> questionary.Question:
    """Add ``?`` (help) and ``/`` (answer with a note) to a select or checkbox prompt."""
    app = question.application
    control = next(c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl))

    def current() -> Any:
        if multi:
            return [c.value for c in control.get_selected_values()]
        pointed = control.get_pointed_at()
        return pointed.value

    keys = KeyBindings()

    @keys.add("?", eager=True)
    def _help(event: KeyPressEvent) -> None:
        event.app.exit(result=_Signal("help", current()))

    @keys.add("/", eager=True)
    def _note(event: KeyPressEvent) -> None:
        event.app.exit(result=_Signal("note", current()))

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    return question


class Terminal:
    """The person at the keyboard, as the flow's :class:`~rewrite_advisor.session.Asker`."""

    def __init__(self) -> None:
        self._legend_shown = False

    def tell(self, message: str) -> None:
        """Show a short message."""
        _say(message, "dim")

    def show(self, lines: list[str]) -> None:
        """Show several lines (the summary at the end)."""
        for line in lines:
            _say(line)

    def ask_title(self, default: str) -> str:
        """Ask the title of a new assessment."""
        # The default is offered, not pre-typed: what the person types replaces it.
        title = _run(
            questionary.text(
                "Title of this assessment:",
                instruction=f'(Enter keeps "{default}")',
                style=STYLE,
            )
        )
        return str(title).strip() or default

    def start_section(self, section: Section) -> None:
        """Introduce a section."""
        if not self._legend_shown:
            self._legend_shown = True
            _say(LEGEND, "dim")
        _say("")
        _say(f"== {section.title}", "section")
        _say(section.intro, "dim")

    def ask(
        self, question: Question, progress: Progress, current: Answer | None, currency: str
    ) -> Answer:
        """Ask one question until it is answered; ``?`` shows its help and asks again."""
        _say(str(progress), "progress")
        if question.type in ("number", "date", "text"):
            return self._ask_typed(question, current, currency)
        return self._ask_list(question, current, currency)

    def _help(self, question: Question) -> None:
        _say(f"  Why it matters: {question.help}", "help")

    def _ask_typed(self, question: Question, current: Answer | None, currency: str) -> Answer:
        default = typed_default(question, current)

        def validate(text: str) -> bool | str:
            try:
                parse_typed(question, text)
            except ValueError as exc:
                return str(exc)
            return True

        while True:
            text = _run(
                questionary.text(
                    f"{question.text}{_hint(question, currency)}",
                    default=default,
                    validate=validate,
                    instruction=f"({_TYPED_KEYS})",
                    style=STYLE,
                )
            )
            reply = parse_typed(question, str(text))
            if reply.kind == "help":
                self._help(question)
                continue
            return reply.to_answer()

    def _ask_list(self, question: Question, current: Answer | None, currency: str) -> Answer:
        multi = question.type == "multi"
        pointed = _list_default(question, current)
        while True:
            prompt = self._checkbox(question, pointed) if multi else self._select(question, pointed)
            result = _run(_with_list_keys(prompt, multi))
            wants_note = False
            if isinstance(result, _Signal):
                pointed = result.value
                if result.kind == "help":
                    self._help(question)
                    continue
                wants_note = True
                result = result.value
                if multi and not _multi_ok(question, result):
                    _say(f"  {_multi_error(question, result)}", "help")
                    continue
            answer = _list_answer(question, result, current)
            if wants_note:
                text = _run(
                    questionary.text(
                        "Note:",
                        instruction="(start with sure, estimate or guess to set your confidence)",
                        style=STYLE,
                    )
                )
                answer.confidence, answer.note = parse_note(str(text))
                _say(f"  {describe_answer(question, answer, currency)}", "dim")
            elif multi:
                # questionary echoes only "done (N selections)": say which.
                _say(f"  {describe_answer(question, answer, currency)}", "dim")
            return answer

    def _select(self, question: Question, pointed: Any) -> questionary.Question:
        if question.type == "yesno":
            options = [questionary.Choice("Yes", "yes"), questionary.Choice("No", "no")]
        else:
            options = [questionary.Choice(c.label, c.value) for c in question.choices or []]
        choices: list[Any] = [
            *options,
            questionary.Separator(),
            questionary.Choice("Don't know", _DONT_KNOW),
        ]
        values = [c.value for c in choices if isinstance(c, questionary.Choice)]
        return questionary.select(
            question.text,
            choices=choices,
            default=pointed if pointed in values else None,
            instruction=f"({_LIST_KEYS})",
            style=STYLE,
        )

    def _checkbox(self, question: Question, ticked: Any) -> questionary.Question:
        chosen = set(ticked) if isinstance(ticked, list) else set()
        choices: list[Any] = [
            questionary.Choice(c.label, c.value, checked=c.value in chosen)
            for c in question.choices or []
        ]
        choices += [
            questionary.Separator(),
            questionary.Choice("Don't know", _DONT_KNOW, checked=_DONT_KNOW in chosen),
        ]
        return questionary.checkbox(
            question.text,
            choices=choices,
            validate=lambda values: (
                True if _multi_ok(question, values) else _multi_error(question, values)
            ),
            instruction=f"({_MULTI_KEYS})",
            style=STYLE,
        )

    def review(self, items: list[ReviewItem]) -> str | None:
        """Offer every answer for change; ``None`` when the person picks "Finish"."""
        choices: list[Any] = [questionary.Choice("Finish", _FINISH)]
        section = None
        for item in items:
            if item.section.id != section:
                section = item.section.id
                choices.append(questionary.Separator(f"── {item.section.title}"))
            choices.append(
                questionary.Choice(f"{item.question.text}  → {item.answer}", item.question.id)
            )
        _say("")
        chosen = _run(
            questionary.select(
                "Review: pick an answer to change, or Finish",
                choices=choices,
                default=_FINISH,
                instruction="(↑↓ Enter, type to filter)",
                use_search_filter=True,
                use_jk_keys=False,
                style=STYLE,
            )
        )
        return None if chosen == _FINISH else str(chosen)

    def ask_memo_path(self, default: str) -> str | None:
        """Offer to write the memo to ``default``; the path chosen, or ``None`` to skip."""
        _say("")
        text = _run(
            questionary.text(
                f"Write the memo to {default}?",
                instruction="(Enter: yes · type another path · - to skip)",
                style=STYLE,
            )
        )
        text = str(text).strip()
        if text == "-":
            return None
        return text or default

    def confirm(self, message: str, default: bool = False) -> bool:
        """Ask a yes/no question about the session itself."""
        return bool(_run(questionary.confirm(message, default=default, style=STYLE)))


def _hint(question: Question, currency: str) -> str:
    if question.type == "date":
        return " (YYYY-MM-DD)"
    if question.type == "number" and question.unit:
        unit = {"money": currency, "percent": "%", "count": ""}.get(question.unit, question.unit)
        return f" ({unit})" if unit else ""
    return ""


def _list_default(question: Question, current: Answer | None) -> Any:
    if current is None or current.state == "unanswered":
        return None
    if current.state == "unknown":
        return [_DONT_KNOW] if question.type == "multi" else _DONT_KNOW
    if question.type == "yesno":
        return "yes" if current.value else "no"
    return current.value


def _alone(question: Question, values: list[Any]) -> str | None:
    """The label of a ticked choice that must stand alone, when others are ticked too."""
    if len(values) < 2:
        return None
    if _DONT_KNOW in values:
        return "Don't know"
    return next(
        (c.label for c in question.choices or [] if c.exclusive and c.value in values), None
    )


def _multi_ok(question: Question, values: list[Any]) -> bool:
    return bool(values) and _alone(question, values) is None


def _multi_error(question: Question, values: list[Any]) -> str:
    if not values:
        return "tick at least one choice with Space, or Don't know"
    return f'"{_alone(question, values)}" cannot be ticked together with other choices'


def _list_answer(question: Question, result: Any, current: Answer | None) -> Answer:
    """The answer a list prompt gave; the note and confidence so far are kept."""
    note = current.note if current else None
    confidence = current.confidence if current else None
    if result == _DONT_KNOW or result == [_DONT_KNOW]:
        return Answer("unknown", None, note, confidence)
    return Answer("known", question.cast_answer(result), note, confidence)


class Facilitator(Terminal):
    """The facilitator of ``workshop``, as the flow's :class:`~rewrite_advisor.workshop.Moderator`.

    The agreed answer is asked like any answer in ``assess`` (the majority's is the default);
    then a checklist of the participants who answered otherwise, and for each one ticked, what
    they would answer (their own answer is the default) and why.
    """

    def ask_dissenters(self, question: Question, candidates: list[tuple[str, str]]) -> list[str]:
        """Tick the participants who still disagree with the agreed answer."""
        chosen = _run(
            questionary.checkbox(
                "Who still disagrees with the agreed answer?",
                choices=[
                    questionary.Choice(f"{name} (answered: {shown})", name)
                    for name, shown in candidates
                ],
                instruction="(Space ticks, Enter confirms; nobody: just Enter)",
                style=STYLE,
            )
        )
        return [str(name) for name in chosen or []]

    def ask_dissent(
        self, question: Question, participant: str, own: Answer, currency: str
    ) -> Dissent:
        """Ask what ``participant`` would answer (their own answer first) and why."""
        _say(f"  {participant} would answer:", "dim")
        current = Answer(own.state, own.value)
        if question.type in ("number", "date", "text"):
            answer = self._ask_typed(question, current, currency)
        else:
            answer = self._ask_list(question, current, currency)
        reason = _run(questionary.text(f"Why does {participant} disagree?", style=STYLE))
        text = " ".join(str(reason).split())
        return Dissent(participant, answer.state, answer.value, text or None)
