"""Plain words at each stage of the walk: moving on, leaving a step out, the plan, another world's version.

Each kind is said several ways nobody tuned for one by one, and a few notes that share a command's
words must stay notes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pattern_guide.conversation.state import Stage
from pattern_guide.library.loader import Library, load_libraries
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
        "ok so what happens after this", "nothing more from me here",
    ]),
    ("starting the steps", IntentKind.NEXT): (ADAPT, [
        "yes please", "sounds good", "this fits us well, where do we start?", "let's dive in",
        "ok cool, start us off", "ok ready, first step pls",
    ]),
    ("leaving a step out", IntentKind.SKIP): (STEPS, [
        "doesn't apply to us", "give this one a miss", "we'll sit this one out", "this one's not relevant for us",
        "we already do this, skip it", "we already do this", "can we come back to this one later?",
        "we've got this one covered already", "can we skip the licence stuff", "this doesn't apply to a team of three",
        "we have that already, move on",
    ]),
    ("going back", IntentKind.BACK): (SIGNS, ["back, I misclicked", "back one please"]),
    ("another problem, after the plan", IntentKind.RESTART): (PLAN, ["I want to look at a different problem now"]),
    ("not answering a sign", IntentKind.SKIP): (SIGNS, [
        "no clue", "beats me", "I'd need to check with the team, move on", "let's move on to the next one",
        "not even sure", "no idea tbh",
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
        "I'd look at everyone's calendars for the last month and count the evenings",
        "skip the licence section and go straight to the stewards",
        "the map goes on the wall by reception, and anyone who can't find an answer there should go back to their lead",
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
        ("defintely", "yes"),  # a slip of the keyboard in a short answer
        ("somtimes", "partly"),
        ("not really", "no"),  # "really" is no slip for "rarely"
        ("yes, though it took us two years to get there", "yes"),  # a caveat that takes nothing back
        ("yes, though only in the london office", "partly"),
        ("it varies a lot", "partly"),
        ("to a degree", "partly"),
        ("some of us do", "partly"),
        ("not even close", "no"),
        ("it used to, less so now", "partly"),
        ("not at the moment", "no"),
        ("not so much", "no"),  # a negation is never a plain statement of the sign
        ("largely, apart from the quarterly review", "yes"),  # the answer, then its exception
        ("mostly yeah, tho not the newest branch", "yes"),
        ("mostly not", "no"),
        ("no, not really, it just sort of drifts", "no"),  # a filler after a plain no is no partly
        ("nah, only in the finance team", "partly"),
        ("sporadically", "partly"),
        ("not in the least", "no"),
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
        ("what would this look like at the council", ADAPT, "government"),
        ("what would this plan look like for a software company", PLAN, "tech"),
        ("for a saas company?", ADAPT, "tech"),
        ("how would this step work in an NGO?", STEPS, "activist"),
        ("how about for a corporate team?", PLAN, "corporate"),
        ("the big-company version please", PLAN, "corporate"),
        ("how would a campaign network do this?", STEPS, "activist"),
        ("what would this one go by at a startup?", ADAPT, "tech"),
    ],
)
def test_another_worlds_version(text: str, view: View, world: str) -> None:
    intent = READ.understand(text, view)
    assert (intent.kind, intent.value) == (IntentKind.CONTEXT, world)


def test_a_council_inside_a_question_is_no_switch() -> None:
    assert READ.understand("how do we present this in the council meeting?", STEPS).kind == IntentKind.QUESTION


def test_a_request_for_something_else_is_no_answer_to_a_sign() -> None:
    assert READ.understand("write a haiku about kanban", SIGNS).kind == IntentKind.OFF_TOPIC


def test_checking_for_the_signs_at_a_step_is_the_check() -> None:
    said = "can we check whether we already have the signs of this"
    assert READ.understand(said, STEPS).kind == IntentKind.VITALITY


def test_already_at_a_sign_is_an_answer_not_a_skip() -> None:
    assert READ.understand("yeah we already do this", SIGNS).kind == IntentKind.RATE


MATCHES = View(stage=Stage.MATCHES, shown=["meeting-diet", "protected-focus-blocks", "async-first-communication"])


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("I don't think any of those are it", IntentKind.NONE_FIT, None),
        ("I don't think these are right for us", IntentKind.NONE_FIT, None),
        ("not really what we're dealing with", IntentKind.NONE_FIT, None),
        ("I don't recognise us in any of these", IntentKind.NONE_FIT, None),
        ("I don't think that's quite us", IntentKind.NONE_FIT, None),
        ("they don't really speak to our problem", IntentKind.NONE_FIT, None),
        ("what do I do with these?", IntentKind.HELP, None),
        ("numer 1", IntentKind.PICK, "meeting-diet"),  # a slip of the keyboard in a position
        ("the async one at the end", IntentKind.PICK, "async-first-communication"),
        ("other ideas?", IntentKind.MORE, None),  # "other" is no slip for "others" or "option"
        ("lets do 3", IntentKind.PICK, "async-first-communication"),
        ("I'll take 2 please", IntentKind.PICK, "protected-focus-blocks"),
        ("thanks, that is all for now", IntentKind.QUIT, None),  # written out as well as "that's all"
        ("ok I am done for today", IntentKind.QUIT, None),
        ("anything aside from these?", IntentKind.MORE, None),
        ("not sold on any of them", IntentKind.NONE_FIT, None),
        ("what happens once I choose?", IntentKind.HELP, None),
        ("the thing is, it's not about money, it's that nobody trusts the treasurer", IntentKind.SITUATION, None),
    ],
)
def test_at_the_matches(text: str, kind: IntentKind, value: str | None) -> None:
    intent = READ.understand(text, MATCHES)
    assert (intent.kind, intent.value) == (kind, value)


@pytest.mark.parametrize(
    ("text", "view", "kind"),
    [
        ("I'm calling it a day", ADAPT, IntentKind.QUIT),
        ("right, I'll be back tomorrow", STEPS, IntentKind.QUIT),
        ("the budget will come back to us in march", STEPS, IntentKind.NOTE),  # "come back" is no command here
        ("let me return to the previous step", STEPS, IntentKind.BACK),
        ("skp", STEPS, IntentKind.SKIP),  # the vowels left out
        ("can we go bakc one", STEPS, IntentKind.BACK),
        ("could I not answer this", SIGNS, IntentKind.SKIP),
        ("can we check whether it's still working for us", ADAPT, IntentKind.VITALITY),
        # A long note that happens to say "export that" is no request for the plan.
        (
            "instead of slides at the end of the month, the team lead would export that sheet into the newsletter",
            STEPS,
            IntentKind.NOTE,
        ),
    ],
)
def test_in_the_walk(text: str, view: View, kind: IntentKind) -> None:
    assert READ.understand(text, view).kind == kind


def test_another_pattern_that_would_suit_better_is_a_switch() -> None:
    starter = OfflineUnderstanding(load_libraries([Path(__file__).resolve().parents[2] / "data" / "patterns"]))
    said = "hold on, I think the decision log would suit us better, can we switch"
    intent = starter.understand(said, STEPS)
    assert (intent.kind, intent.value) == (IntentKind.PICK, "open-decision-log")
