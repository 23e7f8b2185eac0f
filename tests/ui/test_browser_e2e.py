"""End to end in a real headless Chromium (Debian's /usr/bin/chromium driven
by Playwright) against the app served by `streamlit run` over the session's
sample store: ask in the chat, follow the citation chip to the chapter page;
and tick a chapter on the Induction page and find it ticked after a reload.
Screenshots go to artifacts/screenshots/."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright

from browser import CHROMIUM, MISSING_CHROMIUM, SCREENSHOTS, AppServer, launch_chromium, screenshot

pytestmark = pytest.mark.browser

FIRST_ANSWER_MS = 90_000  # the first question loads the model
PAGE_MS = 60_000


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app(chromium, sample_settings):
    """The app over the sample store (already ingested), stopped at teardown."""
    env = {"PA_DATA_DIR": str(sample_settings.data_dir), "PA_STORE_DIR": str(sample_settings.store_dir),
           "PA_MANUALS_DIR": str(sample_settings.manuals_dir), "PA_APP_DB": str(sample_settings.app_db),
           "CHROMA_HOST": "", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    server = AppServer(env, log=SCREENSHOTS.parent / "streamlit-e2e.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 1600})
    yield context.new_page()
    context.close()


def test_ask_then_follow_the_citation_chip_to_the_chapter(app, page):
    page.goto(app.url)
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_visible(timeout=PAGE_MS)
    box.fill("which chapter covers Staying Put?")
    box.press("Enter")

    answer = page.get_by_test_id("stChatMessageContent").filter(has_text="6.7.6")
    expect(answer.first).to_be_visible(timeout=FIRST_ANSWER_MS)
    chip = page.get_by_role("link", name=re.compile(r"Derby City 6\.7\.6"))
    expect(chip.first).to_be_visible(timeout=PAGE_MS)
    screenshot(page, "e2e-01-chat-answer")

    chip.first.click()
    expect(page).to_have_url(re.compile(r"/chapter\?.*manual=derby-city.*chapter=6\.7\.6"), timeout=PAGE_MS)
    expect(page.get_by_role("heading", name=re.compile(r"Staying Put Policy"))).to_be_visible(timeout=PAGE_MS)
    expect(page.get_by_text(re.compile(r"6\.7 Leaving Care")).first).to_be_visible()
    screenshot(page, "e2e-02-chapter")


def choose(page, label: str, option: str) -> None:
    """Pick an option in the Streamlit selectbox with this label."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_induction_tick_survives_a_reload(app, page):
    user = f"E2E {uuid.uuid4().hex[:6]}"
    page.goto(f"{app.url}/induction")
    expect(page.get_by_role("heading", name="Induction")).to_be_visible(timeout=PAGE_MS)
    choose(page, "Manual", "Rotherham")
    choose(page, "Your role", "Social worker")
    name = page.get_by_role("textbox", name="Your name")
    name.fill(user)
    name.press("Enter")

    link = page.get_by_role("link", name=re.compile(r"^1\.1\.6 Children's Social Work Supervision"))
    expect(link).to_be_visible(timeout=PAGE_MS)
    expect(page.get_by_text(re.compile(r"0 of \d+ chapters read"))).to_be_visible()
    row = page.get_by_test_id("stHorizontalBlock").filter(has=link)
    row.get_by_test_id("stCheckbox").click()
    expect(page.get_by_text(re.compile(r"1 of \d+ chapters read"))).to_be_visible(timeout=PAGE_MS)
    screenshot(page, "e2e-03-induction-ticked")

    page.reload()  # a new session: only the stored tick can bring it back
    expect(page.get_by_role("heading", name="Induction")).to_be_visible(timeout=PAGE_MS)
    choose(page, "Manual", "Rotherham")
    choose(page, "Your role", "Social worker")
    page.get_by_role("textbox", name="Your name").fill(user)
    page.get_by_role("textbox", name="Your name").press("Enter")
    expect(page.get_by_text(re.compile(r"1 of \d+ chapters read"))).to_be_visible(timeout=PAGE_MS)
    row = page.get_by_test_id("stHorizontalBlock").filter(has=page.get_by_role("link", name=re.compile(r"^1\.1\.6 ")))
    expect(row.get_by_role("checkbox")).to_be_checked()
    link.click()
    expect(page).to_have_url(re.compile(r"/chapter\?manual=rotherham&chapter=1\.1\.6"), timeout=PAGE_MS)
    expect(page.get_by_role("heading", name=re.compile(r"1\.1\.6 Children's Social Work Supervision"))) \
        .to_be_visible(timeout=PAGE_MS)
    screenshot(page, "e2e-04-induction-link")
