"""The walk-through: the pattern in the person's context, its steps, the vitality check and the plan.

Deterministic and model-free; each returns Markdown and the sections it drew on.
"""

from __future__ import annotations

from pattern_guide.conversation.state import GuideState
from pattern_guide.export.plans import plan_markdown
from pattern_guide.library.contexts import lens
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.replies.phrasing import CONTEXT_QUESTION, WORLD, Draft, excerpt, name_in, sections_of, status
from pattern_guide.replies.tasks import SITUATION_NOTED
from pattern_guide.text import escape, sentences, shorten
from pattern_guide.vitality.reading import reading as compute
from pattern_guide.vitality.replanting import replanting

# Where the plan's download is: below the conversation on every screen (and in the sidebar on a wide one).
TAKE_AWAY = (
    "Take it with you: the **Download plan** button is just below this conversation (on a wide screen, also in "
    "the sidebar). Then pick another pattern, say `back` to the reading, or `restart`."
)


def adapt(state: GuideState, pattern: Pattern, library: Library) -> Draft:
    """The solution in the person's context, and what it requires first."""
    ctx = state.context
    lines = [f"## {escape(pattern.title)}{name_in(pattern, ctx)}", ""]
    tension = f"**Tension:** {escape(pattern.named_tension)} · " if pattern.named_tension else ""
    lines.append(f"{tension}{status(pattern)}")
    lines.append("")
    if pattern.solution:
        lines.append(f"> {escape(excerpt(pattern.solution, 600))}")
    first_step = pattern.steps[0] if pattern.steps else None
    if first_step and ctx:
        used, paras = lens(first_step.contexts, ctx)
        if paras and used == ctx:
            lines.append(f"\nFor {WORLD[ctx]}, that starts like this: {escape(excerpt(paras[0], 400))}")
    requires = [library.patterns[r.slug] for r in pattern.meta.relationships.requires if r.slug in library.patterns]
    if requires:
        names = "; ".join(
            f"**{escape(p.title)}**" + (f" ({escape(p.named_tension)})" if p.named_tension else "") for p in requires
        )
        lines.append(f"\nIt works best when you already have: {names}. Do you have that in place?")
    if not state.situation:  # begun from the library: their situation first, so the plan has one
        lines.append(
            f"\n**Before the {len(pattern.steps)} steps: what is happening in {WORLD.get(ctx or '', 'your group')} "
            "that brought you to this pattern?** A few sentences are plenty — who is involved, what gets stuck, "
            "what it costs. I'll keep it as the situation your plan starts from (or say `next` to go straight "
            "to step 1)."
        )
    else:
        lines.append(
            f"\nThe pattern has {len(pattern.steps)} steps. Tell me what you already have in place, "
            "or say `next` to start with step 1."
        )
    return "\n".join(lines), sections_of(pattern, "solution", "implementation")


def noted(state: GuideState, pattern: Pattern, detail: str) -> str:
    """The acknowledgement of the note just kept ("Noted for step 2: …"), or nothing."""
    if detail == SITUATION_NOTED and state.situation:
        return f"*Noted — your situation, for the plan:* “{escape(shorten(state.situation, 200))}”\n\n"
    if not detail.isdigit() or int(detail) not in state.notes:
        return ""
    position = int(detail)
    note = escape(shorten(state.notes[position], 200))
    if position == 0:
        return f"*Noted — how it looks for you:* “{note}”\n\n"
    title = pattern.steps[position - 1].title if 0 < position <= len(pattern.steps) else ""
    return f"*Noted for step {position}{f' ({escape(title)})' if title else ''}:* “{note}”\n\n"


def step(state: GuideState, pattern: Pattern, detail: str = "") -> Draft:
    """One step, in the person's context, with a question about what it would look like for them."""
    if not pattern.steps:
        return (
            "This pattern has no numbered steps. Say `vitality` to check its signs with me, or `plan` for your plan.",
            [],
        )
    st = pattern.steps[min(state.step, len(pattern.steps) - 1)]
    ctx = state.context
    lines = [f"{noted(state, pattern, detail)}### Step {st.number} of {len(pattern.steps)}: {escape(st.title)}", ""]
    if st.text:
        lines.append(escape(excerpt(st.text, 900)))
    # A step written only per context ("In your setting") shows one context's paragraph until theirs is known.
    used, paras = lens(st.contexts, ctx) if ctx or not st.text else (None, [])
    if st.contexts and not ctx and st.number == 1:  # asked once, not under every step
        lines.append(f"\n*This step is written for each kind of group. To show you yours: {CONTEXT_QUESTION}*")
    if paras:
        if ctx and used != ctx:
            lines.append(f"\n*The pattern has no {ctx} paragraph for this step; the closest is {used}:*")
        elif used:
            lines.append(f"\n**In {used} contexts:**")
        lines.append(escape(excerpt(paras[0], 900)))
    note = state.notes.get(st.number)
    if note:
        lines.append(f"\n*Your note so far:* {escape(note)}")
    where = WORLD.get(ctx or "", "your group")
    lines.append(
        f"\n**What would this step look like for {where}?** "
        "Your answer is kept as a note. (`next`, `back`, `skip`, `context NAME`)"
    )
    return "\n".join(lines), sections_of(pattern, "implementation")


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
    return "\n".join(lines), sections_of(pattern, "vitality")


