"""The HTML and Markdown memos of one example match reviewed golden files.

After a deliberate change to the templates, the bank or the engine, regenerate them with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``, open the new memo, read the diff,
and commit both together.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = EXAMPLES / "go-billing-strangler.yaml"


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_memo_matches_golden(run, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"memo{suffix}"
    result = run("report", EXAMPLE, "-o", out)
    assert result.code == 0, result.err
    golden = GOLDEN / f"{EXAMPLE.stem}{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out.read_text())
    assert out.read_text() == golden.read_text(), f"{golden.name} differs: see the module docstring"
