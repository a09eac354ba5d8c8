"""Inferred links: each pattern's best-scoring candidates, with a type, a confidence and a reason.

The type is read from the two texts, in this order: near-duplicates are ``alternatives``; a title
that contains the other's whole title is the narrower case (``generalizes_from`` the broader one,
which ``specializes_to`` it); a pattern whose text names the other's title leans on it
(``requires``) or leads to it (``enables``, when the naming sentence speaks of what it makes
possible); everything else shares a tension or practice and is ``complementary``. The reason
quotes a sentence of each pattern that carries the words they share.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from pattern_guide.garden.features import Pairs, Profile, rarity
from pattern_guide.library.meta import InferredLink
from pattern_guide.text import shorten

PER_PATTERN = 8
NEAR_DUPLICATE = 0.95  # cosine of the pattern vectors
QUOTE = 90
_ENABLING = re.compile(r"\b(enabl\w*|makes? (?:it )?possible|leads? to|opens?|unlocks?|so that|prepares?)\b", re.I)


def confidence(score: float, mean: float, spread: float) -> float:
    """A pair's score as 0–1: a logistic of how far it stands above the typical candidate pair."""
    z = (score - mean) / spread if spread > 0 else 0.0
    return round(1.0 / (1.0 + math.exp(-z)), 2)


def _names(source: Profile, target: Profile) -> str | None:
    """The words around the place where ``source`` names ``target``'s title, if it does."""
    if len(target.title_words.split()) < 2 or f" {target.title_words} " not in source.text_words:
        return None
    at = source.text_words.find(f" {target.title_words} ")
    start = max(0, at - 120)
    return source.text_words[start : at + len(target.title_words) + 120].strip()


def link_type(a: Profile, b: Profile, cosine: float) -> str:
    """The relationship type from a to b, read from their texts."""
    if cosine >= NEAR_DUPLICATE:
        return "alternatives"
    if b.title_stems and b.title_stems < a.title_stems:
        return "generalizes_from"
    if a.title_stems and a.title_stems < b.title_stems:
        return "specializes_to"
    naming = _names(a, b)
    if naming is not None:
        return "enables" if _ENABLING.search(naming) else "requires"
    if _names(b, a) is not None:
        return "enables"
    return "complementary"


def _quote(profile: Profile, shared: set[str], weight: dict[str, float]) -> str:
    """The profile's sentence that carries most of the shared words (its first sentence if none does)."""
    if not profile.phrases:
        return profile.title
    carried = [sum(weight.get(t, 0.0) for t in stems & shared) for stems in profile.phrase_stems]
    best = max(range(len(carried)), key=lambda n: (carried[n], -n))
    return shorten(profile.phrases[best], QUOTE).rstrip(".")


def _shared_words(a: Profile, b: Profile, weight: dict[str, float], limit: int = 2) -> tuple[set[str], list[str]]:
    """The words both patterns are about: first what both name themselves by, then their summaries, then bodies."""
    for mine, theirs in ((a.core, b.core), (a.core, b.names), (a.names, b.core), (a.names, b.names)):
        shared = set(mine) & set(theirs)
        if shared:
            break
    else:
        shared = set(a.body & b.body)
    ranked: list[str] = []
    for stem in sorted(shared, key=lambda t: (-weight.get(t, 0.0), t)):
        if len(ranked) < limit and not any(stem[:4] == held[:4] for held in ranked):  # "decide", "decision"
            ranked.append(stem)
    return set(ranked) or shared, [
        a.core.get(t) or a.names.get(t) or b.core.get(t) or b.names.get(t, t) for t in ranked
    ]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def reason(a: Profile, b: Profile, kind: str, weight: dict[str, float]) -> str:
    """One sentence on why a links to b, quoting both patterns."""
    shared, words = _shared_words(a, b, weight)
    qa, qb = _quote(a, shared, weight), _quote(b, shared, weight)
    about = f" on {_and(words)}" if words else ""
    topic = f" speak to {_and(words)}" if words else " meet"
    if kind == "alternatives":
        return f"{a.title} and {b.title} answer the same problem{about}: “{qa}” / “{qb}”."
    if kind == "generalizes_from":
        return f"{a.title} is a narrower case of {b.title}: “{qa}” builds on “{qb}”."
    if kind == "specializes_to":
        return f"{b.title} is a narrower case of {a.title}: “{qb}” builds on “{qa}”."
    if kind == "requires":
        return f"{a.title} names {b.title} as ground it stands on: “{qa}” / “{qb}”."
    if kind == "enables":
        return f"{a.title} prepares the ground for {b.title}{about}: “{qa}” / “{qb}”."
    return f"Both {a.title} and {b.title}{topic}: “{qa}” / “{qb}”."


def infer_links(profiles: Sequence[Profile], pairs: Pairs, per_pattern: int = PER_PATTERN) -> list[list[InferredLink]]:
    """Each pattern's best ``per_pattern`` candidates as typed links, best first (row i is profiles[i])."""
    weight = rarity([set(p.names) | p.body for p in profiles])
    mean = float(pairs.score.mean()) if len(pairs) else 0.0
    spread = float(pairs.score.std()) if len(pairs) else 0.0
    options: list[list[tuple[float, int, float]]] = [[] for _ in profiles]
    for left, right, cosine, score in zip(pairs.left, pairs.right, pairs.cosine, pairs.score, strict=True):
        options[int(left)].append((float(score), int(right), float(cosine)))
        options[int(right)].append((float(score), int(left), float(cosine)))
    out: list[list[InferredLink]] = []
    for i, mine in enumerate(options):
        mine.sort(key=lambda o: (-o[0], profiles[o[1]].slug))
        links = []
        for score, j, cosine in mine[:per_pattern]:
            kind = link_type(profiles[i], profiles[j], cosine)
            links.append(
                InferredLink(
                    target=profiles[j].slug,
                    type=kind,
                    confidence=confidence(score, mean, spread),
                    reason=reason(profiles[i], profiles[j], kind, weight),
                )
            )
        out.append(links)
    return out
