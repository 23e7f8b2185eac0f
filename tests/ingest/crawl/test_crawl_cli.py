"""`python -m ingest crawl` and `python -m ingest refresh`, and a crawl killed
halfway (a real process, a real SIGKILL) that the next run resumes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from conftest import crawl_settings
from ingest.cli import main
from ingest.crawl.crawler import crawl
from vectorstore.crawl_record import CRAWL_RECORD, load_record
from vectorstore.catalog import Catalog
from vectorstore.embeddings import make_embedder
from vectorstore.settings import REPO_ROOT
from vectorstore.store import open_store

TRUTH = REPO_ROOT / "tests" / "fixtures" / "truth"


def test_crawl_then_refresh_from_the_command_line(server, settings, capsys):
    url = server.url("/trial/contents.html")
    assert main(["crawl", url, "--manual", "test-site", "--quiet"], settings) == 0
    err = capsys.readouterr().err
    assert "pages added 5" in err and "failed: " + server.url("/trial/chapters/slow.html") in err
    assert (settings.manuals_dir / "test-site" / CRAWL_RECORD).is_file()
    store = open_store(settings, make_embedder(settings).name)
    catalog = Catalog.from_chunks(store.snapshot())
    assert {(c.chapter, c.url) for c in catalog.chapters} == {
        ("1.1.1", server.url("/trial/chapters/home_visits.html")),
        ("1.1.2", server.url("/trial/chapters/case_notes.html")),
        ("1.1.6", server.url("/trial/chapters/moved.html"))}
    assert main(["refresh", "--quiet"], settings) == 0
    err = capsys.readouterr().err
    assert "manual test-site:" in err and "pages added 0, changed 0, removed 0, unchanged 5" in err
    assert "ingested 0" in err


def test_refresh_with_nothing_crawled_says_so(settings, capsys):
    assert main(["refresh"], settings) == 1
    assert "no crawled manuals" in capsys.readouterr().err


def test_a_bad_manual_id_is_refused_by_name(server, settings, capsys):
    assert main(["crawl", server.url("/trial/contents.html"), "--manual", "../escape", "--quiet"], settings) == 1
    assert "cannot name a folder" in capsys.readouterr().err
    assert not (settings.manuals_dir.parent / "escape").exists()


def test_a_crawl_killed_halfway_resumes(server, tmp_path):
    settings = crawl_settings(tmp_path, crawl_delay=0.15)
    url = server.url("/brackenshire/contents.html")
    env = dict(os.environ, PA_DATA_DIR=str(tmp_path), PA_MANUALS_DIR=str(settings.manuals_dir),
               PA_STORE_DIR=str(settings.store_dir), PA_CRAWL_DELAY="0.15", PA_CRAWL_TIMEOUT="0.5",
               PA_CRAWL_RETRIES="1", PA_CRAWL_BACKOFF="0.01", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.pop("CHROMA_HOST", None)
    proc = subprocess.Popen([sys.executable, "-m", "ingest", "crawl", url, "--manual", "brack", "--quiet"],
                            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(server.log) < 12 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the crawl ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    folder = settings.manuals_dir / "brack"
    record = load_record(folder)  # a kill never leaves half a record
    assert record is not None and not record.run.finished
    json.loads((folder / CRAWL_RECORD).read_text(encoding="utf-8"))
    # a page cut off mid-write is at most a hidden temp file, which no ingest reads
    assert all(p.name.startswith(".") for p in folder.rglob("*.part"))
    settled = {"/brackenshire/" + p for p in record.run.done if p != "contents.html"}
    assert len(settled) >= 8
    first = len(server.log)
    result = crawl(url, "brack", settings.with_(crawl_delay=0.0))
    assert not settled & {h.path for h in server.log[first:]}
    assert result.run.finished
    chapters = {c["file"] for c in json.loads((TRUTH / "brackenshire.json").read_text())["chapters"]}
    saved = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
    assert saved == {"contents.html", "amendments.html"} | chapters
