"""The decision memo: what the renderers show and what ``--format json`` writes.

Everything a reader sees in the memo is here, already worked out, so that every renderer
(HTML, Markdown, PDF, JSON) tells the same story and every claim traces back to an answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from .bank import Confidence, QuestionType, Severity, VerdictId
from .conditions import AnswerState

MEMO_KIND = "rewrite-advisor/memo"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TracedAnswer(_Model):
    """An answer as cited by a finding, a plan line or the appendix."""

    question: str = Field(description="The question id.")
    text: str = Field(description="The question as asked.")
    state: AnswerState = Field(description="known, unknown (don't know), unanswered or skipped.")
    answer: str | None = Field(description="The answer as a reader sees it; null unless known.")
    value: Any = Field(default=None, description="The typed value (JSON), null unless known.")
    note: str | None = None
    confidence: Confidence | None = None


class Finding(_Model):
    """What one rule concluded, and the answers that made it fire."""

    rule: str
    severity: Severity
    section: str
    section_title: str
    title: str
    why: str
    action: str
    caps: VerdictId | None = Field(
        description="The best verdict possible while this finding stands; null for strengths."
    )
    trace: list[TracedAnswer] = Field(description="The answers the rule looked at.")


def _drop_none(
    model: BaseModel, handler: SerializerFunctionWrapHandler, keys: tuple[str, ...]
) -> Any:
    """Serialize, leaving out the given keys while they are null (memos of old banks)."""
    data = handler(model)
    if isinstance(data, dict):
        for key in keys:
            if data.get(key) is None:
                data.pop(key, None)
    return data


class SectionScore(_Model):
    """How ready one section is, 0 to 100, and what the score is made of."""

    id: str
    title: str
    score: int = Field(ge=0, le=100)
    quality: int | None = Field(
        default=None, ge=0, le=100, description="How good the known answers are (model 2)."
    )
    knowledge: int | None = Field(
        default=None, ge=0, le=100, description="How much of the section is known, % (model 2)."
    )
    applicable: int = Field(description="Questions that apply given the answers.")
    known: int
    unknown: int
    unanswered: int
    findings: dict[str, int] = Field(description="Findings in this section, by severity.")
    may_apply: int | None = Field(
        default=None,
        description="Questions that apply only if an open question is answered one way: not "
        "counted yet, and not ruled out either (left out when there are none).",
    )

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_none(self, handler, ("quality", "knowledge", "may_apply"))


class VerdictReason(_Model):
    """One thing that holds the verdict where it is."""

    kind: Literal["finding", "open_question", "guess", "score", "dispute"] = Field(
        description="guess: a question that matters answered with a guess; dispute: a "
        "question that matters on which the team disagrees."
    )
    ref: str = Field(description="A rule id, a question id, or 'overall'.")
    text: str
    caps: VerdictId


class VerdictRange(_Model):
    """The best and the worst verdict reachable by answering the open questions that matter."""

    best: VerdictId
    best_title: str
    worst: VerdictId
    worst_title: str
    questions: list[str] = Field(description="The open questions that were varied.")
    exact: bool = Field(description="True when every combination of answers was tried.")
    tried: int = Field(description="Combinations of answers tried.")
    combinations: int = Field(
        description="Combinations of answers there are; when not exact, the search stopped "
        "counting at this many."
    )
    text: str = Field(description="The range in one sentence.")
    score_low: int | None = Field(
        default=None, description="The lowest score reached by answering them."
    )
    score_high: int | None = Field(
        default=None, description="The highest score reached by answering them."
    )


class Verdict(_Model):
    """The memo's one conclusion."""

    id: VerdictId
    title: str
    summary: str
    score: int = Field(
        ge=0,
        le=100,
        description="Overall score: quality x knowledge (model 2); the mean of the sections "
        "(model 1).",
    )
    quality: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="How good the known answers are: 100 less the penalties of the risks, "
        "plus the strengths' bonus (model 2).",
    )
    knowledge: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="How much of what applies is known, %: the questions that matter make "
        "up half of it, the others the other half; a guess counts half (model 2).",
    )
    provisional: list[str] | None = Field(
        default=None,
        description="Questions that matter answered with a guess: the verdict stands only if "
        "the guesses hold (model 2).",
    )
    range: VerdictRange | None = Field(
        default=None,
        description="What answering the open questions that matter could give (model 2; "
        "null when none is open).",
    )
    score_allows: VerdictId = Field(
        description="The best verdict the readiness score alone reaches, before any cap."
    )
    score_allows_title: str
    thresholds: dict[str, int] = Field(
        description="The readiness each verdict needs: go and go_with_conditions."
    )
    reasons: list[VerdictReason] = Field(description="What keeps the verdict from a better one.")

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_none(self, handler, ("quality", "knowledge", "provisional", "range"))


