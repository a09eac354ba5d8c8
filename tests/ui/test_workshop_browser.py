"""A workshop in real browsers: the facilitator's screen with the QR code, a participant on a
phone-sized screen, and the projector view — one app server for the whole session.

Screenshots of every view, at 1280 and at 390 px wide, go to test-output/browser/.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlparse

import segno
from PIL import Image

from tests.ui.test_browser import (
    FIRST_LOAD_TIMEOUT,
    OUTPUT,
    REPLY_TIMEOUT,
    Page,
    Server,
    expect,
    screenshot,
    wait_idle,
)
from tests.ui.test_workshop_facilitation import matrix_of

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NOTE = "Cancel the Friday status call"
NAV = '[data-testid="stSidebarNav"]'


def both_widths(page: Page, name: str) -> None:
    """A screenshot at the page's width and one at the other (desktop or phone)."""
    size = page.viewport_size or DESKTOP
    for label, viewport in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(600)
        screenshot(page, f"workshop-{name}-{label}.png")
    page.set_viewport_size(size)


def open_workshop(page: Page, server: Server) -> tuple[str, str]:
    page.goto(server.url + "workshop")
    expect(page.get_by_role("tab", name="Run a workshop")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_idle(page)
    page.get_by_role("tab", name="Run a workshop").click()
    page.get_by_label("Workshop title").fill("Projector day")
    page.get_by_label("Workshop title").press("Enter")
    chooser = page.locator('[data-testid="stMultiSelect"] input')
    chooser.click()
    chooser.fill("Meeting Di")
    page.get_by_role("option", name="Meeting Diet").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Open the workshop").click()
    expect(page.get_by_role("heading", name="Workshop: Projector day")).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    return query["w"][0], query["key"][0]


def shown_qr(page: Page, server: Server) -> bytes:
    image = page.locator('[data-testid="stImage"] img').first
    expect(image).to_be_visible()
    src = image.get_attribute("src") or ""
    response = page.request.get(src if src.startswith("http") else server.url + src.lstrip("/"))
    assert response.ok, f"the QR image is served by the app itself: {src}"
    return response.body()


def test_browser_workshop_qr_notes_banner_and_projector(server: Server, page: Page) -> None:
    page.set_default_timeout(REPLY_TIMEOUT)
    code, key = open_workshop(page, server)
    expect(page.get_by_text(code, exact=True).first).to_be_visible()

    # The QR code beside the code encodes exactly the join link: this page's address with the code.
    link = f"{page.url.split('?')[0]}?w={code}"
    expected = [[bool(v) for v in row] for row in segno.make(link, error="m", micro=False).matrix]
    png = shown_qr(page, server)
    assert matrix_of(png, len(expected)) == expected
    assert Image.open(io.BytesIO(png)).width >= 250, "large enough to scan across a room"
    wait_idle(page)
    both_widths(page, "facilitator")

    other = page.context.browser.new_context(viewport=PHONE)  # type: ignore[union-attr]
    try:
        person = other.new_page()
        person.set_default_timeout(REPLY_TIMEOUT)
        _participant_joins(person, link)

        # The facilitator moves to step 1; the participant, scrolled down, is told wherever they are.
        page.get_by_role("button", name="Next step ▶").click()
        wait_idle(page)
        person.locator('[data-testid="stMain"]').hover()
        person.mouse.wheel(0, 4000)
        banner = person.locator(".st-key-workshop-moved")
        expect(banner).to_contain_text("The facilitator moved on", timeout=20_000)
        expect(banner).to_be_in_viewport()
        person.screenshot(path=str(OUTPUT / "workshop-participant-banner-390.png"))  # the screen as scrolled
        banner.get_by_role("button", name="Show me the new step").click()
        expect(banner).to_have_count(0)
        wait_idle(person)

        # A note on the step: the facilitator sees it with the name; the room only when allowed.
        person.locator("textarea").first.fill(NOTE)
        person.get_by_role("button", name="Save my note").click()
        wait_idle(person)
        expect(page.get_by_text(f"Robin: {NOTE}")).to_be_visible(timeout=20_000)
        page.get_by_text("Show the notes to the room (without names)").click()
        wait_idle(page)
        expect(person.get_by_role("listitem").filter(has_text=NOTE)).to_be_visible(timeout=20_000)
        both_widths(person, "participant")

        # The facilitator sets the step's timer and starts it.
        page.get_by_role("button", name="Set the timer").click()
        wait_idle(page)
        page.get_by_role("button", name="Start").click()
        wait_idle(page)
        expect(page.get_by_role("button", name="Pause")).to_be_visible()
        present_url = page.get_by_role("link", name="Open the projector view").get_attribute("href") or ""
        assert "present=1" in present_url and f"key={key}" in present_url
        _projector(page, server, present_url, person)
    finally:
        other.close()


def _participant_joins(person: Page, link: str) -> None:
    person.goto(link)  # what the QR code opens
    expect(person.get_by_label("Code")).to_have_value(link.rsplit("=", 1)[1], timeout=FIRST_LOAD_TIMEOUT)
    wait_idle(person)
    expect(person.locator(NAV)).to_have_count(0)
    person.get_by_role("button", name="Join").click()
    expect(person.get_by_text("Tell the room what to call you")).to_be_visible()
    screenshot(person, "workshop-join-refused-390.png")
    person.get_by_label("Your name (as the room knows you)").fill("Robin")
    person.get_by_role("button", name="Join").click()
    expect(person.get_by_text("You joined as Robin")).to_be_visible()
    wait_idle(person)
    expect(person.locator(NAV)).to_have_count(0)
    groups = person.locator('[role="radiogroup"]')
    groups.nth(0).get_by_text("activist", exact=True).click()
    wait_idle(person)
    # The vote says what each pattern is about, in the participant's context.
    expect(groups.nth(1)).to_contain_text("Known in activist settings as")
    groups.nth(2).get_by_text("no", exact=True).click()
    person.get_by_role("button", name="Save my answers").click()
    expect(person.get_by_text("Your reading:")).to_be_visible()
    person.reload()
    expect(person.get_by_text("You joined as Robin")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_idle(person)
    expect(person.locator('[role="radiogroup"]').nth(0).locator('input[type="radio"]').nth(2)).to_be_checked()


def _clock(projector: Page) -> str:
    return projector.locator(".st-key-present-timer h1").inner_text().strip()


def _projector(page: Page, server: Server, present_url: str, person: Any) -> None:
    projector = page.context.new_page()
    projector.set_default_timeout(REPLY_TIMEOUT)
    projector.goto(present_url if present_url.startswith("http") else server.url + present_url.lstrip("/"))
    step = projector.locator(".st-key-present-step h1")
    expect(step).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    size = float(step.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 40, f"the step is in large type ({size}px)"
    expect(projector.locator(NAV)).to_have_count(0)
    expect(projector.locator('[data-testid="stHeader"]')).to_be_hidden()
    expect(projector.get_by_text("How the room answered each sign of Meeting Diet")).to_be_visible()
    expect(projector.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2)  # the votes, the heat map
    expect(projector.get_by_role("listitem").filter(has_text=NOTE)).to_be_visible()
    expect(projector.get_by_text("Robin")).to_have_count(0)
    expect(projector.locator(".st-key-present-timer")).to_contain_text("running")
    first = _clock(projector)
    projector.wait_for_timeout(2500)
    assert _clock(projector) != first, f"the timer counts down on the projector ({first})"
    both_widths(projector, "projector")

    page.get_by_role("button", name="Pause").click()
    expect(projector.locator(".st-key-present-timer")).to_contain_text("paused", timeout=10_000)
    held = _clock(projector)
    projector.wait_for_timeout(2500)
    assert _clock(projector) == held, "a paused timer stands still on every screen"
    screenshot(projector, "workshop-projector-paused-1280.png")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    both_widths(page, "facilitator-running")
    del person
