"""Front matter of both format generations: the seven groups of the v7 format.

Every field is optional except ``slug`` and ``title``; unknown fields are
kept (``extra="allow"``) because the upstream format keeps growing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RELATIONSHIP_TYPES: tuple[str, ...] = (
    "generalizes_from",
    "specializes_to",
    "enables",
    "requires",
    "alternatives",
    "complementary",
    "tools",
)


def _text(value: Any) -> Any:
    """YAML turns `title: 1984` or `version: 1.0` into numbers; keep them as text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | dt.date):
        return str(value)
    return value


class Lenient(BaseModel):
    """Base for front-matter groups: unknown keys are kept, not rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class RelationshipRef(BaseModel):
    """One curated edge of the pattern graph."""

    slug: str
    weight: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_slug(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"slug": value}
        if isinstance(value, dict) and "slug" not in value:
            for key in ("target", "id", "pattern"):
                if key in value:
                    return {**value, "slug": value[key]}
        return value

    @field_validator("slug", mode="before")
    @classmethod
    def _slug_text(cls, value: Any) -> Any:
        return _text(value)


def _refs(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | dict):
        return [value]
    return list(value)


class Relationships(Lenient):
    """Group 5: the human-curated graph. Extra relationship types are kept as lists too."""

    generalizes_from: list[RelationshipRef] = Field(default_factory=list)
    specializes_to: list[RelationshipRef] = Field(default_factory=list)
    enables: list[RelationshipRef] = Field(default_factory=list)
    requires: list[RelationshipRef] = Field(default_factory=list)
    alternatives: list[RelationshipRef] = Field(default_factory=list)
    complementary: list[RelationshipRef] = Field(default_factory=list)
    tools: list[RelationshipRef] = Field(default_factory=list)

    @field_validator(*RELATIONSHIP_TYPES, mode="before")
    @classmethod
    def _listify(cls, value: Any) -> list[Any]:
        return _refs(value)

    @model_validator(mode="after")
    def _extra_types_as_refs(self) -> Relationships:
        for key, value in list((self.__pydantic_extra__ or {}).items()):
            if isinstance(value, list | str | dict) or value is None:
                refs = [RelationshipRef.model_validate(v) for v in _refs(value) if v is not None]
                self.__pydantic_extra__[key] = refs  # type: ignore[index]
        return self

    def by_type(self) -> dict[str, list[RelationshipRef]]:
        """Every relationship type, the known ones first, with its edges."""
        out = {name: list(getattr(self, name)) for name in RELATIONSHIP_TYPES}
        for key, value in (self.__pydantic_extra__ or {}).items():
            if isinstance(value, list) and all(isinstance(v, RelationshipRef) for v in value):
                out[key] = value
        return out


class SearchHints(Lenient):
    primary_tension: str | None = None
    vector_keywords: list[str] = Field(default_factory=list)

    @field_validator("primary_tension", mode="before")
    @classmethod
    def _tension_text(cls, value: Any) -> Any:
        return _text(value)

    @field_validator("vector_keywords", mode="before")
    @classmethod
    def _keywords(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value]


class CommonsAssessment(Lenient):
    stakeholder_architecture: float | None = None
    value_creation: float | None = None
    resilience: float | None = None
    ownership: float | None = None
    autonomy: float | None = None
    composability: float | None = None
    fractal_value: float | None = None
    vitality: float | None = None
    vitality_reasoning: str | None = None
    overall_score: float | None = None

    def scores(self) -> dict[str, float]:
        """The eight numeric scores that are present, in the spec's order."""
        names = (
            "stakeholder_architecture",
            "value_creation",
            "resilience",
            "ownership",
            "autonomy",
            "composability",
            "fractal_value",
            "vitality",
        )
        return {n: float(getattr(self, n)) for n in names if getattr(self, n) is not None}


