"""The Library page's list: search results, filters by domain, status and confidence, and paging.

What the list needs of each pattern (readable domain, status, confidence, whether it is an early
draft) is worked out once per loaded library and kept at module level, so a rerun over 3,616
patterns only filters and slices a ready list. A search is run once per query and context and
kept in the person's session, so opening a result or turning a page does not search again.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from typing import NamedTuple

import streamlit as st

from pattern_guide.assistant import Engine
from pattern_guide.library.contexts import CONTEXTS
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.library.parser import strip_section_number
from pattern_guide.replies.phrasing import is_early
from pattern_guide.retrieval.retriever import Match
from pattern_guide.settings import library_label
from pattern_guide.text import escape, safe_markdown, shorten
from pattern_guide.ui import resources

PAGE_SIZE = 25
RESULTS = 25  # search results shown
WIDE = 150  # matches asked for when filters may drop many of them
WHY_LIMIT = 160  # characters of the passage that shows why a result matched
SEARCH_FLOOR = 0.30  # below this best passage similarity, and with no word in common, nothing matches
CONFIDENCE_SCALE = 3  # lifecycle.confidence counts stars, one to three (PATTERN_SPEC: ★★★ is high)
NO_STATUS = "not stated"
CONTEXT_KEY = "library-context"
PAGE_KEY = "library-page"
OPEN_KEY = "pattern"  # the query parameter naming the open pattern (citations in replies link with it too)

# Names for the starter library's six domains (data/patterns, catalogue.yaml); any other slug is title-cased.
KNOWN_DOMAINS = {
    "deep-work-flow": "Deep work & flow",
    "governance-decisions": "Governance & decisions",
    "collaboration-dialogue": "Collaboration & dialogue",
    "sensemaking-strategy": "Sensemaking & strategy",
    "culture-wellbeing": "Culture & wellbeing",
    "commons-advocacy": "Commons & advocacy",
}
NO_DOMAIN = "No domain"


def domain_name(slug: str | None) -> str:
    """A domain as people read it: "deep-work-flow" is "Deep work & flow", "team-rituals" "Team Rituals"."""
    if not slug or not slug.strip():
        return NO_DOMAIN
    key = slug.strip().lower()
    if key in KNOWN_DOMAINS:
        return KNOWN_DOMAINS[key]
    return " ".join(word.capitalize() for word in key.replace("_", "-").split("-") if word)


def badge(status: str | None, confidence: float | None, early: bool) -> str:
    """Status and confidence in words: "draft · confidence 1/3 — an early pattern, use with care"."""
    stars = f"confidence {int(confidence)}/{CONFIDENCE_SCALE}" if confidence else "confidence not stated"
    text = f"{status or 'status not stated'} · {stars}"
    return f"{text} — an early pattern, use with care" if early else text


class Entry(NamedTuple):
    """One pattern as the list shows and filters it."""

    slug: str
    title: str
    domain: str | None
    status: str
    confidence: int
    tension: str
    badge: str
    draft: bool


def entry(pattern: Pattern) -> Entry:
    """The list's view of one pattern."""
    life = pattern.meta.lifecycle
    return Entry(
        slug=pattern.slug,
        title=pattern.title,
        domain=pattern.meta.ontology.domain,
        status=life.status or NO_STATUS,
        confidence=int(life.confidence or 0),
        tension=pattern.tension or "",
        badge=badge(life.status, life.confidence, is_early(pattern)),
        draft=life.status == "draft",
    )


class Catalogue(NamedTuple):
    """Every pattern of a library as list entries (by title), and the domains and statuses found, with counts."""

    entries: list[Entry]
    by_slug: dict[str, Entry]
    domains: dict[str, int]
    statuses: dict[str, int]


_catalogues: dict[int, tuple[Library, Catalogue]] = {}
_lock = threading.Lock()