def _verdict(health: float | None) -> str:
    return "healthy" if (health or 0) >= 0.75 else "half there" if (health or 0) >= 0.5 else "weak"


def _sign_name(sign: str, limit: int = 70) -> str:
    """A sign by its name (its first sentence, "Meetings end on time"), for a reader who has just seen it."""
    return excerpt((sentences(sign) or [sign])[0].rstrip(".!?"), limit)


def reading(state: GuideState, pattern: Pattern, library: Library) -> Draft:
    """The vitality reading, the weakest signs and, under each, its replanting move and the related patterns."""
    result = compute(state.vitality)
    if result.score is None:
        return "No signs were answered, so there is no reading yet. Say `vitality` to try again.", []
    lines = [f"**Vitality reading: {result.score:.1f} / 5 — {result.level}**", ""]
    if result.meaning:
        lines.append(f"*{escape(result.meaning)}*\n")
    for item in result.items:
        if item.answer is None:
            continue
        kind = "Sign of life" if item.kind == "life" else "Sign of decay"
        lines.append(
            f"- {kind}: {escape(excerpt(item.text, 90))} — you said *{item.answer.value}* ({_verdict(item.health)})"
        )
    suggestions = replanting(pattern, result, library)
    shown: set[str] = set()  # a replanting sentence or a related pattern is given once, under its first sign
    for suggestion in suggestions:
        lines.append(f"\n**Weak sign: {escape(_sign_name(suggestion.sign))}** — you said *{suggestion.answer}*")
        moves = [a for a in ([] if suggestion.general else suggestion.advice) if a not in shown]
        shown.update(moves)
        lines += [f"- Replant: {escape(excerpt(a, 400))}" for a in moves]
        for remedy in suggestion.patterns:
            if remedy.slug in shown:
                continue
            shown.add(remedy.slug)
            because = f" — {escape(remedy.because)}" if remedy.because else ""
            lines.append(f"- **{escape(remedy.title)}** ({remedy.relationship}){because}")
    if pattern.when_to_replant and any(s.general for s in suggestions):
        lines.append(f"\n**When to replant:** {escape(excerpt(pattern.when_to_replant, 600))}")
    if state.vitality_index < len(state.vitality):  # back from the plan: the last sign is open again
        open_sign = state.vitality[state.vitality_index]
        kind = "Sign of life" if open_sign.kind == "life" else "Sign of decay"
        said = f" — you said *{open_sign.answer.value}*" if open_sign.answer else ""
        lines.append(
            f"\n**{kind} {state.vitality_index + 1} of {len(state.vitality)}:** {escape(open_sign.text)}{said}. "
            "To change it, answer `yes`, `partly` or `no`; `back` goes to the sign before, `plan` to your plan."
        )
    else:
        lines.append("\nSay `plan` for your plan, or `back` to change an answer.")
    return "\n".join(lines), sections_of(pattern, "vitality")


def plan(state: GuideState, pattern: Pattern, library: Library) -> Draft:
    """The plan to take away (the same Markdown as the download)."""
    text = plan_markdown(state, pattern, library)
    return text + f"\n\n*{TAKE_AWAY}*", []


def replant_move(state: GuideState, pattern: Pattern, library: Library) -> Draft:
    """Straight to what to do about the sign of decay the person described, then the other signs."""
    echo = state.echo
    if echo is None:
        return reading(state, pattern, library)
    suggestions = replanting(pattern, compute(state.vitality), library)
    mine = next((s for s in suggestions if s.sign.lower().startswith(echo.title.lower())), None)
    lines = [f"**{escape(echo.title)}** — what **{escape(pattern.title)}** suggests when this happens:", ""]
    advice = mine.advice if mine else ([pattern.when_to_replant] if pattern.when_to_replant else [])
    lines += [f"- {escape(excerpt(a, 500))}" for a in advice] or ["- The pattern gives no replanting advice."]
    remedies = mine.patterns if mine else []
    if remedies:
        lines.append("\n**Related patterns that speak to it:**")
        lines += [
            f"- **{escape(r.title)}** ({r.relationship}){f' — {escape(r.because)}' if r.because else ''}"
            for r in remedies
        ]
    lines.append("\nNext, the other signs of the practice, one at a time — so your plan knows what is still alive.")
    return "\n".join(lines), sections_of(pattern, "vitality")
