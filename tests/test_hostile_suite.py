"""A slice of the hostile-input suite (``bench/hostile.py``): one case in 15, as processes."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import hostile


@pytest.mark.heavy
@pytest.mark.timeout(900)
def test_a_slice_of_the_hostile_suite_finds_nothing() -> None:
    outcomes = hostile.run_suite(every=15, quiet=True)
    assert len(outcomes) >= 20
    failures = [
        f"[{o.case.category}] {o.case.name!r}: {'; '.join(o.problems)}: {o.err[-300:]!r}"
        for o in outcomes
        if o.problems
    ]
    assert not failures, "\n".join(failures)
