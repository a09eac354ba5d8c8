"""Stage 3 — retrieval: lexical and vector rankings fused by rank (RRF) into a per-pattern ranking.

``fusion`` is the pure rank fusion, ``retriever`` ranks patterns for a situation and quotes
why they fit, ``context`` detects the person's context from their words, ``topic`` decides
whether a message is about how a group organises at all.
"""

from pattern_guide.retrieval.retriever import Match, MatchResult, Mode, Ranking, Retriever, VectorSearch

__all__ = ["Match", "MatchResult", "Mode", "Ranking", "Retriever", "VectorSearch"]
