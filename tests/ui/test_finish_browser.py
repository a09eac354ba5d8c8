"""The finish of the Guide and the chrome around it, in a real browser at desktop and phone width.

One app start for all of it: the page's own URL (/guide) opens without a "Page not found" pop-up
and without Streamlit's Deploy button or menu; the quick buttons carry the patterns' names, and
the 4th–6th after `more`; the end of the vitality check offers `plan`, `back` and `restart`; the
reading reads cleanly; the plan's download is in the chat on a phone; `back` from the plan
re-opens the last sign; help speaks to a web user; and starting from a pattern in the Library
greets the person, keeps the lens they chose and asks about their situation before the steps.
Screenshots go to test-output/browser/finish-*.png, each at 1280 and 390 px width.
"""

from __future__ import annotations

import re

from tests.ui.test_browser import (
    MESSAGE,
    OUTPUT,
    REPLY_TIMEOUT,
    SITUATION,
    Page,
    Server,
    assistant_texts,
    expect,
    say,
    screenshot,
    wait_settled,
)

WIDTHS = {"desktop": 1280, "phone": 390}
# The labels of the buttons outside the sidebar (the quick buttons under the conversation).
MAIN_BUTTONS_JS = """
() => [...document.querySelectorAll('[data-testid="stButton"] button')]
    .filter(b => !b.closest('[data-testid="stSidebar"]')).map(b => b.innerText.trim())
"""
MAIN_DOWNLOAD_JS = """
() => [...document.querySelectorAll('[data-testid="stDownloadButton"] button')]
    .filter(b => !b.closest('[data-testid="stSidebar"]'))
    .map(b => { const r = b.getBoundingClientRect(); return [b.innerText.trim(), r.width > 0 && r.height > 0]; })
"""


def shots(page: Page, name: str) -> None:
    """The conversation as it stands, at desktop and at phone width."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)
        path = screenshot(page, f"finish-{name}-{label}.png")
        assert path.stat().st_size > 5_000, path
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def buttons(page: Page) -> list[str]:
    """The labels of the buttons under the conversation (not the sidebar's)."""
    return [str(label) for label in page.evaluate(MAIN_BUTTONS_JS)]


def press(page: Page, label: str) -> str:
    """Press a quick button and return the reply it brings."""
    before = len(assistant_texts(page))
    page.locator('[data-testid="stSidebar"]').wait_for(state="attached")
    page.get_by_role("button", name=label, exact=True).last.click()  # the quick button: below any in the sidebar
    wait_settled(page, before)
    return assistant_texts(page)[-1]


def test_the_finish_in_a_real_browser(server: Server, page: Page) -> None:
    try:
        walk(server, page)
    except BaseException:
        page.screenshot(path=str(OUTPUT / "finish-failure.png"), full_page=True)  # this test's own last view
        raise


def walk(server: Server, page: Page) -> None:
    page.set_default_timeout(REPLY_TIMEOUT)
    page.goto(server.url + "guide")
    wait_settled(page, 0, timeout=120_000)
    # The page's own URL: no "Page not found" pop-up, and no Deploy button or developer menu.
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.locator('[data-testid="stMainMenu"]').count() == 0
    assert "/guide" in page.url

    reply = say(page, SITUATION)
    labels = buttons(page)
    assert len(labels) == 4, (labels, reply[-300:])
    assert labels[:3] == [f"{n} · " + labels[n - 1].split(" · ", 1)[1] for n in (1, 2, 3)], labels
    assert any("Meeting Diet" in label for label in labels[:3]), labels
    assert labels[-1] == "more"
    shots(page, "matches")
    press(page, "more")
    later = buttons(page)
    assert [label.split(" · ")[0] for label in later if " · " in label] == ["4", "5", "6"], later
    number = next(label.split(" · ")[0] for label in labels[:3] if "Meeting Diet" in label)
    assert "Meeting Diet" in say(page, number)

    reply = say(page, "check its vitality")
    total = int(re.search(r"Sign of life 1 of (\d+)", reply).group(1))  # type: ignore[union-attr]
    for n in range(total):
        reply = say(page, ["yes", "no", "partly"][n % 3])
    assert "Vitality reading:" in reply
    # The end of the check: what comes next, not yes / partly / no.
    assert buttons(page) == ["plan", "back", "restart"]
    # The reading reads cleanly: no bullet inside a bullet, no stray marks, no bag of shared words.
    assert "•" not in reply and "✗" not in reply and "speaks of" not in reply
    assert "— its " in reply  # a related pattern's reason is one of its own sentences
    shots(page, "reading")

    plan = press(page, "plan")
    assert plan.startswith("Plan: Meeting Diet"), plan[:80]
    assert "just below this conversation" in plan
    assert buttons(page) == ["back", "what next", "restart"]
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    page.wait_for_timeout(400)
    # On a phone the sidebar is folded away: the download is in the conversation, and visible.
    assert page.evaluate(MAIN_DOWNLOAD_JS) == [["Download plan (Markdown)", True]]
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    shots(page, "plan")

    again = press(page, "back")
    assert "Vitality reading:" in again and f"of {total}:" in again, again[-400:]
    assert buttons(page)[:3] == ["yes", "partly", "no"] and "plan" in buttons(page)
    assert "Plan: Meeting Diet" in say(page, "show me the plan")
    assert "What next" in say(page, "what's next")

    help_text = say(page, "help")
    assert "quit" not in help_text.lower() and "slug" not in help_text.lower() and "terminal" not in help_text
    shots(page, "help")

    # From the Library: greeted for the pattern, in the lens chosen there, asked about the situation first.
    page.goto(server.url + "library?pattern=meeting-diet")
    expect(page.get_by_role("heading", name="Meeting Diet")).to_be_visible(timeout=120_000)
    page.locator('[data-testid="stRadio"]').get_by_text("government", exact=True).click()  # the lens
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Start the guide with this pattern").click()
    wait_settled(page, 1, timeout=120_000)
    opening = assistant_texts(page)
    assert len(opening) == 2 and page.locator(MESSAGE).count() == 2, opening
    assert "You chose Meeting Diet" in opening[0] and "public service" in opening[0]
    assert "Before the" in opening[1] and "situation" in opening[1]
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("government")
    step = say(page, "Our council's weekly meetings run long and decide very little.")
    assert "your situation, for the plan" in step and "Step 1 of" in step
    shots(page, "from-library")
    assert (OUTPUT / "finish-from-library-phone.png").is_file()
