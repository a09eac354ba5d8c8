"""The Library page in a real browser: search results, "no pattern matches", readable domains, the radar's values.

Over the starter library with the real model (the `server` fixture). Screenshots go to
test-output/browser/library-*.png, each at 1280 and 390 px width.
"""

from __future__ import annotations

from tests.ui.test_browser import FIRST_LOAD_TIMEOUT, OUTPUT, Page, Server, expect, screenshot

WIDTHS = {"desktop": 1280, "phone": 390}
# The script has finished and nothing on the page is left over from an earlier run.
IDLE_JS = """
() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]');
}
"""
RESULTS = '.st-key-library-list [data-testid="stButton"] button'


def idle(page: Page) -> None:
    """Wait until the app is idle, twice a moment apart (no rerun was about to start)."""
    for _ in range(2):
        page.wait_for_function(IDLE_JS, timeout=60_000, polling=100)
        page.wait_for_timeout(300)
    page.wait_for_function(IDLE_JS, timeout=60_000, polling=100)


def shots(page: Page, name: str) -> None:
    """The page as it stands, at desktop and at phone width."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(500)
        path = screenshot(page, f"library-{name}-{label}.png")
        assert path.stat().st_size > 5_000, path
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.wait_for_timeout(300)


def search(page: Page, text: str) -> None:
    box = page.get_by_label("Search the library")
    box.fill(text)
    box.press("Enter")
    page.wait_for_timeout(300)
    idle(page)


def test_searching_browsing_and_the_radar_in_a_browser(server: Server, page: Page) -> None:
    page.goto(server.url + "library")
    expect(page.get_by_text("41 patterns loaded")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    idle(page)

    # Browsing: a page of 25 by title, each with its domain in words and its status and confidence.
    expect(page.get_by_text("Patterns 1–25 of 41")).to_be_visible()
    expect(page.get_by_role("button", name="Acceptance and Commitment (draft)")).to_be_visible()
    early = "Culture & wellbeing · draft · confidence 2/3 — an early pattern, use with care"
    expect(page.get_by_text(early).first).to_be_visible()
    assert page.get_by_text("culture-wellbeing", exact=False).count() == 0, "a slug shown as a domain"
    shots(page, "browse")
    page.get_by_role("button", name="Next →").click()
    idle(page)
    expect(page.get_by_text("Patterns 26–41 of 41")).to_be_visible()

    # Searching: results with title, tension, why, domain, badge; then named for a chosen context.
    search(page, "too many meetings eat the week")
    first = page.locator(RESULTS).first
    expect(first).to_have_text("Meeting Diet")
    text = page.locator(".st-key-row-meeting-diet").inner_text()
    assert "Tension:" in text and "Why it matched" in text, text
    assert "Deep work & flow · stable · confidence" in text, text
    page.locator('[data-testid="stButtonGroup"]').get_by_text("government", exact=True).click()
    idle(page)
    expect(page.get_by_text("In government contexts: Committee Rationalisation")).to_be_visible()
    shots(page, "results")

    # Opening a result shows the pattern; its Assessment tab draws the radar with each axis's score.
    first.click()
    idle(page)
    expect(page.get_by_role("heading", name="Meeting Diet")).to_be_visible()
    assert "pattern=meeting-diet" in page.url
    page.get_by_role("tab", name="Assessment").click()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()
    labels = axis_labels(page)
    assert "resilience 3.5" in labels and "vitality 3.4" in labels, labels
    shots(page, "radar")

    # Nonsense and off-topic queries: a plain "no pattern matches", no results.
    for nonsense in ("asdf qwerty", "what's the weather in Paris"):
        search(page, nonsense)
        expect(page.get_by_text(f"No pattern matches “{nonsense}”")).to_be_visible()
        expect(page.get_by_text("Try describing what keeps happening in your group.")).to_be_visible()
        assert page.get_by_role("button", name="Meeting Diet").count() == 0
    shots(page, "nonsense")
    assert (OUTPUT / "library-nonsense-phone.png").is_file()


def axis_labels(page: Page) -> list[str]:
    """The texts the radar chart draws, read from the rendered Vega scene."""
    page.wait_for_timeout(800)
    return list(page.evaluate(SCENE_TEXT_JS))


SCENE_TEXT_JS = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] text')].map(t => t.textContent.trim())
"""
