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

import textwrap
from dataclasses import dataclass
from typing import Any, cast

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import get_app, get_app_session
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from questionary.prompts.common import InquirerControl
from questionary.styles import merge_styles_default

from .answers import Answer, Dissent
from .bank import Question, Rule, Section
from .session import (
    Progress,
    ReviewItem,
    describe_answer,
    parse_note,
    parse_typed,
    shorten,
    typed_default,
)
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


_ECHO_STYLE = merge_styles_default([STYLE])


def _say(text: str, style: str = "", answer: str | None = None) -> None:
    """Print a line; with ``answer``, as the line a prompt leaves: ``? text  answer``.

    Titles, notes and names come from files: their control characters are shown, never sent.
    """
    text = clean(text)
    answer = clean(answer) if answer is not None else None
    if answer is None:
        fragments = [(f"class:{style}" if style else "", text)]
    else:
        fragments = [
            ("class:qmark", "?"),
            ("class:question", f" {text} "),
            ("class:answer", answer),
        ]
    print_formatted_text(FormattedText(fragments), style=_ECHO_STYLE)


def _wrap(text: str, indent: str = "") -> str:
    """``text`` wrapped at words to the terminal's width, later lines indented."""
    lines = textwrap.wrap(
        text,
        _columns() - 1,
        subsequent_indent=indent,
        break_long_words=False,  # a path stays whole, to be copied
        break_on_hyphens=False,
    )
    return "\n".join(lines) or text


def _columns(least: int = 40) -> int:
    """The width of the terminal (80 when it cannot be told), at least ``least``."""
    try:
        return max(least, get_app_session().output.get_size().columns)
    except (OSError, ValueError):
        return 80


