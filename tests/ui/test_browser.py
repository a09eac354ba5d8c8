"""The real app in a real browser: `streamlit run app.py` driven by Debian's chromium.

The whole guided flow as a person sees it (the chat messages and the chat input), then a
page reload and a server restart, each of which must bring the whole transcript back
from the conversation store. Screenshots go to test-output/browser/ under the repo root.

Needs /usr/bin/chromium and the `playwright` package (scripts/install-browser.sh installs
both); the test is skipped, with the reason, when either is missing. Playwright's own
browser download is never used.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlparse

import pytest

from pattern_guide.assistant import Engine
from tests.conftest import ROOT, free_port

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip(
        f"{CHROMIUM} is missing — run scripts/install-browser.sh (apt-get install chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing — run scripts/install-browser.sh"
)
Page = sync_api.Page
PlaywrightTimeout = sync_api.TimeoutError
expect = sync_api.expect

OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 90  # seconds until /_stcore/health answers
FIRST_LOAD_TIMEOUT = 120_000  # ms: the first page load builds the engine (model + index)
REPLY_TIMEOUT = 60_000  # ms for one turn to finish streaming

INPUT = '[data-testid="stChatInputTextArea"]'
MESSAGE = '[data-testid="stChatMessage"]'
CONTENT = '[data-testid="stChatMessageContent"]'

SITUATION = "Half our week disappears into recurring meetings that decide nothing, and people are tired."
NOTE_1 = "We would list every recurring call on one shared page."
NOTE_2 = "We would ask each owner what decision the meeting makes."

# True when the app has settled: the script is not running, nothing on the page is stale
# (left over from an earlier run), the chat input is enabled, and there are more than
# `before` assistant messages.
SETTLED_JS = """
(before) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    const input = document.querySelector('[data-testid="stChatInputTextArea"]');
    if (!input || input.disabled) return false;
    const n = document.querySelectorAll(
        '[data-testid="stChatMessageContent"][aria-label="Chat message from assistant"]').length;
    return n > before;
}
"""

# How tall the viewport must be to show everything: Streamlit scrolls an inner element
# (stAppScrollToBottomContainer in 1.67), not the document.
CONTENT_HEIGHT_JS = """
() => {
    const scrolled = [...document.querySelectorAll('*')].filter(e =>
        e.scrollHeight > e.clientHeight + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY));
    const extra = scrolled.map(e => e.scrollHeight - e.clientHeight + window.innerHeight);
    return Math.max(document.documentElement.scrollHeight, ...extra);
}
"""
TRANSCRIPT_JS = "els => els.map(e => [e.getAttribute('aria-label'), e.innerText.trim()])"


class Server:
    """`streamlit run app.py` as a subprocess on a loopback port, with its log in OUTPUT."""

    def __init__(self, env: dict[str, str], port: int, name: str = "server") -> None:
        self.name = name
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None
        self.log_path: Path | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.log_path = OUTPUT / f"{self.name}-{self.starts}.log"
        self.log = self.log_path.open("wb")
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            # Other work in the checkout must not trigger "source changed" prompts mid-test.
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                pytest.fail(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with opener.open(self.url + "_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        pytest.fail(f"streamlit did not answer /_stcore/health within {SERVER_START_TIMEOUT} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None

    def log_tail(self, lines: int = 40) -> str:
        if self.log is not None:
            self.log.flush()
        if self.log_path is None or not self.log_path.is_file():
            return "(no log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def server_env(engine: Engine, state: Path) -> dict[str, str]:
    """The app's environment over the test's starter index, offline, keeping state in `state`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(
        PATTERN_GUIDE_LIBRARY=":".join(map(str, engine.settings.libraries)),
        PATTERN_GUIDE_INDEX=str(engine.settings.index_dir),
        PATTERN_GUIDE_STATE=str(state),
        ORT_DISABLE_TELEMETRY="1",
        ANONYMIZED_TELEMETRY="False",
    )
    return env


@pytest.fixture
def server(starter_engine: Engine, tmp_path: Path) -> Iterator[Server]:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    running = Server(server_env(starter_engine, tmp_path / "state"), free_port())
    running.start()
    try:
        yield running
    finally:
        running.stop()


