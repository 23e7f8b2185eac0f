"""What the app loads once per process (`st.cache_resource`): the settings,
the embedding model and the assistant over the store. A question after the
first costs only retrieval.

Also: whether the store holds anything, and the ingest the empty-store
screen runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import streamlit as st

from assistant.chain import Assistant
from assistant.scoping import short_name
from ingest.pipeline import IngestReport, ingest
from ingest.sites import discover
from vectorstore.embeddings import Embedder, make_embedder
from vectorstore.settings import Settings
from vectorstore.store import open_store

APP_FILE = Path(__file__).with_name("app.py")


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    """The app's one settings object, read from the environment once."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Loading the language model…")
def _embedder(name: str, path: str, _settings: Settings) -> Embedder:
    model = make_embedder(_settings)
    model.warm_up()
    return model


def load_embedder(settings: Settings) -> Embedder:
    """The embedding model, loaded once per model name and path."""
    return _embedder(settings.embedder, str(settings.embedder_path or ""), settings)


@st.cache_resource(show_spinner="Loading the procedures…")
def _assistant(key: str, _settings: Settings) -> Assistant:
    return Assistant(_settings, embedder=load_embedder(_settings)).warm_up()


def load_assistant(settings: Settings) -> Assistant:
    """The assistant over the settings' store, warmed up (catalog and index built) once
    per store, model and writer."""
    key = repr((settings.store_dir, settings.collection, settings.chroma_host, settings.chroma_port,
                settings.embedder, settings.embedder_path, settings.writer))
    return _assistant(key, settings)


def reload_assistant() -> None:
    """Forget the loaded assistant (after an ingest), keeping the model."""
    _assistant.clear()


def short_names(assistant: Assistant) -> dict[str, str]:
    """manual id -> the short name answers use ("Derby City")."""
    return {m.id: short_name(m) for m in assistant.catalog.manuals.values()}


@dataclass
class StoreStatus:
    chunks: int = 0
    error: Optional[str] = None

    @property
    def empty(self) -> bool:
        return self.chunks == 0


def store_status(settings: Settings) -> StoreStatus:
    """How many chunks the store holds, or why it can't be opened. Never raises."""
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
    embedder = load_embedder(settings)
    store = open_store(settings, embedder.name)
    report = ingest([settings.manuals_dir], settings, store, embedder, progress=on_file)
    reload_assistant()
    return report
