"""What the garden reads of each pattern, and how strongly two patterns belong together.

A pair's score adds three signals, each standardised over the candidate pairs: the cosine of the
pattern vectors corrected for hubness (CSLS: a pattern near everything counts for less), the
overlap of the words the patterns name themselves by (title, summary, keywords, tension) and of
their whole bodies (both weighted by rarity), and a shared `ontology.domain`. The weights were
chosen on the starter library's curated relationships (bench/garden.md reports the held-out figures).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pattern_guide.garden.vectors import PatternVectors
from pattern_guide.library.model import Pattern
from pattern_guide.text import STOP_WORDS, plain, sentences, stems, terms

WEIGHTS = {"vector": 1.0, "names": 0.25, "body": 1.0, "domain": 0.25}
POOL = 40  # candidates per pattern, by vector similarity, before the text is read
HUB_NEIGHBOURS = 10
_WORDS = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"[a-z]+")


class StemCache:
    """Stems of the distinct content words of long texts, each word stemmed once per run."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, text: str) -> frozenset[str]:
        found = {w for w in _LETTERS.findall(text.lower()) if len(w) >= 3 and w not in STOP_WORDS}
        new = [w for w in found if w not in self._known]
        self._known.update(zip(new, stems(new), strict=True))
        return frozenset(self._known[w] for w in found)


@dataclass
class Profile:
    """The parts of one pattern the garden compares."""

    slug: str
    title: str
    domain: str | None
    names: dict[str, str]  # stems of title, summary, keywords, tension -> first surface form
    core: dict[str, str]  # the same for title, keywords and tension only: what the pattern is about
    body: frozenset[str]
    title_stems: frozenset[str]
    title_words: str  # the title as plain lower-case words, to find it named in other text
    text_words: str  # the whole body as plain lower-case words, spaces around
    plain_body: str = ""
    phrases: list[str] = field(default_factory=list)  # quotable sentences: one-liner, summary, solution
    phrase_stems: list[frozenset[str]] = field(default_factory=list)


def _phrases(pattern: Pattern) -> list[str]:
    found: list[str] = []
    for text in (pattern.one_liner, pattern.meta.summary or "", pattern.solution or ""):
        for sentence in sentences(plain(text)):
            sentence = sentence.strip(" >*")
            if len(sentence.split()) >= 4 and sentence not in found:
                found.append(sentence)
    return found


def profile(pattern: Pattern, stem_words: StemCache | None = None) -> Profile:
    """Read one pattern once (share a StemCache across a library: stemming is most of the cost)."""
    stem_words = stem_words or StemCache()
    meta = pattern.meta
    hints = meta.ontology.search_hints
    naming = " ".join([meta.title, meta.summary or "", " ".join(hints.vector_keywords), pattern.tension or ""])
    body = plain(" ".join(section.text for section in pattern.sections) or pattern.one_liner)
    phrases = _phrases(pattern)
    return Profile(
        slug=pattern.slug,
        title=meta.title,
        domain=meta.ontology.domain,
        names=terms(naming),
        core=terms(" ".join([meta.title, " ".join(hints.vector_keywords), pattern.tension or ""])),
        body=stem_words(body),
        title_stems=frozenset(terms(meta.title)),
        title_words=" ".join(_WORDS.findall(meta.title.lower())),
        text_words=" " + " ".join(_WORDS.findall(body.lower())) + " ",
        plain_body=body,
        phrases=phrases,
        phrase_stems=[stem_words(p) for p in phrases],
    )


def rarity(sets: Sequence[frozenset[str] | set[str]]) -> dict[str, float]:
    """Inverse document frequency of every stem over these sets (a stem in every set weighs 0)."""
    df: dict[str, int] = {}
    for found in sets:
        for stem in found:
            df[stem] = df.get(stem, 0) + 1
    n = len(sets)
    return {stem: max(0.0, math.log(n / count)) for stem, count in df.items()}


