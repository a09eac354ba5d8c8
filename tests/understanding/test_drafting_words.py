"""Plain words around drafting: yes or no to the offer, and the interview's save, skip and answers."""

from __future__ import annotations

import pytest

from pattern_guide.conversation.state import Stage
from pattern_guide.library.loader import Library
from pattern_guide.understanding.intents import IntentKind, OfflineUnderstanding, View

READ = OfflineUnderstanding(Library())
OFFERED = View(stage=Stage.MATCHES, shown=["a", "b", "c"], offer=True)
ASKING = View(stage=Stage.DRAFT)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("yes", IntentKind.DRAFT),
        ("yes please", IntentKind.DRAFT),
        ("sure, let's do it", IntentKind.DRAFT),
        ("ok", IntentKind.DRAFT),
        ("go on then", IntentKind.DRAFT),
        ("let's write our own pattern", IntentKind.DRAFT),
        ("no thanks", IntentKind.DECLINE),
        ("nah, maybe later", IntentKind.DECLINE),
        ("not now", IntentKind.DECLINE),
        ("no, none of these fit", IntentKind.NONE_FIT),
    ],
)
def test_answers_to_the_offer(text: str, kind: IntentKind) -> None:
    assert READ.understand(text, OFFERED).kind == kind


def test_without_an_offer_yes_is_no_draft() -> None:
    assert READ.understand("yes", View(stage=Stage.MATCHES, shown=["a"])).kind != IntentKind.DRAFT
    asked = READ.understand("can we write our own pattern instead?", View(stage=Stage.MATCHES, shown=["a"]))
    assert asked.kind == IntentKind.DRAFT


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("that's enough, save it", IntentKind.SAVE),
        ("That's enough. Save it.", IntentKind.SAVE),
        ("done", IntentKind.SAVE),
        ("we're done", IntentKind.SAVE),
        ("save", IntentKind.SAVE),
        ("just save what we have", IntentKind.SAVE),
        ("no more questions please", IntentKind.SAVE),
        ("skip", IntentKind.SKIP),
        ("pass", IntentKind.SKIP),
        ("skip this one", IntentKind.SKIP),
        ("don't know", IntentKind.SKIP),
        ("no idea", IntentKind.SKIP),
        ("go back", IntentKind.BACK),
        # Answers, even ones that contain those words, are answers.
        ("That's all on the same three people", IntentKind.NOTE),
        ("That's enough work for three people", IntentKind.NOTE),
        ("We save it for the summer fair", IntentKind.NOTE),
        ("We're done with meetings that overrun", IntentKind.NOTE),
        ("What keeps happening is that the same three close up", IntentKind.NOTE),
        ("A food bank run by forty volunteers", IntentKind.NOTE),
        ("Speed vs. fairness", IntentKind.NOTE),
    ],
)
def test_words_in_the_interview(text: str, kind: IntentKind) -> None:
    assert READ.understand(text, ASKING).kind == kind
