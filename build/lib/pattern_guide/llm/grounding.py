"""Grounding: a model's reply may cite only the sections it was given, and must keep what the person acts on.

- :class:`CitationFilter` removes ``[slug §Section]`` citations to sections that were not given,
  from streamed text;
- :func:`missing_anchors` names what a rewrite left out (the titles offered, the step, the sign);
- :func:`invented_quotes` finds quotations that neither the pattern, the draft nor the person wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pattern_guide.library.model import Passage
from pattern_guide.library.parser import strip_section_number
from pattern_guide.replies.request import ReplyRequest
from pattern_guide.text import words

MAX_CITATION = 240  # characters after "[" before we stop waiting for the "]"


_CITATION_PART = re.compile(r"\s*(?P<slug>[\w.-]+)\s*§\s*(?P<section>[^\[\]\n;]+?)\s*")
# What the text after "[" may still turn into a citation: a slug, then " §" and a heading.
_CITATION_PREFIX = re.compile(r"\[\s*(?:[\w.-]+\s*(?:§[^\[\]\n]*)?)?")


def _section_keys(slug: str, section: str) -> set[tuple[str, str]]:
    plain = " ".join(section.split()).casefold()
    return {(slug.casefold(), plain), (slug.casefold(), strip_section_number(plain))}


class CitationFilter:
    """Removes ``[slug §Section]`` citations to sections that were not given, from streamed text.

    Text from a ``[`` is held back until its ``]`` arrives or it clearly is not a citation.
    A citation to a given section is written back in its exact form; several citations in one
    bracket (``[a §X; b §Y]``) are filtered one by one. Spaces before a removed citation go too.
    """

    def __init__(self, sections: Iterable[Passage]) -> None:
        self.allowed: dict[tuple[str, str], str] = {}
        for given in sections:
            for key in _section_keys(given.slug, given.section):
                self.allowed.setdefault(key, given.citation)
        self.removed: list[str] = []
        self._held = ""

    def feed(self, text: str) -> str:
        """Take the next piece of the stream; return what can be shown now."""
        self._held += text
        return self._drain(final=False)

    def flush(self) -> str:
        """The end of the stream: return everything still held back."""
        return self._drain(final=True)

    def filter(self, text: str) -> str:
        """Filter a whole text at once."""
        return self.feed(text) + self.flush()

    def _replace(self, inner: str) -> str | None:
        """The kept citations for a bracket's inside, or None when it is not a citation at all."""
        kept: list[str] = []
        dropped: list[str] = []
        for part in inner.split(";"):
            match = _CITATION_PART.fullmatch(part)
            if not match:
                return None
            keys = _section_keys(match["slug"], match["section"])
            citation = next((self.allowed[k] for k in keys if k in self.allowed), None)
            if citation is None:
                dropped.append(f"[{part.strip()}]")
            elif citation not in kept:
                kept.append(citation)
        self.removed += dropped
        return " ".join(kept)

    def _drain(self, final: bool) -> str:
        out: list[str] = []
        buf = self._held
        while True:
            start = buf.find("[")
            if start < 0:
                keep = 0 if final else len(buf) - len(buf.rstrip(" \t"))
                out.append(buf[: len(buf) - keep])
                buf = buf[len(buf) - keep :]
                break
            spaces_from = len(buf[:start].rstrip(" \t"))
            out.append(buf[:spaces_from])
            spaces, rest = buf[spaces_from:start], buf[start:]
            end = rest.find("]")
            if end < 0:
                if not final and len(rest) <= MAX_CITATION and _CITATION_PREFIX.fullmatch(rest):
                    buf = spaces + rest  # may still become a citation: wait for more
                    break
                out.append(spaces + "[")
                buf = rest[1:]
                continue
            replacement = self._replace(rest[1:end])
            if replacement is None:
                out.append(spaces + "[")
                buf = rest[1:]
                continue
            if replacement:
                out.append(spaces + replacement)
            buf = rest[end + 1 :]
        self._held = buf
        return "".join(out)


def missing_anchors(reply: str, anchors: list[str]) -> list[str]:
    """The anchors a reply leaves out (case, emphasis, punctuation and spacing ignored)."""
    said = f" {words(reply)} "
    return [a for a in anchors if words(a) and f" {words(a)} " not in said]


_QUOTED = re.compile(r"“([^”]{12,})”|\"([^\"\n]{12,})\"")
QUOTE_MIN_WORDS = 6  # shorter quotes are names and phrases, not claims about the text


def invented_quotes(reply: str, request: ReplyRequest) -> list[str]:
    """Quotations in a reply that the pattern text, the draft and the person never said."""
    sources = words(
        " ".join(
            [
                request.draft,
                request.user_text,
                *(s.text for s in request.sections),
                *(m.content for m in request.history),
            ]
        )
    )
    found = [a or b for a, b in _QUOTED.findall(reply)]
    return [q for q in found if len(words(q).split()) >= QUOTE_MIN_WORDS and words(q) not in sources]