# --- The executive summary ---------------------------------------------------------------


class SummaryLine(_Model):
    """One labelled line of the summary, with the answers it comes from."""

    label: str
    text: str = Field(description='What the answers say, or "not known".')
    known: bool = Field(description="Whether every answer behind the line is known.")
    confidence: Confidence | None = Field(
        default=None,
        description="The least sure confidence the team gave on the answers behind the line.",
    )
    questions: list[str] = Field(description="The question ids the line comes from.")


class SummaryReason(_Model):
    """A decisive reason, in one line, with the answers behind it."""

    kind: Literal["finding", "open_question", "guess", "dispute", "score", "strength"]
    severity: Severity | None = Field(default=None, description="For findings and strengths.")
    ref: str = Field(description="A rule id, a question id, or 'overall'.")
    text: str
    answers: list[str] = Field(
        description='The answers behind it: a choice\'s label, or "Short name: answer" (the '
        "whole question where the bank gives no short name)."
    )


class SummaryRisk(_Model):
    """A way plans like this one usually fail, and whether this plan holds it."""

    id: str
    title: str
    held: bool
    state: Literal["held", "not_held", "not_known"] = Field(
        default="not_held",
        description="not_known: nothing holds it yet, and the answers that could are not given.",
    )
    text: str = Field(description="How the plan holds it, or what is missing.")


class Ask(_Model):
    """One thing to do, and the verdict it gives, found by scoring the answers again."""

    kind: Literal["finding", "open_question", "guess", "dispute"]
    ref: str = Field(description="The rule or question it settles.")
    text: str = Field(description="What to do, in full.")
    owner: str | None = Field(default=None, description="Who usually answers for it.")
    by: str = Field(description="When it is due: the review date, or before the first switch.")
    question: str | None = Field(default=None, description="Where the answer is recorded.")
    question_text: str | None = None
    where: str | None = Field(
        default=None, description="The section of the bank where it is answered."
    )
    answer: str | None = Field(
        default=None, description="The answer that was scored (a reader's label)."
    )
    value: Any = Field(
        default=None, description="The answer that was scored, as typed in an answers file."
    )
    becomes: VerdictId = Field(description="The verdict once it is done, re-scored.")
    becomes_title: str
    outcome: str = Field(
        description='What it does to the verdict, as every format prints it: "the verdict '
        'becomes Go", "the verdict stays Not yet", or "alone, the verdict stays Not yet" '
        "where only steps done together change it (see asks_note)."
    )


class Knowledge(_Model):
    """What is known before any score."""

    applicable: int
    answered: int = Field(description="Known answers, guesses included.")
    dont_know: int
    unanswered: int
    guessed: int = Field(description="Known answers the team marked as a guess.")
    estimated: int = Field(description="Known answers the team marked as an estimate.")
    disputed: int = Field(description="Team memos: questions the team has not agreed on.")
    score: int
    score_low: int | None = Field(
        default=None, description="While open questions remain: the lowest score reachable."
    )
    score_high: int | None = Field(
        default=None, description="While open questions remain: the highest score reachable."
    )
    held: str | None = Field(
        default=None,
        description="Where the verdict is below what the score alone allows: what holds it.",
    )
    why_zero: str | None = Field(
        default=None,
        description="Where answers are known and the score is 0: why (the risks cost it all).",
    )


