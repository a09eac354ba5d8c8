"""Listening: the replies while the guide hears the situation — greeting, matches, clarifying, asides.

Deterministic and model-free; each returns Markdown and the sections it drew on.
"""

from __future__ import annotations

import re

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Passage, Pattern
from pattern_guide.library.parser import strip_section_number
from pattern_guide.replies.phrasing import CONTEXT_QUESTION, WORLD, Draft, excerpt, name_in, status
from pattern_guide.text import escape, plain, sentences, shorten, terms


def welcome() -> Draft:
    return (
        "Hello — I'm Pattern Guide. Tell me what keeps happening in your group, in your own words: "
        "who is involved, what gets stuck, what it costs. I'll name the tension I hear and offer "
        "patterns that have helped others.",
        [],
    )


def welcome_at(pattern: Pattern, context: str | None) -> Draft:
    """The greeting of a conversation begun from the library at one pattern, in the context chosen there."""
    lens = f", seen for {WORLD[context]}" if context in WORLD else ""
    return (
        f"Hello — I'm Pattern Guide. You chose **{escape(pattern.title)}** in the library{lens}. Let's walk it "
        "together: first what it asks of you, then a word about your own situation, then the steps one at a time "
        "— and at the end a plan to take away.",
        [],
    )


def matches(state: GuideState, library: Library, tension: str | None) -> Draft:
    """Reflect the tension back, then offer the candidates shown so far."""
    first = state.shown - 3 if state.shown > 3 else 0
    offered = state.candidates[first : state.shown]
    top = library.patterns.get(offered[0].slug) if offered else None
    echo = excerpt(carrying_clause(state.situation, top), 160)
    lines = []
    named = library.patterns.get(state.echo.slug) if state.echo else None
    if first == 0 and state.echo and named:
        lines.append(
            f"That sounds like a practice you already have. It is what **{escape(named.title)}** calls "
            f"*{escape(state.echo.title)}* — a sign of decay. I can go straight to the replanting move for it "
            "(say `replant`), or check how the rest of the practice is doing (say `check`).\n"
        )
        lines.append("Or, if you would rather look at it afresh, these patterns fit:\n")
    elif first == 0:
        if tension or top is None:
            lines.append(f"What I hear in “{escape(echo)}” is a tension of **{escape(tension or 'competing needs')}**.")
        else:  # the top pattern's label names no tension: say what the pattern is about instead
            lines.append(f"What I hear in “{escape(echo)}” is what **{escape(top.title)}** is about.")
        if state.context:
            lines.append(f"I'll read it through the lens of {WORLD[state.context]} ({state.context}).")
        lines.append("\nThese patterns fit best:\n")
    else:
        lines.append("Here are more patterns that could fit:\n")
    given: list[Passage] = []
    for n, cand in enumerate(offered, start=first + 1):
        pattern = library.patterns.get(cand.slug)
        if not pattern:
            continue
        lines.append(f"**{n}. {escape(pattern.title)}**{name_in(pattern, state.context)}  ")
        tension = f"Tension: {escape(pattern.named_tension)} · " if pattern.named_tension else ""
        lines.append(f"{tension}{status(pattern)}")
        for quote in [q for q in cand.why if not _other_context(q.text, state.context)][:2]:
            lines.append(f"> “{escape(excerpt(quote.text, 240))}” — *{escape(quote.section)}*\n")
            section = next((s for s in pattern.sections if s.heading == quote.section), None)
            if section:
                given.append(Passage(slug=pattern.slug, section=section.heading, text=section.text))
        lines.append("")
    more = " or ask for more options" if state.shown < len(state.candidates) else ""
    lines.append(f"Which one sounds closest? Pick it by number or name{more} — or tell me more about your situation.")
    if state.context is None and first == 0:
        lines.append(f"\nOne question, so I can translate it for you: {CONTEXT_QUESTION}")
    return "\n".join(lines), given


