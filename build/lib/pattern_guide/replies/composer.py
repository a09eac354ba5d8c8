"""The offline composer: every reply of the guide, built from the pattern text itself.

Deterministic and model-free. Each function returns Markdown and the sections it drew
on (so a language model that rewrites the draft may cite exactly those).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from pattern_guide.conversation.state import GuideState
from pattern_guide.export.plans import plan_markdown
from pattern_guide.library.contexts import lens
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Passage, Pattern
from pattern_guide.replies.tasks import ReplyTask
from pattern_guide.text import escape, plain, shorten
from pattern_guide.vitality.reading import reading as compute
from pattern_guide.vitality.replanting import replanting

Draft = tuple[str, list[Passage]]
CONFIDENCE = {1: "★ emerging", 2: "★★ promising", 3: "★★★ established"}
_WORLD = {
    "corporate": "an organisation",
    "government": "a public service",
    "activist": "a movement",
    "tech": "a product team",
}


def _quote(text: str, limit: int = 320) -> str:
    return shorten(plain(text), limit)


def _sections(pattern: Pattern, *roles: str) -> list[Passage]:
    out = []
    for role in roles:
        section = pattern.section(role)
        if section:
            out.append(Passage(slug=pattern.slug, section=section.heading, text=section.text))
    return out


def _status(pattern: Pattern) -> str:
    life = pattern.meta.lifecycle
    stars = CONFIDENCE.get(int(life.confidence or 0), "confidence not stated")
    return f"{stars}, {life.status or 'status not stated'}"


def _name_in(pattern: Pattern, context: str | None) -> str:
    label = pattern.context_label(context)
    return f" — in {_WORLD.get(context or '', 'your world')} it often goes by **{escape(label)}**" if label else ""


def welcome() -> Draft:
    return (
        "Hello — I'm Pattern Guide. Tell me what keeps happening in your group, in your own words: "
        "who is involved, what gets stuck, what it costs. I'll name the tension I hear and offer "
        "patterns that have helped others.",
        [],
    )


def matches(state: GuideState, library: Library, tension: str | None) -> Draft:
    """Reflect the tension back, then offer the candidates shown so far."""
    first = state.shown - 3 if state.shown > 3 else 0
    offered = state.candidates[first : state.shown]
    # The situation may have come in several messages: keep them apart as sentences.
    parts = [line.strip() for line in state.situation.split("\n") if line.strip()]
    words = " ".join(p if p[-1] in ".!?…" else f"{p}." for p in parts)
    echo = _quote(words, 160)
    lines = []
    if first == 0:
        lines.append(f"What I hear in “{escape(echo)}” is a tension of **{escape(tension or 'competing needs')}**.")
        if state.context:
            lines.append(f"I'll read it through the lens of {_WORLD[state.context]} ({state.context}).")
        lines.append("\nThese patterns fit best:\n")
    else:
        lines.append("Here are more patterns that could fit:\n")
    given: list[Passage] = []
    for n, cand in enumerate(offered, start=first + 1):
        pattern = library.patterns.get(cand.slug)
        if not pattern:
            continue
        lines.append(f"**{n}. {escape(pattern.title)}**{_name_in(pattern, state.context)}  ")
        lines.append(f"Tension: {escape(pattern.tension or '—')} · {_status(pattern)}")
        for quote in cand.why[:2]:
            lines.append(f"> “{escape(_quote(quote.text, 240))}” — *{escape(quote.section)}*\n")
            section = next((s for s in pattern.sections if s.heading == quote.section), None)
            if section:
                given.append(Passage(slug=pattern.slug, section=section.heading, text=section.text))
        lines.append("")
    more = " or `more` for other options" if state.shown < len(state.candidates) else ""
    lines.append(f"Pick one by number or name{more} — or tell me more about your situation.")
    return "\n".join(lines), given


def clarify(state: GuideState, library: Library) -> Draft:
    """One clarifying question when the situation is thin or the matches are too close."""
    top = [library.patterns[c.slug] for c in state.candidates[:2] if c.slug in library.patterns]
    if len(top) == 2 and top[0].tension and top[1].tension:
        ask = (
            f"I can read this two ways: as **{escape(top[0].tension)}** or as **{escape(top[1].tension)}**. "
            "Which is closer — and what happens, concretely, when it goes wrong?"
        )
    else:
        ask = "Could you say a little more — who is involved, what gets stuck, and what it costs you?"
    return f"Before I suggest anything: {ask}", []


def adapt(state: GuideState, pattern: Pattern, library: Library) -> Draft:
    """The solution in the person's context, and what it requires first."""
    ctx = state.context
    lines = [f"## {escape(pattern.title)}{_name_in(pattern, ctx)}", ""]
    lines.append(f"**Tension:** {escape(pattern.tension or '—')} · {_status(pattern)}")
    lines.append("")
    if pattern.solution:
        lines.append(f"> {escape(_quote(pattern.solution, 600))}")
    first_step = pattern.steps[0] if pattern.steps else None
    if first_step and ctx:
        used, paras = lens(first_step.contexts, ctx)
        if paras and used == ctx:
            lines.append(f"\nFor {_WORLD[ctx]}, that starts like this: {escape(_quote(paras[0], 400))}")
    requires = [library.patterns[r.slug] for r in pattern.meta.relationships.requires if r.slug in library.patterns]
    if requires:
        names = "; ".join(f"**{escape(p.title)}** ({escape(p.tension or '')})" for p in requires)
        lines.append(f"\nIt works best when you already have: {names}. Do you have that in place?")
    lines.append(
        f"\nThe pattern has {len(pattern.steps)} steps. Tell me what you already have in place, "
        "or say `next` to start with step 1."
    )
    return "\n".join(lines), _sections(pattern, "solution", "implementation")