def _question(text: str, columns: int | None = None) -> str:
    """A question (or any prompt's message) wrapped at words to the terminal's width.

    prompt_toolkit shows a prompt's lines above the last one as they are, cut at the
    terminal's edge: a long question lost its end. Wrapped here, every line fits after the
    ``? `` it follows, later lines indented under the first.
    """
    width = (_columns(least=20) if columns is None else columns) - 1
    lines = textwrap.wrap(
        " ".join(text.split()),
        max(10, width - 2),  # after "? ", or the indent of two
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n  ".join(lines) or text


def _after_question(message: str, answer: str) -> str:
    """An answer echoed after its wrapped question, wrapped at words too.

    On the question's last line when it fits, else on lines of its own, indented under it.
    """
    width = _columns(least=20) - 1
    last = _question(message).split("\n")[-1]
    if len(f"? {last} {answer}") <= width:
        return answer
    lines = textwrap.wrap(answer, max(10, width - 2), break_long_words=False)
    return "\n  " + "\n  ".join(lines)


def _erased(question: questionary.Question) -> questionary.Question:
    """Leave nothing behind when the prompt ends (the caller prints its own line)."""
    question.application.erase_when_done = True
    return question


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
        # The prompt is asked again after the help: leave no line behind, or it shows twice.
        event.app.erase_when_done = True
        event.app.exit(result=_Signal("help", current()))

    @keys.add("/", eager=True)
    def _note(event: KeyPressEvent) -> None:
        if not multi:
            control.is_answered = True  # the line left behind names the chosen option
        event.app.exit(result=_Signal("note", current()))

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    return question


def _echo_unwrapped(question: questionary.Question) -> questionary.Question:
    """Echo a chosen label as one line, not with the line breaks it has in the menu.

    A long label is wrapped for the menu (under the pointer, see :func:`_label`); echoed after
    the question, those breaks and indents fell in the wrong places. One line wraps where the
    terminal ends it.
    """
    control = next(
        c for c in question.application.layout.find_all_controls() if isinstance(c, InquirerControl)
    )
    pointed_at = control.get_pointed_at

    def pointed() -> Any:
        choice = pointed_at()
        title = choice.title
        if control.is_answered and isinstance(title, str) and "\n" in title:
            return questionary.Choice(" ".join(title.split()), choice.value)
        return choice

    control.get_pointed_at = pointed  # type: ignore[method-assign]
    return question


class _WholeTextFilter(InquirerControl):
    """A menu whose typed filter matches each row's whole text, not the row as shown.

    questionary (2.1) matches the filter against the row's title, which the review menu cuts
    to the terminal's width: the end of a long question could not be found.
    """

    searched: dict[Any, str]

    @property
    def filtered_choices(self) -> list[Any]:
        if not self.search_filter:
            return list(self.choices)
        typed = self.search_filter.casefold()
        filtered = [c for c in self.choices if typed in self._text(c).casefold()]
        self.found_in_search = bool(filtered)
        return filtered if filtered else list(self.choices)

    def _text(self, choice: Any) -> str:
        if isinstance(choice, questionary.Choice) and not isinstance(choice, questionary.Separator):
            found = self.searched.get(choice.value)
            if found is not None:
                return found
        title = choice.title
        return " ".join(title.split()) if isinstance(title, str) else str(title)


def _filter_aware(
    question: questionary.Question, searched: dict[Any, str] | None = None
) -> questionary.Question:
    """Make ↑↓ step through the rows a typed filter leaves, one by one.

    questionary (2.1) checks whether the row pointed at is a separator in the unfiltered list
    while it points into the filtered one, so ↓ skipped rows that stood beside a separator
    in the full menu: every other match. ``searched`` gives, by a choice's value, the whole
    text the filter matches in place of the row shown.
    """
    control = next(
        c for c in question.application.layout.find_all_controls() if isinstance(c, InquirerControl)
    )
    if searched is not None:
        control.__class__ = _WholeTextFilter
        cast(_WholeTextFilter, control).searched = searched

    def pointed() -> Any:
        return control.filtered_choices[control.pointed_at]

    control.is_selection_a_separator = (  # type: ignore[method-assign]
        lambda: isinstance(pointed(), questionary.Separator)
    )
    control.is_selection_disabled = lambda: pointed().disabled  # type: ignore[method-assign]
    return question


def _with_typed_keys(question: questionary.Question) -> questionary.Question:
    """Make ``?`` then Enter at a typed prompt leave no line behind (it is asked again)."""
    keys = KeyBindings()

    @keys.add("enter", filter=Condition(lambda: get_app().current_buffer.text.strip() == "?"))
    def _help(event: KeyPressEvent) -> None:
        event.app.erase_when_done = True
        event.app.exit(result="?")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    return question


class Terminal:
    """The person at the keyboard, as the flow's :class:`~rewrite_advisor.session.Asker`."""

    def __init__(self) -> None:
        self._begun = False

    def begin(self, lines: list[str]) -> None:
        """Introduce the session and show the keys, once, before the first prompt."""
        if self._begun:
            return
        self._begun = True
        width = _columns() - 1
        for number, line in enumerate(lines):
            for part in textwrap.wrap(line, width) or [""]:
                _say(part, "section" if number == 0 else "")
        _say("")
        _say(LEGEND, "dim")
        _say("")

    def tell(self, message: str) -> None:
        """Show a short message."""
        _say(_wrap(message), "dim")

    def show(self, lines: list[str]) -> None:
        """Show several lines (the summary at the end), wrapped at words."""
        for line in lines:
            leading = len(line) - len(line.lstrip(" "))
            indent = " " * (leading + 2 if leading else 0)
            _say(_wrap(line, indent) if line.strip() else line)

    def ask_title(self, default: str) -> str:
        """Ask the title of a new assessment."""
        # The default is offered, not pre-typed: what the person types replaces it.
        title = _run(
            questionary.text(
                "Title of this assessment:",
                instruction=_placed("Title of this assessment:", f'(Enter keeps "{default}")'),
                style=STYLE,
            )
        )
        return str(title).strip() or default

    def ask_participant(self) -> str:
        """Ask the name of the person answering; Enter skips it."""
        name = _run(
            questionary.text(
                "Your name:",
                instruction="(shown in the memo as who answered; Enter skips)",
                style=STYLE,
            )
        )
        return str(name).strip()

    def keep_conflict(self, question: Question, answer: str, rules: list[Rule]) -> bool:
        """Say that the answer contradicts an earlier one; keep it only if asked to."""
        for rule in rules:
            _say(_wrap(f"  This answer and another one disagree: {rule.title}.", "  "), "help")
        return bool(
            _run(
                questionary.confirm(
                    message := _question(f"Keep {answer} anyway?"),
                    default=False,
                    instruction=_placed(message, "(y keeps it; Enter asks again)") + " ",
                    style=STYLE,
                )
            )
        )

    def start_section(self, section: Section) -> None:
        """Introduce a section."""
        _say("")
        _say(f"== {section.title}", "section")
        _say(_wrap(section.intro), "dim")

    def ask(
        self, question: Question, progress: Progress, current: Answer | None, currency: str
    ) -> Answer:
        """Ask one question until it is answered; ``?`` shows its help and asks again."""
        _say(str(progress), "progress")
        if question.type in ("number", "date", "text"):
            return self._ask_typed(question, current, currency)
        return self._ask_list(question, current, currency)

    def _help(self, question: Question) -> None:
        _say(_wrap(f"  Why it matters: {question.help}", "  "), "help")

    def _ask_typed(self, question: Question, current: Answer | None, currency: str) -> Answer:
        default = typed_default(question, current)

        def validate(text: str) -> bool | str:
            try:
                parse_typed(question, text, currency)
            except ValueError as exc:
                return str(exc)
            return True

        message = _question(f"{question.text}{_hint(question, currency)}")
        while True:
            text = _run(
                _with_typed_keys(
                    questionary.text(
                        message,
                        default=default,
                        validate=validate,
                        instruction=_key_hint(message, _TYPED_KEYS),
                        style=STYLE,
                    )
                )
            )
            reply = parse_typed(question, str(text), currency)
            if reply.kind == "help":
                self._help(question)
                continue
            answer = reply.to_answer()
            if _worth_echoing(question, str(text), answer):
                _say(f"  Understood: {describe_answer(question, answer, currency)}", "dim")
            return answer

    def _ask_list(self, question: Question, current: Answer | None, currency: str) -> Answer:
        multi = question.type == "multi"
        pointed = _list_default(question, current)
        while True:
            if multi:
                prompt = _erased(self._checkbox(question, pointed))
            else:
                prompt = self._select(question, pointed)
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
            if multi:
                # questionary would say only "done (2 selections)": say which.
                shown = describe_answer(question, Answer(answer.state, answer.value), currency)
                _say(_question(question.text), answer=_after_question(question.text, shown))
            if wants_note:
                text = _run(
                    questionary.text(
                        "Note:",
                        instruction=_placed(
                            "Note:", "(start with sure, estimate or guess to set your confidence)"
                        ),
                        style=STYLE,
                    )
                )
                answer.confidence, answer.note = parse_note(str(text))
                _say(f"  {describe_answer(question, answer, currency)}", "dim")
            return answer

    def _select(self, question: Question, pointed: Any) -> questionary.Question:
        if question.type == "yesno":
            options = [questionary.Choice("Yes", "yes"), questionary.Choice("No", "no")]
        else:
            width = _columns()
            options = [
                questionary.Choice(_label(c.label, width, 3), c.value)
                for c in question.choices or []
            ]
        choices: list[Any] = [
            *options,
            questionary.Separator(),
            questionary.Choice("Don't know", _DONT_KNOW),
        ]
        values = [c.value for c in choices if isinstance(c, questionary.Choice)]
        message = _question(question.text)
        return _echo_unwrapped(
            questionary.select(
                message,
                choices=choices,
                default=pointed if pointed in values else None,
                instruction=_key_hint(message, _LIST_KEYS),
                style=STYLE,
            )
        )

    def _checkbox(self, question: Question, ticked: Any) -> questionary.Question:
        chosen = set(ticked) if isinstance(ticked, list) else set()
        width = _columns()
        choices: list[Any] = [
            questionary.Choice(_label(c.label, width, 5), c.value, checked=c.value in chosen)
            for c in question.choices or []
        ]
        choices += [
            questionary.Separator(),
            questionary.Choice("Don't know", _DONT_KNOW, checked=_DONT_KNOW in chosen),
        ]
        message = _question(question.text)
        return questionary.checkbox(
            message,
            choices=choices,
            validate=lambda values: (
                True if _multi_ok(question, values) else _multi_error(question, values)
            ),
            instruction=_key_hint(message, _MULTI_KEYS),
            style=STYLE,
        )

    def review(self, items: list[ReviewItem]) -> str | None:
        """Offer every answer for change; ``None`` when the person picks "Finish".

        Each row shows the answer first, whole, and then the question, cut to fit the
        terminal: at 80 columns every answer can be read.
        """
        left = sum(item.open for item in items)
        finish = "Finish"
        if left:
            finish += (
                f": answer the {left} open {'question' if left == 1 else 'questions'}, "
                "then see the verdict"
            )
        choices: list[Any] = [questionary.Choice(finish, _FINISH)]
        section = None
        width = _columns()
        # The filter matches a row's whole answer and question, and the question's id.
        searched: dict[Any, str] = {_FINISH: finish}
        for item in items:
            if item.section.id != section:
                section = item.section.id
                choices.append(questionary.Separator(f"── {item.section.title}"))
            choices.append(questionary.Choice(review_row(item, width), item.question.id))
            searched[item.question.id] = " ".join(
                f"{item.answer}{_ROW_SEPARATOR}{item.question.text} {item.question.id}".split()
            )
        _say("")
        chosen = _run(
            _erased(
                _filter_aware(
                    questionary.select(
                        "Review: pick an answer to change, or Finish",
                        choices=choices,
                        default=_FINISH,
                        instruction="(↑↓ Enter, type to filter)",
                        use_search_filter=True,
                        use_jk_keys=False,
                        style=STYLE,
                    ),
                    searched,
                )
            )
        )
        if chosen == _FINISH:
            if left:
                self.tell(
                    f"The {left} open {'question follows' if left == 1 else 'questions follow'}."
                )
            return None
        return str(chosen)

    def ask_memo_path(self, default: str) -> str | None:
        """Offer to write the memo to ``default``; the path chosen, or ``None`` to skip."""
        _say("")
        text = _run(
            questionary.text(
                message := _question(f"Write the memo to {default}?"),
                instruction=_placed(message, "(Enter: yes · type another path · - to skip)"),
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


_ROW_SEPARATOR = "  · "
_ROW_ANSWER_LINES = 4


def review_row(item: ReviewItem, width: int) -> str:
    """A row of the review menu: the answer first, whole, then the question cut to fit.

    ``width`` is the terminal's; the menu's pointer takes the first three columns. An answer
    too long for one line wraps onto indented lines (at most four; the rest is cut).
    """
    room = width - 4
    answer, question = item.answer, item.question.text
    if len(answer) + len(_ROW_SEPARATOR) + len(question) <= room:
        return f"{answer}{_ROW_SEPARATOR}{question}"
    if len(answer) + len(_ROW_SEPARATOR) + 12 <= room:
        rest = room - len(answer) - len(_ROW_SEPARATOR)
        return f"{answer}{_ROW_SEPARATOR}{shorten(question, rest)}"
    lines = textwrap.wrap(
        shorten(answer, _ROW_ANSWER_LINES * (room - 2)), room, subsequent_indent="  "
    )
    rest = room - len(lines[-1]) - len(_ROW_SEPARATOR)
    if rest >= 12:
        lines[-1] += _ROW_SEPARATOR + shorten(question, rest)
    else:
        lines.append("  " + _ROW_SEPARATOR.strip() + " " + shorten(question, room - 4))
    return "\n   ".join(lines)


def _label(label: str, width: int, prefix: int) -> str:
    """A choice's label wrapped at words to the terminal, after ``prefix`` columns of pointer."""
    lines = textwrap.wrap(label, width - prefix - 1) or [label]
    return ("\n" + " " * prefix).join(lines)


def _worth_echoing(question: Question, typed: str, answer: Answer) -> bool:
    """Whether to say how a typed number was understood (always for money)."""
    if question.type != "number" or answer.state != "known":
        return False
    head = typed.split("//", 1)[0].strip()
    return question.unit == "money" or head != str(answer.value)


def _key_hint(message: str, keys: str, columns: int | None = None) -> str:
    """The key hint after a question: on its line when both fit, else on the next one.

    A hint that wrapped at the terminal's edge split in the middle of a key's name.
    """
    return _placed(message, f"({keys})", columns)


def _placed(message: str, hint: str, columns: int | None = None) -> str:
    """An instruction after a prompt's message: on its last line when both fit, else below."""
    width = _columns() if columns is None else columns
    lines = message.split("\n")  # a wrapped question: the hint may end its last line
    last = f"? {message}" if len(lines) == 1 else lines[-1]
    if len(f"{last} {hint}") < width:
        return hint
    return f"\n  {hint}"


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
        message = "Who still disagrees with the agreed answer?"
        chosen = _run(
            _erased(
                questionary.checkbox(
                    message,
                    choices=[
                        questionary.Choice(
                            _label(f"{name} (answered: {shown})", _columns(), 5), name
                        )
                        for name, shown in candidates
                    ],
                    instruction=_placed(
                        message, "(Space ticks, Enter confirms; nobody: just Enter)"
                    ),
                    style=STYLE,
                )
            )
        )
        names = [str(name) for name in chosen or []]
        _say(message, answer=", ".join(names) if names else "nobody")
        return names

    def ask_dissent(
        self, question: Question, participant: str, own: Answer, currency: str
    ) -> Dissent:
        """Ask what ``participant`` would answer (their own answer first) and why."""
        _say(f"  {participant} would answer:", "dim")
        current = Answer(own.state, own.value, confidence=own.confidence)  # their note: below
        if question.type in ("number", "date", "text"):
            answer = self._ask_typed(question, current, currency)
        else:
            answer = self._ask_list(question, current, currency)
        why = _question(f"Why does {participant} disagree?")
        reason = _run(
            questionary.text(
                why,
                default=" ".join((own.note or "").split()),
                instruction=_placed(
                    why, "(their own note is filled in; edit it or type another reason)"
                )
                if own.note
                else None,
                style=STYLE,
            )
        )
        text = " ".join(str(reason).split())
        kept = (answer.state, answer.value) == (own.state, own.value)
        confidence = answer.confidence or (own.confidence if kept else None)
        return Dissent(participant, answer.state, answer.value, text or None, confidence)
