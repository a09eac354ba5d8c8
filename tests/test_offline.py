"""Load -> index -> match with every non-loopback connection refused in this process."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from pattern_guide.assistant import build_engine
from pattern_guide.settings import Settings
from tests.conftest import STARTER

attempts: list[Any] = []


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
            attempts.append(address)
            raise ConnectionRefusedError(f"offline test: refused {address}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            attempts.append(address)
            return 111
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost") and not _is_loopback((host,)):
            attempts.append(host)
            raise socket.gaierror(f"offline test: no DNS for {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for var in ("HF_ENDPOINT", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    attempts.clear()
    return attempts


def test_guard_refuses_the_outside_world(no_network: list[Any]) -> None:
    with pytest.raises(OSError), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass
    assert no_network


def test_load_index_match_offline(tmp_path: Path, no_network: list[Any]) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    for slug in ("meeting-diet", "protected-focus-blocks", "care-for-the-carers", "decision-rights-zones"):
        shutil.copy(STARTER / f"{slug}.md", library)
    engine = build_engine(Settings(libraries=[library], index_dir=tmp_path / "index"))
    assert len(engine.library.patterns) == 4
    report = engine.index()
    assert report.embedded == report.chunks > 0
    result = engine.retriever.match("Half our week disappears into recurring meetings that decide nothing.")
    assert result.matches[0].slug == "meeting-diet"
    assert no_network == []
