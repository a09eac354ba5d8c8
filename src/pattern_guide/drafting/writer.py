"""The draft as a Commons-format pattern file, built from the person's answers alone (no model needed).

All seven front-matter groups are written, with their banners, and the eight sections in the
format's order; a section the interview left empty says what is missing. The person's words
are quoted for YAML by :func:`yaml_text` (they can never end a field, add a key or close the
front matter) and escaped for Markdown in the body (they can never open a heading or a step).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel

from pattern_guide import text as toolkit
from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.library.model import SECTION_ROLES

LINK_WEIGHT = 0.3  # the patterns the guide offered: related, but the person said they do not fit
MAX_LINKS = 3
SECTION_HEADINGS: tuple[str, ...] = (
    "Section 1: Context",
    "Section 2: Problem",
    "Section 3: Solution",
    "Section 4: Implementation",
    "Section 5: Consequences",
    "Section 6: Known Uses",
    "Section 7: Cognitive Era",
    "Section 8: Vitality",
)
assert len(SECTION_HEADINGS) == len(SECTION_ROLES)
BANNER = "# " + "═" * 67
GROUPS = (
    "CORE IDENTITY",
    "CONTEXTUAL TRANSLATION (The Navigator Engine)",
    "ONTOLOGY & SEARCH OPTIMIZATION (The RAG Fuel)",
    "LIFECYCLE & CONFIDENCE",
    "HARD RELATIONSHIPS (Human-Curated Graph)",
    "GRAPH GARDEN (Machine-Written Graph)",
    "PROVENANCE",
)
MISSING = {
    "context": "where this happens and how it feels there",
    "problem": "what keeps happening and what it costs",
    "tension": "the two forces that pull against each other, as “X vs. Y”",
    "solution": "what you would do about it, as “Therefore, …”",
    "steps": "the first steps, each as a **Step N** with what it takes",
    "consequences": "what this makes possible, and what it could let decay if nobody tends it",
    "known_uses": "at least two stories of this pattern in action — your own group may be the first",
    "cognitive_era": "how AI and automated tools change this pattern",
    "life": "the signs that the pattern is alive",
    "decay": "the signs that it is decaying",
    "replant": "what to do when the signs of decay show",
}
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
# What PyYAML refuses in a stream, and the characters it reads as line breaks: written as \u escapes.
_YAML_UNSAFE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null"})
_SIDES = re.compile(r"\s+(?:vs\.?|versus|against)\s+|\s+or\s+", re.IGNORECASE)


class DraftFile(BaseModel):
    """One written draft: its identity and the text of the file."""

    id: str
    slug: str
    title: str
    text: str


def clean(text: str) -> str:
    """The person's text without control characters, NULs or lone surrogates (what would break a file)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))