def step(state: GuideState, pattern: Pattern) -> Draft:
    """One step, in the person's context, with a question about what it would look like for them."""
    if not pattern.steps:
        return (
            "This pattern has no numbered steps. Say `vitality` to check its signs with me, or `plan` for your plan.",
            [],
        )
    st = pattern.steps[min(state.step, len(pattern.steps) - 1)]
    ctx = state.context
    lines = [f"### Step {st.number} of {len(pattern.steps)}: {escape(st.title)}", ""]
    if st.text:
        lines.append(escape(_quote(st.text, 900)))
    used, paras = lens(st.contexts, ctx)
    if paras:
        if ctx and used != ctx:
            lines.append(f"\n*The pattern has no {ctx} paragraph for this step; the closest is {used}:*")
        elif used:
            lines.append(f"\n**In {used} contexts:**")
        lines.append(escape(_quote(paras[0], 900)))
    note = state.notes.get(st.number)
    if note:
        lines.append(f"\n*Your note so far:* {escape(note)}")
    where = _WORLD.get(ctx or "", "your group")
    lines.append(
        f"\n**What would this step look like for {where}?** "
        "Your answer is kept as a note. (`next`, `back`, `skip`, `context NAME`)"
    )
    return "\n".join(lines), _sections(pattern, "implementation")


def vitality_question(state: GuideState, pattern: Pattern) -> Draft:
    """One sign of life or decay, to answer yes / partly / no."""
    if not state.vitality:
        return "This pattern lists no vitality signs. Say `plan` for your plan.", []
    item = state.vitality[state.vitality_index]
    kind = "Sign of life" if item.kind == "life" else "Sign of decay"
    lines = []
    if state.vitality_index == 0:
        lines.append(f"Let's check the vitality of **{escape(pattern.title)}** with you, one sign at a time.\n")
    lines.append(f"**{kind} {state.vitality_index + 1} of {len(state.vitality)}:** {escape(item.text)}")
    lines.append("\nIs this true for you? `yes`, `partly` or `no`.")
    return "\n".join(lines), _sections(pattern, "vitality")


def reading(state: GuideState, pattern: Pattern, library: Library) -> Draft:
    """The vitality reading, the weakest signs and the replanting advice."""
    result = compute(state.vitality)
    if result.score is None:
        return "No signs were answered, so there is no reading yet. Say `vitality` to try again.", []
    lines = [f"**Vitality reading: {result.score:.1f} / 5 — {result.level}**", ""]
    if result.meaning:
        lines.append(f"*{escape(result.meaning)}*\n")
    for item in result.items:
        if item.answer is None:
            continue
        kind = "life" if item.kind == "life" else "decay"
        mark = "✓" if (item.health or 0) >= 0.75 else "•" if (item.health or 0) >= 0.5 else "✗"
        lines.append(f"- {mark} ({kind}) {escape(_quote(item.text, 90))} — *{item.answer.value}*")
    if result.weakest:
        lines.append("\n**Weakest signs:**")
        lines += [f"- {escape(_quote(w.text, 120))}" for w in result.weakest]
    if pattern.when_to_replant:
        lines.append(f"\n**When to replant:** {escape(_quote(pattern.when_to_replant, 600))}")
    remedies = [(s.sign, r) for s in replanting(pattern, result, library) for r in s.patterns]
    if remedies:
        lines.append("\n**Related patterns that address them:**")
        seen: set[str] = set()
        for sign, remedy in remedies:
            if remedy.slug in seen:
                continue
            seen.add(remedy.slug)
            lines.append(f"- **{escape(remedy.title)}** ({remedy.relationship}) — for “{escape(_quote(sign, 60))}”")
            if len(seen) == 3:
                break
    lines.append("\nSay `plan` for your plan, or `back` to change an answer.")
    return "\n".join(lines), _sections(pattern, "vitality")


