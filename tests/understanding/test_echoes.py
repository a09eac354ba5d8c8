"""Which sign of life or decay a practice the group already has echoes, with the real embedding model."""

from __future__ import annotations

import numpy as np
import pytest

from pattern_guide import text as toolkit
from pattern_guide.conversation.state import EchoedSign as Echo
from pattern_guide.index.embedder import Vectors
from pattern_guide.library.loader import Library, load_file
from pattern_guide.library.model import Pattern
from pattern_guide.understanding.echoes import ECHO_MIN, Echoes, SignWords, description, in_place, lean, sign_title
from pattern_guide.understanding.sign_vectors import SignVectors
from tests.conftest import STARTER, RememberingEmbedder


def patterns(*slugs: str) -> list[Pattern]:
    return [load_file(STARTER / f"{slug}.md") for slug in slugs]


def first(found: list[Echo]) -> tuple[str, str, str]:
    return (found[0].slug, found[0].kind, found[0].title) if found else ("", "", "")


@pytest.fixture
def echoes(shared_minilm: RememberingEmbedder) -> Echoes:
    return Echoes(shared_minilm.embed)


CARERS = ("care-for-the-carers", "regular-retrospectives", "sustainable-pace")


def test_a_practice_in_decay_echoes_its_sign_of_decay_first(echoes: Echoes) -> None:
    text = "We brought in peer debriefs after hard shifts on the ward, but they're the first thing cancelled when busy."
    found = echoes.find(text, patterns(*CARERS))
    assert first(found) == ("care-for-the-carers", "decay", "Sessions are cancelled first")
    assert found[0].score >= 0.5  # close enough for the guide to name it (runner.NAME_ECHO)
    assert [e.score for e in found] == sorted((e.score for e in found), reverse=True)


def test_a_practice_in_good_health_echoes_its_sign_of_life_first(echoes: Echoes) -> None:
    text = (
        "Even in the winter rush our debriefs after hard shifts still went ahead every week and nearly the whole "
        "team came; a couple of them changed how we plan the rota."
    )
    found = echoes.find(text, patterns("care-for-the-carers", "sustainable-pace", "slack-for-resilience"))
    assert first(found) == ("care-for-the-carers", "life", "Reflection sessions are attended")


def test_numbers_shared_on_time_in_a_bad_quarter_echo_the_rhythm_holding(echoes: Echoes) -> None:
    text = "Our monthly figures still go out on schedule, even in the bad quarter when we lost the grant."
    found = echoes.find(text, patterns("open-book-finances", "meeting-diet", "sustainable-pace"))
    assert first(found) == ("open-book-finances", "life", "The rhythm holds")


@pytest.mark.parametrize(
    "text",
    [
        "What is the best recipe for lemon drizzle cake?",
        "Can you recommend a good hiking trail near the lakes for a weekend in May?",
    ],
)
def test_a_line_about_no_practice_echoes_nothing(echoes: Echoes, text: str) -> None:
    assert echoes.find(text, patterns(*CARERS, "rotating-roles")) == []


def test_every_echo_is_a_sign_of_the_patterns_given_and_above_the_minimum(echoes: Echoes) -> None:
    given = patterns(*CARERS)
    titles = {(p.slug, sign_title(s)) for p in given for s in p.signs_of_life + p.signs_of_decay}
    found = echoes.find("Our retrospectives keep getting skipped whenever a deadline looms.", given, limit=4)
    assert 0 < len(found) <= 4
    assert all((e.slug, e.title) in titles and e.score >= ECHO_MIN for e in found)


def test_each_sign_is_embedded_once_and_the_situation_by_the_query_given(shared_minilm: RememberingEmbedder) -> None:
    asked: list[list[str]] = []
    queried: list[str] = []

    def embed(texts: list[str]) -> Vectors:
        asked.append(list(texts))
        vectors: Vectors = shared_minilm.embed(texts)
        return vectors

    def query(text: str) -> Vectors:
        queried.append(text)
        vector: Vectors = shared_minilm.embed([text])[0]
        return vector

    echoes = Echoes(embed, query)
    given = patterns("care-for-the-carers")
    echoes.find("Our debriefs get cancelled first.", given)
    echoes.find("Our debriefs are well attended.", given)
    signs = given[0].signs_of_life + given[0].signs_of_decay
    assert len(asked) == 1 and sorted(asked[0]) == sorted(description(s) for s in signs)
    assert queried == ["Our debriefs get cancelled first.", "Our debriefs are well attended."]


def test_without_an_embedder_or_words_nothing_is_echoed(shared_minilm: RememberingEmbedder) -> None:
    assert Echoes(None).find("Our debriefs get cancelled first.", patterns(*CARERS)) == []
    assert Echoes(shared_minilm.embed).find("   ", patterns(*CARERS)) == []
    assert Echoes(shared_minilm.embed).find("Our debriefs get cancelled first.", []) == []