def yaml_text(text: str) -> str:
    """One line of text as a YAML double-quoted scalar: nothing in it can end the field or add a key."""
    line = " ".join(clean(text).split())
    quoted = json.dumps(line, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def slugify(text: str, limit: int = 60) -> str:
    """A file-safe slug of lower-case ASCII words ("Meetings that eat Fridays" -> "meetings-that-eat-fridays")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    if not slug:
        return "our-own-pattern"
    # A slug YAML would read as a number, a date or a yes/no would not load as a slug.
    return f"pattern-{slug}" if slug[0].isdigit() or slug in _YAML_WORDS else slug


def fresh_slug(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever no loaded pattern or saved draft has."""
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def mint_id(now: float | None = None) -> str:
    """A fresh pattern id like the format's: ``pat_`` and 26 base32 characters (time first, then random)."""
    millis = int((time.time() if now is None else now) * 1000) & ((1 << 48) - 1)
    value = (millis << 80) | secrets.randbits(80)
    return "pat_" + "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def tension_of(answer: str) -> str:
    """The tension as "X vs. Y" when the person named two sides; otherwise their words as they are."""
    line = " ".join(clean(answer).split()).strip().rstrip(".!")
    parts = _SIDES.split(line, maxsplit=1)
    if len(parts) == 2 and all(p.strip() for p in parts):
        return f"{parts[0].strip()} vs. {parts[1].strip()}"
    return line


def title_of(answers: DraftAnswers, situation: str) -> str:
    """The person's name for it; else the two sides of the tension; else the start of what keeps happening."""
    name = " ".join(clean(answers.answers.get("name", "")).split()).strip(" .!\"'“”")
    if name:
        return toolkit.shorten(name[:1].upper() + name[1:], 80)
    tension = tension_of(answers.answers.get("tension", ""))
    if " vs. " in tension:
        left, right = tension.split(" vs. ", 1)
        return toolkit.shorten(f"Between {left} and {right}", 80)
    said = answers.answers.get("problem") or situation
    first = (toolkit.sentences(clean(said)) or [""])[0].rstrip(".!?")
    return toolkit.shorten(first[:1].upper() + first[1:], 48) if first else "Our Own Pattern"


def keywords(texts: Iterable[str], limit: int = 6) -> list[str]:
    """The person's most used content words, for the search hints."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for text in texts:
        for word in re.findall(r"[a-z]+", clean(text).lower()):
            if word in toolkit.STOP_WORDS or word in ("versus", "against") or len(word) < 4:
                continue
            stem = toolkit.stem(word)
            counts[stem] += 1
            first.setdefault(stem, word)
    return [first[s] for s, _ in counts.most_common(limit)]


def items(text: str, limit: int = 6) -> list[str]:
    """An answer as a list: its lines, else its "; "-separated parts, else its sentences."""
    lines = [_BULLET.sub("", ln).strip() for ln in clean(text).splitlines() if ln.strip()]
    if len(lines) == 1:
        line = lines[0]
        lines = [p.strip() for p in line.split(";") if p.strip()] if ";" in line else toolkit.sentences(line)
    return [ln for ln in lines if ln][:limit]


def _missing(key: str) -> str:
    return f"_Not written yet: {MISSING[key]}._"


def _said(text: str) -> str:
    return toolkit.escape(clean(text))


def _front_matter(
    answers: DraftAnswers, draft_id: str, slug: str, title: str, situation: str, context: str | None, domain: str | None
) -> list[str]:
    said = answers.answers
    summary = (toolkit.sentences(clean(said.get("problem") or situation)) or ["A pattern drafted in a conversation."])[
        0
    ]
    tension = tension_of(said.get("tension", ""))
    links = [s for s in dict.fromkeys(answers.offered) if s != slug][:MAX_LINKS]
    words = keywords([said.get("tension", ""), said.get("problem", ""), said.get("solution", ""), situation])

    def banner(number: int) -> list[str]:
        return [BANNER, f"# GROUP {number}: {GROUPS[number - 1]}", BANNER]

    out = ["---", *banner(1), f"id: {draft_id}", f"slug: {slug}", f"title: {yaml_text(title)}", "aliases: []"]
    out += [f"summary: {yaml_text(toolkit.shorten(summary, 300))}", "", *banner(2)]
    out += [f"context_labels:\n  {context}: {yaml_text(title)}" if context else "context_labels: {}", "", *banner(3)]
    out += ["ontology:", f"  domain: {yaml_text(domain or 'unsorted')}", "  cross_domains: []", "  search_hints:"]
    out += [f"    primary_tension: {yaml_text(tension) if tension else 'null'}"]
    out += [f"    vector_keywords: [{', '.join(yaml_text(w) for w in words)}]"]
    out += ["  # commons_assessment: scored once the pattern has been tried, with the format's rubric", ""]
    out += [*banner(4), "lifecycle:", "  usage_stage: creation", "  adoption_stage: emerging", "  status: draft"]
    out += ['  version: "0.1"', "  confidence: 1", "", *banner(5), "relationships:"]
    for kind in ("generalizes_from", "specializes_to", "enables", "requires"):
        out.append(f"  {kind}: []")
    out += ["  alternatives:" if links else "  alternatives: []"]
    out += [f"    - slug: {yaml_text(s)}\n      weight: {LINK_WEIGHT}" for s in links]
    out += ["  complementary: []", "  tools: []", "", *banner(6), "graph_garden:"]
    out += [f"  last_pruned: {dt.date.today().isoformat()}", "  entities: []", "  communities: []"]
    out += ["  inferred_links: []", "", *banner(7), 'contributors: ["a Pattern Guide conversation"]']
    out += ["sources: []", "license: CC-BY-SA-4.0", 'attribution: "Drafted with Pattern Guide"', "---", ""]
    return out


def _body(answers: DraftAnswers, situation: str) -> list[str]:
    said = answers.answers
    summary = (toolkit.sentences(clean(said.get("problem") or situation)) or ["A pattern drafted in a conversation."])[
        0
    ]
    out = [_said(toolkit.shorten(summary, 300)), ""]
    out += [
        "> [!NOTE] Confidence Rating: ★☆☆ (Draft)",
        "> Drafted from one conversation; not yet tried or reviewed.",
        "",
    ]

    def section(number: int, lines: list[str]) -> None:
        out.extend(["---", "", f"### {SECTION_HEADINGS[number - 1]}", "", *lines, ""])

    context = [_said(said["context"])] if said.get("context") else [_missing("context")]
    if situation.strip():
        context += [
            "",
            "How it was first put in the conversation:",
            "",
            *[f"> {ln}" for ln in _said(situation).split("\n")],
        ]
    section(1, context)
    tension = tension_of(said.get("tension", ""))
    problem = [f"> **The core conflict is {_said(tension)}.**" if tension else _missing("tension"), ""]
    section(2, problem + [_said(said["problem"]) if said.get("problem") else _missing("problem")])
    solution = re.sub(r"^\s*therefore,?\s*", "", clean(said.get("solution", "")), flags=re.IGNORECASE).strip()
    solution = solution.rstrip(".!")
    section(3, [f"> **Therefore, {_said(solution)}.**" if solution else _missing("solution")])
    steps: list[str] = []
    for number, step in enumerate(items(said.get("steps", "")), start=1):
        title = toolkit.shorten(step.rstrip(".!?"), 90)
        steps += [f"**Step {number}: {_said(title)}.**", ""]
        steps += [_said(step), ""] if title != step.rstrip(".!?") else []
    section(4, steps[:-1] if steps else [_missing("steps")])
    section(5, [_missing("consequences")])
    section(6, [_missing("known_uses")])
    section(7, [_missing("cognitive_era")])
    vitality = ["**Signs of life:**", ""]
    vitality += [f"- {_said(s)}" for s in items(said.get("life", ""))] or [_missing("life")]
    vitality += ["", "**Signs of decay:**", ""]
    vitality += [f"- {_said(s)}" for s in items(said.get("decay", ""))] or [_missing("decay")]
    section(8, [*vitality, "", "**When to replant:**", "", _missing("replant")])
    return out


def write_draft(
    answers: DraftAnswers,
    situation: str,
    taken: Iterable[str],
    context: str | None = None,
    domain: str | None = None,
    draft_id: str | None = None,
) -> DraftFile:
    """The draft's file in the Commons format, under a fresh slug that collides with nothing in ``taken``."""
    title = title_of(answers, situation)
    slug = fresh_slug(slugify(title), taken)
    draft_id = draft_id or mint_id()
    lines = _front_matter(answers, draft_id, slug, title, clean(situation), context, domain)
    lines += _body(answers, clean(situation))
    return DraftFile(id=draft_id, slug=slug, title=title, text="\n".join(lines).rstrip() + "\n")
