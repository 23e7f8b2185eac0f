"""The admin gate: an ordinary session can't reach the admin page, its
downloads or its report, even by address; the right password opens them."""
import pytest
from streamlit.testing.v1 import AppTest

from assistant.practice.passwords import hash_password
from ui import resources
from vectorstore.settings import REPO_ROOT

APP = str(REPO_ROOT / "ui" / "app.py")
PASSWORD = "a long test password"


@pytest.fixture(scope="module")
def password_hash():
    return hash_password(PASSWORD)


@pytest.fixture
def at(sample_settings, tmp_path, monkeypatch, password_hash):
    env = {"PA_DATA_DIR": sample_settings.data_dir, "PA_MANUALS_DIR": sample_settings.manuals_dir,
           "PA_STORE_DIR": sample_settings.store_dir, "PA_APP_DB": tmp_path / "app.sqlite3",
           "PA_ADMIN_PASSWORD_HASH": password_hash}
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("CHROMA_HOST", raising=False)
    resources.get_settings.clear()
    app = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not app.exception, app.exception
    yield app
    resources.get_settings.clear()


def everything(at) -> str:
    kinds = ("markdown", "caption", "title", "subheader", "info", "warning", "error", "success")
    return " ".join(e.value for kind in kinds for e in getattr(at, kind)) + " ".join(
        b.label for b in at.download_button)


def ask_something_uncovered(at):
    at.chat_input[0].set_value("is there guidance on teenagers with a gambling problem?").run(timeout=60)
    assert not at.exception


def test_an_ordinary_session_sees_no_admin_page_or_download(at):
    ask_something_uncovered(at)
    assert "admin" not in [link.proto.page for link in at.sidebar.page_link]
    assert not any("feedback" in b.label.lower() for b in at.download_button)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/admin.py")  # not even registered for this session
    page = AppTest.from_file(str(REPO_ROOT / "ui" / "views" / "admin.py"), default_timeout=120)
    page.run(timeout=120)  # the page's own script, run without signing in: its gate stops it
    assert not page.exception, page.exception
    shown = everything(page)
    assert "Page not found" in shown
    assert not page.download_button and "gambling" not in shown and "Questions the manuals" not in shown
    assert not [b for b in page.button if "Load the manuals" in b.label]


def test_a_wrong_password_is_refused(at):
    at.switch_page("views/sign_in.py").run()
    at.text_input(key="admin_password").input("wrong password")
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert "isn't right" in at.error[0].value
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/admin.py")


def test_the_right_password_opens_the_admin_page(at):
    ask_something_uncovered(at)
    at.switch_page("views/sign_in.py").run()
    at.text_input(key="admin_password").input(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert "signed in as an admin" in at.success[0].value
    at.switch_page("views/admin.py").run(timeout=120)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Admin"]
    assert [b.label for b in at.download_button] == ["Download feedback (spreadsheet, CSV)"]
    labels = [e.label for e in at.expander]
    assert any("gambling" in label and "asked 1 time" in label for label in labels)
    assert any(b.label == "Load the manuals folder again" for b in at.button)
    refresh = next(b for b in at.button if b.label == "Refresh from the manuals' websites")
    assert not refresh.disabled  # wired to the crawler's refresh (ingest.crawl.refresh)
    refresh.click().run(timeout=120)
    assert not at.exception, at.exception
    assert any("No manual has been fetched from its website" in c.value for c in at.code)