CaseOutcome = Literal["failed", "succeeded", "mixed"]


class CaseAnswer(_Model):
    """One question on which this plan and a documented rewrite are compared."""

    question: str
    name: str = Field(description="What the question is about, in a few words.")
    text: str = Field(description="The question as asked.")
    this_plan: str = Field(description="This plan's answer as a reader sees it.")
    that_case: str = Field(description="The documented rewrite's answer.")


class NearestCase(_Model):
    """A documented rewrite near this plan, how it ended, and where the two differ."""

    id: str
    name: str
    years: str
    outcome: CaseOutcome
    what_happened: str = Field(description="One line on what happened.")
    sources: list[str]
    similarity: int = Field(
        ge=0, le=100, description="How alike (100 = the same on every answer compared)."
    )
    differs: list[CaseAnswer] = Field(
        description="Where this plan differs most from it, among the answers that matter."
    )
    alike: list[CaseAnswer] = Field(description="Where this plan is most like it.")


class OutsideView(_Model):
    """The documented rewrites nearest to this plan and how they ended: the outside view."""

    library: str = Field(description="Which case library, and how many cases it holds.")
    cases: list[NearestCase] = Field(description="The nearest few, nearest first.")
    nearest: int = Field(description="How many of the nearest the base rate is taken over.")
    failed: int = Field(description="Of those, how many failed.")
    succeeded: int
    mixed: int
    base_rate: str = Field(description="The base rate in one sentence.")
    disagreement: str | None = Field(
        default=None,
        description="Where the rules' verdict and the nearest cases point different ways.",
    )


class Summary(_Model):
    """The executive summary: built once, shown the same way in every format."""

    decision: str = Field(description="The decision in one sentence.")
    settled: bool = Field(
        description="True when no open, guessed or disputed answer can change the verdict."
    )
    status: str = Field(description="Whether the verdict is settled or provisional, and why.")
    case: list[SummaryLine] = Field(description="The case for the rewrite, from the answers.")
    cost: list[SummaryLine] = Field(description="Cost and time; 'not known' where unanswered.")
    reasons: list[SummaryReason] = Field(description="The decisive reasons, most severe first.")
    more_reasons: int = Field(description="Reasons beyond those listed.")
    risks: list[SummaryRisk] = Field(description="How plans like this usually fail.")
    asks: list[Ask] = Field(description="At most five, each re-scored.")
    asks_note: str | None = Field(
        default=None, description="What the asks can and cannot do to the verdict."
    )
    stop_conditions: SummaryLine
    review_date: SummaryLine
    known: Knowledge
    nearest_cases: OutsideView | None = Field(
        default=None,
        description="The documented rewrites nearest to this plan (the outside view); null "
        "when no case library fits the answers' question bank.",
    )


class ConsideredOption(_Model):
    """An option the team weighed, whether it is the one chosen, and why not otherwise."""

    name: str
    chosen: bool
    why_not: str | None = Field(description="Why it was not chosen; null for the chosen one.")
    from_team: bool = Field(description="Whether why_not is the team's own words.")


class RiskEntry(_Model):
    """A line of the risk register: a blocker or high finding with who watches it and how."""

    rule: str
    risk: str
    severity: Severity
    owner: str | None = Field(description="Who usually answers for it (the section's owner).")
    warning_sign: str | None = Field(description="The early signal that it is coming true.")
    review_by: str = Field(description="When it is looked at again.")


class DecisionRecord(_Model):
    """What a decision record holds beyond the summary (MADR and Nygard sections)."""

    options: list[ConsideredOption] = Field(description="The considered options.")
    good: list[str] = Field(description="Good consequences: the strengths found.")
    bad: list[str] = Field(description="Bad consequences: the risks found, most severe first.")
    risk_register: list[RiskEntry] = Field(
        description="The blocker and high risks to watch; empty for a declined rewrite."
    )
    first_slice: SummaryLine | None = Field(
        description="For a plan that goes live step by step: the first piece, and when."
    )


