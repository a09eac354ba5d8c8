"""The one wiring point: build every component from settings."""

from __future__ import annotations

import functools
import time

from pattern_guide.guide.drafts import DraftDesk
from pattern_guide.guide.runner import Guide
from pattern_guide.index import lexical, vectors
from pattern_guide.index.build import IndexReport, build_index, check_manifest, source_stats, up_to_date
from pattern_guide.index.embedder import Embedder
from pattern_guide.index.lexical import load_lexical
from pattern_guide.index.models import build_embedder
from pattern_guide.index.vectors import Progress, VectorIndex, chroma_client
from pattern_guide.library.loader import Library, load_libraries
from pattern_guide.llm.fallback import build_chat_model
from pattern_guide.llm.interface import ChatModel, TextStream
from pattern_guide.retrieval.retriever import MatchResult, Retriever
from pattern_guide.settings import Settings
from pattern_guide.understanding import sign_vectors as signs_file
from pattern_guide.understanding.echoes import POOL as ECHO_POOL
from pattern_guide.understanding.echoes import Echoes, in_place
from pattern_guide.understanding.sign_vectors import SignVectors, sign_vectors


class Engine:
    """Library, embedder, indexes and retriever for one set of settings, built lazily."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder  # one given here embeds both queries and chunks
        self._built_for_queries = False
        self.last_index: IndexReport | None = None  # what the latest index() did

    @functools.cached_property
    def library(self) -> Library:
        # Parsed files are kept beside the index, keyed by their bytes: a restart re-reads only what changed.
        return load_libraries(self.settings.catalogue, cache_dir=self.settings.index_dir / "library-cache")

    @property
    def embedder(self) -> Embedder:
        """What queries (and signs) are embedded with: light to hold, as serving needs (see index.models)."""
        if self._embedder is None:
            self._embedder = build_embedder(self.settings.embedder, self.settings.embed_batch, queries=True)
            self._built_for_queries = True
        return self._embedder

    def index_embedder(self) -> Embedder:
        """What many chunks are embedded with when indexing: the fast one, built for the run and let go after it."""
        if self._embedder is not None and not self._built_for_queries:
            return self._embedder
        return build_embedder(self.settings.embedder, self.settings.embed_batch)

    @functools.cached_property
    def vector_index(self) -> VectorIndex:
        client = chroma_client(self.settings.index_dir, self.settings.chroma_host, self.settings.chroma_port)
        return VectorIndex(client, self.embedder, sections=self.settings.embed_sections)

    def index(self, progress: Progress | None = None, chunk_progress: Progress | None = None) -> IndexReport:
        """Build or refresh both indexes; the retriever is rebuilt on next use."""
        started = time.perf_counter()
        settings = self.settings
        embedder = self._embedder.name if self._embedder is not None else settings.embedder
        sections = f"{settings.embed_sections}<={vectors.AUTO_ALL_CHUNKS}"
        formats = f"bm25-{lexical.FORMAT}"  # an index of an earlier format is brought in step, not taken as it is
        key = f"{embedder}|{sections}|{settings.chroma_host}:{settings.chroma_port}|{formats}"
        sources = source_stats(settings.catalogue, key)
        unchanged = up_to_date(settings.index_dir, sources, self.vector_index.count)
        if unchanged is not None:
            if not (settings.index_dir / signs_file.KEYS_FILE).exists():  # an index built before signs had vectors
                self.__dict__["signs"] = sign_vectors(self.library, self.embedder, settings.index_dir)
            self.last_index = unchanged.model_copy(update={"seconds": round(time.perf_counter() - started, 3)})
            return self.last_index
        report = build_index(
            self.library, self.vector_index, settings.index_dir, progress, chunk_progress, self.index_embedder, sources
        )
        # The signs' vectors too, with the query embedder they are compared against: no first turn embeds them.
        self.__dict__["signs"] = sign_vectors(self.library, self.embedder, settings.index_dir)
        self.last_index = report
        self.__dict__.pop("retriever", None)
        self.__dict__.pop("echoes", None)
        return report

    @functools.cached_property
    def retriever(self) -> Retriever:
        check_manifest(self.settings.index_dir, self.embedder.name)
        lexical_index = load_lexical(self.settings.index_dir)
        embedded = self.vector_index.mode(len(lexical_index.refs))
        return Retriever(self.library, lexical_index, self.vector_index, embedded=embedded)

    @functools.cached_property
    def signs(self) -> SignVectors:
        """Every sign's vector: read from beside the index (the ones missing embedded once), or kept by index()."""
        return sign_vectors(self.library, self.embedder, self.settings.index_dir)

    @functools.cached_property
    def echoes(self) -> Echoes:
        """Which signs of the library a situation echoes."""
        return Echoes(self.embedder.embed, self.vector_index.query_vector, library=self.library, vectors=self.signs)

    def match(self, text: str, context: str | None = None, top: int = 3) -> MatchResult:
        """The best patterns for a situation, each with the signs of life or decay the situation echoes.

        A practice the group already has is often told by its name, not by the problem it answers, so the
        pattern whose sign is echoed first takes the last place when retrieval ranked it lower.
        """
        ranking = self.retriever.rank(text)
        result = self.retriever.match(text, context, top, ranking=ranking)
        pool = [self.library.patterns[slug] for slug, _ in ranking.patterns[: max(top, ECHO_POOL)]]
        found = self.echoes.find(text, pool, limit=5 * max(top, 1))
        kept = result.matches
        if found and in_place(text) and kept and all(m.slug != found[0].slug for m in kept):
            # It takes the last place (so --top holds), scored as retrieval scored it (or as its lowest).
            scores = dict(ranking.patterns)
            score = scores.get(found[0].slug, ranking.patterns[-1][1])
            kept[-1] = self.retriever.describe(found[0].slug, score, ranking, text, result.context.name)
        for match in kept:
            match.signs = [e.model_dump() for e in found if e.slug == match.slug]
        return result

    @functools.cached_property
    def chat_model(self) -> ChatModel:
        """Offline unless an OpenAI-compatible server is configured (then with fallback)."""
        return build_chat_model(self.settings)

    def reload(self) -> tuple[Library, Retriever]:
        """Read the libraries again (a draft was saved) and bring the index in step, touching only what changed."""
        self.__dict__.pop("library", None)
        self.index()
        return self.library, self.retriever

    def guide(self, model: TextStream | None = None) -> Guide:
        """The conversation runner over this engine's library and retriever (drafting when a folder is set)."""
        drafts = DraftDesk(self.settings.drafts, self.reload) if self.settings.drafts is not None else None
        return Guide(self.library, self.retriever, model or self.chat_model, self.echoes, drafts)


def build_engine(settings: Settings | None = None, embedder: Embedder | None = None) -> Engine:
    """Everything the CLI and the UI need, from the environment unless given settings."""
    return Engine(settings or Settings.from_env(), embedder)
