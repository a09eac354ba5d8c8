"""Which language a message is written in (py3langid, which ships its model), when it is clearly not English."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MIN_WORDS = 4  # shorter messages ("sort of", "ok") are too short to tell a language by
# Languages people are likely to write in here; a closed set makes short texts far more reliable.
LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "nl", "sv", "da", "no", "pl", "cs", "tr", "ro", "fi", "hu", "el")
NAMES = {
    "de": "German", "es": "Spanish", "fr": "French", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "pl": "Polish", "cs": "Czech", "tr": "Turkish",
    "ro": "Romanian", "fi": "Finnish", "hu": "Hungarian", "el": "Greek",
}  # fmt: skip
_ENGLISH = frozenset("the and our we is are to of a in it that with for not but they this have".split())  # noqa: SIM905


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def language(text: str) -> str | None:
    """The language code of a message that is clearly not English, else None (English, or too short to tell)."""
    words = text.lower().split()
    if len(words) < MIN_WORDS or sum(w.strip(".,!?") in _ENGLISH for w in words) >= 2:
        return None
    code, probability = _identifier().classify(text)
    return str(code) if code != "en" and float(probability) >= 0.9 else None


def language_name(code: str) -> str:
    """A language's name in English ("de" -> "German")."""
    return NAMES.get(code, code)