@pytest.mark.parametrize("minimum", [0.0, 1.0, -0.2, 1.5])
def test_the_minimum_must_be_a_cosine_between_0_and_1(minimum: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Echoes(lambda texts: np.zeros((len(texts), 3)), minimum=minimum)


def test_a_sign_is_read_as_its_headline_and_what_it_says_is_seen() -> None:
    sign = "Sessions are cancelled first. Reflection and debriefs are the first thing dropped when things get busy."
    assert sign_title(sign) == "Sessions are cancelled first"
    assert description(sign) == "Reflection and debriefs are the first thing dropped when things get busy."
    assert description("Alive.") == "Alive."  # a headline alone is its own description


@pytest.mark.parametrize(
    ("text", "already"),
    [
        ("We brought in peer debriefs after hard shifts, but they get cancelled.", True),
        ("Our weekly retro has become a box-ticking exercise.", True),
        ("People are exhausted and nobody knows where to start.", False),
        ("We've got a buddy list for new starters and everyone on it has met their buddy.", True),
        ("We moved to rotating the chair last spring, but now it's back to the same person.", True),
        ("The tool library was supposed to be run by everyone; it's become one volunteer's job.", True),
        ("How do we decide who gets the spare desk?", False),
    ],
)
def test_words_tell_whether_a_practice_is_already_in_place(text: str, already: bool) -> None:
    assert in_place(text) is already


def starter(*slugs: str) -> Library:
    return Library(patterns={p.slug: p for p in patterns(*slugs)})


def test_with_the_library_a_practice_named_by_its_signs_is_found_beyond_the_patterns_given(
    shared_minilm: RememberingEmbedder,
) -> None:
    library = starter("regular-retrospectives", "meeting-diet", "sustainable-pace", "open-book-finances")
    echoes = Echoes(shared_minilm.embed, library=library)
    text = "Our look-back sessions keep getting pushed whenever a release is due, and nobody objects any more."
    given = patterns("meeting-diet", "open-book-finances")  # retrieval missed the retrospectives
    found = echoes.find(text, given)
    assert first(found) == ("regular-retrospectives", "decay", "Cancellation creep")


def test_vectors_given_are_used_and_nothing_is_embedded_per_turn(shared_minilm: RememberingEmbedder) -> None:
    library = starter(*CARERS)
    vectors = SignVectors(shared_minilm.embed, shared_minilm.name, shared_minilm.dim)
    vectors.add(s for p in library.patterns.values() for s in p.signs_of_life + p.signs_of_decay)
    asked: list[list[str]] = []

    def embed(texts: list[str]) -> Vectors:
        asked.append(texts)
        out: Vectors = shared_minilm.embed(texts)
        return out

    echoes = Echoes(embed, library=library, vectors=vectors)
    echoes.find("We brought in peer debriefs, but they're the first thing cancelled.", patterns(*CARERS))
    assert all(len(batch) == 1 for batch in asked)  # only the situation itself, never a sign


@pytest.mark.parametrize(
    ("text", "decay"),
    [
        (
            "We set up a rota for the kitchen, but these days nobody follows it and the same two people do the dishes.",
            True,
        ),
        ("The weekly check-in has fizzled out; it was cancelled three times running and no one noticed.", True),
        ("Our buddy scheme for new volunteers really works: every newcomer this year had someone to ask.", False),
        ("The budget meetings are well attended now and people ask sharp questions about the figures.", False),
    ],
)
def test_a_complaint_leans_to_decay_and_praise_to_life(text: str, decay: bool) -> None:
    words = SignWords(patterns(*CARERS, "open-book-finances", "rotating-roles"))
    assert (lean(text, words) > 0) is decay


def test_words_seen_only_in_signs_of_decay_raise_the_odds_of_decay() -> None:
    words = SignWords(patterns(*CARERS))
    # decay_odds reads text, so the words asked about are ones that are their own stem ("late", not "prais").
    own = {w for kind in ("life", "decay") for w in words.seen[kind] if toolkit.stems([w]) == [w]}
    decay_only = min(w for w in words.seen["decay"] if w not in words.seen["life"] and w in own)
    life_only = min(w for w in words.seen["life"] if w not in words.seen["decay"] and w in own)
    assert words.decay_odds(decay_only) > 0 > words.decay_odds(life_only)
    assert words.decay_odds("zzzqx") == 0.0  # a word no sign uses says nothing


def test_prepared_at_start_the_first_turn_builds_nothing(shared_minilm: RememberingEmbedder) -> None:
    library = starter(*CARERS)
    vectors = SignVectors(shared_minilm.embed, shared_minilm.name, shared_minilm.dim)
    vectors.add(s for p in library.patterns.values() for s in p.signs_of_life + p.signs_of_decay)
    echoes = Echoes(shared_minilm.embed, library=library, vectors=vectors)
    echoes.prepare()
    words, matrix = echoes._words, echoes._all
    assert words is not None and matrix is not None and len(matrix[0]) == len(matrix[1])
    found = echoes.find("We brought in peer debriefs, but they're the first thing cancelled.", patterns(*CARERS))
    assert found and echoes._words is words and echoes._all is matrix  # the same, not built again
