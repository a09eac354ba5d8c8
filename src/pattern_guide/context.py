"""The person's context: corporate, government, activist or tech, or none when unclear."""

from __future__ import annotations

import re

from pattern_guide.model import CONTEXTS

# Words people use about their own world. Weighted: a strong cue counts twice.
_CUES: dict[str, dict[str, int]] = {
    "corporate": {
        "company": 2,
        "corporate": 2,
        "business": 1,
        "manager": 1,
        "managers": 1,
        "employees": 2,
        "staff": 1,
        "clients": 1,
        "client": 1,
        "customers": 1,
        "sales": 2,
        "revenue": 2,
        "profit": 2,
        "board": 1,
        "ceo": 2,
        "hr": 2,
        "firm": 2,
        "division": 1,
        "quarterly": 1,
        "shareholders": 2,
        "headcount": 2,
        "bonus": 1,
        "promotion": 1,
        "office": 1,
        "org": 1,
        "vp": 2,
        "executive": 1,
        "executives": 1,
        "enterprise": 1,
        "consultancy": 2,
        "bank": 1,
        "retail": 1,
        "kpis": 1,
    },
    "government": {
        "government": 2,
        "council": 2,
        "ministry": 2,
        "minister": 2,
        "agency": 2,
        "public": 1,
        "civil": 1,
        "servants": 1,
        "municipal": 2,
        "municipality": 2,
        "city": 1,
        "county": 2,
        "federal": 2,
        "state": 1,
        "policy": 1,
        "citizens": 2,
        "residents": 2,
        "constituents": 2,
        "department": 1,
        "procurement": 1,
        "statutory": 2,
        "regulation": 1,
        "regulator": 2,
        "parliament": 2,
        "mayor": 2,
        "caseworkers": 2,
        "nhs": 2,
        "school": 1,
        "schools": 1,
        "hospital": 1,
        "police": 1,
        "taxpayers": 2,
        "legislation": 2,
        "audit": 1,
        "services": 1,
    },
    "activist": {
        "movement": 2,
        "activists": 2,
        "activist": 2,
        "campaign": 2,
        "campaigns": 2,
        "volunteers": 2,
        "volunteer": 2,
        "organisers": 2,
        "organizers": 2,
        "organising": 2,
        "organizing": 2,
        "grassroots": 2,
        "union": 2,
        "chapter": 1,
        "chapters": 1,
        "protest": 2,
        "mutual": 1,
        "collective": 2,
        "coalition": 2,
        "nonprofit": 1,
        "charity": 1,
        "community": 1,
        "neighbours": 1,
        "neighbors": 1,
        "members": 1,
        "solidarity": 2,
        "tenants": 2,
        "rally": 2,
        "petition": 2,
        "cause": 1,
        "co-op": 1,
        "cooperative": 1,
    },
    "tech": {
        "engineers": 2,
        "engineering": 2,
        "developers": 2,
        "devs": 2,
        "software": 2,
        "code": 2,
        "sprint": 2,
        "sprints": 2,
        "product": 1,
        "deploy": 2,
        "deploys": 2,
        "release": 1,
        "releases": 1,
        "startup": 2,
        "app": 2,
        "backlog": 2,
        "tickets": 1,
        "jira": 2,
        "on-call": 2,
        "incident": 1,
        "incidents": 1,
        "outage": 2,
        "api": 2,
        "platform": 1,
        "repo": 2,
        "prs": 2,
        "pr": 1,
        "devops": 2,
        "saas": 2,
        "features": 1,
        "feature": 1,
        "bugs": 2,
        "standup": 1,
        "standups": 1,
        "microservices": 2,
        "scrum": 2,
        "agile": 1,
        "data": 1,
    },
}
_WORD = re.compile(r"[a-z][a-z\-]*")
_MIN_SCORE = 2


def detect_context(text: str) -> str | None:
    """The context the words point to, or None when there are too few cues or a tie."""
    words = _WORD.findall(text.lower())
    totals = {name: sum(cues.get(w, 0) for w in words) for name, cues in _CUES.items()}
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    (best, score), (_, runner_up) = ranked[0], ranked[1]
    if score < _MIN_SCORE or score == runner_up:
        return None
    return best


def normalise_context(name: str | None) -> str | None:
    """Accept a context name in any case, or a few synonyms; reject the rest."""
    if name is None:
        return None
    key = name.strip().lower()
    aliases = {
        "business": "corporate",
        "company": "corporate",
        "public": "government",
        "gov": "government",
        "movement": "activist",
        "nonprofit": "activist",
        "product": "tech",
        "technology": "tech",
    }
    key = aliases.get(key, key)
    if key not in CONTEXTS:
        raise ValueError(f"Unknown context '{name}' — use one of: {', '.join(CONTEXTS)}")
    return key


# When a step has no paragraph for a context, the nearest world that has one.
_NEAREST: dict[str, tuple[str, ...]] = {
    "corporate": ("tech", "government", "activist"),
    "government": ("corporate", "activist", "tech"),
    "activist": ("government", "corporate", "tech"),
    "tech": ("corporate", "activist", "government"),
}


def lens(paragraphs_by_context: dict[str, list[str]], context: str | None) -> tuple[str | None, list[str]]:
    """The paragraphs for a context, or for the nearest context that has some.

    Returns the context actually used (None when the step has no per-context text).
    """
    if not paragraphs_by_context:
        return None, []
    order = (context, *_NEAREST.get(context, ())) if context else CONTEXTS
    for name in order:
        if name and paragraphs_by_context.get(name):
            return name, paragraphs_by_context[name]
    name, paras = next(iter(paragraphs_by_context.items()))
    return name, paras
