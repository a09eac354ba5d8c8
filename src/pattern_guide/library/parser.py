"""Parse a pattern body: sections by heading, then the parts the guide walks through."""

from __future__ import annotations

import re

from pattern_guide.library.model import Section, Step
from pattern_guide.text import plain

_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$")
_SECTION_PREFIX = re.compile(r"^(?:section\s+)?\d+[.:)]?\s*[:.\-–]?\s*", re.IGNORECASE)
_SIZE_HINT = re.compile(r"\s*\([^)]*\)\s*$")

# Section names of both format generations, mapped onto the eight v7 roles.
_ROLE_NAMES: dict[str, str] = {
    "context": "context",
    "overview": "context",
    "application context": "context",
    "when to use": "context",
    "problem": "problem",
    "solution": "solution",
    "core principles": "solution",
    "implementation": "implementation",
    "key practices": "implementation",
    "consequences": "consequences",
    "anti-patterns and gotchas": "consequences",
    "anti-patterns & gotchas": "consequences",
    "known uses": "known_uses",
    "evidence & impact": "known_uses",
    "evidence and impact": "known_uses",
    "cognitive era": "cognitive_era",
    "cognitive era considerations": "cognitive_era",
    "vitality": "vitality",
}

_STEP = re.compile(r"^\*\*\s*Step\s+(\d+)\s*[:.\-–]\s*(.+?)\s*\*\*\s*(.*)$", re.IGNORECASE | re.DOTALL)
_CONTEXT_WORDS: dict[str, str] = {
    "corporate": "corporate",
    "corporations": "corporate",
    "business": "corporate",
    "government": "government",
    "public sector": "government",
    "activist": "activist",
    "activists": "activist",
    "activism": "activist",
    "movement": "activist",
    "movements": "activist",
    "tech": "tech",
    "technology": "tech",
}
_CTX = r"(corporate|corporations|business|government|public sector|activists?|activism|movements?|tech|technology)"
_KINDS = (
    r"(?:contexts?|networks?|settings?|teams?|groups?|organi[sz]ations?|movements?|collectives?|spaces?|products?"
    r"|worlds?)"
)
# The spellings pattern files use for a paragraph written for one context:
_CONTEXT_LEADS = (
    # "In **corporate** contexts,", "In **government**,", "In **activist** coalitions:", "In **tech** (product),"
    re.compile(
        rf"^(?:In|For)\s+\*\*\s*{_CTX}\s*\*\*(?:\s+[a-z][\w\-]*){{0,3}}(?:\s*\([^)]{{1,30}}\))?\s*[:,]\s*",
        re.IGNORECASE,
    ),
    # "**In tech**:", "**Tech context**:", "**For activists:**", "**Corporate**:"
    re.compile(rf"^\*\*\s*(?:(?:In|For)\s+)?{_CTX}(?:\s+{_KINDS})?\s*[:,]?\s*\*\*\s*[:,]?\s*", re.IGNORECASE),
    # "In corporate contexts, ..." (no bold: needs the kind word, or it is ordinary prose)
    re.compile(rf"^(?:In|For)\s+{_CTX}\s+{_KINDS}\s*[:,]\s*", re.IGNORECASE),
)
_CONFLICT = re.compile(r"core conflict is\s+(.+?)\s*\.?\s*\**\s*$", re.IGNORECASE | re.MULTILINE)
_THEREFORE = re.compile(r"\bTherefore,\s*(.+?)(?:\*\*|$)", re.IGNORECASE | re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_SUBHEAD = re.compile(r"^\*\*([^*]+?)\*\*\s*:?\s*$")


def strip_section_number(heading: str) -> str:
    """A heading without its number: "Section 4: Implementation" and "4. Implementation" -> "Implementation"."""
    return _SECTION_PREFIX.sub("", heading.strip())


def section_role(heading: str) -> str | None:
    """Map a heading ("Section 4: Implementation", "3. Key Practices") to a role."""
    name = _SIZE_HINT.sub("", strip_section_number(heading)).strip().lower()
    return _ROLE_NAMES.get(name)


def split_sections(body: str, first_line: int) -> tuple[str, list[Section]]:
    """Split the body at headings; return the text before the first one and the sections."""
    lines = body.splitlines()
    preamble: list[str] = []
    sections: list[Section] = []
    current: tuple[str, int, list[str]] | None = None
    # Level-1 headings repeat the title in older files; they open no section. Headings
    # deeper than the shallowest section level stay inside their section's text.
    levels = [len(m.group(1)) for m in map(_HEADING.match, lines) if m and len(m.group(1)) >= 2]
    level = min(levels, default=2)
    for offset, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and len(match.group(1)) > level:
            match = None
        if match and len(match.group(1)) >= 2:
            if current:
                sections.append(_section(*current))
            current = (match.group(2), first_line + offset, [])
        elif current:
            current[2].append(line)
        elif not (match or _HEADING.match(line)):
            preamble.append(line)
    if current:
        sections.append(_section(*current))
    return "\n".join(preamble), sections


def _section(heading: str, line: int, body: list[str]) -> Section:
    text = "\n".join(body).strip()
    text = re.sub(r"\n-{3,}\s*$", "", text).strip()
    return Section.of(heading, section_role(heading), line, text)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, stripped, horizontal rules dropped."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text)]
    return [b for b in blocks if b and not re.fullmatch(r"-{3,}|\*{3,}", b)]


def context_of(paragraph: str) -> tuple[str | None, str]:
    """The context a paragraph is written for, and the paragraph without its lead-in."""
    for lead in _CONTEXT_LEADS:
        match = lead.match(paragraph)
        if match:
            context = _CONTEXT_WORDS[match.group(1).lower()]
            rest = paragraph[match.end() :].strip()
            return context, rest[:1].upper() + rest[1:] if rest else rest
    return None, paragraph


# What a block's title starts with when the block is written for one context: "**Corporate executives**:",
# "**For government and public service**", "**Activist translation**", "**Tech (Listening Quality AI)**",
# "### In Product and Tech Settings". The Commons library writes a quarter of its Implementation sections
# this way, by context rather than by step.
_TITLE_CONTEXTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"^(?:(?:in|for|within)\s+(?:the\s+|an?\s+)?(?:\w+\s+){{0,1}})?(?:{words})\b", re.IGNORECASE))
    for name, words in (
        ("corporate", r"corporat\w*|business(?:es)?|compan(?:y|ies)|enterprises?|executives?|workplaces?"),
        ("government", r"government\w*|public[ -](?:service|sector|policy|institutions?|administration|servants?)"
         r"|civic|municipal\w*|civil servants?|policymakers?|agenc(?:y|ies)"),
        ("activist", r"activis\w+|movements?|organi[sz]ers?|organi[sz]ing|grassroots|campaigns?"),
        ("tech", r"tech\b|technolog\w*|products?(?: teams?)?|engineer\w*|software|developers?|ai\b|ai-\w+|digital"),
    )
)  # fmt: skip
IN_YOUR_SETTING = "In your setting"