def overlaps(sets: Sequence[frozenset[str] | set[str]], pairs: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Rarity-weighted overlap of each pair's two sets: shared weight over the geometric mean of their weights."""
    out = np.zeros(len(pairs))
    if not len(pairs):
        return out
    weight = rarity(sets)
    vocab = {stem: n for n, stem in enumerate(sorted(weight))}
    w = np.array([weight[stem] for stem in sorted(weight)] or [0.0])
    ids = [np.fromiter((vocab[t] for t in s), dtype=np.int64, count=len(s)) for s in sets]
    norms = np.array([float(w[i].sum()) for i in ids])
    dense = np.zeros(len(w))  # the left pattern's weights, spread out once for all its pairs
    order = np.argsort(pairs[:, 0], kind="stable")
    bounds = [*np.flatnonzero(np.r_[True, np.diff(pairs[order, 0]) != 0]).tolist(), len(order)]
    for start, stop in zip(bounds, bounds[1:], strict=False):
        rows = order[start:stop]
        left = ids[int(pairs[rows[0], 0])]
        dense[left] = w[left]
        for row in rows:
            out[row] = float(dense[ids[int(pairs[row, 1])]].sum())
        dense[left] = 0.0
    norm = np.sqrt(norms[pairs[:, 0]] * norms[pairs[:, 1]])
    shares: np.ndarray[Any, Any] = np.divide(out, norm, out=np.zeros_like(out), where=norm > 0)
    return shares


@dataclass
class Pairs:
    """Candidate pairs (i < j) with their signals and combined score, row-aligned arrays."""

    left: np.ndarray[Any, Any]
    right: np.ndarray[Any, Any]
    cosine: np.ndarray[Any, Any]
    score: np.ndarray[Any, Any]

    def __len__(self) -> int:
        return int(self.left.shape[0])


def _standard(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    if values.size == 0:
        return values
    spread = float(values.std())
    return (values - float(values.mean())) / spread if spread > 0 else np.zeros_like(values)


def candidate_pairs(vectors: PatternVectors, pool: int = POOL) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Each pattern's nearest ``pool`` neighbours by CSLS, as unique pairs (i < j), and the CSLS matrix."""
    sims = vectors.similarity()
    n = sims.shape[0]
    k = min(HUB_NEIGHBOURS, max(n - 1, 1))
    hub = np.sort(sims, axis=1)[:, -k:].mean(axis=1) if n > 1 else np.zeros(n)
    csls = 2 * sims - hub[:, None] - hub[None, :]
    np.fill_diagonal(csls, -np.inf)
    take = min(pool, n - 1)
    if take <= 0:
        return np.zeros((0, 2), dtype=np.int64), csls
    near = np.argpartition(-csls, take - 1, axis=1)[:, :take]
    rows = np.repeat(np.arange(n), take)
    cols = near.reshape(-1)
    pairs = np.unique(np.stack([np.minimum(rows, cols), np.maximum(rows, cols)], axis=1), axis=0)
    return pairs, csls


def score_pairs(vectors: PatternVectors, profiles: Sequence[Profile], pool: int = POOL) -> Pairs:
    """Every candidate pair, scored (higher: more likely a real relationship)."""
    pairs, csls = candidate_pairs(vectors, pool)
    left, right = pairs[:, 0], pairs[:, 1]
    names = overlaps([frozenset(p.names) for p in profiles], pairs)
    body = overlaps([p.body for p in profiles], pairs)
    domain = np.array(
        [1.0 if profiles[i].domain and profiles[i].domain == profiles[j].domain else 0.0 for i, j in pairs]
    )
    vector = csls[left, right] if len(pairs) else np.zeros(0)
    score = (
        WEIGHTS["vector"] * _standard(vector)
        + WEIGHTS["names"] * _standard(names)
        + WEIGHTS["body"] * _standard(body)
        + WEIGHTS["domain"] * _standard(domain)
    )
    cosine = (vectors.matrix[left] * vectors.matrix[right]).sum(axis=1) if len(pairs) else np.zeros(0)
    return Pairs(left=left, right=right, cosine=cosine, score=score)
