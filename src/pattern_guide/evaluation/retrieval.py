"""Retrieval evaluation: hit@k and MRR for hybrid, lexical-only and vector-only."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from pattern_guide.errors import PatternGuideError
from pattern_guide.retrieval.retriever import Mode, Retriever
from pattern_guide.retrieval.topic import TopicCheck

KS = (1, 3, 5)


class Case(BaseModel):
    """One situation and the slugs a facilitator would accept (any of them is a hit)."""

    text: str
    expected: list[str] = Field(default_factory=list)
    context: str | None = None
    off_topic: bool = False

    @field_validator("expected", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        if value is None:
            return []
        return [value] if isinstance(value, str) else value


class Scores(BaseModel):
    hit: dict[int, float]
    mrr: float


class EvalReport(BaseModel):
    cases: int
    off_topic: int
    modes: dict[str, Scores]
    # The guide's off-topic check on the same lines: the off-topic ones it let through and
    # the on-topic ones it would have redirected (both should be empty).
    off_topic_missed: list[str] = Field(default_factory=list)
    on_topic_redirected: list[str] = Field(default_factory=list)


def read_cases(path: Path) -> list[Case]:
    """Cases from a JSONL file; `expected` may be a slug or a list (aliases: slug, slugs)."""
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            for alias in ("slugs", "slug", "expected_slug", "relevant"):
                if "expected" not in data and alias in data:
                    data["expected"] = data[alias]
            cases.append(Case.model_validate(data))
        except Exception as exc:
            raise PatternGuideError(f"{path}:{number}: not a valid case ({exc})") from None
    return cases


def evaluate(retriever: Retriever, cases: list[Case]) -> EvalReport:
    """Score every retrieval mode on the same cases, side by side."""
    graded = [c for c in cases if c.expected and not c.off_topic]
    modes: dict[str, Scores] = {}
    for mode in Mode:
        hits = dict.fromkeys(KS, 0)
        reciprocal = 0.0
        for case in graded:
            slugs = [s for s, _ in retriever.rank(case.text, mode).patterns]
            rank = next((i for i, s in enumerate(slugs, start=1) if s in case.expected), None)
            if rank:
                reciprocal += 1 / rank
                for k in KS:
                    hits[k] += rank <= k
        n = max(len(graded), 1)
        modes[mode.value] = Scores(hit={k: round(v / n, 4) for k, v in hits.items()}, mrr=round(reciprocal / n, 4))
    topics = TopicCheck(retriever)
    off = [c.text for c in cases if c.off_topic]
    return EvalReport(
        cases=len(graded),
        off_topic=len(off),
        modes=modes,
        off_topic_missed=[t for t in off if not topics.is_off_topic(t)],
        on_topic_redirected=[c.text for c in graded if topics.is_off_topic(c.text)],
    )


def format_table(report: EvalReport) -> str:
    """The report as an aligned text table."""
    lines = [
        f"{report.cases} situations ({report.off_topic} off-topic lines not graded)",
        "",
        f"{'mode':<8} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6}",
    ]
    for mode, s in report.modes.items():
        lines.append(f"{mode:<8} {s.hit[1]:>6.3f} {s.hit[3]:>6.3f} {s.hit[5]:>6.3f} {s.mrr:>6.3f}")
    caught = report.off_topic - len(report.off_topic_missed)
    lines += [
        "",
        f"off-topic check: {caught} of {report.off_topic} off-topic lines redirected, "
        f"{len(report.on_topic_redirected)} of {report.cases} situations wrongly redirected",
    ]
    lines += [f"  let through: {t}" for t in report.off_topic_missed]
    lines += [f"  redirected: {t}" for t in report.on_topic_redirected]
    return "\n".join(lines)