def catalogue(library: Library) -> Catalogue:
    """The library's catalogue, built once per loaded library (a reload after a saved draft builds a new one)."""
    with _lock:
        held = _catalogues.get(id(library))
        if held is not None and held[0] is library:
            return held[1]
    entries = sorted((entry(p) for p in library.patterns.values()), key=lambda e: (e.title.lower(), e.slug))
    domains = Counter(e.domain or "" for e in entries)
    made = Catalogue(
        entries=entries,
        by_slug={e.slug: e for e in entries},
        domains=dict(sorted(domains.items(), key=lambda kv: domain_name(kv[0]).lower())),
        statuses=dict(Counter(e.status for e in entries).most_common()),
    )
    with _lock:
        while len(_catalogues) >= 4:  # the libraries of a few reloads, never an unbounded pile
            _catalogues.pop(next(iter(_catalogues)))
        _catalogues[id(library)] = (library, made)  # holding the library keeps its id from being reused
    return made


class Filters(NamedTuple):
    """What the person narrowed the list to; empty sets keep everything."""

    domains: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    min_confidence: int = 0

    @property
    def active(self) -> bool:
        return bool(self.domains or self.statuses or self.min_confidence)

    def keep(self, item: Entry) -> bool:
        """Whether an entry passes every filter."""
        return (
            (not self.domains or (item.domain or "") in self.domains)
            and (not self.statuses or item.status in self.statuses)
            and item.confidence >= self.min_confidence
        )


def filtered(entries: list[Entry], filters: Filters) -> list[Entry]:
    """The entries that pass the filters, in their order."""
    return [e for e in entries if filters.keep(e)] if filters.active else entries


class Page(NamedTuple):
    """One page of a list: its entries, its number (from 1), how many pages, and the 1-based span shown."""

    items: list[Entry]
    number: int
    pages: int
    first: int
    last: int
    total: int

    @property
    def caption(self) -> str:
        """The span shown, like "Patterns 26–50 of 3,616"."""
        if not self.total:
            return "No patterns to show."
        return f"Patterns {self.first:,}–{self.last:,} of {self.total:,}"


