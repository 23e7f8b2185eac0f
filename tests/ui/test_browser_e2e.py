"""End to end in a real headless Chromium (Debian's /usr/bin/chromium driven
by Playwright) against the app as served (`streamlit run ui/server.py`, which
warms the assistant at start) over the session's sample store, on a desktop
and a 390×844 phone viewport. One server for the module. Screenshots go to
artifacts/screenshots/; times are printed and saved beside them
(artifacts/screenshots/e2e-timings.json: from /_stcore/health saying "ok" to
the server's first answer on screen, among others), never asserted."""
from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from browser import CHROMIUM, MISSING_CHROMIUM, SCREENSHOTS, AppServer, launch_chromium, screenshot

pytestmark = pytest.mark.browser

ANSWER_MS = 90_000
PAGE_MS = 60_000
VIEWPORTS = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app(chromium, sample_settings, tmp_path_factory):
    """The app over the sample store (already ingested), stopped at teardown."""
    db = tmp_path_factory.mktemp("browser") / "app.sqlite3"
    env = {"PA_DATA_DIR": str(sample_settings.data_dir), "PA_STORE_DIR": str(sample_settings.store_dir),
           "PA_MANUALS_DIR": str(sample_settings.manuals_dir), "PA_APP_DB": str(db),
           "CHROMA_HOST": "", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PA_ADMIN_PASSWORD_HASH": ""}
    started = time.monotonic()
    server = AppServer(env, log=SCREENSHOTS.parent / "streamlit-e2e.log").start()
    server.started = started
    server.timings = {"server start to health ok s": round(server.healthy_at - started, 2)}
    try:
        yield server
    finally:
        server.stop()
        save_timings(server)


def save_timings(server) -> None:
    """The figures measured against this server, with the warm-up time the server logged, beside the screenshots."""
    warm = re.findall(r"Procedures Assistant: ready after ([\d.]+) s", server.log_tail(400))
    server.timings["server's own warm-up s (from its start)"] = float(warm[0]) if warm else None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "e2e-timings.json").write_text(json.dumps(server.timings, indent=2) + "\n", encoding="utf-8")


def note(app, name: str, seconds: float, first_only: bool = False) -> None:
    """Print a measured time and keep it for e2e-timings.json (with `first_only`, only its first measurement)."""
    if first_only and name in app.timings:
        return
    app.timings[name] = round(seconds, 2)
    print(f"{name}: {seconds:.2f}")


@pytest.fixture(params=list(VIEWPORTS))
def page(request, chromium):
    context = chromium.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def shot(page, name):
    screenshot(page, f"e2e-{page.viewport_name}-{name}")


def chat_box(page):
    return page.get_by_test_id("stChatInputTextArea")


def open_sidebar(page):
    if page.viewport_name == "phone":
        page.get_by_test_id("stExpandSidebarButton").click()


def test_the_server_says_ok_only_once_the_assistant_is_warm(app):
    """So the first visitor's page and question never wait for, or compete with, the warm-up."""
    assert "Procedures Assistant: ready after" in app.log_when_healthy, app.log_when_healthy


