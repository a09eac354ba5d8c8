"""Evaluation of the understanding: intents at every stage, and the context read from a situation."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from pattern_guide.conversation.state import Candidate, GuideState, Stage
from pattern_guide.errors import PatternGuideError
from pattern_guide.guide.runner import Guide
from pattern_guide.retrieval.context import detect_context
from pattern_guide.vitality.signs import signs


class IntentCase(BaseModel):
    """One message at one stage and what it means (see tests/eval/README.md)."""

    stage: Stage
    text: str
    intent: str
    value: str | None = None
    shown: list[str] = Field(default_factory=list)
    pattern: str | None = None
    step: int | None = None


class ContextCase(BaseModel):
    """One situation and the context it plainly says (None: it does not say)."""

    text: str
    context: str | None = None


class Accuracy(BaseModel):
    """How many were read right, overall and per label, and the ones that were not."""

    cases: int
    right: int
    per_label: dict[str, list[int]] = Field(default_factory=dict)  # label -> [right, total]
    wrong: list[str] = Field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.cases if self.cases else 0.0


class ContextReport(BaseModel):
    """Context detection on situations: right, wrong, or not detected (the guide then asks)."""

    cases: int
    right: int
    wrong: int
    undetected: int
    wrong_cases: list[str] = Field(default_factory=list)


def read_rows(path: Path) -> list[dict[str, object]]:
    """The JSON lines of an evaluation file; a broken line is an error naming it."""
    rows: list[dict[str, object]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise PatternGuideError(f"{path}:{number}: not valid JSON ({exc})") from None
        if not isinstance(row, dict):
            raise PatternGuideError(f"{path}:{number}: each line must be a JSON object")
        rows.append(row)
    return rows


def _state(guide: Guide, case: IntentCase) -> GuideState:
    """The conversation as it stood when the message was written."""
    library = guide.library
    candidates = [Candidate(slug=s, title=library.patterns[s].title, score=0.0) for s in case.shown]
    pattern = library.patterns.get(case.pattern or "")
    return GuideState(
        stage=case.stage,
        situation="(described earlier)" if case.stage != Stage.INTAKE else "",
        candidates=candidates,
        shown=len(candidates),
        pattern=case.pattern,
        step=case.step or 0,
        vitality=signs(pattern) if pattern and case.stage == Stage.VITALITY else [],
        context_asked=case.stage == Stage.MATCHES,
    )


def heard(guide: Guide, case: IntentCase) -> tuple[str, str | None]:
    """The intent (and its value) the guide reads in a case's message, as its conversation would."""
    state = _state(guide, case)
    event = guide.read(state, case.text)
    kind = str(event.kind)
    if kind == "text":
        off = case.stage in (Stage.INTAKE, Stage.CLARIFY) and guide.is_off_topic(case.text)
        return ("off_topic" if off else "situation"), None
    if kind == "pick":
        choice = event.choice or ""
        return "pick", state.offered(choice) or choice
    if kind == "context":
        return "context", event.choice
    if kind == "rate":
        return "rate", event.answer.value if event.answer else None
    return kind, None


def evaluate_intents(guide: Guide, cases: list[IntentCase]) -> Accuracy:
    """Intent accuracy: the kind and, for picks, contexts and ratings, the value must both be right."""
    report = Accuracy(cases=len(cases), right=0)
    totals: Counter[str] = Counter()
    rights: Counter[str] = Counter()
    for case in cases:
        kind, value = heard(guide, case)
        good = kind == case.intent and (case.value is None or value == case.value)
        totals[case.intent] += 1
        if good:
            rights[case.intent] += 1
            report.right += 1
        else:
            expected = f"{case.intent}:{case.value}" if case.value else case.intent
            got = f"{kind}:{value}" if value else kind
            report.wrong.append(f"[{case.stage}] {case.text} — expected {expected}, heard {got}")
    report.per_label = {label: [rights[label], totals[label]] for label in sorted(totals)}
    return report


def evaluate_contexts(cases: list[ContextCase]) -> ContextReport:
    """Context detection: a situation that says no world is right when the guide detects none."""
    report = ContextReport(cases=len(cases), right=0, wrong=0, undetected=0)
    for case in cases:
        found = detect_context(case.text)
        if found == case.context:
            report.right += 1
        elif found is None:
            report.undetected += 1
        else:
            report.wrong += 1
            report.wrong_cases.append(f"{case.text} — expected {case.context or 'none'}, detected {found}")
    return report


class SignCase(BaseModel):
    """A practice the group already has, and the sign of life or decay it shows."""

    text: str
    pattern: str
    kind: str
    sign: str


def evaluate_signs(first_sign: Callable[[str], tuple[str, str] | None], cases: list[SignCase]) -> Accuracy:
    """How often the sign the guide names first is the expected one (its pattern and its title)."""
    report = Accuracy(cases=len(cases), right=0)
    for case in cases:
        found = first_sign(case.text)
        label = case.kind
        right, total = report.per_label.get(label, [0, 0])
        good = found is not None and found[0] == case.pattern and found[1].lower() == case.sign.lower()
        report.per_label[label] = [right + good, total + 1]
        if good:
            report.right += 1
        else:
            report.wrong.append(f"{case.text} — expected {case.pattern}: {case.sign}, named {found}")
    return report
