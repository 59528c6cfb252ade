"""The browser answer form: one self-contained HTML page made from a question bank.

A facilitator sends the page to each participant, who opens it in any current browser,
answers, and saves an answers file that ``report`` and ``workshop`` read as it is. The page
carries everything inline: the markup (``templates/form.html.j2``), the style
(``templates/form.css``), the bank and any starting answers as JSON data, and one script made
of ``conditions.js`` (the twin of :mod:`rewrite_advisor.conditions`, kept next to it),
``templates/form-yaml.js`` (reading answers files) and ``templates/form.js`` (the form).

Safety: bank texts and answers reach the page only as values that Jinja escapes or as JSON
in a data block whose ``<``, ``>`` and ``&`` are escaped; the script inserts them as text.
The Content-Security-Policy allows nothing but the page's own style and script, by hash, so
the page makes no request of any kind.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__, resources, yamlio
from .answers import KIND, Answers, dumps
from .bank import Bank, Question, number_rules
from .errors import AnswersError
from .terminal import clean, json_escape

DEFAULT_TITLE = "Rewrite assessment"
SCRIPTS = ("conditions.js", "form-yaml.js", "form.js")
"""The parts of the page's one script, in order (``conditions.js`` lives in the package)."""

_UNIT_WORDS = {"months": "months", "weeks": "weeks", "days": "days", "people": "people"}


@dataclass(frozen=True)
class Form:
    """A rendered form page and what a caller may want to report about it."""

    html: str
    title: str
    questions: int
    left_out: tuple[str, ...] = ()
    """Starting answers, made with an earlier version of the bank, that have no place in it."""

    @property
    def size(self) -> int:
        """The page's size in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _script_text() -> str:
    parts = []
    for name in SCRIPTS:
        folder = Path(__file__).parent if name == "conditions.js" else resources.templates_dir()
        parts.append((folder / name).read_text(encoding="utf-8"))
    return "\n".join(parts)


def _json_data(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` block: nothing in it can end the block.

    Control and bidi characters are written as ``\\u`` escapes: the same data for the page's
    script, and nothing a terminal acts on when the page goes to standard output.
    """
    text = json_escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def unit_label(question: Question, currency: str) -> str:
    """The unit shown after a number field: months, people, %, the currency, or nothing."""
    if question.unit == "money":
        return currency
    if question.unit == "percent":
        return "%"
    return _UNIT_WORDS.get(question.unit or "", "")


def _number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def number_hint(question: Question, currency: str) -> str:
    """What a number field accepts, e.g. ``A number from 0 to 60 (months).``."""
    low, high = question.min, question.max
    if low is not None and high is not None:
        span = f"from {_number(low)} to {_number(high)}"
    elif low is not None:
        span = f"of at least {_number(low)}"
    elif high is not None:
        span = f"of at most {_number(high)}"
    else:
        span = ""
    unit = unit_label(question, currency)
    return " ".join(part for part in ("A number", span, f"({unit})" if unit else "") if part) + "."


def _bank_data(bank: Bank) -> dict[str, Any]:
    """What the script needs of the bank: ids, types, choices, limits, conditions.

    The texts of questions and choices are on the page already; the script reads them there.
    """
    sections = []
    for section in bank.sections:
        questions = []
        for q in section.questions:
            data = q.model_dump(
                mode="json",
                by_alias=True,
                exclude_none=True,
                # The form computes no knowledge: whether a question counts in it stays out.
                exclude={"text", "help", "choices", "counts_in_knowledge"},
            )
            if q.choices is not None:
                data["choices"] = [
                    {"value": c.value, "exclusive": True} if c.exclusive else {"value": c.value}
                    for c in q.choices
                ]
            questions.append(data)
        sections.append({"id": section.id, "title": section.title, "questions": questions})
    return {
        "id": bank.id,
        "version": bank.version,
        "title": bank.meta.title,
        "currency": bank.meta.currency,
        "sections": sections,
    }


def starting_answers(answers: Answers) -> dict[str, Any]:
    """Answers to start the form with, as the plain data of an answers file.

    Raises:
        AnswersError: For a team file: the form holds one person's answers.
    """
    if answers.workshop is not None or any(a.dissent for a in answers.given.values()):
        raise AnswersError(
            "this is a team file from 'rewrite-advisor workshop'; "
            "start the form from one person's answers file",
            answers.source,
        )
    data: dict[str, Any] = yamlio.parse(dumps(answers)).data
    return data


def build_form(
    bank: Bank,
    *,
    title: str | None = None,
    participant: str | None = None,
    start: Answers | None = None,
    today: dt.date | None = None,
) -> Form:
    """Render the answer form for ``bank``.

    Args:
        bank: The question bank.
        title: The assessment's title (default: the starting answers' title, else
            "Rewrite assessment"). With the bank's id and version it keys the answers that
            the browser keeps.
        participant: The name to fill in for the person answering.
        start: Answers to start from (for example the facts a facilitator already knows).
            Answers made with an earlier version of the bank are carried over to this one.
        today: Written into the page's footer as the day it was made.

    Raises:
        AnswersError: If ``start`` is a team file.
    """
    from .render import html_environment

    left_out: list[str] = []
    if start is not None and start.bank.version != bank.version:
        from .upgrade import carry_over

        carried = carry_over(start, bank)
        start, left_out = carried.answers, carried.dropped
    first = starting_answers(start) if start is not None else None
    chosen_title = " ".join((title or "").split()) or (start.title if start else DEFAULT_TITLE)
    if first is not None:
        first["title"] = chosen_title
        if participant:
            first["participants"] = [participant]
    currency = start.currency if start is not None else bank.meta.currency
    config = {
        "kind": KIND,
        "format": 1,
        "title": chosen_title,
        "participant": participant or "",
        "storageKey": json.dumps(["rewrite-advisor", bank.id, bank.version, chosen_title]),
        "start": first,
        "generator": f"rewrite-advisor {__version__}",
        "numbers": number_rules(),  # how assess reads a typed number: one set of rules
    }
    script = _script_text()
    css = (resources.templates_dir() / "form.css").read_text(encoding="utf-8")
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src {csp_hash(script)}",
            f"style-src {csp_hash(css)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    template = html_environment().get_template("form.html.j2")
    html = template.render(
        bank=bank,
        title=chosen_title,
        currency=currency,
        policy=policy,
        css=css,
        script=script,
        bank_json=_json_data(_bank_data(bank)),
        config_json=_json_data(config),
        unit_label=unit_label,
        number_hint=number_hint,
        generator=config["generator"],
        made=(today or dt.date.today()).isoformat(),
    )
    return Form(
        html=clean(html),  # bank texts and the title in the page's text: as the memo's HTML
        title=chosen_title,
        questions=len(bank.questions),
        left_out=tuple(left_out),
    )