class OpenQuestion(_Model):
    """An answer the decision still needs: unknown, unanswered, or only a guess."""

    question: str
    section: str
    text: str
    reason: Literal["unknown", "unanswered", "guess"]
    critical: bool
    note: str | None = None


class PlanLine(_Model):
    """One line of the plan at a glance."""

    label: str
    answers: list[TracedAnswer]


class AppendixSection(_Model):
    """Every question of a section with its answer."""

    id: str
    title: str
    questions: list[AppendixEntry]


class AppendixEntry(TracedAnswer):
    """A question of the appendix, with its kind and whether it is critical."""

    type: QuestionType
    critical: bool


AppendixSection.model_rebuild()


class BankInfo(_Model):
    """The question bank the memo was scored with."""

    id: str
    version: str
    title: str


DisagreementKind = Literal["choice", "set", "number", "date", "dont_know"]
Impact = Literal["verdict", "serious_finding", "finding", "none"]


class ParticipantAnswer(_Model):
    """One participant's answer to a disputed question."""

    participant: str
    state: AnswerState
    answer: str | None = Field(description="The answer as a reader sees it; null unless known.")
    value: Any = None
    note: str | None = None
    confidence: Confidence | None = None


class Outcome(_Model):
    """What the memo would conclude if one side's answer to a disputed question stood."""

    participants: list[str] = Field(description="The participants who gave this answer.")
    answer: str = Field(description="Their answer as a reader sees it.")
    verdict: VerdictId
    verdict_title: str
    verdict_changes: bool = Field(description="Whether the verdict differs from the team's.")
    findings_added: list[str] = Field(
        description="Titles of blocker or high findings that would appear."
    )
    findings_removed: list[str] = Field(
        description="Titles of blocker or high findings that would go away."
    )
    text: str = Field(description="The outcome in one sentence.")


class Disagreement(_Model):
    """A question the participants answered differently, and how much that matters."""

    question: str
    text: str
    section: str
    section_title: str
    critical: bool
    kinds: list[DisagreementKind] = Field(
        description="choice: different choices or yes/no; set: different sets of choices; "
        "number: the largest more than 1.5 times the smallest; date: more than 21 days "
        "apart; dont_know: some don't know where others do."
    )
    impact: Impact = Field(
        description="The most a side's answer changes: the verdict, a blocker or high "
        "finding, another finding, or nothing."
    )
    team_answer: str = Field(
        description="The team's answer, always one somebody gave (or \"Don't know\"): for a "
        "choice or yes/no the majority's (\"Don't know\" on an even split); for a number, a "
        "date or a set of choices the most common answer given, and where several are equally "
        "common the most cautious of them (the one under which the memo scores worst). A "
        "disputed question that matters (critical) is counted as not known in the team memo "
        "until the team settles it; this answer is the workshop's starting point."
    )
    team_answer_by: list[str] = Field(
        default=[],
        description="The participants who gave the team's answer; empty when it is \"Don't "
        'know" because the team is split evenly.',
    )
    factual: bool = Field(
        default=False,
        description="True for a number or a date (an amount, a count, a date): someone can "
        'look it up, so the memo says "check the record"; false for a judgement (a choice, '
        "yes/no or a set of choices), which the team decides.",
    )
    group: str = Field(
        default="",
        description="The shared cause of linked disputes: the id of the question the others "
        "depend on (their 'when' or 'matters when' looks at it), or the id of a rule that "
        "looks at them together; a dispute linked to no other has its own question id. "
        "Disputes of one group are adjacent.",
    )
    group_cause: str | None = Field(
        default=None,
        description="The shared cause in one sentence; null for a dispute linked to no other.",
    )
    verdict_spread: int = Field(
        default=0,
        description="How far apart the verdicts of the answers given are, in steps between "
        "Go and Don't rewrite (0 to 3): the first key of the ranking.",
    )
    summary: str = Field(description="What is at stake, in one or two sentences.")
    answers: list[ParticipantAnswer]
    outcomes: list[Outcome] = Field(description="One per distinct answer given.")