def page_of(entries: list[Entry], number: int, size: int = PAGE_SIZE) -> Page:
    """The page `number` of the entries (clamped to the pages there are)."""
    pages = max(1, math.ceil(len(entries) / size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    items = entries[start : start + size]
    return Page(items, number, pages, start + 1 if items else 0, start + len(items), len(entries))


def no_match_message(query: str) -> str:
    """What the page says when nothing in the library is like the query (the query escaped)."""
    return f"No pattern matches “{escape(shorten(query, 80))}”. Try describing what keeps happening in your group."


class Outcome(NamedTuple):
    """A search: the matches (best first), or none because the query is like nothing in the library."""

    matches: list[Match]
    nothing: bool


def search(engine: Engine, query: str, context: str | None, wide: bool) -> Outcome:
    """Ranked matches for a query; nothing when it is off-topic or resembles no passage and shares no word.

    The guide's off-topic check catches requests of another kind ("what's the weather in Paris");
    the floor catches strings like "asdf qwerty" that the check, made for whole situations, lets by.
    """
    retriever = engine.retriever
    if resources.guide().is_off_topic(query):
        return Outcome([], True)
    result = retriever.match(query, context, WIDE if wide else RESULTS)
    if result.best_similarity < SEARCH_FLOOR and not retriever.lexical.query(query, 1):
        return Outcome([], True)
    return Outcome(result.matches, False)


def _kept_search(engine: Engine, query: str, context: str | None, wide: bool) -> Outcome:
    """The search for this query and context, run once per session (reruns reuse it)."""
    key = (query, context, wide, id(engine.retriever))
    held = st.session_state.get("library-search")
    if held is not None and held[0] == key:
        return held[1]
    outcome = search(engine, query, context, wide)
    st.session_state["library-search"] = (key, outcome)
    return outcome


# -- the page ---------------------------------------------------------------------------------------


def _first_page() -> None:
    st.session_state[PAGE_KEY] = 1


def _turn(by: int) -> None:
    st.session_state[PAGE_KEY] = st.session_state.get(PAGE_KEY, 1) + by


def _open(slug: str) -> None:
    st.query_params[OPEN_KEY] = slug


def filter_bar(found: Catalogue) -> Filters:
    """Domain, status and minimum confidence, side by side (stacked on a phone)."""
    domain, status, confidence = st.columns([3, 2, 2])
    domains = domain.multiselect(
        "Domain",
        list(found.domains),
        format_func=lambda d: f"{domain_name(d)} ({found.domains[d]:,})",
        placeholder="Every domain",
        key="library-domains",
        on_change=_first_page,
    )
    statuses = status.multiselect(
        "Status",
        list(found.statuses),
        format_func=lambda s: f"{s} ({found.statuses[s]:,})",
        placeholder="Any status",
        key="library-statuses",
        on_change=_first_page,
    )
    least = confidence.select_slider(
        "Confidence at least",
        options=list(range(CONFIDENCE_SCALE + 1)),
        format_func=lambda n: "any" if n == 0 else "★" * n,
        key="library-confidence",
        on_change=_first_page,
    )
    return Filters(frozenset(domains), frozenset(statuses), int(least))


def _row(item: Entry, lines: list[str]) -> None:
    with st.container(border=True, key=f"row-{item.slug}"):
        label = f"**{escape(item.title)}{' (draft)' if item.draft else ''}**"
        st.button(label, key=f"open-{item.slug}", type="tertiary", on_click=_open, args=(item.slug,))
        if lines:
            st.markdown("  \n".join(lines))
        st.caption(f"{escape(domain_name(item.domain))} · {escape(item.badge)}")


def _result_lines(match: Match, context: str | None) -> list[str]:
    lines = []
    if context and match.context_label:
        lines.append(f"In {context} contexts: **{escape(match.context_label)}**")
    lines.append(f"**Tension:** {safe_markdown(match.tension or '—')}")
    if match.why:
        best = match.why[0]
        quoted = safe_markdown(shorten(best.text, WHY_LIMIT))
        lines.append(f"*Why it matched* — “{quoted}” ({escape(strip_section_number(best.section))})")
    return lines


def results(engine: Engine, found: Catalogue, query: str, filters: Filters) -> list[str]:
    """The search results, each with its name in the chosen context, tension and why; their slugs."""
    context = st.segmented_control("Name each pattern as it is known in", CONTEXTS, key=CONTEXT_KEY)
    outcome = _kept_search(engine, query.strip(), context, filters.active)
    if outcome.nothing:
        st.info(no_match_message(query), icon="🔎")
        return []
    kept = [m for m in outcome.matches if m.slug in found.by_slug and filters.keep(found.by_slug[m.slug])][:RESULTS]
    if not kept:
        st.info("No pattern matches with these filters — widen them to see more.", icon="🔎")
        return []
    st.caption(f"The {len(kept)} closest patterns, best first")
    with st.container(height=460, key="library-list"):
        for match in kept:
            _row(found.by_slug[match.slug], _result_lines(match, context))
    return [m.slug for m in kept]


def browse(found: Catalogue, filters: Filters) -> list[str]:
    """One page of the (filtered) library by title, with Previous and Next; the page's slugs."""
    page = page_of(filtered(found.entries, filters), st.session_state.get(PAGE_KEY, 1))
    st.session_state[PAGE_KEY] = page.number
    st.caption(page.caption + (f" (filtered from {len(found.entries):,})" if filters.active else ""))
    with st.container(height=460, key="library-list"):
        for item in page.items:
            _row(item, [f"**Tension:** {safe_markdown(item.tension or '—')}"])
    back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
    back.button("← Previous", disabled=page.number <= 1, on_click=_turn, args=(-1,), width="stretch")
    where.caption(f"Page {page.number} of {page.pages}")
    forward.button("Next →", disabled=page.number >= page.pages, on_click=_turn, args=(1,), width="stretch")
    return [e.slug for e in page.items]


def listing(engine: Engine, query: str) -> list[str]:
    """Everything between the search box and the pattern: count, filters, results or a page; the slugs listed."""
    found = catalogue(engine.library)
    in_use = resources.guide().libraries()
    sources = " · ".join(f"**{escape(library_label(folder))}** ({n:,})" for folder, n in in_use.items())
    st.caption(f"{len(found.entries):,} patterns loaded")
    st.caption(f"Library in use: {sources}" if len(in_use) == 1 else f"Libraries in use: {sources}")
    filters = filter_bar(found)
    if query.strip():
        return results(engine, found, query, filters)
    return browse(found, filters)
