"""Communities of the library: Louvain (networkx, fixed seed) over the inferred-link graph, each
community named by the words its members share more than the rest of the library does.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pattern_guide.garden.features import Profile
from pattern_guide.library.meta import GardenCommunity, InferredLink

if TYPE_CHECKING:
    import networkx as nx

SEED = 7
RESOLUTION = 1.0
SOURCE = "louvain"


@dataclass
class Community:
    """One community: its id, its name and its members (slugs, sorted)."""

    id: str
    label: str
    members: list[str] = field(default_factory=list)


def link_graph(profiles: Sequence[Profile], links: Sequence[Sequence[InferredLink]]) -> nx.Graph:
    """Every pattern a node; every inferred link an undirected edge weighted by its confidence."""
    import networkx as nx  # only when drawn: a person who never sees a chart never loads it

    graph = nx.Graph()
    graph.add_nodes_from(p.slug for p in profiles)
    for profile, mine in zip(profiles, links, strict=True):
        for link in mine:
            if link.target and link.target != profile.slug:
                weight = float(link.confidence or 0.0)
                held = graph.get_edge_data(profile.slug, link.target, default={}).get("weight", 0.0)
                graph.add_edge(profile.slug, link.target, weight=max(weight, held))
    return graph


def _name(members: Sequence[Profile], df: Counter[str], total: int, taken: set[str]) -> tuple[str, str]:
    """Two or three words the members name themselves by, far more than the library does."""
    inside: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for profile in members:
        inside.update(list(profile.core))
        for stem, word in profile.core.items():
            surface.setdefault(stem, word)
    scored = sorted(
        (s for s in inside if inside[s] >= min(2, len(members))),
        key=lambda s: (-(inside[s] / len(members)) * math.log(total / df[s]), s),
    )
    words: list[str] = []
    for stem in scored:
        if not any(stem[:4] == w[:4] for w in words):  # "decisions" and "decide": one of them
            words.append(stem)
        if len(words) == 2:
            break
    words = [surface[s] for s in words] or [members[0].title.split()[0].lower()]
    titled = [w.capitalize() for w in words]
    label = titled[0] if len(titled) == 1 else ", ".join(titled[:-1]) + " and " + titled[-1]
    base = "-".join(w.lower() for w in words)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key, label


def find_communities(graph: nx.Graph, profiles: Sequence[Profile]) -> list[Community]:
    """Louvain communities, largest first; every node belongs to exactly one."""
    import networkx as nx  # only when drawn: a person who never sees a chart never loads it

    parts = nx.community.louvain_communities(graph, weight="weight", resolution=RESOLUTION, seed=SEED)
    by_slug = {p.slug: p for p in profiles}
    df: Counter[str] = Counter()
    for profile in profiles:
        df.update(list(profile.core))
    ordered = sorted((sorted(part) for part in parts), key=lambda m: (-len(m), m[0]))
    out: list[Community] = []
    taken: set[str] = set()
    for members in ordered:
        key, label = _name([by_slug[s] for s in members], df, len(profiles), taken)
        taken.add(key)
        out.append(Community(id=key, label=label, members=members))
    return out


def membership(graph: nx.Graph, community: Community, slug: str) -> GardenCommunity:
    """The pattern's community, with the share of its link weight that stays inside it as confidence."""
    inside = set(community.members)
    weights = [(other, float(data.get("weight", 0.0))) for other, data in graph[slug].items()]
    total = sum(w for _, w in weights)
    share = sum(w for other, w in weights if other in inside) / total if total else 0.0
    return GardenCommunity(id=community.id, label=community.label, source=SOURCE, confidence=round(share, 2))