# "I coordinate volunteers at a food bank", "We're a team of six": who they are, which tells the context, not
# the tension; a clause about what keeps happening is echoed before it.
_INTRODUCTION = re.compile(
    r"^(?:i|we)(?:'m|'re| am| are| work| run| lead| coordinate| manage| chair| look after| oversee| volunteer)\b"
    r"|^(?:i'm|we're|i am|we are) (?:a|an|the|part of)\b|^(?:my|our) (?:job|role) is\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r",\s+(?:but|and|so|because|which|while)\s+|;\s*|\s+[—–-]\s+")


# Paragraph lead-ins that say which world a passage is written for ("In a company, …", "For activists: …").
_LEADS = {
    "corporate": re.compile(r"^(in|for) (a |an |the )?(company|companies|corporate|business|firm)", re.IGNORECASE),
    "government": re.compile(r"^(in|for) (a |an |the )?(government|public|council|ministry|agency)", re.IGNORECASE),
    "activist": re.compile(
        r"^(in|for) (a |an |the )?(movement|activist|campaign|volunteer|union|co-?op)", re.IGNORECASE
    ),
    "tech": re.compile(r"^(in|for) (a |an |the )?(tech|product|software|engineering|startup)", re.IGNORECASE),
}


def _other_context(text: str, context: str | None) -> bool:
    """A passage written for another world than the person's (or for one world, when theirs is unknown)."""
    said = plain(text).lstrip("“\"' ")
    return any(lead.match(said) for name, lead in _LEADS.items() if name != context)


def carrying_clause(situation: str, pattern: Pattern | None) -> str:
    """The clause of the person's words that carries the tension the pattern is about."""
    parts = [line.strip() for line in situation.split("\n") if line.strip()]
    whole = " ".join(p if p[-1] in ".!?…" else f"{p}." for p in parts)
    if pattern is None:
        return whole
    about = " ".join([pattern.tension or "", pattern.meta.summary or "", *(s.text for s in pattern.sections[:3])])
    wanted = set(terms(about))
    clauses = [c.strip() for sentence in sentences(whole) for c in _CLAUSE.split(sentence) if len(c.split()) >= 4]
    if not clauses:
        return whole
    scored = [(len(set(terms(c)) & wanted) / (len(c.split()) ** 0.5), -i, c) for i, c in enumerate(clauses)]
    # Who they are is echoed only when no other clause shares a word with the pattern.
    about_them = [row for row in scored if not _INTRODUCTION.match(row[2]) and row[0] > 0]
    best = max(about_them or scored)
    return best[2] if best[0] > 0 else whole


def _problem_line(pattern: Pattern) -> str:
    """The first sentence of a pattern's Problem section: a situation in concrete words, not a label."""
    section = pattern.section("problem")
    for paragraph in section.text.split("\n\n") if section else []:
        text = plain(paragraph)
        if text and "core conflict" not in text.lower():
            return shorten((sentences(text) or [text])[0], 160)
    return ""


def _reading(pattern: Pattern, line: str) -> str:
    tension = f"**{escape(pattern.named_tension)}**: " if pattern.named_tension else f"**{escape(pattern.title)}**: "
    return f"{tension}“{escape(line)}”"


def clarify(state: GuideState, library: Library) -> Draft:
    """One clarifying question when the situation is thin or the matches are too close."""
    top = [library.patterns[c.slug] for c in state.candidates[:2] if c.slug in library.patterns]
    readings = [_problem_line(p) for p in top]
    if len(top) == 2 and all(readings):
        # Each reading is named by its tension too: two problem lines can sound alike ("urgent" / "urgency").
        first, second = (_reading(p, r) for p, r in zip(top, readings, strict=True))
        ask = (
            f"I can read this two ways. Is it closer to {first} — or to {second}? "
            "And what happens, concretely, when it goes wrong?"
        )
    else:
        ask = "Could you say a little more — who is involved, what gets stuck, and what it costs you?"
    return f"Before I suggest anything: {ask}", []


def answer(
    question: str, passages: list[Passage], resume: str, titles: dict[str, str] | None = None,
    in_hand: str | None = None,
) -> Draft:  # fmt: skip
    """A free question answered from the passages that speak to it, lists kept as lists, each cited.

    ``in_hand``: the title of the pattern being walked, when none of its passages speak to the question."""
    asked = escape(excerpt(question, 120))
    if not passages:
        return f"The patterns I know don't cover “{asked}” directly, so I won't guess. {resume}", []
    names = titles or {}
    if in_hand:
        lines = [
            f"**{escape(in_hand)}** doesn't speak to that directly. Here is what other patterns say about “{asked}”:\n"
        ]
    else:
        lines = [f"Here is what the patterns say about “{asked}”:\n"]
    for given in passages[:3]:
        name = names.get(given.slug, given.slug)
        lines.append(f"**{escape(name)}** — *{escape(strip_section_number(given.section))}*:\n")
        lines.append(_as_markdown(given.text, 700))
        lines.append(f"{given.citation}\n")
    lines.append(resume)
    return "\n".join(lines), passages[:3]


_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


def _as_markdown(text: str, limit: int) -> str:
    """A passage as safe Markdown: its bullet and numbered items stay a list, the rest a paragraph."""
    out: list[str] = []
    prose: list[str] = []
    used = 0
    for line in text.splitlines():
        item = _ITEM.match(line)
        if item:
            if prose:
                out.append(escape(excerpt(" ".join(prose), limit)))
                prose = []
            out.append(f"- {escape(excerpt(item.group(1), 240))}")
            used += len(item.group(1))
        elif line.strip():
            prose.append(line.strip())
        if used > limit:
            break
    if prose:
        out.append(escape(excerpt(" ".join(prose), limit)))
    return "\n".join(out) + "\n"


def redirect(state: GuideState | None = None) -> Draft:
    """Outside what the guide is for; in the middle of a walk, it says where we were (nothing is filed)."""
    text = (
        "That sounds outside what I can help with — I'm a guide to how groups organise: decisions, "
        "meetings, workload, conflict, volunteers, shared resources."
    )
    if state is None or state.stage in (Stage.INTAKE, Stage.CLARIFY):
        return text + " Tell me about a situation like that and I'll find patterns that fit.", []
    return f"{text} I haven't kept that as a note. {resume_hint(state)}", []


def ambiguous(library: Library, slugs: list[str]) -> Draft:
    """One short question naming the patterns a message could mean."""
    names = [f"**{escape(library.patterns[s].title)}**" for s in slugs if s in library.patterns]
    if len(names) < 2:
        return "I'm not sure which pattern you mean — could you say its name?", []
    return f"Do you mean {', '.join(names[:-1])} or {names[-1]}? Say the name and we'll go on.", []


def other_language(name: str, state: GuideState) -> Draft:
    """Honest about what the guide can do in another language, offline."""
    return (
        f"I can see you are writing in {name}. Offline, I can only read and answer in English — the patterns "
        f"I know are written in English too. If you can, tell me again in English (a few plain sentences are "
        f"plenty). With a language model configured (see the README), I can reply in {name}. "
        f"{resume_hint(state)}",
        [],
    )


def resume_hint(state: GuideState) -> str:
    """Where the conversation was, in a sentence, after a question or an aside."""
    return {
        Stage.INTAKE: "Tell me about your situation when you're ready.",
        Stage.CLARIFY: "Now, back to my question about your situation.",
        Stage.MATCHES: "Back to the patterns above — pick one by number or name, or ask for more.",
        Stage.ADAPT: "Say `next` when you're ready for step 1.",
        Stage.STEPS: f"We were on step {state.step + 1} — tell me what it would look like for you, or say `next`.",
        Stage.VITALITY: "Back to the vitality check: is that sign true for you — `yes`, `partly` or `no`?",
        Stage.PLAN: "Your plan is above; say `restart` to begin again.",
        Stage.DRAFT: "Back to your draft — answer the question above, `skip` it, or say “save it”.",
    }[state.stage]
