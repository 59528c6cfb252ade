"""JSON Schemas of the file formats: generated from the models, and from a bank for answers.

Every schema has an ``$id``, a human title on every definition, and descriptions in plain
text (no reST markup from the docstrings they come from). The answers schema is generated
from a question bank: editors complete question ids and choice values, and a validator
refuses a choice the bank does not have, in the same cases where ``report`` does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from .bank import Bank, Question

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_PREFIX = "urn:rewrite-advisor:schema:"
KINDS = ("bank", "rules", "answers", "memo", "cases")

_TITLES = {
    "bank": "Question bank (bank.yaml)",
    "rules": "Scoring rules (rules.yaml)",
    "answers": "Answers file",
    "memo": "Decision memo (JSON)",
    "cases": "Case library (cases.yaml)",
}
_DESCRIPTIONS = {
    "bank": "The sections and questions of a rewrite-advisor question bank, and the plan at a "
    "glance that the memo shows.",
    "rules": "The scoring policy, the text of the four verdicts, and the rules of a "
    "rewrite-advisor question bank.",
    "answers": "Answers to a rewrite-advisor question bank, as written by 'rewrite-advisor "
    "assess' or by hand.",
    "memo": "The decision memo written by 'rewrite-advisor report --format json'.",
    "cases": "A library of past rewrites for the outside view ('report --cases DIR'): each case "
    "names its answers file, relative to the folder, with how it ended and what happened.",
}
_DEF_TITLES = {
    "All": "All of",
    "Any_": "Any of",
    "Not": "Not",
    "Compare": "Comparison",
    "QuestionRef": "Another question's answer",
    "BankRef": "Question bank",
    "BankFile": "Question bank",
    "RulesFile": "Scoring rules",
    "AnswersFile": "Answers file",
    "AnswerEntry": "Answer",
    "DissentEntry": "Dissent",
    "PlanItem": "Plan line",
    "VerdictText": "Verdict text",
    "Memo": "Decision memo",
}
_DEF_DESCRIPTIONS = {
    "Question": "One question of the bank: its type, text, why it matters, and when it is asked.",
}
_FIELD_DESCRIPTIONS = {
    ("Question", "type"): "single, multi (several choices), yesno, number, date or text.",
    ("Question", "help"): "Why the question matters, shown on request.",
    ("Question", "unit"): "The unit of a number question.",
    ("Question", "min"): "The smallest number accepted.",
    ("Question", "max"): "The largest number accepted.",
    ("Question", "critical"): "Whether a don't-know answer holds the verdict at Not yet.",
    ("Question", "when"): "Ask the question only when this condition on earlier answers holds.",
    ("Question", "counts_in_knowledge"): "false for a question recorded for the memo only: its "
    "answer or don't know does not count toward how much is known (rules may still use it).",
    ("Section", "owner"): "The role that usually answers for this section's findings.",
    ("Rule", "warning_sign"): "The early signal that this risk is coming true (one sentence).",
    ("Choice", "exclusive"): "In a multi question: a choice that cannot be ticked with others.",
    ("Rule", "caps"): "The best verdict possible while this finding stands.",
    ("AnswerEntry", "value"): "The answer.",
    ("AnswerEntry", "dont_know"): "Nobody knows (different from leaving the question out).",
    ("AnswerEntry", "note"): "Why, or where the answer comes from.",
    ("AnswerEntry", "confidence"): "sure, estimate or guess; guesses become open questions.",
    ("AnswersFile", "date"): 'The date of the assessment, in quotes: "2026-11-20".',
    ("AnswersFile", "participants"): "Who answered.",
    ("AnswersFile", "workshop"): "Team files: where the answers came from, what is settled.",
}

_ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|obj|exc):`~?(?:[\w.]*\.)?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")
_SECTION = re.compile(r"\n\s*(?:Args|Arguments|Returns|Raises|Attributes|Examples?|Yields):\s*\n")


def plain(text: str) -> str:
    """A docstring as plain text: no reST roles or literals, no Args sections, one paragraph."""
    text = _SECTION.split(text, maxsplit=1)[0]
    text = _LITERAL.sub(r"'\1'", _ROLE.sub(r"\1", text))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(p.replace("::", ":") for p in paragraphs if p)


def _words(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name.rstrip("_"))
    return spaced[:1].upper() + spaced[1:].lower()


def _tidy(node: Any, owner: str | None = None) -> Any:
    """Human titles and plain descriptions all through a generated schema."""
    if isinstance(node, list):
        return [_tidy(item, owner) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "description" and isinstance(value, str):
            result[key] = plain(value)
        elif key == "properties" and isinstance(value, dict):
            props: dict[str, Any] = {}
            for name, prop in value.items():
                prop = _tidy(prop)
                if isinstance(prop, dict):
                    prop.pop("title", None)  # pydantic's "Dont Know": the key says it better
                    described = _FIELD_DESCRIPTIONS.get((owner or "", name))
                    if described:
                        prop["description"] = described
                props[name] = prop
            result[key] = props
        elif key == "$defs" and isinstance(value, dict):
            result[key] = {
                name: {
                    **_tidy(definition, name),
                    "title": _DEF_TITLES.get(name, _words(name)),
                    **(
                        {"description": _DEF_DESCRIPTIONS[name]}
                        if name in _DEF_DESCRIPTIONS
                        else {}
                    ),
                }
                for name, definition in value.items()
            }
        else:
            result[key] = _tidy(value, owner)
    return result


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return dict(_tidy(schema, model.__name__))


def schema_for(kind: str, bank: Bank | None = None) -> dict[str, Any]:
    """The JSON Schema of ``kind``: bank, rules, answers, memo or cases.

    The answers schema is generated from ``bank`` (the bundled bank when ``None``): question
    ids, choice values, the value each question takes, and its text and help.
    """
    from .bank import BankFile, RulesFile, load_bank
    from .memo import Memo

    if kind == "answers":
        return answers_schema(bank if bank is not None else load_bank())
    from .outside import LibraryFile

    models: dict[str, type[BaseModel]] = {
        "bank": BankFile,
        "rules": RulesFile,
        "memo": Memo,
        "cases": LibraryFile,
    }
    model = models[kind]
    schema = _model_schema(model)
    schema.pop("title", None)
    return {
        "$schema": DIALECT,
        "$id": f"{ID_PREFIX}{kind}",
        "title": _TITLES[kind],
        **schema,
        "description": _DESCRIPTIONS[kind],
    }


# --- The answers schema of one bank ------------------------------------------------------------

_YES_NO = r"^\s*([Yy]([Ee][Ss])?|[Nn][Oo]?|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\s*$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def value_schema(question: Question) -> dict[str, Any]:
    """The values ``report`` accepts as the answer to ``question`` in a file."""
    choices = [c.value for c in question.choices or []]
    if question.type == "single":
        return {"type": "string", "enum": choices}
    if question.type == "multi":
        one = {"type": "string", "enum": choices}
        return {"anyOf": [{"type": "array", "items": one, "uniqueItems": True}, one]}
    if question.type == "yesno":
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": _YES_NO}]}
    if question.type == "number":
        from .yamlio import MAX_NUMBER

        low = question.min if question.min is not None else -MAX_NUMBER
        high = question.max if question.max is not None else MAX_NUMBER
        return {"type": "number", "minimum": _number(low), "maximum": _number(high)}
    if question.type == "date":
        return {"type": "string", "format": "date", "pattern": _DATE}
    return {"type": ["string", "number"]}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _help(question: Question, currency: str) -> str:
    from .conditions import describe

    parts = [question.help]
    if question.choices:
        parts.append("Choices: " + "; ".join(f"{c.value} ({c.label})" for c in question.choices))
    if question.type == "multi":
        parts[-1] += " (a list)"
    if question.unit:
        parts.append(f"In {currency if question.unit == 'money' else question.unit}.")
    if question.type == "date":
        parts.append('A date in quotes: "2027-03-01".')
    if question.type == "yesno":
        parts.append("true or false (or the words yes and no).")
    if question.critical:
        parts.append("This question matters: don't know holds the verdict at Not yet.")
    if question.when is not None:
        parts.append(f"Asked only if {describe(question.when)}.")
    return "\n\n".join(parts)


_SHARED: dict[str, Any] = {
    "entry": {
        "type": "object",
        "title": "Answer with a note",
        "additionalProperties": False,
        "properties": {
            "value": {"description": "The answer."},
            "dont_know": {
                "type": "boolean",
                "description": "Nobody knows (different from leaving the question out).",
            },
            "note": {
                "type": ["string", "null"],
                "description": "Why, or where the answer comes from.",
            },
            "confidence": {
                "anyOf": [{"enum": ["sure", "estimate", "guess"]}, {"type": "null"}],
                "description": "sure, estimate or guess; guesses become open questions.",
            },
            "dissent": {
                "type": "array",
                "description": "Team files: participants who do not share the agreed answer.",
                "items": {"$ref": "#/$defs/dissent"},
            },
        },
        # "Don't know" holds no value (report refuses both at once).
        "if": {"properties": {"dont_know": {"const": True}}, "required": ["dont_know"]},
        "then": {"properties": {"value": {"type": "null"}}},
    },
    "dissent": {
        "type": "object",
        "title": "Dissent",
        "additionalProperties": False,
        "required": ["participant"],
        "properties": {
            "participant": {"type": "string", "minLength": 1},
            "answer": {"description": "What they would answer."},
            "dont_know": {"type": "boolean", "description": "They would answer don't know."},
            "reason": {"type": ["string", "null"], "description": "Why."},
            "confidence": {
                "anyOf": [{"enum": ["sure", "estimate", "guess"]}, {"type": "null"}],
                "description": "How sure they are of their own answer.",
            },
        },
    },
}


def answer_schema(question: Question, currency: str) -> dict[str, Any]:
    """An answer to ``question``: the value alone, or a mapping with a note and confidence.

    The value's own schema is ``#/$defs/value_ID`` (see :func:`value_schema`); the mapping is
    the shared ``#/$defs/entry`` with its value and dissenting answers held to it.
    """
    value = {"$ref": f"#/$defs/value_{question.id}"}
    maybe = {"anyOf": [value, {"type": "null"}]}
    entry = {
        "allOf": [
            {"$ref": "#/$defs/entry"},
            {
                "properties": {
                    "value": maybe,
                    "dissent": {"items": {"properties": {"answer": maybe}}},
                }
            },
        ]
    }
    return {
        "title": question.text,
        "description": _help(question, currency),
        "anyOf": [value, entry, {"type": "null", "description": "Not answered yet."}],
    }


def answers_schema(bank: Bank) -> dict[str, Any]:
    """The JSON Schema of an answers file for ``bank``: every question id, choice and value."""
    from .answers import AnswersFile

    generic = _model_schema(AnswersFile)
    properties = dict(generic["properties"])
    properties["date"] = {
        "anyOf": [{"type": "string", "format": "date", "pattern": _DATE}, {"type": "null"}],
        "description": properties["date"]["description"],
    }
    properties["bank"] = {
        "type": "object",
        "description": "The question bank these answers are for.",
        "additionalProperties": False,
        "required": ["id", "version"],
        "properties": {"id": {"const": bank.id}, "version": {"const": bank.version}},
    }
    properties["answers"] = {
        "type": "object",
        "description": "One entry per question answered, by question id; leave out what "
        "nobody has answered yet.",
        "additionalProperties": False,
        "properties": {q.id: answer_schema(q, bank.meta.currency) for q in bank.questions.values()},
    }
    used = {"SourceFile", "WorkshopRecord"}
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"{ID_PREFIX}answers:{bank.id}:{bank.version}",
        "title": f"Answers to {bank.meta.title} ({bank.id} {bank.version})",
        "description": _DESCRIPTIONS["answers"],
        "type": "object",
        "additionalProperties": False,
        "required": ["bank"],
        "properties": properties,
        "$defs": {
            **{k: v for k, v in generic.get("$defs", {}).items() if k in used},
            **_SHARED,
            **{f"value_{q.id}": value_schema(q) for q in bank.questions.values()},
        },
    }
    return schema