def test_chat_cites_once_follows_to_the_chapter_and_survives_a_reload(app, page):
    t0 = time.monotonic()
    page.goto(app.url)
    expect(chat_box(page)).to_be_visible(timeout=ANSWER_MS)
    usable = time.monotonic()
    print(f"\n[{page.viewport_name}] usable chat box {usable - app.started:.1f} s after the server was started "
          f"({usable - t0:.1f} s after opening the page)")
    shot(page, "01-chat-empty")
    box = chat_box(page)
    box.fill("which chapter covers Staying Put?")
    asked = time.monotonic()
    box.press("Enter")
    chip = page.get_by_role("link", name=re.compile(r"\[\d\] Derby City 6\.7\.6 Staying Put Policy"))
    expect(chip).to_be_visible(timeout=ANSWER_MS)
    answered = time.monotonic()
    note(app, "health ok to first answer on screen s", answered - app.healthy_at, first_only=True)
    note(app, "server start to first answer on screen s", answered - app.started, first_only=True)
    note(app, f"[{page.viewport_name}] page opened to chat box s", usable - t0)
    note(app, f"[{page.viewport_name}] Enter to answer s", answered - asked)
    expect(page.get_by_text(re.compile("Searched all the manuals loaded"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]c=[0-9a-f]{16}"), timeout=PAGE_MS)
    shot(page, "02-chat-answer")

    page.reload()  # a new session: the address and the store bring the conversation back
    expect(chip).to_be_visible(timeout=ANSWER_MS)
    shot(page, "03-chat-after-reload")

    chip.click()
    expect(page).to_have_url(re.compile(r"/chapter\?.*manual=derby-city.*chapter=6\.7\.6"), timeout=PAGE_MS)
    expect(page.get_by_role("heading", name=re.compile(r"6\.7\.6 Staying Put Policy"))).to_be_visible(timeout=PAGE_MS)
    expect(page.get_by_text("Where it sits in the manual")).to_be_visible()
    expect(page.get_by_role("button", name="Ask about this chapter")).to_be_visible()
    page.wait_for_timeout(800)  # the scroll to the cited line
    shot(page, "04-chapter-contents-only")


def test_scope_personal_data_and_local_pointers(app, page):
    page.goto(app.url)
    expect(chat_box(page)).to_be_visible(timeout=ANSWER_MS)
    chat_box(page).fill("Tom Jones, 07700 900123, DE1 2AB - is there guidance on teenagers with a gambling problem "
                        "in Rotherham?")
    chat_box(page).press("Enter")
    # in the conversation itself: the sidebar's recent-conversations link carries the same masked text,
    # and on a phone the sidebar is collapsed (hidden), so an unscoped `.first` could pick it
    expect(page.get_by_role("main").get_by_text("[name], [phone number], [postcode]").first) \
        .to_be_visible(timeout=ANSWER_MS)
    expect(page.get_by_role("link", name="Open Rotherham 6.1 Local Contacts")).to_be_visible(timeout=PAGE_MS)
    assert "Tom Jones" not in page.content() and "07700 900123" not in page.content()
    shot(page, "05-masked-and-local-contacts")
    chat_box(page).fill("what is 6.7.6 in Derby City?")
    chat_box(page).press("Enter")
    expect(page.get_by_text(re.compile(r"Searched Derby City, Derby and Derbyshire \(named in your question\)"))) \
        .to_be_visible(timeout=ANSWER_MS)
    shot(page, "06-named-scope")


def test_browse_filter_in_the_address_and_whats_changed(app, page):
    page.goto(f"{app.url}/browse?q=LAC")
    expect(page.get_by_role("heading", name="Browse the manuals")).to_be_visible(timeout=ANSWER_MS)
    expect(page.get_by_text(re.compile(r"chapters match .LAC."))).to_be_visible(timeout=PAGE_MS)
    assert not page.get_by_role("link", name=re.compile(r"^\d[\d.]* Placements? ")).count()
    shot(page, "07-browse-lac")
    page.goto(f"{app.url}/changes")
    expect(page.get_by_role("heading", name="What's changed")).to_be_visible(timeout=ANSWER_MS)
    expect(page.get_by_test_id("stPagination").first).to_be_visible(timeout=PAGE_MS)
    shot(page, "08-whats-changed")
    assert page.evaluate("document.body.scrollHeight") < 12_000  # a page at a time, not 34,000 px


def test_induction_and_the_admin_gate_and_sidebar_on_a_phone(app, page):
    page.goto(f"{app.url}/induction")
    expect(page.get_by_role("heading", name="Induction")).to_be_visible(timeout=ANSWER_MS)
    page.get_by_role("button", name="Quiz me").click()
    expect(page.get_by_role("button", name="Check answers")).to_be_visible(timeout=PAGE_MS)
    shot(page, "09-induction-quiz")
    page.goto(f"{app.url}/admin")  # an ordinary session, straight to the address
    expect(chat_box(page)).to_be_visible(timeout=ANSWER_MS)  # Streamlit falls back to the default page
    assert "Download feedback" not in page.content() and "Questions the manuals" not in page.content()
    shot(page, "10-admin-by-address")
    page.keyboard.press("Escape")  # close Streamlit's "Page not found" notice
    page.wait_for_timeout(500)
    open_sidebar(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Browse").click()
    expect(page.get_by_role("heading", name="Browse the manuals")).to_be_visible(timeout=PAGE_MS)
    page.wait_for_timeout(1000)
    if page.viewport_name == "phone":
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true", timeout=5000)
    shot(page, "11-after-navigating")
