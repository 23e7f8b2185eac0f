"""The one settings object. Read from the environment here and nowhere else;
every other module receives a `Settings`.

Environment variables (all optional):
  PA_DATA_DIR          project data folder (default: <repo>/data)
  PA_MANUALS_DIR       folder ingested by default (default: <data>/manuals)
  PA_STORE_DIR         embedded Chroma folder (default: <data>/store)
  PA_COLLECTION        Chroma collection name (default: procedures)
  CHROMA_HOST, CHROMA_PORT   talk to a Chroma server instead of the embedded store
  PA_EMBEDDER          embedding backend name (default: minilm, MiniLM through onnxruntime;
                       also minilm-torch, the same vectors through sentence-transformers, and minilm-int8)
  PA_EMBEDDER_PATH     a local sentence-transformers folder to load instead
  PA_WRITER            answer writer name (default: extractive)
  PA_MAX_FILE_MB       files larger than this are refused (default: 20)
  PA_APP_DB            SQLite file for the app's feedback, conversations and induction ticks
  PA_ADMIN_PASSWORD_HASH  the admin sign-in's password, hashed (make one with
                       `python -m assistant.practice.passwords`); unset: no password sign-in
  PA_PUBLIC_BASE_URL   the app's public address, for absolute links in exports
                       (default: http://127.0.0.1:8501)
  PA_TIME_ZONE         the time zone of dates shown and exported (default: Europe/London)
  PA_CRAWL_USER_AGENT  the crawler's User-Agent (default: ProceduresAssistant/<version> (+manual crawler))
  PA_CRAWL_DELAY       seconds between requests to a site, at least (default: 2; robots.txt may ask more)
  PA_CRAWL_TIMEOUT     seconds to wait for a site to answer (default: 20)
  PA_CRAWL_RETRIES     retries on a timeout, a dropped connection, 429 or 5xx (default: 3)
  PA_CRAWL_BACKOFF     backoff factor of those retries, in seconds (default: 1: waits 1, 2, 4…)
  PA_CRAWL_MAX_PAGES   pages fetched per manual per run besides its contents page; the rest wait for the
                       next run (default: 500)
  PA_CRAWL_FETCHER     the fetcher backend (default: requests)
  PA_MODEL_CACHE       folder for models derived at set-up, such as the ONNX export of
                       MiniLM (default: <repo>/data/models; PA_DATA_DIR does not move it, so
                       tests and benches with a temporary data folder share one export)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Optional

REPO_ROOT = Path(__file__).resolve().parent.parent
PRODUCT = "ProceduresAssistant"
VERSION = "0.1.0"
USER_AGENT = f"{PRODUCT}/{VERSION} (+manual crawler; one request at a time)"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = REPO_ROOT / "data"
    manuals_dir: Path = REPO_ROOT / "data" / "manuals"
    store_dir: Path = REPO_ROOT / "data" / "store"
    collection: str = "procedures"
    chroma_host: Optional[str] = None
    chroma_port: int = 8000
    embedder: str = "minilm"
    embedder_path: Optional[Path] = None
    writer: str = "extractive"
    max_file_bytes: int = 20 * 1024 * 1024
    app_db: Path = field(default=REPO_ROOT / "data" / "app.sqlite3")
    admin_password_hash: Optional[str] = field(default=None, repr=False)
    public_base_url: str = "http://127.0.0.1:8501"
    time_zone: str = "Europe/London"
    # The crawler (ingest/crawl): polite by default. Crawled manuals are saved under manuals_dir/<id>/.
    crawl_user_agent: str = USER_AGENT
    crawl_delay: float = 2.0
    crawl_timeout: float = 20.0
    crawl_retries: int = 3
    crawl_backoff: float = 1.0
    crawl_max_pages: int = 500
    crawl_fetcher: str = "requests"
    model_cache_dir: Path = REPO_ROOT / "data" / "models"

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Build settings from environment variables (see module docstring)."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("PA_DATA_DIR", REPO_ROOT / "data"))
        path = env.get("PA_EMBEDDER_PATH")
        return cls(
            data_dir=data_dir,
            manuals_dir=Path(env.get("PA_MANUALS_DIR", data_dir / "manuals")),
            store_dir=Path(env.get("PA_STORE_DIR", data_dir / "store")),
            collection=env.get("PA_COLLECTION", "procedures"),
            chroma_host=env.get("CHROMA_HOST") or None,
            chroma_port=int(env.get("CHROMA_PORT", "8000")),
            embedder=env.get("PA_EMBEDDER", "minilm"),
            embedder_path=Path(path) if path else None,
            writer=env.get("PA_WRITER", "extractive"),
            max_file_bytes=int(float(env.get("PA_MAX_FILE_MB", "20")) * 1024 * 1024),
            app_db=Path(env.get("PA_APP_DB", data_dir / "app.sqlite3")),
            admin_password_hash=env.get("PA_ADMIN_PASSWORD_HASH") or None,
            public_base_url=(env.get("PA_PUBLIC_BASE_URL") or "http://127.0.0.1:8501").rstrip("/"),
            time_zone=env.get("PA_TIME_ZONE") or "Europe/London",
            crawl_user_agent=env.get("PA_CRAWL_USER_AGENT") or USER_AGENT,
            crawl_delay=float(env.get("PA_CRAWL_DELAY", "2")),
            crawl_timeout=float(env.get("PA_CRAWL_TIMEOUT", "20")),
            crawl_retries=int(env.get("PA_CRAWL_RETRIES", "3")),
            crawl_backoff=float(env.get("PA_CRAWL_BACKOFF", "1")),
            crawl_max_pages=int(env.get("PA_CRAWL_MAX_PAGES", "500")),
            crawl_fetcher=env.get("PA_CRAWL_FETCHER") or "requests",
            model_cache_dir=Path(env.get("PA_MODEL_CACHE") or REPO_ROOT / "data" / "models"),
        )

    def with_(self, **changes) -> "Settings":
        """A copy with some fields changed (tests and CLIs use it)."""
        return replace(self, **changes)
