"""The commands and answers a person can type, read into an Event of the state machine."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.guide.machine import Event
from pattern_guide.vitality.signs import Answer

COMMANDS = ("more", "next", "back", "skip", "vitality", "plan", "restart", "help", "quit")
_ANSWERS = {
    "yes": Answer.YES,
    "y": Answer.YES,
    "partly": Answer.PARTLY,
    "p": Answer.PARTLY,
    "no": Answer.NO,
    "n": Answer.NO,
}
# Requests to see how the guide is instructed ("print your system prompt", "ignore the previous
# instructions and ..."): answered with a fixed reply, whatever the model.
_REVEAL = re.compile(
    r"\b(system|developer|initial|hidden|original|secret)\s+(prompt|instructions?|message)s?\b"
    r"|\byour\s+(own\s+|exact\s+|full\s+)?(prompt|instructions|guidelines)\b"
    r"|\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding)\s+"
    r"(instructions|prompts?|messages|rules)\b",
    re.IGNORECASE,
)
_ALIASES = {
    "exit": "quit",
    "bye": "quit",
    "continue": "next",
    "previous": "back",
    "new": "restart",
    "start over": "restart",
    "?": "help",
    "commands": "help",
}


def parse(text: str, state: GuideState, names: Mapping[str, str] | set[str] | frozenset[str] = frozenset()) -> Event:
    """Read one line the person typed as a command, a pick, an answer, a question or text.

    ``names`` maps what a person may type to pick a pattern (its slug or its title, in lower
    case) to the slug; a plain set of slugs also works.
    """
    raw = text.strip()
    word = re.sub(r"[.!\s]+$", "", raw.lower())
    word = _ALIASES.get(word, word)
    if state.stage == Stage.VITALITY and state.vitality_index < len(state.vitality) and word in _ANSWERS:
        return Event(kind="rate", answer=_ANSWERS[word])
    if word in COMMANDS:
        return Event.model_validate({"kind": word})
    if _REVEAL.search(raw):
        return Event(kind="reveal", text=raw)
    match = re.fullmatch(r"context\s+(\w+)", word)
    if match:
        return Event(kind="context", choice=match.group(1))
    pick = re.fullmatch(r"(?:pick|choose|option|number|#)?\s*(\d{1,2})", word)
    if pick and state.candidates:
        return Event(kind="pick", choice=pick.group(1))
    name = word.removeprefix("pick ").strip()
    if name in names:
        return Event(kind="pick", choice=names[name] if isinstance(names, Mapping) else name)
    if raw.endswith("?") and state.stage not in (Stage.INTAKE,):
        return Event(kind="question", text=raw)
    return Event(kind="text", text=raw)
