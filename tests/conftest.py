"""Shared fixtures: a real Chroma store built once per test session from the
sample manuals, in a temporary folder, and the assistant over it."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from vectorstore.settings import REPO_ROOT, Settings  # noqa: E402

SEEDS = REPO_ROOT / "data" / "manuals"


@pytest.fixture(scope="session")
def embedder():
    from vectorstore.embeddings import make_embedder

    model = make_embedder(Settings())
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory, embedder) -> Settings:
    """Settings whose store holds the five sample manuals, ingested once."""
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    root = tmp_path_factory.mktemp("sample")
    settings = Settings().with_(data_dir=root, store_dir=root / "store", manuals_dir=SEEDS,
                                app_db=root / "app.sqlite3", chroma_host=None)
    report = ingest([SEEDS], settings, open_store(settings, embedder.name), embedder, progress=False)
    assert not report.errors, report.errors
    return settings


@pytest.fixture(scope="session")
def sample_assistant(sample_settings, embedder):
    from assistant.chain import Assistant

    return Assistant(sample_settings, embedder=embedder).warm_up()


@pytest.fixture
def fresh_settings(tmp_path) -> Settings:
    """Settings pointing at an empty store in a fresh temporary folder."""
    return Settings().with_(data_dir=tmp_path, store_dir=tmp_path / "store", manuals_dir=tmp_path / "manuals",
                            app_db=tmp_path / "app.sqlite3", chroma_host=None)
