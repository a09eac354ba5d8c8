"""Shared fixtures: paths, a real engine over the starter library, small libraries."""

from __future__ import annotations

import glob
import ipaddress
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from pattern_guide.assistant import Engine, build_engine  # noqa: E402
from pattern_guide.index.embedder import HashingEmbedder, MiniLMEmbedder  # noqa: E402
from pattern_guide.index.onnx_embedder import OnnxMiniLMEmbedder  # noqa: E402
from pattern_guide.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_b7b01dfab16b66f3.txt"
COMMONS = SHARED / "commons-library" / "patterns"
STARTER = ROOT / "data" / "patterns"
EVAL = ROOT / "tests" / "eval" / "situations.jsonl"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds is absent")
needs_commons = pytest.mark.skipif(not COMMONS.is_dir(), reason="../shared/commons-library is absent")


# Tests that use these need the real embedding model (or a real browser, a server, the full
# library) and are marked `slow`: `make test-fast` leaves them out, `make test` runs them all.
SLOW_FIXTURES = frozenset({"minilm", "shared_minilm", "starter_engine", "chroma_server", "browser", "page", "server"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


class RememberingEmbedder:
    """The real model, remembering what it embedded: a second index of the same text costs nothing."""

    def __init__(self, model: MiniLMEmbedder | OnnxMiniLMEmbedder) -> None:
        self.model = model
        self.name, self.dim = model.name, model.dim
        self._seen: dict[str, Any] = {}

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.model.count_tokens(texts)

    def embed(self, texts: list[str]) -> Any:
        todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if todo:
            self._seen.update(zip(todo, self.model.embed(todo), strict=True))
        return np.stack([self._seen[t] for t in texts]) if texts else self.model.embed([])


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    """The real embedding model, loaded once."""
    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def shared_minilm() -> RememberingEmbedder:
    """The real model, as the app computes it (ONNX Runtime), for tests that index a library.

    Not for tests of the embedder itself, which use ``minilm`` (numpy) and the ONNX embedder directly.
    """
    return RememberingEmbedder(OnnxMiniLMEmbedder())


@pytest.fixture(scope="session")
def starter_engine(tmp_path_factory: pytest.TempPathFactory, shared_minilm: RememberingEmbedder) -> Engine:
    """The real engine over the starter library, indexed once into a temporary folder."""
    index_dir = tmp_path_factory.mktemp("starter-index")
    engine = build_engine(Settings(libraries=[STARTER], index_dir=index_dir), shared_minilm)
    engine.index()
    return engine


@pytest.fixture(scope="session")
def hashing_starter(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The starter library indexed with the hashing embedder: for tests where meaning is not under test."""
    index_dir = tmp_path_factory.mktemp("starter-hashing-index")
    engine = build_engine(Settings(libraries=[STARTER], index_dir=index_dir, embedder="hashing"), HashingEmbedder())
    engine.index()
    return engine


PATTERN_TEMPLATE = """---
id: pat_{slug}
slug: {slug}
title: "{title}"
summary: >-
  {summary}
context_labels:
  corporate: "{title} at work"
  government: "{title} in public service"
ontology:
  domain: deep-work-flow
  search_hints:
    primary_tension: "{tension}"
    vector_keywords: ["{keyword}"]
relationships:
  requires: [{requires}]
license: CC-BY-SA-4.0
---

{summary}

### Section 2: Problem

> **The core conflict is {tension}.**

{problem}

### Section 3: Solution

> **Therefore, {solution}.**

### Section 4: Implementation

**Step 1: Begin.**

Start small.

In **corporate** contexts, {corporate}

**In government**: the public version.

**Step 2: Continue.**

Keep going.

### Section 8: Vitality

**Signs of life:**

- **Alive.** People use it.

**Signs of decay:**

- **Hollow.** Nobody does.

**When to replant:**

When it is hollow.
"""


def write_pattern(directory: Path, slug: str, **fields: str) -> Path:
    """A small valid pattern file; fields override the template's values."""
    values = {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "summary": f"A pattern about {slug.replace('-', ' ')}.",
        "tension": "Speed vs. Care",
        "keyword": slug,
        "requires": "",
        "problem": "Things go wrong.",
        "solution": "do the right thing",
        "corporate": "the business version.",
    }
    values.update(fields)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{slug}.md"
    path.write_text(PATTERN_TEMPLATE.format(**values), encoding="utf-8")
    return path


@pytest.fixture
def make_pattern() -> Callable[..., Path]:
    return write_pattern


@pytest.fixture
def hashing_engine_factory(tmp_path: Path) -> Callable[[list[Path]], Engine]:
    """Engines over small libraries with the fast deterministic embedder."""

    def factory(libraries: list[Path]) -> Engine:
        settings = Settings(libraries=libraries, index_dir=tmp_path / "index", embedder="hashing")
        return build_engine(settings, HashingEmbedder())

    return factory


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> None:
    """Each AppTest builds its own engine: st.cache_resource lives as long as the process."""
    import streamlit as st

    st.cache_resource.clear()


_attempts: list[Any] = []


def _is_loopback(address: Any) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX paths
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            _attempts.append(address)
            raise ConnectionRefusedError(f"offline test: refused {address}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            _attempts.append(address)
            return 111
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost") and not _is_loopback((host,)):
            _attempts.append(host)
            raise socket.gaierror(f"offline test: no DNS for {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for var in ("HF_ENDPOINT", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    _attempts.clear()
    return _attempts


@pytest.fixture
def app_env(starter_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Environment for the Streamlit app over the starter index, offline; returns its state folder."""
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", ":".join(map(str, starter_engine.settings.libraries)))
    monkeypatch.setenv("PATTERN_GUIDE_INDEX", str(starter_engine.settings.index_dir))
    monkeypatch.setenv("PATTERN_GUIDE_STATE", str(tmp_path / "state"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "state"


@pytest.fixture
def page_env(hashing_starter: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Environment for pages that need the library but not the meaning of words (hashing index)."""
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", ":".join(map(str, hashing_starter.settings.libraries)))
    monkeypatch.setenv("PATTERN_GUIDE_INDEX", str(hashing_starter.settings.index_dir))
    monkeypatch.setenv("PATTERN_GUIDE_EMBEDDER", "hashing")
    monkeypatch.setenv("PATTERN_GUIDE_STATE", str(tmp_path / "state"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "state"


def open_page(script: Callable[[], None], **query: str) -> Any:
    """Run one page's script in Streamlit's AppTest, with these query parameters in its URL."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(script, default_timeout=180)
    app.query_params.update(query)
    app.run()
    assert not app.exception, app.exception
    return app


# -- PostgreSQL ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        pytest.fail(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr or done.stdout}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free loopback port; yields its base URL (no database).

    Run as the `postgres` user when the tests run as root (PostgreSQL refuses root).
    """
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        pytest.skip("PostgreSQL is not installed — run scripts/install-postgres.sh")
    bin_dir = Path(initdb[-1]).parent
    # Not under pytest's tmp folder: the server's user must be able to reach its data folder.
    home = Path(tempfile.mkdtemp(prefix="pattern-guide-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    data, port = home / "data", free_port()
    _run([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "guide", "--no-sync", "-E", "UTF8"])
    options = f"-p {port} -k {home} -h 127.0.0.1 -c fsync=off -c full_page_writes=off"
    _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"])
    try:
        yield f"postgresql://guide@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the throw-away server."""
    psycopg = pytest.importorskip("psycopg", reason="the psycopg package is missing — run make install")
    name = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"
