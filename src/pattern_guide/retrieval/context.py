"""The person's context from their words: corporate, government, activist or tech, or none when unclear.

People rarely name their context; they name their role and their organisation ("I'm a ward
nurse", "our food co-op", "the council's housing desk", "our startup's backend team"). Each
cue below is a word or phrase with a weight: 3 for an organisation or role that belongs to one
world, 2 for a strong hint, 1 for a weak one. A context is detected when its cues add up to
at least 2 and beat every other context by at least 2; otherwise the guide asks.
"""

from __future__ import annotations

import re
from functools import lru_cache

# fmt: off
_CUES: dict[str, dict[str, int]] = {
    "corporate": {
        "company": 3, "companies": 3, "corporate": 3, "corporation": 3, "firm": 3, "business": 2, "businesses": 2,
        "bakery chain": 3, "retail chain": 3, "retailer": 3, "retail": 2, "shop floor": 3, "store manager": 3,
        "shops": 1, "stores": 1, "distribution centre": 3, "distribution center": 3, "warehouse": 2, "warehouses": 2,
        "logistics": 2, "manufacturer": 3, "factory": 3, "plant": 1, "plants": 2, "insurer": 3, "insurance": 2,
        "bank branch": 3, "bank": 2, "law firm": 3, "consulting firm": 3, "supermarket": 3, "supermarket chain": 3,
        "day job": 1, "consultancy": 3, "agency's clients": 2, "ad agency": 3, "hotel group": 3, "hotel": 2,
        "broadband provider": 3, "provider": 1, "franchise": 3, "head office": 2, "regional manager": 3, "sales": 2,
        "sales director": 3, "reps": 2, "commission": 2, "revenue": 2, "profit": 2, "profits": 2, "shareholders": 3,
        "board of directors": 3, "ceo": 2, "hr": 2, "hr business partner": 3, "customers": 1, "customer": 1,
        "clients": 2, "client": 1, "customer service": 2, "billing": 1, "purchasing": 2, "procurement team": 2,
        "quality team": 1, "partners": 1, "associates": 1, "pitches": 2, "pitch": 1, "quarterly": 1, "headcount": 2,
        "bonus": 2, "bonuses": 2, "employees": 2, "employer": 1, "ops manager": 2, "operations": 1, "supervisors": 1,
        "family-owned": 3, "family business": 3, "enterprise": 2, "kpis": 2, "targets": 1, "market share": 2,
        "claims handler": 3, "claims": 1, "branch managers": 2, "regional offices": 2, "executives": 2, "execs": 2,
        "vp": 2, "division": 2, "mid-sized": 1, "corporate team": 3, "private sector": 3,
    },
    "government": {
        "government": 3, "council": 3, "councils": 3, "council's": 3, "local authority": 3, "authority": 1,
        "ministry": 3, "minister": 3, "minister's": 3, "department": 2, "civil service": 3, "civil servants": 3,
        "public service": 3, "public services": 3, "public sector": 3, "public agency": 3, "agency": 1,
        "benefits agency": 3, "municipal": 3, "municipality": 3, "city hall": 3, "county": 3, "federal": 3,
        "state secondary": 3, "state school": 3, "public school": 3, "school": 2, "schools": 2, "deputy head": 3,
        "headteacher": 3, "teachers": 2, "nhs": 3, "nhs trust": 3, "ward nurse": 3, "nurse": 3, "nurses": 3,
        "ward": 2, "wards": 2, "hospital": 2, "public hospital": 3, "a&e": 3, "gp surgery": 3, "surgery": 1,
        "practice manager": 2, "patients": 2, "caseworkers": 3, "caseworker": 3, "social worker": 3,
        "social workers": 3, "social services": 3, "child protection": 3, "housing desk": 3, "housing officer": 3,
        "housing officers": 3, "housing department": 3, "police": 3, "court": 2, "courts": 2, "probation": 3,
        "fire and rescue": 3, "fire service": 3, "highways": 3, "planning department": 3, "planning office": 3,
        "environmental health": 3, "inspectors": 2, "libraries service": 3, "library service": 3, "policy adviser": 3,
        "policy": 1, "citizens": 2, "residents": 1, "constituents": 3, "taxpayers": 3, "statutory": 3, "regulator": 3,
        "parliament": 3, "mayor": 3, "frontline staff": 2, "claimants": 3, "legislation": 3, "public consultation": 3,
        "consultation": 1, "procurement": 1, "audit office": 3, "civic": 2, "parish council": 3, "councillor": 3,
        "surgical ward": 3, "sister on a": 2, "regional government": 3, "state agency": 3, "public body": 3,
        "officers": 1, "housing association": 2,
    },
    "activist": {
        "movement": 3, "movements": 3, "activists": 3, "activist": 3, "campaign": 3, "campaigns": 3, "campaigning": 3,
        "campaign coalition": 3, "coalition": 3, "volunteers": 3, "volunteer": 3, "volunteer-run": 3,
        "volunteer group": 3, "organisers": 3, "organizers": 3, "organising": 3, "organizing": 3, "organise with": 3,
        "organize with": 3, "community organising": 3, "grassroots": 3, "union": 3, "unions": 3, "union branch": 3,
        "tenants": 3, "tenants'": 3, "tenants union": 3, "shop steward": 3, "mutual aid": 3, "co-op": 3, "coop": 3,
        "cooperative": 3, "co-operative": 3, "housing co-op": 3, "food co-op": 3, "food bank": 3, "collective": 3,
        "chapter": 2, "chapters": 2, "protest": 3, "protests": 3, "rally": 3, "petition": 3, "solidarity": 3,
        "charity": 2, "charities": 2, "ngo": 2, "nonprofit": 2, "non-profit": 2,
        "tenants' association": 3, "tenants association": 3, "community group": 3, "community garden": 3,
        "residents' association": 3, "residents association": 3, "neighbourhood group": 3, "neighbours": 1,
        "neighbors": 1, "members": 1, "membership": 1, "drop-in": 2, "refugees": 1, "climate": 1, "direct action": 3,
        "hardship fund": 2, "the cause": 2, "branch": 1, "committee": 1, "grant": 1, "grants": 1, "funders": 1,
        "rota": 1, "general meetings": 1, "allotment": 2, "neighbourhood association": 3, "local groups": 2,
        "member groups": 3, "trust for money": 1,
    },
    "tech": {
        "startup": 3, "startups": 3, "start-up": 3, "startup's": 3, "scale-up": 3, "scaleup": 3, "engineers": 3,
        "engineering": 3, "engineering manager": 3, "engineering team": 3, "developers": 3, "developer": 2, "devs": 3,
        "dev team": 3, "software": 3, "software team": 3, "code": 2, "codebase": 3, "code review": 3, "backend": 3,
        "frontend": 3, "mobile app": 3, "app": 2, "platform squads": 3, "squad": 2, "squads": 2, "sprint": 3,
        "sprints": 3, "sprint goals": 3, "deploy": 3, "deploys": 3, "ships to prod": 3, "prod": 2,
        "release pipeline": 3, "releases": 2, "release": 1, "on call": 2, "on-call": 3, "paged": 3, "pager": 3,
        "outage": 3, "outages": 3, "incident reports": 2, "sre": 3, "sre team": 3, "devops": 3, "jira": 3,
        "tickets": 2, "backlog": 2, "pr comments": 3, "prs": 3, "pull requests": 3, "repo": 3, "open source": 3,
        "open-source": 3, "maintainer": 3, "maintainers": 3, "api": 3, "microservices": 3, "kafka": 3,
        "feature-flag": 3, "feature flags": 3, "saas": 3, "fintech": 3, "product team": 3, "product manager": 3,
        "pms": 2, "ux": 2, "qa": 2, "tech lead": 3, "cto": 3, "architecture decisions": 2, "standup": 1,
        "standups": 1, "scrum": 3, "agile": 1, "slack": 1, "users": 1, "user research": 2, "features": 1,
        "feature": 1, "bugs": 2, "product": 1, "tech": 2, "technology company": 3, "game studio": 3,
        "games studio": 3, "dev shop": 3, "tech company": 3, "tech companies": 3, "tech firm": 3,
        "software company": 3, "software companies": 3, "software firm": 3, "software house": 3, "saas company": 3,
        "saas companies": 3, "saas business": 3, "platform team": 3, "engineering org": 3, "dev speak": 3,
        "data team": 2,
    },
}
# fmt: on


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, re.Pattern[str], int]]:
    out: list[tuple[str, re.Pattern[str], int]] = []
    for context, cues in _CUES.items():
        for cue, weight in cues.items():
            out.append((context, re.compile(rf"(?<![\w-]){re.escape(cue)}(?:s|es)?(?![\w-])"), weight))
    return out


def context_scores(text: str) -> dict[str, int]:
    """Each context's cue weight in a text (a longer cue that contains a shorter one counts once)."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    totals = dict.fromkeys(_CUES, 0)
    taken: list[tuple[int, int]] = []
    hits = [(m.start(), m.end(), context, w) for context, rx, w in _compiled() for m in rx.finditer(lowered)]
    for start, end, context, weight in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        totals[context] += weight
    return totals


def _leaders(text: str) -> tuple[str, int, int]:
    """The context with the most cue weight, its weight, and the runner-up's."""
    ranked = sorted(context_scores(text).items(), key=lambda kv: -kv[1])
    return ranked[0][0], ranked[0][1], ranked[1][1]


def detect_context(text: str) -> str | None:
    """The context the words point to, or None when there are too few cues or no clear winner."""
    best, score, runner_up = _leaders(text)
    if score < 2 or score - runner_up < 2:
        return None
    return best


def named_context(text: str) -> str | None:
    """The context a request names ("how would this look in a council?"): any cue, strongest wins."""
    best, score, runner_up = _leaders(text)
    if score == 0 or score == runner_up:
        return None
    return best
