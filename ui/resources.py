"""What the app holds once per process: the settings, and the assistant over
the store (embedding model, catalog and indexes), built by a warm-up that
runs before the server accepts connections (ui/server.py) or, with
`streamlit run ui/app.py`, on the first visit. Pages wait for it behind a
loading message; a question after that costs only retrieval.

Also: the app's SQLite stores, the words that make no name for the
personal-data check, whether the store holds anything, and the ingest that
the empty-store screen and the admin page run.
"""
from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import streamlit as st

from assistant.chain import Assistant
from assistant.practice.conversations import ConversationStore
from assistant.practice.feedback import FeedbackStore
from assistant.practice.privacy import find_personal_data, vocabulary
from assistant.practice.ticks import TickStore
from assistant.scoping import short_name
from ingest.pipeline import IngestReport, ingest
from ingest.sites import discover
from vectorstore.embeddings import make_embedder
from vectorstore.settings import Settings
from vectorstore.store import open_store

APP_FILE = Path(__file__).with_name("app.py")


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    """The app's one settings object, read from the environment once."""
    return Settings.from_env()


def _key(settings: Settings) -> str:
    return repr((settings.store_dir, settings.collection, settings.chroma_host, settings.chroma_port,
                 settings.embedder, settings.embedder_path, settings.writer))


class Warmup:
    """Builds one assistant in a background thread; callers wait for it."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.started = time.monotonic()
        self.seconds: Optional[float] = None  # how long the warm-up took, once done
        self._done = threading.Event()
        self._assistant: Optional[Assistant] = None
        self._error: Optional[BaseException] = None
        threading.Thread(target=self._run, name="assistant-warm-up", daemon=True).start()

    def _run(self) -> None:
        try:
            self._assistant = Assistant(self.settings).warm_up()
            pay_first_answer_costs(self._assistant)
        except BaseException as exc:  # kept, and raised to whoever waits
            self._error = exc
        finally:
            self.seconds = time.monotonic() - self.started
            outcome = "ready" if self._error is None else f"failed ({type(self._error).__name__})"
            print(f"Procedures Assistant: {outcome} after {self.seconds:.1f} s", file=sys.stderr, flush=True)
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def wait(self) -> None:
        """Wait until the warm-up has finished, well or not (`result()` says which)."""
        self._done.wait()

    def result(self) -> Assistant:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._assistant


WARM_UP_QUESTION = "Which chapter covers Staying Put?"


def pay_first_answer_costs(assistant: Assistant) -> None:
    """Run once what a question runs, so its one-off costs are paid at start,
    not by the first visitor: the question and personal-data patterns compile
    on first use, and `st.write_stream` imports pandas for the first answer it
    streams (together about 1.5 s of the first answer in the browser test)."""
    import pandas  # noqa: F401 - what st.write_stream would import on the first answer

    find_personal_data(WARM_UP_QUESTION, not_names(assistant))
    assistant.ask(WARM_UP_QUESTION)


_WARMUPS: dict[str, Warmup] = {}
_LOCK = threading.Lock()


def start_warm_up(settings: Settings) -> Warmup:
    """Start building the assistant for these settings (once per process and store)."""
    with _LOCK:
        warm = _WARMUPS.get(_key(settings))
        if warm is None:
            warm = _WARMUPS[_key(settings)] = Warmup(settings)
        return warm


def assistant_ready(settings: Settings) -> bool:
    warm = _WARMUPS.get(_key(settings))
    return bool(warm and warm.ready)


def load_assistant(settings: Settings) -> Assistant:
    """The assistant over the settings' store, warmed up, waiting for the warm-up
    if it is running. A warm-up that failed (say, over a store still empty at
    start) is tried once more."""
    try:
        return start_warm_up(settings).result()
    except Exception:
        reload_assistant(settings)
        return start_warm_up(settings).result()


def reload_assistant(settings: Optional[Settings] = None) -> None:
    """Forget the loaded assistant (after an ingest): the next use builds it again."""
    with _LOCK:
        if settings is None:
            _WARMUPS.clear()
        else:
            _WARMUPS.pop(_key(settings), None)


def short_names(assistant: Assistant) -> dict[str, str]:
    """manual id -> the short name answers use ("Derby City")."""
    return {m.id: short_name(m) for m in assistant.catalog.manuals.values()}


def not_names(assistant: Assistant) -> frozenset[str]:
    """Words of loaded titles and place names: they make no name for the personal-data check."""
    catalog = assistant.catalog
    return vocabulary([e.title for e in catalog.entries] + [c.title for c in catalog.chapters]
                      + [p for m in catalog.manuals.values() for p in m.places])


def conversations(settings: Settings) -> ConversationStore:
    return ConversationStore(settings.app_db)


def feedback(settings: Settings) -> FeedbackStore:
    return FeedbackStore(settings.app_db)


def ticks(settings: Settings) -> TickStore:
    return TickStore(settings.app_db)


@dataclass
class StoreStatus:
    chunks: int = 0
    error: Optional[str] = None

    @property
    def empty(self) -> bool:
        return self.chunks == 0


def store_status(settings: Settings) -> StoreStatus:
    """How many chunks the store holds, or why it can't be opened. Never raises."""
    if assistant_ready(settings):
        try:
            return StoreStatus(len(load_assistant(settings).catalog.chunks))
        except Exception:  # the warm-up failed: ask the store itself below
            pass
    try:
        return StoreStatus(open_store(settings, make_embedder(settings).name).count())
    except Exception as exc:  # a missing server, a mismatched model: shown, not raised
        return StoreStatus(0, f"{type(exc).__name__}: {exc}")


def manual_files(settings: Settings) -> list[Path]:
    """The files an ingest of `settings.manuals_dir` would read."""
    if not settings.manuals_dir.is_dir():
        return []
    return [f.path for f in discover([settings.manuals_dir], {}).files]


def run_ingest(settings: Settings, on_file: Callable[[int, int, str], None]) -> IngestReport:
    """Ingest `settings.manuals_dir` once, calling `on_file(done, total, name)`
    as each file is read, then forget the loaded assistant."""
    embedder = load_assistant(settings).embedder if assistant_ready(settings) else make_embedder(settings)
    embedder.warm_up()
    store = open_store(settings, embedder.name)
    report = ingest([settings.manuals_dir], settings, store, embedder, progress=on_file)
    reload_assistant(settings)
    return report


def refresh_from_web(settings: Settings, on_message: Callable[[str], None]) -> str:
    """Re-crawl and re-ingest every manual crawled into `settings.manuals_dir`
    (an admin's explicit act), then forget the loaded assistant. The summary."""
    from ingest.crawl.refresh import crawled_manuals, refresh_all

    if not crawled_manuals(settings):
        return (f"No manual has been fetched from its website into {settings.manuals_dir} yet: "
                "crawl one first with `python -m ingest crawl URL --manual ID`.")
    embedder = load_assistant(settings).embedder if assistant_ready(settings) else make_embedder(settings)
    store = open_store(settings, embedder.name)
    done = refresh_all(settings, store, embedder, progress=lambda d, t, url: on_message(f"{d}/{t} {url}"))
    reload_assistant(settings)
    return "\n\n".join(one.summary() for one in done)


# The admin page's "Refresh from the websites" button calls this (None: the button is disabled).
REFRESH_FROM_WEB: Optional[Callable[[Settings, Callable[[str], None]], str]] = refresh_from_web
