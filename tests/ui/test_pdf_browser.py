"""The PDF download buttons in a real browser: the plan and the reading arrive as PDFs a person can print."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.ui.test_browser import FIRST_LOAD_TIMEOUT, OUTPUT, SITUATION, Server, say, wait_idle, wait_settled


def download(page: Page, label: str, name: str) -> bytes:
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name=label).first.click()
    path = OUTPUT / name
    caught.value.save_as(path)
    return Path(path).read_bytes()


def test_browser_plan_and_reading_download_as_pdf(server: Server, page: Page) -> None:
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Pattern Guide")).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_settled(page, 0, timeout=FIRST_LOAD_TIMEOUT)
    say(page, SITUATION)
    say(page, "the first one")
    say(page, "show me the plan")
    plan = download(page, "Download plan (PDF)", "plan-download.pdf")
    assert plan.startswith(b"%PDF-") and len(plan) > 5_000

    page.goto(f"{server.url}assess?p=meeting-diet")
    submit = page.get_by_role("button", name="See the reading")
    expect(submit).to_be_visible(timeout=FIRST_LOAD_TIMEOUT)
    wait_idle(page)
    groups = page.locator('[role="radiogroup"]')
    for i in range(groups.count()):
        groups.nth(i).get_by_text("partly", exact=True).click()
    submit.click()
    expect(page.get_by_text("2.5 / 5 · Functional")).to_be_visible(timeout=60_000)
    wait_idle(page)
    pdf_buttons = [b for b in page.get_by_role("button").all() if "PDF" in (b.inner_text() or "")]
    assert pdf_buttons, "the reading offers a PDF"
    with page.expect_download(timeout=60_000) as caught:
        pdf_buttons[0].click()
    reading = Path(caught.value.path()).read_bytes()
    assert reading.startswith(b"%PDF-")
