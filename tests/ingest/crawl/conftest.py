"""Fixtures for the crawler tests: the fixture sites served over a real HTTP
server on 127.0.0.1, and settings that crawl them quickly (tiny delays and
timeouts; the politeness itself is what the tests check)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crawl_server import SiteServer
from vectorstore.settings import REPO_ROOT, Settings

SITES = REPO_ROOT / "tests" / "fixtures" / "sites"
TRIAL = REPO_ROOT / "tests" / "fixtures" / "crawl" / "trial"
HOLLINFORD_HOME = "https://hollinford.procedures.example/"  # where the Hollinford fixture says it lives
ROBOTS = "User-agent: *\nDisallow: /trial/chapters/private/\n"
TRIAL_BEHAVIOUR = {
    "redirects": {"/trial/chapters/moved.html": "/trial/chapters/relocated.html",
                  "/trial/chapters/loop_a.html": "loop_b.html",
                  "/trial/chapters/loop_b.html": "/trial/chapters/loop_a.html"},
    "statuses": {"/trial/chapters/flaky.html": 500},
    "hang": {"/trial/chapters/slow.html"},
}


def build_tree(root: Path, base: str) -> Path:
    """The served folder: copies of both fixture sites and the trial site. Hollinford's pages
    name their own absolute address; the copies name the test server's instead (as if it
    were served at home), so its links stay inside the site."""
    www = root / "www"
    shutil.copytree(SITES / "brackenshire", www / "brackenshire")
    shutil.copytree(TRIAL, www / "trial")
    hollinford = shutil.copytree(SITES / "hollinford", www / "hollinford")
    for page in hollinford.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(HOLLINFORD_HOME, f"{base}/hollinford/"), encoding="utf-8")
    return www


@pytest.fixture
def server(tmp_path):
    """A started server over a fresh copy of the sites (tests may edit the copy)."""
    srv = SiteServer(tmp_path / "www", robots=ROBOTS, **{k: (dict(v) if isinstance(v, dict) else set(v))
                                                        for k, v in TRIAL_BEHAVIOUR.items()}).start()
    build_tree(tmp_path, srv.base)
    yield srv
    srv.stop()


def crawl_settings(root: Path, **changes) -> Settings:
    base = Settings().with_(data_dir=root, store_dir=root / "store", manuals_dir=root / "manuals",
                            app_db=root / "app.sqlite3", chroma_host=None, crawl_delay=0.0,
                            crawl_timeout=0.5, crawl_retries=1, crawl_backoff=0.01, crawl_max_pages=500)
    return base.with_(**changes)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return crawl_settings(tmp_path)
