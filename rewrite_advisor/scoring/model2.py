"""Scoring model 2: the verdict, and what answering the open questions could do to it.

Pure: a bank and a view of the answers in, a :class:`Judgement` out. The memo (``engine``) and
the team memo (``workshop``) both come here, so every cap is applied in one place.

* **quality**: 100, less each risk finding's penalty, plus each strength's bonus (up to a
  ceiling), kept within 0..100. It says how good the *known* answers are.
* **knowledge**: how much of what applies is known. The questions that matter make up
  ``matters_share`` of it (half, in the default bank) and the other questions the rest; a
  guess counts ``guess`` of a known answer. It says how *much* is known.
* **score**: quality x knowledge. Nothing known scores 0, however healthy it looks.
* **verdict**: the best verdict the score allows (``score_allows``), held down by every cap: a
  finding's, an open question that matters, a guess on one (the verdict is then provisional),
  a dispute on one.

:func:`verdict_range` varies the open questions that matter over every answer that can change
a rule's outcome, and reports the best and the worst verdict reachable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import combinations, pairwise
from typing import Any

from ..answers import Answer, Answers
from ..bank import SEVERITIES, VERDICTS, Bank, Question, Rule, ScoringV2, VerdictId
from ..conditions import AnswerState, AnswerView, QuestionRef, comparisons, questions_in
from ..memo import Finding, OpenQuestion, SectionScore, Verdict, VerdictRange, VerdictReason
from . import Disputes, Scored, rule_weights

Confidences = Mapping[str, str | None]


def worse(a: VerdictId, b: VerdictId) -> VerdictId:
    """The worse of two verdicts."""
    return a if VERDICTS.index(a) >= VERDICTS.index(b) else b


def scoring_of(bank: Bank) -> ScoringV2:
    """The bank's scoring policy, which must be model 2 here."""
    scoring = bank.rules_file.scoring
    assert isinstance(scoring, ScoringV2)
    return scoring


def rule_cap(rule: Rule, scoring: ScoringV2) -> VerdictId | None:
    """The best verdict possible while ``rule``'s finding stands; None for a strength."""
    if rule.severity == "strength":
        return None
    return rule.caps or scoring.severity_caps[rule.severity]