def _context_block(paragraph: str) -> tuple[str, str] | None:
    """The context a block is titled for, and its text; a title that says more than the context
    ("Corporate (Client Relationship Management)", "Government context: Peer Support") keeps that part."""
    lead = _lead_step(paragraph)
    if lead is None:
        return None
    title = plain(lead[0]).strip().strip("[]").strip()
    name = next((name for name, pattern in _TITLE_CONTEXTS if pattern.match(title)), None)
    # "For organisations (corporate)"
    said = re.search(r"\((corporate|government|activist|tech)\b", title, re.IGNORECASE)
    if name is None and said is None:
        return None
    rest = lead[1].strip()
    body = rest[:1].upper() + rest[1:]
    more = re.search(r"\(([^)]{3,80})\)|:\s*(.{3,80})$", title)
    subtitle = (more.group(1) or more.group(2)).strip() if more else ""
    if subtitle and not re.fullmatch(r"(?:corporate|government|activist|tech)\b.{0,12}", subtitle, re.IGNORECASE):
        body = f"**{subtitle}.** {body}"
    return name or said.group(1).lower(), body  # type: ignore[union-attr]


def parse_steps(section: Section) -> list[Step]:
    """`**Step N: title**` blocks with their general and per-context paragraphs.

    Files without explicit steps often lead each practice with a bold phrase
    ("**Map your value flows first.** ...") or a sub-heading; those become the steps. Blocks titled for
    a context ("**For government and public service**: ...") are that context's paragraphs of the step
    before them, or of one step "In your setting" when they come first, once a section has them for two
    contexts or more.
    """
    blocks = _paragraph_lines(section)
    explicit = any(_STEP.match(para) for para, _ in blocks)
    titled = {para: found for para, _ in blocks if not _STEP.match(para) and (found := _context_block(para))}
    led = {context_of(para)[0] for para, _ in blocks} - {None}  # "In **corporate** contexts, ..."
    if len({name for name, _ in titled.values()} | led) < 2:
        titled = {}
    steps: list[Step] = []
    for para, line in blocks:
        if para in titled:
            if not steps:
                steps.append(Step(number=1, title=IN_YOUR_SETTING, text="", line=line))
            name, body = titled[para]
            steps[-1].contexts.setdefault(name, []).append(body)
            continue
        match = _STEP.match(para)
        lead = None if explicit or match else _lead_step(para)
        if match or lead:
            title, rest = (match.group(2), match.group(3)) if match else lead  # type: ignore[misc]
            title = plain(title).strip().rstrip(".:").strip()
            steps.append(Step(number=len(steps) + 1, title=title, text=rest.strip(), line=line))
            continue
        if not steps:
            continue
        context, body = context_of(para)
        step = steps[-1]
        if context:
            step.contexts.setdefault(context, []).append(body)
        elif not (step.title == IN_YOUR_SETTING and para.endswith(":")):  # "...use this sequence:" leads on
            step.text = f"{step.text}\n\n{para}".strip()
    return steps