def plan(state: GuideState, pattern: Pattern, library: Library) -> Draft:
    """The plan to take away (the same Markdown as the download)."""
    text = plan_markdown(state, pattern, library)
    return text + "\n\n*Download it from the sidebar, pick another pattern, or say `restart`.*", []


def answer(question: str, passages: list[Passage], resume: str) -> Draft:
    """A free question answered from the retrieved sections, with citations."""
    if not passages:
        return (f"I couldn't find that in the patterns I know. {resume}", [])
    lines = [f"Here is what the patterns say about “{escape(_quote(question, 120))}”:\n"]
    for given in passages[:3]:
        lines.append(f"> {escape(_quote(given.text, 420))}\n> — {given.citation}\n")
    lines.append(resume)
    return "\n".join(lines), passages[:3]


def redirect() -> Draft:
    return (
        "That sounds outside what I can help with — I'm a guide to how groups organise: decisions, "
        "meetings, workload, conflict, volunteers, shared resources. Tell me about a situation like "
        "that and I'll find patterns that fit.",
        [],
    )


HELP = (
    "You can type freely, or use these commands:\n\n"
    "- a **number** or a pattern's **slug** to pick it · `more` for other patterns\n"
    "- `next`, `back`, `skip` to move through the steps · `context corporate|government|activist|tech`\n"
    "- `vitality` to check the pattern's signs of life and decay (`yes` / `partly` / `no`)\n"
    "- `plan` for your plan · `restart` to begin again · `quit` to stop (terminal)\n\n"
    "A message ending in “?” is answered from the patterns, and we carry on where we were."
)

SIMPLE: dict[ReplyTask, str] = {
    ReplyTask.HELP: HELP,
    ReplyTask.NEED_PATTERN: "First pick a pattern: describe your situation and choose one of the matches.",
    ReplyTask.BAD_PICK: "I don't have a pattern with that number — pick one of the numbers shown, or a slug.",
    ReplyTask.NO_MORE: "Those are all the patterns I have for this. Tell me more about your situation, or pick one.",
    ReplyTask.UNKNOWN_CONTEXT: "I know four contexts: `corporate`, `government`, `activist` and `tech`.",
    ReplyTask.CONTEXT_SET: "Got it — I'll use that lens. Now tell me about your situation.",
    ReplyTask.STEPS_DONE: "That was the last step. Your notes are kept.",
    ReplyTask.RATE_AGAIN: "Please answer `yes`, `partly` or `no` (or `y` / `p` / `n`); `skip` leaves this sign out.",
    ReplyTask.DECLINE_PROMPT: "I keep how I'm instructed to myself — it's not something I share. What I can do is help "
    "with a situation in your group: what keeps happening, and what it costs.",
    ReplyTask.AFTER_PLAN: "Your plan is above. Pick another pattern by name, say `vitality` to revisit the check, "
    "or `restart`.",
}


class Inputs(NamedTuple):
    """What a composer may draw on: the conversation, the library and the chosen pattern."""

    state: GuideState
    library: Library
    pattern: Pattern | None


Composer = Callable[[Inputs], Draft]


def _fixed(text: str) -> Composer:
    return lambda _: (text, [])


def _on_pattern(build: Callable[[GuideState, Pattern, Library], Draft]) -> Composer:
    """A composer that needs the chosen pattern; without one it asks the person to pick."""

    def run(inputs: Inputs) -> Draft:
        if inputs.pattern is None:
            return SIMPLE[ReplyTask.NEED_PATTERN], []
        return build(inputs.state, inputs.pattern, inputs.library)

    return run


def _matches(inputs: Inputs) -> Draft:
    state, library = inputs.state, inputs.library
    top = library.patterns.get(state.candidates[0].slug) if state.candidates else None
    return matches(state, library, top.tension if top else None)


# Every reply but the answer to a free question (which needs the retrieved passages: see answer()).
COMPOSERS: dict[ReplyTask, Composer] = {
    ReplyTask.WELCOME: lambda _: welcome(),
    ReplyTask.REDIRECT: lambda _: redirect(),
    ReplyTask.MATCHES: _matches,
    ReplyTask.CLARIFY: lambda i: clarify(i.state, i.library),
    ReplyTask.ADAPT: _on_pattern(adapt),
    ReplyTask.STEP: _on_pattern(lambda state, pattern, _: step(state, pattern)),
    ReplyTask.VITALITY: _on_pattern(lambda state, pattern, _: vitality_question(state, pattern)),
    ReplyTask.READING: _on_pattern(reading),
    ReplyTask.PLAN: _on_pattern(plan),
    **{task: _fixed(text) for task, text in SIMPLE.items()},
}


def compose(task: ReplyTask, inputs: Inputs) -> Draft:
    """The offline draft of one reply; a task without a composer is an error, never another reply."""
    build = COMPOSERS.get(task)
    if build is None:
        raise ValueError(f"No offline composer for the '{task}' reply — answers are composed by answer()")
    return build(inputs)
