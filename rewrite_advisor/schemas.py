"""JSON Schemas of the file formats, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .answers import AnswersFile
from .bank import BankFile, RulesFile
from .memo import Memo

_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "bank": (BankFile, "bank.yaml of a rewrite-advisor question bank"),
    "rules": (RulesFile, "rules.yaml of a rewrite-advisor question bank"),
    "answers": (AnswersFile, "A rewrite-advisor answers file"),
    "memo": (Memo, "The JSON decision memo written by 'rewrite-advisor report --format json'"),
}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of ``kind`` (bank, rules, answers or memo)."""
    model, title = _MODELS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}