class Ontology(Lenient):
    domain: str | None = None
    cross_domains: list[str] = Field(default_factory=list)
    commons_domain: list[str] = Field(default_factory=list)
    search_hints: SearchHints = Field(default_factory=SearchHints)
    commons_assessment: CommonsAssessment | None = None

    @field_validator("cross_domains", "commons_domain", mode="before")
    @classmethod
    def _list_of_text(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value]

    @field_validator("search_hints", mode="before")
    @classmethod
    def _hints(cls, value: Any) -> Any:
        return value or {}

    @field_validator("commons_assessment", mode="before")
    @classmethod
    def _assessment(cls, value: Any) -> Any:
        # An older variant lists {dimension, score, rationale} entries; keep them as data.
        if isinstance(value, list):
            return {"dimensions": value}
        return value


class Lifecycle(Lenient):
    usage_stage: str | None = None
    adoption_stage: str | None = None
    status: str | None = None
    version: str | None = None
    confidence: float | None = None

    @field_validator("usage_stage", "adoption_stage", "status", "version", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)


def _named(value: Any) -> Any:
    """Some files list garden entries as bare names; treat a name as id and label."""
    if isinstance(value, str | int | float):
        return {"id": str(value), "label": str(value)}
    return value


class GardenEntity(Lenient):
    id: str | None = None
    type: str | None = None
    label: str | None = None
    relevance: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return _named(value)


class GardenCommunity(Lenient):
    id: str | None = None
    label: str | None = None
    source: str | None = None
    confidence: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return _named(value)


class InferredLink(Lenient):
    target: str | None = None
    type: str | None = None
    confidence: float | None = None
    reason: str | None = None


class GraphGarden(Lenient):
    """Group 6: machine-written links, shown apart from the curated ones."""

    last_pruned: str | None = None
    entities: list[GardenEntity] = Field(default_factory=list)
    communities: list[GardenCommunity] = Field(default_factory=list)
    inferred_links: list[InferredLink] = Field(default_factory=list)

    @field_validator("last_pruned", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        return _text(value)

    @field_validator("entities", "communities", "inferred_links", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return value or []


_OLD_RELATIONSHIP_KEYS = (*RELATIONSHIP_TYPES, "related")


class FrontMatter(Lenient):
    """All seven groups of the v7 front matter; older files are mapped onto them."""

    id: str | None = None
    slug: str
    title: str
    aliases: list[str] = Field(default_factory=list)
    summary: str | None = None
    context_labels: dict[str, str] = Field(default_factory=dict)
    ontology: Ontology = Field(default_factory=Ontology)
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    relationships: Relationships = Field(default_factory=Relationships)
    graph_garden: GraphGarden = Field(default_factory=GraphGarden)
    contributors: list[Any] = Field(default_factory=list)
    sources: list[Any] = Field(default_factory=list)
    license: str | None = None
    attribution: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _map_older_generation(cls, data: Any) -> Any:
        """Older files keep relationships and classification at the top level."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "relationships" not in data:
            moved = {k: data[k] for k in _OLD_RELATIONSHIP_KEYS if k in data}
            if moved:
                data["relationships"] = moved
        classification = data.get("classification")
        if "ontology" not in data and isinstance(classification, dict):
            data["ontology"] = {
                "domain": classification.get("domain"),
                "commons_domain": classification.get("commons_domain") or [],
            }
        if "lifecycle" not in data:
            status = classification.get("status") if isinstance(classification, dict) else None
            score = data.get("confidence_score")
            data["lifecycle"] = {
                "status": status,
                "version": data.get("version"),
                # Older files score confidence 0..1; v7 uses 1..3 stars.
                "confidence": round(1 + 2 * float(score)) if isinstance(score, int | float) else None,
            }
        for key in ("ontology", "lifecycle", "relationships", "graph_garden", "context_labels"):
            if data.get(key) is None and key in data:
                data.pop(key)
        return data

    @field_validator("id", "slug", "title", "summary", "license", "attribution", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)

    @field_validator("slug")
    @classmethod
    def _slug_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("slug is empty")
        return value.strip()

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("title is empty")
        return value.strip()

    @field_validator("aliases", "contributors", "sources", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str | dict):
            return [value]
        return value

    @field_validator("aliases", mode="after")
    @classmethod
    def _alias_text(cls, value: list[Any]) -> list[str]:
        return [str(v) for v in value]

    @field_validator("context_labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {} if value is None else value
        return {str(k): str(v) for k, v in value.items() if v is not None}
