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


SITES = REPO_ROOT / "tests" / "fixtures" / "sites"
SITE_PATHS = [SITES / "brackenshire", SITES / "hollinford"]


def _ingested(root, paths, embedder) -> Settings:
    """Settings whose store, under `root`, holds `paths` ingested once. The
    fixture sites' accessibility pages are not procedures pages: ingest
    reports them as unrecognised, and nothing else may fail."""
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    settings = Settings().with_(data_dir=root, store_dir=root / "store", manuals_dir=root / "manuals",
                                app_db=root / "app.sqlite3", chroma_host=None)
    report = ingest(paths, settings, open_store(settings, embedder.name), embedder, progress=False)
    unexpected = [e for e in report.errors if "accessibility" not in str(e)]
    assert not unexpected, unexpected
    return settings


@pytest.fixture(scope="session")
def sites_settings(tmp_path_factory, embedder) -> Settings:
    """Settings whose store holds the two invented fixture sites (whole manuals), ingested once."""
    return _ingested(tmp_path_factory.mktemp("sites"), SITE_PATHS, embedder)


@pytest.fixture(scope="session")
def sites_assistant(sites_settings, embedder):
    from assistant.chain import Assistant

    return Assistant(sites_settings, embedder=embedder).warm_up()


@pytest.fixture(scope="session")
def mixed_settings(tmp_path_factory, embedder) -> Settings:
    """Settings whose store holds the five sample manuals and both fixture sites."""
    return _ingested(tmp_path_factory.mktemp("mixed"), [SEEDS, *SITE_PATHS], embedder)


@pytest.fixture(scope="session")
def mixed_assistant(mixed_settings, embedder):
    from assistant.chain import Assistant

    return Assistant(mixed_settings, embedder=embedder).warm_up()
