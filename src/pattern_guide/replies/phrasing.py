"""How the guide says things: the shared wording of every offline reply (names, status, quotes)."""

from __future__ import annotations

from pattern_guide.library.model import Passage, Pattern
from pattern_guide.text import escape, plain, shorten

Draft = tuple[str, list[Passage]]


CONFIDENCE = {1: "★ emerging", 2: "★★ promising", 3: "★★★ established"}


WORLD = {
    "corporate": "an organisation",
    "government": "a public service",
    "activist": "a movement",
    "tech": "a product team",
}


def excerpt(text: str, limit: int = 320) -> str:
    return shorten(plain(text), limit)


def sections_of(pattern: Pattern, *roles: str) -> list[Passage]:
    out = []
    for role in roles:
        section = pattern.section(role)
        if section:
            out.append(Passage(slug=pattern.slug, section=section.heading, text=section.text))
    return out


EARLY_CONFIDENCE = 2  # a draft at or below this many stars (or with none stated) is offered as an early pattern


def is_early(pattern: Pattern) -> bool:
    """A draft few have tried: status draft with confidence of two stars or fewer, or none stated."""
    life = pattern.meta.lifecycle
    return life.status == "draft" and (life.confidence is None or life.confidence <= EARLY_CONFIDENCE)


def status(pattern: Pattern) -> str:
    life = pattern.meta.lifecycle
    stars = CONFIDENCE.get(int(life.confidence or 0), "confidence not stated")
    if is_early(pattern):
        return f"{stars}, draft — an early pattern, use with care"
    return f"{stars}, {life.status or 'status not stated'}"


def name_in(pattern: Pattern, context: str | None) -> str:
    """What the pattern is called in the person's world; a label that only adds to the title ("... for
    Movements") says nothing, and one that is a sentence (the Commons library's often are) is given as one."""
    label = pattern.context_label(context)
    if not label or label.lower().startswith(pattern.title.lower()):
        return ""
    world = WORLD.get(context or "", "your world")
    if len(label.split()) > 6:
        return f" — for {world}: *{escape(label)}*"
    return f" — in {world} it often goes by **{escape(label)}**"


CONTEXT_QUESTION = "is this a company, a public service, a movement or a product team?"
