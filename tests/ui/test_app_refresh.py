"""The What's changed page shows, per crawled manual, when it was last
refreshed and what that refresh changed (read from its crawl record)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui import resources
from vectorstore.crawl_record import CrawlRecord, Failure, RunSummary
from vectorstore.settings import REPO_ROOT

APP = str(REPO_ROOT / "ui" / "app.py")


@pytest.fixture(autouse=True)
def _fresh_settings_cache():
    yield
    resources.get_settings.clear()


def test_whats_changed_shows_each_crawled_manuals_last_refresh(sample_settings, tmp_path, monkeypatch):
    manuals = tmp_path / "manuals"
    run = RunSummary(started="2026-11-30T02:59:00+00:00", finished="2026-11-30T03:00:00+00:00",
                     added=["chapters/new_one.html"], changed=["chapters/p_missing.html", "contents.html"],
                     removed=["chapters/p_old.html"],
                     failed=[Failure(path="chapters/gone.html", url="http://site.example/cs/chapters/gone.html",
                                     reason="HTTP 404 (page not found)")])
    CrawlRecord(manual="webshire", name="Webshire Children's Services Procedures",
                start_url="http://site.example/cs/contents.html", refreshed=run.finished, run=run).save(
        manuals / "webshire")
    for name, value in {"PA_DATA_DIR": sample_settings.data_dir, "PA_MANUALS_DIR": manuals,
                        "PA_STORE_DIR": sample_settings.store_dir, "PA_APP_DB": tmp_path / "app.sqlite3"}.items():
        monkeypatch.setenv(name, str(value))
    for name in ("CHROMA_HOST", "PA_COLLECTION", "PA_EMBEDDER", "PA_WRITER", "PA_ADMIN_PASSWORD_HASH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PA_TIME_ZONE", "Europe/London")
    resources.get_settings.clear()
    at = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    at.switch_page("views/changes.py").run(timeout=60)
    assert not at.exception, at.exception
    (card,) = [e for e in at.expander if "Webshire" in e.label]
    assert "refreshed 30 Nov 2026, 03:00" in card.label
    assert "1 added, 2 changed, 1 removed, 1 failed" in card.label
    shown = " ".join(m.value for m in card.markdown)
    assert "chapters/new\\_one.html" in shown or "chapters/new_one.html" in shown
    assert "p\\_old.html" in shown or "p_old.html" in shown
    assert "HTTP 404 (page not found)" in shown
    assert at.subheader  # the amendments below are still shown
