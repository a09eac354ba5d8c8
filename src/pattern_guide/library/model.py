"""A loaded pattern: its front matter, its body split into sections, and the parts the guide walks."""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

from pydantic import BaseModel, Field, field_serializer, model_validator

from pattern_guide.library.meta import FrontMatter

SECTION_ROLES: tuple[str, ...] = (
    "context",
    "problem",
    "solution",
    "implementation",
    "consequences",
    "known_uses",
    "cognitive_era",
    "vitality",
)


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode(), 1)


class Section(BaseModel):
    """A heading of the body and the text under it.

    The text is held compressed and made on each read (tens of microseconds): on the Commons library the
    sections' text is 69 MB, 128 MB as Python strings, 32 MB packed. Built with :meth:`of` (or validated
    with ``text=``); a JSON dump carries the packed bytes in base64, which validates back as it is."""

    heading: str
    role: str | None
    line: int
    packed: bytes = Field(repr=False)

    @model_validator(mode="before")
    @classmethod
    def _pack(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "text" in data:
            text = data["text"]
            data = {key: value for key, value in data.items() if key != "text"}
            if not isinstance(text, str):
                raise ValueError("a section's text must be a string")
            data["packed"] = _pack(text)
        elif isinstance(data.get("packed"), str):
            data = {**data, "packed": base64.b64decode(data["packed"], validate=True)}
        return data

    @classmethod
    def of(cls, heading: str, role: str | None, line: int, text: str) -> Section:
        return cls(heading=heading, role=role, line=line, packed=_pack(text))

    @field_serializer("packed", when_used="json")
    def _base64(self, packed: bytes) -> str:
        return base64.b64encode(packed).decode("ascii")

    @property
    def text(self) -> str:
        return zlib.decompress(self.packed).decode()


class Step(BaseModel):
    """One implementation step, with the paragraphs written for each context."""

    number: int
    title: str
    text: str
    contexts: dict[str, list[str]] = Field(default_factory=dict)
    line: int = 0


class Passage(BaseModel):
    """A quoted piece of one pattern's section: what retrieval shows, a reply cites and a model is given."""

    slug: str = ""
    section: str
    text: str

    @property
    def citation(self) -> str:
        """How a reply cites it: ``[slug §Section]``."""
        return f"[{self.slug} §{self.section}]"


class Pattern(BaseModel):
    """A loaded pattern: its front matter, its sections and the parts the guide walks."""

    meta: FrontMatter
    path: str
    library: str = ""
    one_liner: str = ""
    sections: list[Section] = Field(default_factory=list)
    tension: str | None = None
    solution: str | None = None
    steps: list[Step] = Field(default_factory=list)
    signs_of_life: list[str] = Field(default_factory=list)
    signs_of_decay: list[str] = Field(default_factory=list)
    when_to_replant: str = ""
    generation: str = "v7"

    @property
    def slug(self) -> str:
        return self.meta.slug

    @property
    def named_tension(self) -> str | None:
        """The tension as it is shown to a person: None where the file's label only sets the first word of the
        title against its last ("Blood vs. Management" for Blood Sugar Management), as half the Commons
        library's generated labels do, which names no tension. ``tension`` keeps what the file says."""
        if not self.tension:
            return None
        words = re.findall(r"[^\W\d_]+", self.meta.title.lower())
        sides = re.fullmatch(r"\s*([^\W\d_]+)\s+vs\.?\s+([^\W\d_]+)\s*", self.tension.lower())
        generated = sides and len(words) >= 2 and " vs" not in self.meta.title.lower()
        if generated and (sides.group(1), sides.group(2)) == (words[0], words[-1]):  # type: ignore[union-attr]
            return None
        return self.tension

    @property
    def title(self) -> str:
        return self.meta.title

    def section(self, role: str) -> Section | None:
        """The first section playing this role, if the file has one."""
        return next((s for s in self.sections if s.role == role), None)

    def context_label(self, context: str | None) -> str | None:
        """What the pattern is called in this context, if the file says."""
        if not context:
            return None
        return self.meta.context_labels.get(context)
