"""The one place where records meet the scoring engine.

``record add`` scores the answers with :func:`memo_for`; ``record verify`` re-scores the stored
answers with the stored copy of the bank through :func:`rescore`, which calls the same
function. When the engine or the memo model changes, this is the module to adapt.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import yamlio

if TYPE_CHECKING:
    from ..answers import Answers
    from ..memo import Memo


def memo_for(answers: Answers, raw_answers: dict[str, Any], day: dt.date) -> Memo:
    """Score answers into a memo, as of ``day``."""
    from ..engine import assess

    return assess(answers, raw_answers, day)


def rescore(bank_folder: Path, answers_bytes: bytes, answers_name: str, day: dt.date) -> Memo:
    """Score stored answers again with a stored copy of the bank, as of the memo's date.

    Raises:
        AdvisorError: If the bank copy or the answers no longer load.
    """
    from ..answers import bind, parse_answers
    from ..bank import load_bank

    bank = load_bank(bank_folder)
    doc = yamlio.parse_bytes(answers_bytes, answers_name)
    parsed = parse_answers(doc)
    answers = bind(parsed, bank, doc)
    return memo_for(answers, parsed.model_dump(mode="json", exclude_none=True), day)
