"""How well the outside view predicts, measured: leave-one-out over a case library.

Each case that failed or succeeded is predicted from its nearest others, itself left out
(:func:`.outside.leave_one_out`). The rules' verdict on the same case is scored beside it: Go
and Go with conditions expect success, Not yet and Don't rewrite failure. Mixed cases have no
expected outcome and are left out of both figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .engine import verdict_of
from .outside import Library, Prediction, expects, leave_one_out


@dataclass(frozen=True)
class Scored:
    """One case: what happened, what its nearest others predict, what the rules say."""

    prediction: Prediction
    verdict: str
    verdict_title: str

    @property
    def id(self) -> str:
        """The case's id."""
        return self.prediction.case.entry.id

    @property
    def outcome(self) -> str:
        """How the case ended."""
        return self.prediction.case.entry.outcome

    @property
    def rules_expect(self) -> str:
        """The outcome the rules' verdict expects."""
        return expects(self.verdict)  # type: ignore[arg-type]

    @property
    def rules_right(self) -> bool:
        """Whether the rules' verdict fits how the case ended."""
        return self.rules_expect == self.outcome


@dataclass(frozen=True)
class Evaluation:
    """Leave-one-out over a library, beside the rules' accuracy on the same cases."""

    library: str
    nearest: int
    cases: list[Scored]

    @property
    def outside_right(self) -> int:
        """Cases the nearest others predicted rightly."""
        return sum(1 for c in self.cases if c.prediction.right)

    @property
    def rules_right(self) -> int:
        """Cases whose verdict fits how they ended."""
        return sum(1 for c in self.cases if c.rules_right)

    @property
    def disagreements(self) -> list[Scored]:
        """Cases where the nearest others and the rules expect different outcomes."""
        return [c for c in self.cases if c.prediction.predicted != c.rules_expect]

    def lines(self) -> list[str]:
        """The result as text: both figures, then the cases where the two disagree."""
        n = len(self.cases)
        out = [
            f"Leave-one-out over {self.library}: {n} cases that failed or succeeded "
            "(mixed ones have no expected outcome).",
            f"Nearest {self.nearest} cases: {self.outside_right} of {n} right "
            f"({_percent(self.outside_right, n)}).",
            f"Rules' verdict: {self.rules_right} of {n} right ({_percent(self.rules_right, n)}).",
        ]
        if self.disagreements:
            out.append("Where the two disagree:")
            for c in self.disagreements:
                out.append(
                    f"  {c.id}: {c.outcome}; the nearest cases say "
                    f"{c.prediction.predicted or 'nothing'}, the rules {c.verdict_title} "
                    f"({c.rules_expect})"
                )
        else:
            out.append("The two agree on every case.")
        return out

    def as_data(self) -> dict[str, Any]:
        """The result as plain data, for JSON."""
        return {
            "library": self.library,
            "nearest": self.nearest,
            "cases": len(self.cases),
            "outside_right": self.outside_right,
            "rules_right": self.rules_right,
            "by_case": [
                {
                    "id": c.id,
                    "outcome": c.outcome,
                    "predicted": c.prediction.predicted,
                    "neighbours": [
                        {"id": n.case.entry.id, "similarity": n.similarity}
                        for n in c.prediction.neighbours
                    ],
                    "verdict": c.verdict,
                    "rules_expect": c.rules_expect,
                }
                for c in self.cases
            ],
        }


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "no cases"


def evaluate(library: Library) -> Evaluation:
    """Leave-one-out over ``library``, with the rules' verdict on each case."""
    scored = []
    for prediction in leave_one_out(library):
        verdict = verdict_of(prediction.case.answers)
        scored.append(Scored(prediction, verdict.id, verdict.title))
    return Evaluation(library.label, library.nearest, scored)