def fired(bank: Bank, view: AnswerView) -> list[Rule]:
    """The rules whose condition is definitely true, most severe first, then in file order."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    found = [rule for rule, test in bank.rule_tests if test(view) is True]
    found.sort(key=lambda r: order[r.severity])
    return found


def quality(scoring: ScoringV2, rules: Sequence[Rule]) -> int:
    """100 less the risks' penalties, plus the strengths' bonus up to its ceiling, in 0..100."""
    points = 100
    bonus = 0
    for rule in rules:
        if rule.severity == "strength":
            bonus += scoring.strength_bonus
        else:
            points -= scoring.penalties[rule.severity]
    return max(0, min(100, points + min(bonus, scoring.strength_bonus_max)))


def knowledge(
    scoring: ScoringV2, questions: Sequence[Question], view: AnswerView, confidence: Confidences
) -> tuple[float, int]:
    """How much of ``questions`` is known (0..1), and how many of them apply.

    The questions that matter make up ``matters_share`` of it and the others the rest, each
    part being the share of its questions with a known answer (a guess counts ``guess``).
    Where one part has no question that applies, the other makes up the whole. A question
    with ``counts_in_knowledge: false`` is counted among those that apply, never in the share.
    """
    rules = scoring.knowledge
    parts: dict[bool, list[float]] = {True: [], False: []}
    applicable = 0
    for question in questions:
        if view.state(question.id) == "skipped" or not question.surely_applies(view):
            continue
        applicable += 1
        if not question.counts_in_knowledge:
            continue
        credit = 0.0
        if view.state(question.id) == "known":
            credit = rules.guess if confidence.get(question.id) == "guess" else 1.0
        parts[question.matters(view)].append(credit)
    shares = {key: sum(values) / len(values) for key, values in parts.items() if values}
    if not shares:
        return 0.0, applicable
    if len(shares) == 1:
        return next(iter(shares.values())), applicable
    return (
        rules.matters_share * shares[True] + (1 - rules.matters_share) * shares[False],
        applicable,
    )


@dataclass
class Judgement:
    """The verdict and everything it rests on."""

    verdict: VerdictId
    score: int
    quality: int
    knowledge: float
    score_allows: VerdictId
    rules: list[Rule]
    reasons: list[VerdictReason] = field(default_factory=list)
    provisional: list[str] = field(default_factory=list)

    @property
    def knowledge_percent(self) -> int:
        """How much is known, as a whole percentage."""
        return round(self.knowledge * 100)


def open_questions(bank: Bank, view: AnswerView) -> list[Question]:
    """The questions that matter, have no answer yet or a "don't know", and surely apply.

    A question that applies only if an unknown answer turns out one way is not open on its
    own: the unknown it depends on is (and the verdict range tries both ways).
    """
    return [
        q
        for q in bank.questions.values()
        if view.state(q.id) in ("unknown", "unanswered")
        and q.matters(view)
        and q.surely_applies(view)
    ]


def judge(
    bank: Bank,
    view: AnswerView,
    confidence: Confidences,
    disputes: Sequence[tuple[str, str]] = (),
    *,
    explain: bool = True,
    hold_open: bool = True,
) -> Judgement:
    """Score the answers in ``view`` and reach the verdict.

    Args:
        bank: The bank, with a model-2 scoring policy.
        view: Every question's state and value.
        confidence: The confidence of each answer, by question id.
        disputes: Questions that matter on which a team disagrees: (id, text).
        explain: Whether to keep the reasons (the range search needs only the verdict).
        hold_open: Whether the open questions that matter cap the verdict. False once the
            verdict range has shown that no answer to them changes the verdict.
    """
    scoring = scoring_of(bank)
    rules = fired(bank, view)
    qual = quality(scoring, rules)
    known, _ = knowledge(scoring, list(bank.questions.values()), view, confidence)
    score = round(qual * known)
    allows = scoring.allows(score)
    verdict: VerdictId = allows
    reasons: list[VerdictReason] = []
    provisional: list[str] = []

    def hold(kind: Any, ref: str, text: str, cap: VerdictId) -> None:
        nonlocal verdict
        verdict = worse(verdict, cap)
        if explain and cap != "go":
            reasons.append(VerdictReason(kind=kind, ref=ref, text=text, caps=cap))

    for rule in rules:
        cap = rule_cap(rule, scoring)
        if cap is not None:
            hold("finding", rule.id, rule.title, cap)
    for question in open_questions(bank, view) if hold_open else ():
        hold("open_question", question.id, question.text, scoring.critical_unknown_cap)
    for question in bank.questions.values():
        if (
            view.state(question.id) == "known"
            and confidence.get(question.id) == "guess"
            and question.matters(view)
        ):
            provisional.append(question.id)
            hold("guess", question.id, question.text, scoring.critical_guess_cap)
    for qid, text in disputes:
        hold("dispute", qid, text, scoring.critical_unknown_cap)
    if allows != "go":
        hold("score", "overall", f"Overall score {score}/100", allows)
    reasons.sort(key=lambda r: -VERDICTS.index(r.caps))
    return Judgement(verdict, score, qual, known, allows, rules, reasons, provisional)


# --- What answering the open questions could do ------------------------------------------


def constants_of(bank: Bank) -> dict[str, set[Any]]:
    """Every value a rule or condition compares each question with, and linked questions."""
    found: dict[str, set[Any]] = {}
    for cond in bank.conditions:
        for comp in comparisons(cond):
            if comp.operator in ("gt", "gte", "lt", "lte", "equals"):
                operand = comp.operand
                mine = found.setdefault(comp.question, set())
                if isinstance(operand, QuestionRef):
                    mine.add(operand)
                    found.setdefault(operand.question, set()).add(
                        QuestionRef(question=comp.question)
                    )
                elif not isinstance(operand, bool):
                    mine.add(operand)
    return found


def _ordered_points(points: list[float], low: float | None, high: float | None) -> list[float]:
    """Values on both sides of and at every point, within [low, high]."""
    if not points:
        return [low if low is not None else 0]
    points = sorted(set(points))
    values = {points[0] - 1, points[-1] + 1, *points}
    values.update((a + b) / 2 for a, b in pairwise(points))
    kept = [v for v in values if (low is None or v >= low) and (high is None or v <= high)] or [
        low if low is not None else points[0]
    ]
    return sorted(kept)


_ALL_SUBSETS_UP_TO = 5
"""A multiple-choice question with more choices is tried with each alone and all together."""


def domain(question: Question, constants: set[Any], known: Mapping[str, Any]) -> list[Any]:
    """The answers to try for ``question``: one per distinct outcome of every comparison.

    Choices are tried one by one; several choices as every combination (up to five, else
    each alone, all together and each exclusive one); numbers and dates at, between and
    around every value they are compared with, other questions' known answers included.
    """
    if question.type == "single":
        return [c.value for c in question.choices or []]
    if question.type == "yesno":
        return [True, False]
    if question.type == "multi":
        choices = question.choices or []
        free = [c.value for c in choices if not c.exclusive]
        alone = [[c.value] for c in choices if c.exclusive]
        if len(free) <= _ALL_SUBSETS_UP_TO:
            subsets = [list(s) for n in range(1, len(free) + 1) for s in combinations(free, n)]
        else:
            subsets = [[v] for v in free] + [free]
        return subsets + alone
    if question.type == "text":
        return ["(answered)"]
    linked = any(isinstance(c, QuestionRef) for c in constants)
    refs = [
        known[c.question] for c in constants if isinstance(c, QuestionRef) and c.question in known
    ]
    if question.type == "number":
        points = [float(c) for c in constants if isinstance(c, int | float)]
        points += [float(v) for v in refs]
        if linked and len(points) < 2:
            base = question.min if question.min is not None else 0.0
            points += [base, base + 1]
        values = _ordered_points(points, question.min, question.max)
        return [int(v) if float(v).is_integer() else v for v in values]
    # a date
    days = [date.fromisoformat(c).toordinal() for c in constants if isinstance(c, str)]
    days += [v.toordinal() for v in refs if isinstance(v, date)]
    if not days or (linked and len(days) < 2):
        base = days[0] if days else date(2030, 1, 1).toordinal()
        days += [base, base + 30] if linked else [base]
    ordinals = _ordered_points([float(d) for d in days], None, None)
    return [date.fromordinal(int(d)) for d in ordinals]


@dataclass
class _Search:
    """Walks the bank in order, trying answers for the open questions that matter."""

    bank: Bank
    given_states: Mapping[str, AnswerState]
    given_values: Mapping[str, Any]
    vary: set[str]
    constants: dict[str, set[Any]]
    partners: set[str] = field(default_factory=set)
    """Open questions that do not matter on their own but are compared with a varied one."""
    _domains: dict[str, list[Any]] = field(default_factory=dict)
    sampled: bool = False
    """Whether a varied question had too many choice combinations to try them all."""

    def domain(self, question: Question) -> list[Any]:
        if question.type == "multi":
            free = [c for c in question.choices or [] if not c.exclusive]
            self.sampled = self.sampled or len(free) > _ALL_SUBSETS_UP_TO
        if question.id not in self._domains:
            known = {q: v for q, v in self.given_values.items() if q not in self.vary}
            self._domains[question.id] = domain(
                question, self.constants.get(question.id, set()), known
            )
        return self._domains[question.id]

    def leaves(self, fixed: Mapping[str, Any] | None = None) -> Iterator[AnswerView]:
        """Every completed view; with ``fixed``, the one view that takes those answers."""
        questions = list(self.bank.questions.values())
        yield from self._walk(questions, 0, {}, {}, fixed)

    def _walk(
        self,
        questions: list[Question],
        index: int,
        states: dict[str, AnswerState],
        values: dict[str, Any],
        fixed: Mapping[str, Any] | None,
    ) -> Iterator[AnswerView]:
        view = AnswerView(states, values)
        while index < len(questions):
            question = questions[index]
            qid = question.id
            if not question.applies(view):
                states[qid] = "skipped"
            elif (
                qid in self.vary
                and (question.matters(view) or qid in self.partners)
                and question.surely_applies(view)
            ):
                options = self.domain(question)
                if fixed is not None:
                    states[qid] = "known"
                    values[qid] = fixed.get(qid, options[0])
                    index += 1
                    continue
                for value in options:
                    yield from self._walk(
                        questions, index + 1, {**states, qid: "known"}, {**values, qid: value}, None
                    )
                return
            else:
                states[qid] = self.given_states.get(qid, "unanswered")
                if states[qid] == "known":
                    values[qid] = self.given_values[qid]
            index += 1
        yield view


def _range_search(
    bank: Bank,
    given: Mapping[str, tuple[AnswerState, Any]],
    view: AnswerView,
    disputes: Sequence[tuple[str, str]],
) -> tuple[list[str], _Search]:
    """The open questions that matter (and disputed ones), and the search that varies them."""
    disputed = {qid for qid, _ in disputes}
    first = [q.id for q in open_questions(bank, view)] + [
        q for q in disputed if view.state(q) == "known"
    ]
    states = {qid: state for qid, (state, _) in given.items()}
    values = {qid: value for qid, (state, value) in given.items() if state == "known"}
    vary = {
        q.id
        for q in bank.questions.values()
        if q.may_matter and (states.get(q.id) != "known" or q.id in disputed)
    }
    constants = constants_of(bank)
    partners = {
        ref.question
        for qid in vary
        for ref in constants.get(qid, set())
        if isinstance(ref, QuestionRef) and states.get(ref.question) != "known"
    } - vary
    return first, _Search(bank, states, values, vary | partners, constants, partners)


def _count_leaves(search: _Search, budget: int) -> int:
    """How many combinations the search would try, counting no further than ``budget + 1``."""
    count = 0
    for _ in search.leaves():
        count += 1
        if count > budget:
            break
    return count


def every_answer_gives_at_least(
    bank: Bank,
    given: Mapping[str, tuple[AnswerState, Any]],
    view: AnswerView,
    confidence: Confidences,
    floor: VerdictId,
) -> VerdictId | None:
    """The worst verdict over every way of answering the open questions that matter.

    None when some way gives a verdict worse than ``floor`` (the search stops there), or when
    not every way can be tried: the same test as an exact :func:`verdict_range`, made cheap.
    """
    first, search = _range_search(bank, given, view, ())
    if not first:
        return None
    budget = scoring_of(bank).range_budget
    worst, limit = 0, VERDICTS.index(floor)
    for count, leaf in enumerate(search.leaves(), start=1):
        outcome = VERDICTS.index(judge(bank, leaf, confidence, explain=False).verdict)
        if outcome > limit or count > budget:
            return None
        worst = max(worst, outcome)
    return None if search.sampled else VERDICTS[worst]


def verdict_range(
    bank: Bank,
    given: Mapping[str, tuple[AnswerState, Any]],
    view: AnswerView,
    confidence: Confidences,
    disputes: Sequence[tuple[str, str]] = (),
) -> VerdictRange | None:
    """The best and worst verdict reachable by answering the open questions that matter.

    When there are at most ``range_budget`` combinations of answers, every one is tried, and
    the result is exact: each question is tried at every answer that changes a comparison.
    Beyond that, the best and the worst are searched answer by answer (change one answer at a
    time while it improves, or worsens, the verdict), and the result is marked approximate.
    """
    scoring = scoring_of(bank)
    first, search = _range_search(bank, given, view, disputes)
    if not first:
        return None
    budget = scoring.range_budget
    count = _count_leaves(search, budget)

    def rank(leaf: AnswerView) -> tuple[int, int]:
        judgement = judge(bank, leaf, confidence, explain=False)
        return VERDICTS.index(judgement.verdict), -judgement.score

    if count <= budget:
        ranks = [rank(leaf) for leaf in search.leaves()]
        best, worst = VERDICTS[min(ranks)[0]], VERDICTS[max(ranks)[0]]
        scores = [-score for _, score in ranks]
        exact, tried = not search.sampled, count
    else:
        (best_rank, tried_best) = _climb(search, rank, better=min)
        (worst_rank, tried_worst) = _climb(search, rank, better=max)
        best, worst = VERDICTS[best_rank[0]], VERDICTS[worst_rank[0]]
        scores = [-best_rank[1], -worst_rank[1]]
        exact, tried = False, tried_best + tried_worst
    titles = bank.rules_file.verdicts
    return VerdictRange(
        best=best,
        best_title=titles[best].title,
        worst=worst,
        worst_title=titles[worst].title,
        questions=sorted(first, key=list(bank.questions).index),
        exact=exact,
        tried=tried,
        combinations=count,
        score_low=min(scores),
        score_high=max(scores),
        text=_range_text(
            len(first),
            titles[best].title,
            titles[worst].title,
            _why_approximate(exact, count > budget, budget),
        ),
    )


_PASSES = 2
"""How many times the search goes through the questions (a second pass catches a question
that only pays off after a later one has changed)."""


def _climb(
    search: _Search,
    rank: Callable[[AnswerView], tuple[int, int]],
    better: Callable[[list[tuple[int, int]]], tuple[int, int]],
) -> tuple[tuple[int, int], int]:
    """Change one answer at a time while the verdict (then the score) gets better or worse.

    Starts from the first answer to each question and goes through the questions at most
    ``_PASSES`` times. Returns the best rank found and how many combinations were tried.
    """
    bank = search.bank
    order = [q for q in bank.questions.values() if q.id in search.vary]
    ranks: dict[tuple[tuple[str, Any], ...], tuple[int, int]] = {}

    def rank_of(fixed: dict[str, Any]) -> tuple[int, int]:
        view = next(search.leaves(fixed))
        key = tuple((q, view.values[q]) for q in search.vary if view.states.get(q) == "known")
        if key not in ranks:  # answers to questions that do not apply change nothing
            ranks[key] = rank(view)
        return ranks[key]

    fixed: dict[str, Any] = {}
    current = rank_of(fixed)
    improved = True
    for _ in range(_PASSES):
        if not improved:
            break
        improved = False
        for question in order:
            for value in search.domain(question):
                if fixed.get(question.id) == value:
                    continue
                trial = {**fixed, question.id: value}
                outcome = rank_of(trial)
                if better([outcome, current]) == outcome and outcome != current:
                    fixed, current, improved = trial, outcome, True
    return current, len(ranks)


def _why_approximate(exact: bool, searched: bool, budget: int) -> str | None:
    if exact:
        return None
    if searched:
        return (
            f"with more than {budget:,} combinations of answers, the best and the worst were "
            "searched by changing one answer at a time"
        )
    return "a question with many choices was tried with each choice alone and with all of them"


def _range_text(count: int, best: str, worst: str, approximate: str | None) -> str:
    these = "this question" if count == 1 else f"these {count} questions"
    if best == worst:
        text = f"However {these} {'is' if count == 1 else 'are'} answered, the verdict is {best}."
    else:
        text = f"Answered well, {these} would give {best}; answered badly, {worst}."
    if approximate:
        text += f" (Approximate: {approximate}.)"
    return text


def guesses_can_change(
    bank: Bank,
    given: Mapping[str, tuple[AnswerState, Any]],
    confidence: Confidences,
    verdict: VerdictId,
    guessed: Sequence[str],
    *,
    hold_open: bool = True,
) -> bool:
    """Whether confirming or correcting the guesses on ``guessed`` could change ``verdict``.

    The guesses are made sure, then each guessed question is tried at every answer that
    changes a rule's outcome: every combination when there are at most ``range_budget`` of
    them, else one question at a time, the others kept at their guess.
    """
    if not guessed or _held_at_worst_without(bank, given, verdict, set(guessed)):
        return False
    states = {qid: state for qid, (state, _) in given.items()}
    values = {qid: value for qid, (state, value) in given.items() if state == "known"}
    sure = {**confidence, **dict.fromkeys(guessed, "sure")}

    def differs(leaf: AnswerView) -> bool:
        return judge(bank, leaf, sure, explain=False, hold_open=hold_open).verdict != verdict

    kept = _Search(bank, states, values, set(), constants_of(bank))
    if differs(next(kept.leaves())):
        return True
    search = _Search(bank, states, values, set(guessed), constants_of(bank))
    budget = min(scoring_of(bank).range_budget, _GUESS_BUDGET)
    count = 0
    for _ in search.leaves():
        count += 1
        if count > budget:
            break
    if count <= budget:
        return any(differs(leaf) for leaf in search.leaves())
    return any(
        differs(next(search.leaves({**values, q: value})))
        for q in guessed
        for value in search.domain(bank.questions[q])
    )


_GUESS_BUDGET = 256
"""Guesses are tried in every combination up to this many, else one question at a time."""


def _held_at_worst_without(
    bank: Bank,
    given: Mapping[str, tuple[AnswerState, Any]],
    verdict: VerdictId,
    guessed: set[str],
) -> bool:
    """Whether the worst verdict stands on a finding that no guessed answer can touch."""
    if verdict != VERDICTS[-1]:
        return False
    scoring = scoring_of(bank)
    states = {qid: state for qid, (state, _) in given.items()}
    values = {qid: value for qid, (state, value) in given.items() if state == "known"}
    view = AnswerView(states, values)
    for rule, test in bank.rule_tests:
        if rule_cap(rule, scoring) != verdict or test(view) is not True:
            continue
        names = set(questions_in(rule.when))
        for qid in list(names):
            when = bank.questions[qid].when
            if when is not None:
                names.update(questions_in(when))
        if not names & guessed:
            return True
    return False


# --- The model behind the scoring interface -----------------------------------------------


class Model2:
    """Scoring model 2 behind the :class:`~.ScoringModel` interface."""

    summarises = True

    def score(
        self,
        answers: Answers,
        view: AnswerView,
        findings: Sequence[Finding],
        open_questions: Sequence[OpenQuestion],
        disputes: Disputes,
    ) -> Scored:
        """The verdict with its range, then the section scores from the rules it fired."""
        scoring = scoring_of(answers.bank)
        verdict, rules = _verdict_v2(answers, view, scoring, disputes)
        return Scored(verdict, _section_scores_v2(answers, view, scoring, rules))

    def rescore(
        self, answers: Answers, changes: Mapping[str, Answer], disputes: Disputes
    ) -> Verdict:
        """The verdict with some answers changed: the memo's own path, in full."""
        changed = replace(answers, given={**answers.given, **changes})
        verdict, _ = _verdict_v2(
            changed, changed.view(), scoring_of(answers.bank), disputes, full=False
        )
        return verdict

    def weights(self, bank: Bank) -> dict[str, float]:
        """Each question's weight: the penalties of the rules that look at it, shared."""
        scoring = scoring_of(bank)
        return rule_weights(bank, scoring.penalties, scoring.strength_bonus)