def _lead_step(paragraph: str) -> tuple[str, str] | None:
    """A paragraph that opens with a sub-heading or a bold phrase names a practice."""
    if context_of(paragraph)[0]:
        return None
    first, _, after = paragraph.partition("\n")
    heading = re.match(r"^#{3,6}\s+(?:Step\s+\d+\s*[:.\-–]\s*|\d+[.)]\s*)?(.+?)\s*$", first)
    if heading:
        return heading.group(1), after
    match = re.match(r"^(?:\d+[.)]\s+)?\*\*(?:\d+[.)]\s*)?([^*\n]{3,140}?)\*\*(.*)$", paragraph, re.DOTALL)
    if not match:
        return None
    title, rest = match.group(1), match.group(2).lstrip(":").strip()
    if title.rstrip().endswith(":") and not rest:
        return None  # an introduction ("The practice unfolds in five acts:"), not a step
    return title, rest


def _paragraph_lines(section: Section) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    line = section.line + 1
    for block in re.split(r"(\n\s*\n)", section.text):
        if block.strip() and not re.fullmatch(r"\s*(-{3,}|\*{3,})\s*", block):
            out.append((block.strip(), line + (len(block) - len(block.lstrip("\n")))))
        line += block.count("\n")
    return out


def tension_from_problem(section: Section | None) -> str | None:
    """The "core conflict is X vs. Y" line of the Problem section."""
    if not section:
        return None
    match = _CONFLICT.search(section.text)
    if not match:
        return None
    return plain(match.group(1)).rstrip(".").strip() or None


def solution_sentence(section: Section | None) -> str | None:
    """The "Therefore, ..." instruction, as plain text."""
    if not section:
        return None
    match = _THEREFORE.search(section.text)
    if not match:
        first = paragraphs(section.text)
        return plain(first[0]) if first else None
    sentence = plain(match.group(1)).strip()
    return "Therefore, " + sentence


def vitality_parts(section: Section | None) -> tuple[list[str], list[str], str]:
    """Signs of life, signs of decay and the replanting advice of the Vitality section."""
    if not section:
        return [], [], ""
    life: list[str] = []
    decay: list[str] = []
    replant: list[str] = []
    target: list[str] | None = None
    bucket = ""
    for para in paragraphs(section.text):
        head = _SUBHEAD.match(para.split("\n", 1)[0])
        lowered = para.lower()
        if head or lowered.startswith("**signs") or lowered.startswith("**when to replant"):
            label = (head.group(1) if head else para.split("**")[1]).lower()
            bucket = (
                "life" if "life" in label else "decay" if "decay" in label else "replant" if "replant" in label else ""
            )
            target = {"life": life, "decay": decay, "replant": replant}.get(bucket)
            remainder = para.split("\n", 1)[1] if "\n" in para else ""
            if head is None:
                remainder = para.split("**", 2)[2].lstrip(":").strip() if para.count("**") >= 2 else ""
            para = remainder.strip()
            if not para:
                continue
        if target is None:
            continue
        if bucket == "replant":
            replant.append(plain(para))
            continue
        items = _bullets(para)
        target.extend(items if items else [plain(para)])
    return life, decay, "\n\n".join(replant)


def _bullets(block: str) -> list[str]:
    items: list[str] = []
    for line in block.splitlines():
        match = _BULLET.match(line)
        if match:
            items.append(match.group(1).strip())
        elif items and line.strip():
            items[-1] = f"{items[-1]} {line.strip()}"
    return [plain(i) for i in items if i]
