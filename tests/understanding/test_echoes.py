"""Which sign of life or decay a practice the group already has echoes, with the real embedding model."""

from __future__ import annotations

import numpy as np
import pytest

from pattern_guide.conversation.state import EchoedSign as Echo
from pattern_guide.index.embedder import Vectors
from pattern_guide.library.loader import load_file
from pattern_guide.library.model import Pattern
from pattern_guide.understanding.echoes import ECHO_MIN, Echoes, description, in_place, sign_title
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
    ],
)
def test_words_tell_whether_a_practice_is_already_in_place(text: str, already: bool) -> None:
    assert in_place(text) is already