def _section_scores_v2(
    answers: Answers, view: AnswerView, scoring: ScoringV2, rules: list[Rule]
) -> list[SectionScore]:

    confidence = {q: a.confidence for q, a in answers.given.items()}
    scores: list[SectionScore] = []
    for section in answers.bank.sections:
        states = Counter(view.state(q.id) for q in section.questions)
        mine = [r for r in rules if r.section == section.id]
        qual = quality(scoring, mine)
        known, applicable = knowledge(scoring, section.questions, view, confidence)
        # a section of questions for the memo only has no knowledge to weigh: once something in
        # it is known its score is its quality, and its knowledge is not shown
        counted = any(
            q.counts_in_knowledge and view.state(q.id) != "skipped" and q.surely_applies(view)
            for q in section.questions
        )
        by_severity = Counter(r.severity for r in mine)
        scores.append(
            SectionScore(
                id=section.id,
                title=section.title,
                score=round(qual * known) if counted else qual if states["known"] else 0,
                quality=qual,
                knowledge=round(known * 100) if counted else None,
                applicable=applicable,
                known=states["known"],
                unknown=states["unknown"],
                unanswered=states["unanswered"],
                findings={s: by_severity[s] for s in SEVERITIES if by_severity[s]},
                may_apply=sum(
                    1
                    for q in section.questions
                    if view.state(q.id) != "skipped" and not q.surely_applies(view)
                )
                or None,
            )
        )
    return scores


