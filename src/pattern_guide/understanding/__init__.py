"""Understanding: what a person means in their own words — intents at every stage, their context,
the practice they already have (and the sign of life or decay it shows), the language they write in.

Offline by default (``OfflineUnderstanding``); the :class:`Understanding` protocol is the door
a language model can come through where one is configured.
"""

from pattern_guide.understanding.intents import Intent, IntentKind, OfflineUnderstanding, Understanding, View

__all__ = ["Intent", "IntentKind", "OfflineUnderstanding", "Understanding", "View"]
