"""Capability links in a real browser: a chosen `?c=` is never taken, and two tabs on one conversation keep both."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from pattern_guide.conversation.ids import well_formed
from tests.ui.test_browser import (
    FIRST_LOAD_TIMEOUT,
    SITUATION,
    Server,
    say,
    screenshot,
    transcript,
    wait_settled,
)


def conversation_of(page: Page) -> str:
    return parse_qs(urlparse(page.url).query).get("c", [""])[0]


def open_and_settle(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Pattern Guide")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_settled(page, 0, timeout=FIRST_LOAD_TIMEOUT)


def test_browser_a_chosen_conversation_id_is_not_taken(server: Server, page: Page) -> None:
    chosen = "a" * 32  # well-formed, but this server never minted it
    open_and_settle(page, f"{server.url}?c={chosen}")
    mine = conversation_of(page)
    assert well_formed(mine) and mine != chosen, "the victim is moved to a fresh id"
    expect(page.get_by_text("not one this guide made")).to_be_visible()
    say(page, SITUATION)
    screenshot(page, "capability-fresh-id.png")

    browser = page.context.browser
    assert browser is not None
    other = browser.new_context()  # the sender of the link: another profile, no shared cookies or session
    try:
        attacker = other.new_page()
        open_and_settle(attacker, f"{server.url}?c={chosen}")
        seen = " ".join(text for _, text in transcript(attacker))
        assert SITUATION not in seen and conversation_of(attacker) not in (chosen, mine)
        open_and_settle(attacker, f"{server.url}?c=attacker-{'x' * 200}")
        assert well_formed(conversation_of(attacker)) and SITUATION not in attacker.content()
    finally:
        other.close()


def test_browser_two_tabs_on_one_conversation_keep_both_turns(server: Server, page: Page) -> None:
    open_and_settle(page, server.url)
    say(page, SITUATION)
    link = page.url
    second = page.context.new_page()  # a second tab on the same bookmark
    open_and_settle(second, link)
    assert any(text == SITUATION for _, text in transcript(second))
    say(second, "show me more")
    say(page, "the first one")  # this tab has not seen the other's turn yet: it picks it up, then answers
    said = [text for role, text in transcript(page) if role == "user"]
    assert said == [SITUATION, "show me more", "the first one"]
    screenshot(page, "capability-two-tabs.png")

    page.reload()
    wait_settled(page, 0, timeout=FIRST_LOAD_TIMEOUT)
    again = [text for role, text in transcript(page) if role == "user"]
    assert again == [SITUATION, "show me more", "the first one"], "after a reload, both tabs' turns are there"
