"""The one wiring point: build every component from settings."""

from __future__ import annotations

import functools
from pathlib import Path

from pattern_guide.conversation import Guide
from pattern_guide.embedder import Embedder, build_embedder
from pattern_guide.index import IndexReport, Progress, VectorIndex, build_index, chroma_client
from pattern_guide.library import Library, load_libraries
from pattern_guide.llm import ChatModel
from pattern_guide.retrieval import Retriever, load_lexical
from pattern_guide.settings import Settings


def external_slugs(libraries: list[Path]) -> set[str]:
    """Slugs a library README declares as living outside it (`external_slugs:` list)."""
    found: set[str] = set()
    for directory in libraries:
        readme = directory / "README.md"
        if not readme.is_file():
            continue
        collecting = False
        for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip().startswith("external_slugs:"):
                collecting = True
                continue
            if collecting:
                item = line.strip()
                if item.startswith("- "):
                    found.add(item[2:].strip().strip("`"))
                elif item:
                    collecting = False
    return found


class Engine:
    """Library, embedder, indexes and retriever for one set of settings, built lazily."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder

    @functools.cached_property
    def library(self) -> Library:
        return load_libraries(self.settings.libraries, external_slugs(self.settings.libraries))

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = build_embedder(self.settings.embedder, self.settings.embed_batch)
        return self._embedder

    @functools.cached_property
    def vector_index(self) -> VectorIndex:
        client = chroma_client(self.settings.index_dir, self.settings.chroma_host, self.settings.chroma_port)
        return VectorIndex(client, self.embedder)

    def index(self, progress: Progress | None = None, chunk_progress: Progress | None = None) -> IndexReport:
        """Build or refresh both indexes; the retriever is rebuilt on next use."""
        report = build_index(self.library, self.vector_index, self.settings.index_dir, progress, chunk_progress)
        self.__dict__.pop("retriever", None)
        return report

    @functools.cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.library, load_lexical(self.settings.index_dir), self.vector_index)

    @functools.cached_property
    def chat_model(self) -> ChatModel:
        """Offline unless an OpenAI-compatible server is configured (then with fallback)."""
        from pattern_guide.llm_openai import build_chat_model

        return build_chat_model(self.settings)

    def guide(self, model: ChatModel | None = None) -> Guide:
        """The conversation runner over this engine's library and retriever."""
        return Guide(self.library, self.retriever, model or self.chat_model)


def build_engine(settings: Settings | None = None, embedder: Embedder | None = None) -> Engine:
    """Everything the CLI and the UI need, from the environment unless given settings."""
    return Engine(settings or Settings.from_env(), embedder)