def _verdict_v2(
    answers: Answers,
    view: AnswerView,
    scoring: ScoringV2,
    disputes: Sequence[tuple[str, str]],
    *,
    full: bool = True,
) -> tuple[Verdict, list[Rule]]:
    """The verdict of model 2, with what answering the open questions could do to it.

    An open question that matters holds the verdict back only where some answer to it would
    change the verdict: when every way of answering the open questions gives at least Go
    with conditions, that is the verdict, and answering them is one of its conditions. A
    verdict is provisional only where confirming or correcting a guess could change it.

    With ``full`` False only the verdict is worked out (no range, no provisional guesses):
    re-scoring an ask needs no more.
    """
    bank = answers.bank
    confidence = {q: a.confidence for q, a in answers.given.items()}
    judgement = judge(bank, view, confidence, disputes)
    given = {q: (a.state, a.value) for q, a in answers.given.items()}
    texts = bank.rules_file.verdicts
    steps = {s.verdict: s.score for s in scoring.score_allows}
    span = verdict_range(bank, given, view, confidence, disputes) if full else None
    disputed = {qid for qid, _ in disputes}
    verdict_id, hold_open = judgement.verdict, True
    reasons = [  # a disputed question is listed as a dispute, not also as unknown
        r for r in judgement.reasons if not (r.kind == "open_question" and r.ref in disputed)
    ]
    floor: VerdictId | None = None  # the worst verdict any answer to the open ones gives
    if disputes:
        floor = None  # a team settles its disputes before the range may lift its verdict
    elif span is not None and span.exact:
        floor = span.worst
    elif not full and any(r.kind == "open_question" for r in judgement.reasons):
        floor = every_answer_gives_at_least(bank, given, view, confidence, "go_with_conditions")
    settled = None if floor is None else worse(floor, "go_with_conditions")
    if settled is not None and VERDICTS.index(settled) < VERDICTS.index(verdict_id):
        verdict_id, hold_open = settled, False
        reasons = [
            r.model_copy(update={"caps": settled}) if r.kind == "open_question" else r
            for r in reasons
            if r.kind == "open_question" or VERDICTS.index(r.caps) <= VERDICTS.index(settled)
        ]
    provisional = (
        judgement.provisional
        if full
        and guesses_can_change(
            bank, given, confidence, verdict_id, judgement.provisional, hold_open=hold_open
        )
        else []
    )
    # a finding that says why the usual text would not be true here ("not a rewrite") has its own
    worded = next(
        (r.decision for r in judgement.rules if r.decision and r.caps == verdict_id), None
    )
    verdict = Verdict(
        id=verdict_id,
        title=texts[verdict_id].title,
        summary=worded or texts[verdict_id].summary,
        score=judgement.score,
        quality=judgement.quality,
        knowledge=judgement.knowledge_percent,
        provisional=provisional,
        range=span,
        score_allows=judgement.score_allows,
        score_allows_title=texts[judgement.score_allows].title,
        thresholds={v: steps[v] for v in ("go", "go_with_conditions") if v in steps},
        reasons=reasons,
    )
    return verdict, judgement.rules
