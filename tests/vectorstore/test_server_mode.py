"""Server mode: a real `chroma run` on a free local port, the sample manuals
ingested through the same pipeline over HTTP, and the assistant answering
from it (CHROMA_HOST settings, no embedded store involved)."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.chroma_server import CHROMA, START_TIMEOUT, free_port, heartbeat
from vectorstore.settings import REPO_ROOT, Settings

pytestmark = pytest.mark.server

SEEDS = REPO_ROOT / "data" / "manuals"
STOP_TIMEOUT = 10.0


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """(port, store path) of a `chroma run` server, stopped after the module."""
    if not CHROMA.exists():
        pytest.fail(f"the chroma CLI is not at {CHROMA}")
    root = tmp_path_factory.mktemp("chroma_server")
    port = free_port()
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not heartbeat(port):
            if process.poll() is not None:
                pytest.fail(f"chroma run exited with {process.returncode}:\n{_tail(root / 'server.log')}")
            if time.monotonic() > deadline:
                pytest.fail(f"chroma run did not answer /api/v2/heartbeat on port {port} within "
                            f"{START_TIMEOUT:.0f} s:\n{_tail(root / 'server.log')}")
            time.sleep(0.25)
        yield port, root / "data"
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
        log.close()


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="module")
def server_settings(chroma_server, tmp_path_factory) -> Settings:
    port, _ = chroma_server
    root = tmp_path_factory.mktemp("server_mode")
    # store_dir points at an empty folder that must stay unused: the data lives in the server
    return Settings().with_(data_dir=root, store_dir=root / "unused-store", manuals_dir=SEEDS,
                            app_db=root / "app.sqlite3", chroma_host="127.0.0.1", chroma_port=port)


@pytest.fixture(scope="module")
def ingested(server_settings, embedder):
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    store = open_store(server_settings, embedder.name)
    report = ingest([SEEDS], server_settings, store, embedder, progress=False)
    return report, store


def test_settings_pick_the_http_client(server_settings, chroma_server):
    from vectorstore.clients import make_client
    from vectorstore.clients.base import client_kind

    assert client_kind(server_settings) == "server"
    client = make_client(server_settings)
    assert isinstance(client.heartbeat(), int)
    chroma = client.get_settings()
    assert chroma.chroma_api_impl == "chromadb.api.fastapi.FastAPI"  # HTTP, not the embedded engine
    assert (chroma.chroma_server_host, int(chroma.chroma_server_http_port)) == ("127.0.0.1", chroma_server[0])


def test_ingest_through_the_server(ingested, server_settings, chroma_server):
    report, store = ingested
    assert report.errors == []
    assert (report.files, report.ingested, report.entries, report.amendments) == (5, 5, 419, 149)
    assert store.count() == report.chunks
    assert not server_settings.store_dir.exists()  # nothing was written to an embedded store
    assert any(chroma_server[1].iterdir())  # the server persisted it


def test_second_run_over_http_skips_everything(ingested, server_settings, embedder):
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    report = ingest([SEEDS], server_settings, open_store(server_settings, embedder.name), embedder, progress=False)
    assert (report.ingested, report.skipped, report.errors) == (0, 5, [])


def test_assistant_answers_from_the_server(ingested, server_settings, embedder):
    from assistant.chain import Assistant

    answer = Assistant(server_settings, embedder=embedder).ask("which chapter covers Staying Put?")
    cited = {(c.manual_id, c.chapter) for c in answer.citations}
    assert ("derby-city", "6.7.6") in cited, answer.citations
    assert answer.grounded


def test_store_mismatch_over_http(ingested, server_settings):
    from vectorstore.store import StoreMismatch, open_store

    with pytest.raises(StoreMismatch):
        open_store(server_settings, "another-model")
