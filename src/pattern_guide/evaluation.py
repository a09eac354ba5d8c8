"""Retrieval evaluation: hit@k and MRR for hybrid, lexical-only and vector-only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, Field, field_validator

from pattern_guide.errors import PatternGuideError
from pattern_guide.retrieval import Mode, Retriever

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
    on_topic_similarity: list[float] = Field(default_factory=list)
    off_topic_similarity: list[float] = Field(default_factory=list)


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
    on_sim: list[float] = []
    for mode in get_args(Mode):
        hits = dict.fromkeys(KS, 0)
        reciprocal = 0.0
        for case in graded:
            ranked, _, best = retriever.rank(case.text, mode)
            slugs = [s for s, _ in ranked]
            if mode == "hybrid":
                on_sim.append(round(best, 4))
            rank = next((i for i, s in enumerate(slugs, start=1) if s in case.expected), None)
            if rank:
                reciprocal += 1 / rank
                for k in KS:
                    hits[k] += rank <= k
        n = max(len(graded), 1)
        modes[mode] = Scores(hit={k: round(v / n, 4) for k, v in hits.items()}, mrr=round(reciprocal / n, 4))
    off = [round(retriever.rank(c.text, "vector")[2], 4) for c in cases if c.off_topic]
    return EvalReport(
        cases=len(graded), off_topic=len(off), modes=modes, on_topic_similarity=on_sim, off_topic_similarity=off
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
    if report.off_topic_similarity and report.on_topic_similarity:
        lines += [
            "",
            f"best cosine, on-topic min {min(report.on_topic_similarity):.3f} / "
            f"off-topic max {max(report.off_topic_similarity):.3f}",
        ]
    return "\n".join(lines)
