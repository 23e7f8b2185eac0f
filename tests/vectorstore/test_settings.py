"""Settings.from_env: every variable the module documents is read, and the
defaults are the documented ones."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import vectorstore.settings as settings_module
from vectorstore.settings import REPO_ROOT, Settings

MB = 1024 * 1024


def documented_variables() -> set[str]:
    """Variable names listed in the settings module's docstring."""
    return set(re.findall(r"\b(?:PA|CHROMA)_[A-Z_]+\b", settings_module.__doc__))


def test_docstring_documents_the_expected_variables():
    assert documented_variables() == {
        "PA_DATA_DIR", "PA_MANUALS_DIR", "PA_STORE_DIR", "PA_COLLECTION", "CHROMA_HOST", "CHROMA_PORT",
        "PA_EMBEDDER", "PA_EMBEDDER_PATH", "PA_WRITER", "PA_MAX_FILE_MB", "PA_APP_DB",
        "PA_ADMIN_PASSWORD_HASH", "PA_PUBLIC_BASE_URL", "PA_TIME_ZONE",
        "PA_CRAWL_USER_AGENT", "PA_CRAWL_DELAY", "PA_CRAWL_TIMEOUT", "PA_CRAWL_RETRIES", "PA_CRAWL_BACKOFF",
        "PA_CRAWL_MAX_PAGES", "PA_CRAWL_FETCHER", "PA_MODEL_CACHE",
    }


def test_defaults():
    s = Settings.from_env({})
    assert s.data_dir == REPO_ROOT / "data"
    assert s.manuals_dir == REPO_ROOT / "data" / "manuals"
    assert s.store_dir == REPO_ROOT / "data" / "store"
    assert s.collection == "procedures"
    assert s.chroma_host is None and s.chroma_port == 8000
    assert s.embedder == "minilm" and s.embedder_path is None
    assert s.writer == "extractive"
    assert s.max_file_bytes == 20 * MB
    assert s.app_db == REPO_ROOT / "data" / "app.sqlite3"
    assert s.admin_password_hash is None
    assert s.public_base_url == "http://127.0.0.1:8501" and s.time_zone == "Europe/London"
    assert s.crawl_user_agent.startswith("ProceduresAssistant/") and s.crawl_delay == 2.0
    assert (s.crawl_timeout, s.crawl_retries, s.crawl_backoff, s.crawl_max_pages, s.crawl_fetcher) == (
        20.0, 3, 1.0, 500, "requests")


def test_empty_environment_gives_the_dataclass_defaults():
    assert Settings.from_env({}) == Settings()


def test_every_variable_is_read(tmp_path):
    env = {
        "PA_DATA_DIR": str(tmp_path / "d"),
        "PA_MANUALS_DIR": str(tmp_path / "m"),
        "PA_STORE_DIR": str(tmp_path / "s"),
        "PA_COLLECTION": "other",
        "CHROMA_HOST": "chroma.internal",
        "CHROMA_PORT": "8123",
        "PA_EMBEDDER": "bge",
        "PA_EMBEDDER_PATH": str(tmp_path / "model"),
        "PA_WRITER": "llm",
        "PA_MAX_FILE_MB": "5",
        "PA_APP_DB": str(tmp_path / "app.db"),
        "PA_ADMIN_PASSWORD_HASH": "scrypt$16384$8$1$c2FsdA==$aGFzaA==",
        "PA_PUBLIC_BASE_URL": "https://procedures.example.org/",
        "PA_TIME_ZONE": "Europe/Dublin",
        "PA_CRAWL_USER_AGENT": "Tester/1",
        "PA_CRAWL_DELAY": "0.5",
        "PA_CRAWL_TIMEOUT": "7",
        "PA_CRAWL_RETRIES": "0",
        "PA_CRAWL_BACKOFF": "0.25",
        "PA_CRAWL_MAX_PAGES": "40",
        "PA_CRAWL_FETCHER": "other",
        "PA_MODEL_CACHE": str(tmp_path / "models"),
    }
    assert set(env) == documented_variables()
    s = Settings.from_env(env)
    assert s == Settings(
        data_dir=tmp_path / "d", manuals_dir=tmp_path / "m", store_dir=tmp_path / "s", collection="other",
        chroma_host="chroma.internal", chroma_port=8123, embedder="bge", embedder_path=tmp_path / "model",
        writer="llm", max_file_bytes=5 * MB, app_db=tmp_path / "app.db",
        admin_password_hash="scrypt$16384$8$1$c2FsdA==$aGFzaA==",
        public_base_url="https://procedures.example.org", time_zone="Europe/Dublin",
        crawl_user_agent="Tester/1", crawl_delay=0.5, crawl_timeout=7.0, crawl_retries=0, crawl_backoff=0.25,
        crawl_max_pages=40, crawl_fetcher="other",
        model_cache_dir=tmp_path / "models",
    )


@pytest.mark.parametrize("name", sorted(documented_variables()))
def test_each_documented_variable_changes_something_on_its_own(name, tmp_path):
    value = {"CHROMA_PORT": "9000", "PA_MAX_FILE_MB": "3", "PA_CRAWL_DELAY": "9", "PA_CRAWL_TIMEOUT": "9",
             "PA_CRAWL_RETRIES": "9", "PA_CRAWL_BACKOFF": "9", "PA_CRAWL_MAX_PAGES": "9"}.get(name, str(tmp_path / "x"))
    assert Settings.from_env({name: value}) != Settings.from_env({})


def test_data_dir_moves_the_folders_that_are_not_set():
    s = Settings.from_env({"PA_DATA_DIR": "/srv/pa"})
    assert s.data_dir == Path("/srv/pa")
    assert s.manuals_dir == Path("/srv/pa/manuals")
    assert s.store_dir == Path("/srv/pa/store")
    assert s.app_db == Path("/srv/pa/app.sqlite3")
    assert s.model_cache_dir == REPO_ROOT / "data" / "models"  # one ONNX export, shared by temporary data dirs


def test_explicit_folders_win_over_data_dir():
    s = Settings.from_env({"PA_DATA_DIR": "/srv/pa", "PA_STORE_DIR": "/var/store"})
    assert s.store_dir == Path("/var/store") and s.manuals_dir == Path("/srv/pa/manuals")


def test_empty_chroma_host_means_embedded():
    assert Settings.from_env({"CHROMA_HOST": ""}).chroma_host is None


def test_fractional_megabytes():
    assert Settings.from_env({"PA_MAX_FILE_MB": "1.5"}).max_file_bytes == int(1.5 * MB)


def test_bad_port_is_an_error():
    with pytest.raises(ValueError):
        Settings.from_env({"CHROMA_PORT": "eighty"})


def test_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("PA_COLLECTION", "from-process-env")
    monkeypatch.delenv("CHROMA_HOST", raising=False)
    s = Settings.from_env()
    assert s.collection == "from-process-env" and s.chroma_host is None


def test_with_returns_a_changed_copy():
    base = Settings()
    changed = base.with_(collection="x", max_file_bytes=10)
    assert (changed.collection, changed.max_file_bytes) == ("x", 10)
    assert (base.collection, base.max_file_bytes) == ("procedures", 20 * MB)
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.collection = "mutated"  # frozen
