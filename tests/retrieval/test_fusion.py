"""Reciprocal rank fusion and context detection are pure functions."""

from __future__ import annotations

import pytest

from pattern_guide.library.contexts import lens, normalise_context
from pattern_guide.retrieval.context import detect_context
from pattern_guide.retrieval.fusion import reciprocal_rank_fusion, standard_fusion, standardised


@pytest.mark.parametrize(
    ("rankings", "expected"),
    [
        ([["a", "b", "c"]], ["a", "b", "c"]),
        ([["a", "b"], ["b", "a"]], ["a", "b"]),  # tie: first seen wins
        ([["a", "b", "c"], ["c", "b", "x"]], ["c", "b", "a", "x"]),  # c: 1/61+1/63 > b: 2/62
        ([["a"], []], ["a"]),
        ([[], []], []),
        ([["a", "a", "b"]], ["a", "b"]),  # a repeated item counts once, at its best rank
    ],
)
def test_rrf_order(rankings: list[list[str]], expected: list[str]) -> None:
    assert [item for item, _ in reciprocal_rank_fusion(rankings)] == expected


def test_rrf_scores() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our sales managers and the CEO argue about quarterly revenue targets", "corporate"),
        ("The council's housing department keeps residents waiting for months", "government"),
        ("Our volunteers are burning out after the campaign and the union chapter is shrinking", "activist"),
        ("Engineers on our product team ship a sprint late every time because of the backlog", "tech"),
        ("We keep arguing and nobody listens", None),
        ("", None),
        # A company that makes software is tech, not corporate: the longer cue counts once.
        ("I work at a software company and our releases keep slipping", "tech"),
        ("We're a small tech company, about thirty people", "tech"),
        ("Our SaaS company has three squads and nobody owns onboarding", "tech"),
        ("I run an NGO working with refugees in two cities", "activist"),
        ("Our charity's trustees and staff never agree on priorities", "activist"),
        ("Our tenants' association meets monthly and the same two people run it", "activist"),
        ("I manage the repairs team at a housing association and complaints keep piling up", "government"),
    ],
)
def test_detect_context(text: str, expected: str | None) -> None:
    assert detect_context(text) == expected


def test_normalise_context() -> None:
    assert normalise_context("Government") == "government"
    assert normalise_context("business") == "corporate"
    assert normalise_context(None) is None
    with pytest.raises(ValueError, match="Unknown context"):
        normalise_context("religious")


def test_lens_falls_back_to_nearest() -> None:
    paras = {"corporate": ["c"], "activist": ["a"]}
    assert lens(paras, "activist") == ("activist", ["a"])
    assert lens(paras, "tech") == ("corporate", ["c"])
    assert lens(paras, "government") == ("corporate", ["c"])
    assert lens({}, "tech") == (None, [])


def test_pattern_ranking_rewards_several_matching_chunks() -> None:
    from pattern_guide.retrieval.fusion import pattern_ranking

    # "b" has the single best chunk, "a" matches three times just below it.
    assert pattern_ranking(["b", "a", "a", "a"], per_pattern=3) == ["a", "b"]
    assert pattern_ranking(["b", "a", "a", "a"], per_pattern=1) == ["b", "a"]
    # Only the best `per_pattern` chunks count.
    assert pattern_ranking(["a", "a", "b", "b", "b", "b"], per_pattern=2) == ["a", "b"]
    assert pattern_ranking([]) == []


def test_standardised_scores_and_the_fill() -> None:
    z, low = standardised({"a": 3.0, "b": 1.0}, fill=0.0)
    assert z == {"a": pytest.approx(1.0), "b": pytest.approx(-1.0)}  # mean 2, spread 1
    assert low == pytest.approx(-2.0)
    assert standardised({}, fill=5.0) == ({}, 0.0)
    same, _ = standardised({"a": 2.0, "b": 2.0}, fill=0.0)  # no spread: differences kept, not divided by zero
    assert same == {"a": 0.0, "b": 0.0}


def test_standard_fusion_weighs_signals_on_one_scale() -> None:
    cosines = {"a": 0.50, "b": 0.40, "c": 0.30}  # a small spread
    bm25 = {"c": 30.0, "b": 10.0}  # a wide one; a has no BM25 score and takes the fill
    by_cosine = [s for s, _ in standard_fusion([(1.0, cosines, 0.3), (0.1, bm25, 0.0)])]
    by_words = [s for s, _ in standard_fusion([(0.1, cosines, 0.3), (1.0, bm25, 0.0)])]
    assert by_cosine[0] == "a" and by_words[0] == "c"  # the raw BM25 numbers did not swamp the cosines
    assert {s for s, _ in standard_fusion([(1.0, {"x": 1.0}, 0.0), (1.0, {"y": 1.0}, 0.0)])} == {"x", "y"}
