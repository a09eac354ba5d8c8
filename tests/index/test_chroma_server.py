"""Index and match against a real `chroma run` server on loopback: same top 3 as embedded."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pattern_guide.assistant import Engine, build_engine
from pattern_guide.settings import Settings
from tests.conftest import STARTER, RememberingEmbedder, free_port

SITUATIONS = [
    "Half our week disappears into recurring meetings that decide nothing.",
    "Our volunteers are exhausted and two organisers quit after the last campaign.",
    "Nobody writes down why we decided things, so we keep relitigating them.",
]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    binary = Path(sys.executable).with_name("chroma")
    if not binary.exists():
        binary = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("w")
    proc = subprocess.Popen(
        [str(binary), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((data / "server.log").read_text()) from None
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("chroma run did not start within 60 s")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_server_gives_same_top3_as_embedded(
    tmp_path: Path, chroma_server: int, starter_engine: Engine, shared_minilm: RememberingEmbedder
) -> None:
    served = build_engine(
        Settings(libraries=[STARTER], index_dir=tmp_path / "ix", chroma_host="127.0.0.1", chroma_port=chroma_server),
        shared_minilm,  # the starter index's own vectors: only the store differs
    )
    report = served.index()
    assert report.embedded == report.chunks == starter_engine.vector_index.count()
    assert not (tmp_path / "ix" / "chroma").exists()  # the vectors live in the server
    for text in SITUATIONS:
        got = [m.slug for m in served.retriever.match(text, top=3).matches]
        want = [m.slug for m in starter_engine.retriever.match(text, top=3).matches]
        assert got == want, text
    assert served.index().embedded == 0


def test_replicas_share_one_chroma_server_without_indexing_again(
    tmp_path: Path, chroma_server: int, starter_engine: Engine, shared_minilm: RememberingEmbedder
) -> None:
    """What the README claims for replicas: one replica embeds, the others' `index` finds it all in the server."""

    def replica(name: str) -> Engine:
        settings = Settings(
            libraries=[STARTER], index_dir=tmp_path / name, chroma_host="127.0.0.1", chroma_port=chroma_server
        )
        return build_engine(settings, shared_minilm)

    first = replica("first")
    first.index()
    second = replica("second")  # a fresh machine: its own empty index folder
    report = second.index()  # `make run` does this at start
    assert report.embedded == 0 and report.chunks == first.vector_index.count(), "nothing is embedded twice"
    for text in SITUATIONS:
        got = [m.slug for m in second.retriever.match(text, top=3).matches]
        assert got == [m.slug for m in first.retriever.match(text, top=3).matches], text
    assert not (tmp_path / "second" / "chroma").exists(), "the vectors stay in the server"
