"""The guided conversation: intake -> match -> adapt -> steps -> vitality -> plan.

``machine`` is the pure state machine (``transition(state, event) -> (state, actions)``),
``commands`` reads what a person typed into an event, ``runner`` (the :class:`Guide`)
performs the actions: retrieving, composing, streaming a reply and recording it; ``drafts``
saves the pattern a person drafts when none fits, and has the library take it in.
"""

from pattern_guide.guide.machine import Action, Event, transition
from pattern_guide.guide.runner import Guide, Turn

__all__ = ["Action", "Event", "Guide", "Turn", "transition"]