class DissentNote(_Model):
    """A participant who did not share an agreed answer of the team."""

    question: str
    text: str
    agreed: str = Field(description="The agreed answer as a reader sees it.")
    participant: str
    state: AnswerState = Field(description="The state of the answer they would give.")
    answer: str | None = Field(description="What they would answer; null unless known.")
    value: Any = None
    reason: str | None = None
    confidence: Confidence | None = Field(
        default=None, description="How sure the dissenter is of the answer they would give."
    )

    @model_serializer(mode="wrap")
    def _compact(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_none(self, handler, ("confidence",))


class TeamSource(_Model):
    """One participant's answers file."""

    participant: str
    file: str


class Team(_Model):
    """How a team memo came about: from raw answers files, or from a facilitated team file."""

    stage: Literal["disputed", "facilitated"] = Field(
        description="disputed: several participants' files, not yet settled; "
        "facilitated: a team file from 'rewrite-advisor workshop'."
    )
    participants: list[str]
    sources: list[TeamSource]
    considered: int | None = Field(
        default=None, description="Questions at least one participant answered."
    )
    disputed: list[str] = Field(description="Ids of disputed questions, most important first.")
    settled: list[str] = Field(description="Ids of disputed questions the team has settled.")
    next_step: str | None = Field(
        default=None,
        description="While disputes that matter are open: what the team does next (settle them "
        "in 'rewrite-advisor workshop'), shown instead of a request for a leadership decision; "
        "null once the team has agreed.",
    )

    @property
    def open(self) -> list[str]:
        """Disputed questions not settled yet."""
        return [q for q in self.disputed if q not in self.settled]


class Memo(_Model):
    """The whole decision memo."""

    kind: Literal["rewrite-advisor/memo"] = "rewrite-advisor/memo"
    format: Literal[1] = 1
    generator: str = Field(description="The program and version that made the memo.")
    title: str
    date: dt.date
    participants: list[str]
    bank: BankInfo
    verdict: Verdict
    sections: list[SectionScore]
    findings: list[Finding] = Field(description="Risks by severity, then strengths.")
    plan: list[PlanLine]
    open_questions: list[OpenQuestion]
    unanswered: list[str] = Field(description="Ids of applicable questions with no answer.")
    answered: int = Field(description="Applicable questions answered, 'don't know' included.")
    applicable: int = Field(description="Questions that apply given the answers.")
    appendix: list[AppendixSection]
    answers: dict[str, Any] = Field(description="The answers file the memo was made from.")
    team: Team | None = Field(default=None, description="Team memos only.")
    disagreements: list[Disagreement] = Field(
        default=[],
        description="Team memos from several files: the disputed questions, most important "
        "first (the verdicts furthest apart, then blocker or high findings, then other "
        "findings), linked disputes kept together.",
    )
    dissent: list[DissentNote] = Field(
        default=[], description="Team files: who disagreed with an agreed answer, and why."
    )
    summary: Summary | None = Field(
        default=None,
        description="The executive summary (scoring model 2): every format shows this one.",
    )
    decision_record: DecisionRecord | None = Field(
        default=None,
        description="Options considered, consequences, risk register, first slice (model 2).",
    )

    @model_serializer(mode="wrap")
    def _drop_team_parts(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave the team parts out of a one-person memo, so its JSON stays as it was."""
        data = handler(self)
        if isinstance(data, dict):
            stage = self.team.stage if self.team else None
            for key, keep in (
                ("summary", self.summary is not None),
                ("decision_record", self.decision_record is not None),
                ("team", stage is not None),
                ("disagreements", bool(self.disagreements) or stage == "disputed"),
                ("dissent", bool(self.dissent) or stage == "facilitated"),
            ):
                if not keep:
                    data.pop(key, None)
        return data

    @property
    def risks(self) -> list[Finding]:
        """Findings that are not strengths, most severe first."""
        return [f for f in self.findings if f.severity != "strength"]

    @property
    def strengths(self) -> list[Finding]:
        """Findings that count in favour."""
        return [f for f in self.findings if f.severity == "strength"]