@contextlib.contextmanager
def browser_page() -> Iterator[Any]:
    """A page in Debian's chromium; the final view is saved as last.png, pass or fail."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            current = context.new_page()
            yield current
            with contextlib.suppress(Exception):
                current.screenshot(path=str(OUTPUT / "last.png"))
        finally:
            browser.close()


@pytest.fixture
def page(server: Server) -> Iterator[Any]:
    with browser_page() as current:
        yield current


# -- what a person sees ---------------------------------------------------------------------


def transcript(page: Page) -> list[tuple[str, str]]:
    """Every chat message on the page, in order, as (role, visible text)."""
    rows = page.locator(CONTENT).evaluate_all(TRANSCRIPT_JS)
    return [(label.removeprefix("Chat message from "), text) for label, text in rows]


def assistants(rows: list[tuple[str, str]]) -> list[str]:
    return [text for role, text in rows if role == "assistant"]


def assistant_texts(page: Page) -> list[str]:
    return assistants(transcript(page))


def wait_settled(page: Page, before: int, timeout: float = REPLY_TIMEOUT) -> None:
    """Wait until there are more than `before` assistant messages and the app is idle again."""
    try:
        for _ in range(2):  # settled twice, a moment apart: no rerun was about to start
            page.wait_for_function(SETTLED_JS, arg=before, timeout=timeout, polling=100)
            page.wait_for_timeout(250)
        page.wait_for_function(SETTLED_JS, arg=before, timeout=timeout, polling=100)
    except PlaywrightTimeout:
        shown = transcript(page)[-3:]
        pytest.fail(f"no settled reply after {before} assistant messages within {timeout / 1000:g} s; last: {shown}")


def say(page: Page, text: str) -> str:
    """Type a message into the chat input, wait for the reply to finish, return its text."""
    before = len(assistant_texts(page))
    box = page.locator(INPUT)
    expect(box).to_be_enabled()
    box.fill(text)
    box.press("Enter")
    wait_settled(page, before)
    messages = transcript(page)
    users = [t for role, t in messages if role == "user"]
    assert users and users[-1] == text, f"the last user message should be {text!r}, not {users[-1:]!r}"
    return assistant_texts(page)[-1]


def screenshot(page: Page, name: str) -> Path:
    """A screenshot of the whole conversation. The viewport is made as tall as the content
    first: Streamlit scrolls an inner element, so full_page alone would cut it off."""
    path = OUTPUT / name
    height = page.evaluate(CONTENT_HEIGHT_JS)
    size = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height) + 40, size["height"]), 16000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def wait_restored(page: Page, expected: list[tuple[str, str]]) -> None:
    """After a (re)load: wait for the app to settle, then the whole transcript must be back."""
    wait_settled(page, len(assistants(expected)) - 1, timeout=FIRST_LOAD_TIMEOUT)
    expect(page.locator(MESSAGE)).to_have_count(len(expected))
    assert transcript(page) == expected


# -- the test ---------------------------------------------------------------------------------


def test_browser_flow_reload_and_restart(server: Server, page: Page) -> None:
    page.set_default_timeout(REPLY_TIMEOUT)
    page.goto(server.url)
    wait_settled(page, 0, timeout=FIRST_LOAD_TIMEOUT)
    expect(page.get_by_role("heading", name="Pattern Guide")).to_be_visible()
    assert "Tell me what keeps happening" in assistant_texts(page)[0]
    conversation = parse_qs(urlparse(page.url).query).get("c", [""])[0]
    assert conversation, f"the conversation id is in the URL: {page.url}"

    reply = say(page, SITUATION)
    assert "What I hear in" in reply and "Meeting Diet" in reply
    number = re.search(r"(\d)\.\s*Meeting Diet", reply)
    assert number, f"Meeting Diet is offered with a number:\n{reply}"
    reply = say(page, number.group(1))
    assert reply.startswith("Meeting Diet"), reply[:200]
    assert "Step 1 of" in say(page, "next")
    assert "Step 2 of" in say(page, NOTE_1)
    assert "Step 3 of" in say(page, NOTE_2)
    reply = say(page, "context activist")
    assert "Step 3 of" in reply and "activist" in reply
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("activist")

    reply = say(page, "vitality")
    signs = re.search(r"Sign of life 1 of (\d+)", reply)
    assert signs, f"the first sign is numbered:\n{reply}"
    total = int(signs.group(1))
    assert total >= 1
    for n in range(total):
        reply = say(page, ["yes", "partly", "no"][n % 3])
    assert "Vitality reading:" in reply

    plan = say(page, "plan")
    assert NOTE_1 in plan and NOTE_2 in plan, plan
    assert "activist" in plan
    assert plan.index("every recurring call") < plan.index("what decision the meeting makes")
    assert parse_qs(urlparse(page.url).query).get("c") == [conversation]
    before = transcript(page)
    (OUTPUT / "transcript.md").write_text(
        "\n\n".join(f"### {role}\n\n{text}" for role, text in before) + "\n", encoding="utf-8"
    )
    shot = screenshot(page, "flow.png")
    assert shot.stat().st_size > 10_000

    # A reload: a new session on the same URL restores the whole conversation.
    url = page.url
    page.reload()
    wait_restored(page, before)
    assert NOTE_2 in assistant_texts(page)[-1]
    screenshot(page, "reload.png")

    # A server restart on the same state folder: the same URL brings it all back.
    server.stop()
    server.start()
    page.goto(url)
    wait_restored(page, before)
    assert parse_qs(urlparse(page.url).query).get("c") == [conversation]
    # …and the restored conversation carries on.
    assert "Vitality reading:" in say(page, "back")
    screenshot(page, "restart.png")


# True when the app is idle: the script is not running and nothing on the page is stale.
IDLE_JS = """
() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]');
}
"""


def wait_idle(page: Page, timeout: float = REPLY_TIMEOUT) -> None:
    for _ in range(2):  # idle twice, a moment apart: no rerun was about to start
        page.wait_for_function(IDLE_JS, timeout=timeout, polling=100)
        page.wait_for_timeout(250)


def test_browser_self_assessment_survives_a_reload(server: Server, page: Page) -> None:
    page.set_default_timeout(REPLY_TIMEOUT)
    page.goto(server.url + "assess?p=sustainable-pace")
    submit = page.get_by_role("button", name="See the reading")
    expect(submit).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_idle(page)
    groups = page.locator('[role="radiogroup"]')
    assert groups.count() >= 8
    for i in range(groups.count()):
        group = groups.nth(i)
        group.get_by_text("partly", exact=True).click()
        expect(group.locator('input[type="radio"]').nth(1)).to_be_checked()
    submit.click()
    # Every sign "partly": half healthy, 2.5 of 5, the Functional level of the rubric.
    expect(page.get_by_text("2.5 / 5 · Functional")).to_be_visible()
    expect(page.get_by_role("heading", name="Where to replant")).to_be_visible()
    owner = parse_qs(urlparse(page.url).query).get("me", [""])[0]
    assert owner, f"the owner id is in the URL: {page.url}"
    wait_idle(page)
    screenshot(page, "assess.png")

    page.reload()
    expect(page.get_by_text("2.5 / 5 · Functional")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    expect(page.get_by_text("1 assessment of this pattern")).to_be_visible()
    assert parse_qs(urlparse(page.url).query).get("me") == [owner]


def test_browser_workshop_participant_and_live_facilitator(server: Server, page: Page) -> None:
    page.set_default_timeout(REPLY_TIMEOUT)
    # The facilitator opens a workshop on one pattern.
    page.goto(server.url + "workshop")
    expect(page.get_by_role("tab", name="Run a workshop")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_idle(page)
    page.get_by_role("tab", name="Run a workshop").click()
    page.get_by_label("Workshop title").fill("Browser day")
    page.get_by_label("Workshop title").press("Enter")
    chooser = page.locator('[data-testid="stMultiSelect"] input')
    chooser.click()
    chooser.fill("Meeting Di")
    page.get_by_role("option", name="Meeting Diet").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Open the workshop").click()
    expect(page.get_by_role("heading", name="Workshop: Browser day")).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    code, key = query["w"][0], query["key"][0]
    assert len(code) == 6 and key
    expect(page.get_by_text("0 joined · 0 voted")).to_be_visible()

    # A participant joins by code from another browser (a separate context: no shared cookies).
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[union-attr]
    try:
        person = other.new_page()
        person.set_default_timeout(REPLY_TIMEOUT)
        person.goto(server.url + "workshop")
        expect(person.get_by_label("Code")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
        wait_idle(person)
        person.get_by_label("Code").fill(code.lower())
        person.get_by_label("Your name (as the room knows you)").fill("Robin")
        person.get_by_role("button", name="Join").click()
        expect(person.get_by_text("You joined as Robin")).to_be_visible()
        wait_idle(person)
        groups = person.locator('[role="radiogroup"]')
        # On the page: the context lens, the vote, then one group per sign of the pattern.
        votes, signs = groups.nth(1), groups.count() - 2
        assert signs >= 8
        votes.get_by_text("Meeting Diet", exact=True).click()
        person.get_by_role("button", name="Vote").click()
        wait_idle(person)
        for i in range(2, signs + 2):
            group = groups.nth(i)
            group.get_by_text("no", exact=True).click()
            expect(group.locator('input[type="radio"]').nth(2)).to_be_checked()
        person.get_by_role("button", name="Save my answers").click()
        expect(person.get_by_text("Your reading:")).to_be_visible()
        screenshot(person, "workshop-participant.png")
    finally:
        other.close()

    # The facilitator's page updates by itself, without a reload.
    expect(page.get_by_text("1 joined · 1 voted")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Room reading · 1 rated")).to_be_visible()
    screenshot(page, "workshop-facilitator.png")


def test_browser_two_app_servers_share_one_database(starter_engine: Engine, tmp_path: Path, postgres_url: str) -> None:
    """Two app servers behind a load balancer: a conversation begun on one goes on on the other."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    env = server_env(starter_engine, tmp_path / "state") | {"DATABASE_URL": postgres_url}
    first, second = Server(env, free_port(), "replica-a"), Server(env, free_port(), "replica-b")
    first.start()
    second.start()
    try:
        with browser_page() as page:
            page.set_default_timeout(REPLY_TIMEOUT)
            page.goto(first.url)
            wait_settled(page, 0, timeout=FIRST_LOAD_TIMEOUT)
            assert "Meeting Diet" in say(page, SITUATION)
            assert say(page, "meeting-diet").startswith("Meeting Diet")
            conversation = parse_qs(urlparse(page.url).query)["c"][0]
            before = transcript(page)

            page.goto(f"{second.url}?c={conversation}")  # the balancer sends the next request elsewhere
            wait_restored(page, before)
            assert "Step 1 of" in say(page, "next")
            after = transcript(page)

            page.goto(f"{first.url}?c={conversation}")  # and back: the turn taken on the other is there
            wait_restored(page, after)
    finally:
        first.stop()
        second.stop()
    assert not list((tmp_path / "state").glob("*.sqlite3")), "with DATABASE_URL, no SQLite file is written"
