"""The replies of the drafting interview: the offer, each question, and where the draft was saved."""

from __future__ import annotations

from pathlib import Path

from pattern_guide.conversation.state import GuideState
from pattern_guide.drafting.interview import QUESTIONS
from pattern_guide.drafting.store import front_matter
from pattern_guide.replies.phrasing import Draft
from pattern_guide.text import escape

OFFER = (
    "Thanks for saying so — better no pattern than the wrong one. **Shall we write it down as a new pattern of "
    "your own?** I'll ask a few short questions ({count} at most, and you can skip any), then save it as a draft "
    "in the library. Say `yes` to start — or `no`, and tell me more so I can look again."
)
OFFER_WEAK = (
    "None of these is a close match. If none of them fits, **shall we write it down as a new pattern of your "
    "own?** Say `yes` to start, or pick one of the patterns above."
)
HOW = "Say `skip` to leave a question out, `back` to change an answer, or “that's enough, save it” at any point."
LEADS = {"noted": "Noted. ", "skipped": "Skipped. ", "again": "Just say your answer in a line or two. "}


def offer(detail: str) -> Draft:
    """The offer to draft a pattern of their own (after "none of these", or under weak matches)."""
    return (OFFER_WEAK if detail == "weak" else OFFER.format(count=len(QUESTIONS))), []


def question(state: GuideState, detail: str) -> Draft:
    """The next question of the interview, with what was done with the last answer."""
    draft = state.draft
    current = draft.current() if draft is not None else None
    if draft is None or current is None:
        return "Say “save it” and I'll write the draft now.", []
    number = draft.question + 1
    lead = LEADS.get(detail, "")
    hint = f"\n\n{HOW}" if number == 1 or detail == "again" else ""
    kept = draft.answers.get(current.key)
    earlier = f"\n\n_You said before:_ {escape(kept)}" if kept and detail != "noted" else ""
    return f"{lead}**Question {number} of {len(QUESTIONS)}:** {current.text}{earlier}{hint}", []


def saved(state: GuideState) -> Draft:
    """Where the draft is, that it validates, and what to do next; or why it could not be saved."""
    draft = state.draft
    if draft is None or not draft.saved or not draft.path:
        problem = draft.problem if draft is not None and draft.problem else "something went wrong"
        return (
            f"I couldn't save the draft: {escape(problem)}. Your answers are kept — say `save` to try again.",
            [],
        )
    path = Path(draft.path)
    left = [q.key for q in QUESTIONS if q.key not in draft.answers]
    gaps = " The parts you left open say what is still missing, so you can fill them in later." if left else ""
    polished = " A language model smoothed the prose; the structure is unchanged." if draft.polished else ""
    return (
        f"Saved your draft as `{path.name}` in `{path.parent}`. It loads with no errors "
        f"(`pattern-guide validate --library {path.parent}`), it shows in the Library marked as a draft, and "
        f"later matches can find it.{gaps}{polished}\n\n"
        "Say `plan` for a plan to take away (it includes the draft), `vitality` to check its signs, or `restart`.",
        [],
    )


def polish_body(state: GuideState) -> Draft:
    """The draft's body, for a model to polish (the front matter is never sent and never changes)."""
    text = state.draft.text if state.draft is not None and state.draft.text else ""
    return front_matter(text)[1], []
