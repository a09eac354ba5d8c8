"""Plain words at each stage of the walk: moving on, leaving a step out, the plan, another world's version.

Each kind is said several ways nobody tuned for one by one, and a few notes that share a command's
words must stay notes.
"""

from __future__ import annotations

import pytest

from pattern_guide.conversation.state import Stage
from pattern_guide.library.loader import Library
from pattern_guide.understanding.intents import IntentKind, OfflineUnderstanding, View

READ = OfflineUnderstanding(Library())
ADAPT = View(stage=Stage.ADAPT, pattern="meeting-diet")
STEPS = View(stage=Stage.STEPS, pattern="meeting-diet")
SIGNS = View(stage=Stage.VITALITY, pattern="meeting-diet")
PLAN = View(stage=Stage.PLAN, pattern="meeting-diet")


# What each phrasing is, at the stage it is said in.
SAID: dict[tuple[str, IntentKind], tuple[View, list[str]]] = {
    ("moving on", IntentKind.NEXT): (STEPS, [
        "ok and then?", "then what?", "got it, let's keep moving", "that's all I have for this step.",
        "yep, noted. next one?", "I'm happy to move on", "righty ho, what next?", "contnue pls", "nxet",
    ]),
    ("starting the steps", IntentKind.NEXT): (ADAPT, [
        "yes please", "sounds good", "this fits us well, where do we start?", "let's dive in",
    ]),
    ("leaving a step out", IntentKind.SKIP): (STEPS, [
        "doesn't apply to us", "give this one a miss", "we'll sit this one out", "this one's not relevant for us",
        "we already do this, skip it", "we already do this", "can we come back to this one later?",
    ]),
    ("not answering a sign", IntentKind.SKIP): (SIGNS, [
        "no clue", "beats me", "I'd need to check with the team, move on", "let's move on to the next one",
    ]),
    ("the plan, at a step", IntentKind.PLAN): (STEPS, [
        "can I have it all written down", "summarise what we agreed", "give me the takeaways",
        "ok, let's jump to the end", "let's skip to the summary",
    ]),
    ("the plan, at a sign", IntentKind.PLAN): (SIGNS, ["let's stop here and see the plan"]),
    ("the plan, before the steps", IntentKind.PLAN): (ADAPT, ["just give me the final thing I can share"]),
    # Notes that share a command's words stay notes.
    ("a note", IntentKind.NOTE): (STEPS, [
        "next month we'd trial it with the night shift",
        "the next step for us is getting the board to sign it off",
        "keep going with the weekly email but add a line about what we decided",
        "continue the tuesday huddle but cap it at 15 minutes",
        "skip the agenda and go straight to decisions",
        "pass the chair to a new person each month, alphabetical",
        "summary of the last meeting goes in the channel the next morning",
        "as a union we'd put it to the branch meeting first and then to the members",
        "in our council the clerk would own this, not the councillors",
        "let's say the coordinator moves on to the next region after a year",
        "for a startup like ours, the founders would need to go first",
    ]),
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "view", "kind"),
    [(text, view, kind) for (_, kind), (view, texts) in SAID.items() for text in texts],
)
def test_each_phrasing_is_read_as_its_kind(text: str, view: View, kind: IntentKind) -> None:
    assert READ.understand(text, view).kind == kind


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes, next", "yes"),  # the answer counts, not the move
        ("largely yes, but the newer staff don't know about it", "yes"),
        ("mostly — a couple of people still skip it", "yes"),
        ("absolutely not", "no"),
        ("we used to, but not anymore", "no"),
        ("mmm kinda, mostly at the christmas party", "partly"),
    ],
)
def test_answers_to_a_sign_stay_answers(text: str, value: str) -> None:
    intent = READ.understand(text, SIGNS)
    assert (intent.kind, intent.value) == (IntentKind.RATE, value)


@pytest.mark.parametrize(
    ("text", "view", "world"),
    [
        ("how would a union do this?", ADAPT, "activist"),
        ("and for a council?", ADAPT, "government"),
        ("in a startup?", STEPS, "tech"),
        ("what if we were a software company?", STEPS, "tech"),
        ("how do startups usually handle this bit?", STEPS, "tech"),
        ("say we were a food bank, how would this step go", STEPS, "activist"),
        ("explain this step for someone in local government", STEPS, "government"),
        ("we're actually a charity", STEPS, "activist"),
        ("what would this sign look like in a startup?", SIGNS, "tech"),
        ("same plan but for the nonprofit", PLAN, "activist"),
    ],
)
def test_another_worlds_version(text: str, view: View, world: str) -> None:
    intent = READ.understand(text, view)
    assert (intent.kind, intent.value) == (IntentKind.CONTEXT, world)


def test_a_council_inside_a_question_is_no_switch() -> None:
    assert READ.understand("how do we present this in the council meeting?", STEPS).kind == IntentKind.QUESTION


def test_already_at_a_sign_is_an_answer_not_a_skip() -> None:
    assert READ.understand("yeah we already do this", SIGNS).kind == IntentKind.RATE
