"""A pattern as plain data and as a terminal page, for `pattern-guide show` (no UI code here)."""

from __future__ import annotations

from typing import Any

from pattern_guide.library.contexts import lens
from pattern_guide.library.model import Pattern


def pattern_json(pattern: Pattern, context: str | None = None) -> dict[str, Any]:
    """The parsed pattern as plain data, optionally through one context's lens."""
    meta = pattern.meta
    steps = []
    for step in pattern.steps:
        item: dict[str, Any] = step.model_dump()
        if context:
            used, paras = lens(step.contexts, context)
            item["lens"] = {"context": used, "exact": used == context, "paragraphs": paras}
        steps.append(item)
    garden = meta.graph_garden
    return {
        "slug": pattern.slug,
        "title": pattern.title,
        "path": pattern.path,
        "summary": meta.summary,
        "one_liner": pattern.one_liner,
        "tension": pattern.tension,
        "solution": pattern.solution,
        "context": context,
        "context_label": pattern.context_label(context),
        "context_labels": meta.context_labels,
        "domain": meta.ontology.domain,
        "status": meta.lifecycle.status,
        "confidence": meta.lifecycle.confidence,
        "generation": pattern.generation,
        "sections": [{"heading": s.heading, "role": s.role, "line": s.line} for s in pattern.sections],
        "steps": steps,
        "signs_of_life": pattern.signs_of_life,
        "signs_of_decay": pattern.signs_of_decay,
        "when_to_replant": pattern.when_to_replant,
        "relationships": {k: [r.model_dump() for r in v] for k, v in meta.relationships.by_type().items()},
        "graph_garden": {
            "last_pruned": garden.last_pruned,
            "entities": [e.model_dump() for e in garden.entities],
            "communities": [c.model_dump() for c in garden.communities],
            "inferred_links": [link.model_dump() for link in garden.inferred_links],
        },
        "commons_assessment": meta.ontology.commons_assessment.model_dump()
        if meta.ontology.commons_assessment
        else None,
        "license": meta.license,
        "attribution": meta.attribution,
    }


def pattern_text(pattern: Pattern, context: str | None = None) -> str:
    """A readable terminal view: tension, solution, steps in the lens, vitality signs."""
    lines = [pattern.title, "=" * len(pattern.title)]
    label = pattern.context_label(context)
    if label:
        lines.append(f"In your world ({context}): {label}")
    lines += [f"Tension: {pattern.tension or '—'}", "", pattern.solution or pattern.one_liner, ""]
    for step in pattern.steps:
        lines.append(f"Step {step.number}: {step.title}")
        used, paras = lens(step.contexts, context)
        if paras:
            note = "" if used == context or not context else f" (no {context} paragraph; closest: {used})"
            lines.append(f"  [{used}]{note} " + paras[0][:400])
        lines.append("")
    if pattern.signs_of_life:
        lines.append("Signs of life:")
        lines += [f"  + {s}" for s in pattern.signs_of_life]
    if pattern.signs_of_decay:
        lines.append("Signs of decay:")
        lines += [f"  - {s}" for s in pattern.signs_of_decay]
    if pattern.when_to_replant:
        lines += ["When to replant:", "  " + pattern.when_to_replant]
    lines += ["", f"{pattern.meta.license or 'licence not stated'} — {pattern.meta.attribution or ''}"]
    return "\n".join(lines)
