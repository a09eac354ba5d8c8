"""A loaded pattern: its front matter, its body split into sections, and the parts the guide walks."""

from __future__ import annotations

from pydantic import BaseModel, Field

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


class Section(BaseModel):
    """A heading of the body and the text under it."""

    heading: str
    role: str | None
    line: int
    text: str


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
