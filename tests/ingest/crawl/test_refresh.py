"""Crawl, then ingest into a real Chroma store: the whole fixture sites come
in from a real HTTP server with every chapter joined and every record
carrying its page's absolute address; a refresh is incremental; removals
reach the store; failures damage nothing."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import ROBOTS, TRIAL_BEHAVIOUR, build_tree, crawl_settings
from crawl_server import SiteServer
from ingest.crawl.refresh import crawl_and_ingest, crawled_manuals, refresh_all
from vectorstore.catalog import Catalog
from vectorstore.settings import REPO_ROOT
from vectorstore.store import open_store

TRUTH = REPO_ROOT / "tests" / "fixtures" / "truth"
NAMES = ("brackenshire", "hollinford")


def truth(site: str) -> dict:
    return json.loads((TRUTH / f"{site}.json").read_text(encoding="utf-8"))


def records(store) -> set[tuple]:
    return {(c.manual_id, c.source, c.kind.value, c.text, c.record_json, c.url) for c in store.snapshot()}


def served(tmp, **changes):
    srv = SiteServer(tmp / "www", robots=ROBOTS, redirects=dict(TRIAL_BEHAVIOUR["redirects"]),
                     statuses=dict(TRIAL_BEHAVIOUR["statuses"]), hang=set(TRIAL_BEHAVIOUR["hang"])).start()
    build_tree(tmp, srv.base)
    return srv, crawl_settings(tmp, **changes)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, embedder):
    """Both fixture sites crawled from the server and ingested, one manual each."""
    tmp = tmp_path_factory.mktemp("crawled")
    srv, settings = served(tmp)
    store = open_store(settings, embedder.name)
    done = {site: crawl_and_ingest(srv.url(f"/{site}/contents.html"), site, settings, store, embedder)
            for site in NAMES}
    yield srv, settings, store, done
    srv.stop()


def test_a_crawled_site_ingests_as_its_truth_file_says(crawled):
    _, _, store, done = crawled
    catalog = Catalog.from_chunks(store.snapshot())
    for site in NAMES:
        assert done[site].ok and not done[site].ingest.errors, done[site].summary()
        want = truth(site)
        assert catalog.manuals[site].name == want["manual_name"]
        entries = [(e.chapter, e.title) for e in catalog.entries if e.manual_id == site]
        assert entries == [(e["chapter"], e["title"]) for e in want["entries"]]
        chapters = {c.source: c for c in catalog.chapters if c.manual_id == site}
        assert set(chapters) == {c["file"] for c in want["chapters"]}
        for c in want["chapters"]:
            assert chapters[c["file"]].chapter == c["joins_to"] and chapters[c["file"]].entry_id, c["file"]
        amendments = Counter((a.amended, a.change.value) for a in catalog.amendments if a.manual_id == site)
        assert amendments == Counter((a["amended"], a["change"]) for a in want["amendments"])


def test_every_record_carries_its_page_absolute_address(crawled):
    srv, _, store, _ = crawled
    catalog = Catalog.from_chunks(store.snapshot())
    for chapter in catalog.chapters:
        assert chapter.url == srv.url(f"/{chapter.manual_id}/{chapter.source}"), chapter.source
    for chunk in store.snapshot():
        if chunk.kind.value == "chapter":
            assert chunk.url == srv.url(f"/{chunk.manual_id}/{chunk.source}")
    for entry in catalog.entries:  # each entry links where its contents page points, absolutely
        want = next(e["href"] for e in truth(entry.manual_id)["entries"]
                    if (e["chapter"], e["title"]) == (entry.chapter, entry.title))
        if want is None:  # an entry without a link
            pass
        elif want.startswith("https://hollinford.procedures.example/"):
            want = srv.url("/hollinford/" + want.split(".example/", 1)[1])
        elif not want.startswith("http"):
            want = srv.url(f"/{entry.manual_id}/{want}")
        assert entry.url == want, entry.title


def test_a_question_about_a_crawled_chapter_cites_its_original_page(crawled, embedder):
    from assistant.chain import Assistant

    srv, settings, store, _ = crawled
    answer = Assistant(settings, store=store, embedder=embedder).ask(
        "within how many working days must a private fostering visit be made in Brackenshire?")
    first = answer.citations[0]
    number = next(c["joins_to"] for c in truth("brackenshire")["chapters"]
                  if c["file"] == "chapters/p_private_fostering.html")
    assert (first.manual_id, first.chapter) == ("brackenshire", number)
    assert first.url == srv.url("/brackenshire/chapters/p_private_fostering.html")


def test_a_refresh_of_unchanged_sites_costs_304s_and_changes_nothing(crawled, embedder):
    srv, settings, store, _ = crawled
    before = records(store)
    start = len(srv.log)
    assert {p.name for p in crawled_manuals(settings)} == set(NAMES)
    done = refresh_all(settings, store, embedder)
    assert [d.manual for d in done] == sorted(NAMES)
    for d in done:
        assert d.ok and d.ingest.ingested == 0 and d.ingest.removed == 0, d.summary()
        assert d.crawl.run.added == d.crawl.run.changed == d.crawl.run.removed == []
    statuses = Counter(h.status for h in srv.log[start:] if h.path != "/robots.txt")
    saved = sum(len([p for p in d.crawl.record.pages.values() if p.sha256]) for d in done)
    assert statuses[304] == saved and statuses[200] == 0
    assert records(store) == before


# -- changes reach the store, failures don't --------------------------------------------------


@pytest.fixture
def trial(tmp_path, embedder):
    srv, settings = served(tmp_path)
    store = open_store(settings, embedder.name)
    first = crawl_and_ingest(srv.url("/trial/contents.html"), "trial", settings, store, embedder,
                             name="Ashby Vale Children's Services Procedures Manual")
    assert first.ok and first.ingest.ingested == 5, first.summary()
    yield srv, settings, store
    srv.stop()


def sources(store) -> set[str]:
    return {c.source for c in store.snapshot()}


def test_a_chapter_gone_from_the_contents_page_is_deleted_from_the_store(trial, embedder):
    srv, settings, store = trial
    assert "chapters/case_notes.html" in sources(store)
    contents = srv.root / "trial" / "contents.html"
    contents.write_text(contents.read_text(encoding="utf-8").replace(
        '<li><a href="chapters/case_notes.html">1.1.2 Writing Case Notes</a></li>', ""), encoding="utf-8")
    (done,) = refresh_all(settings, store, embedder)
    assert done.crawl.run.removed == ["chapters/case_notes.html"] and done.ingest.removed == 1
    assert "chapters/case_notes.html" not in sources(store)
    assert "chapters/home_visits.html" in sources(store)


def test_a_chapter_that_now_404s_keeps_its_records(trial, embedder):
    srv, settings, store = trial
    before = records(store)
    (srv.root / "trial" / "chapters" / "home_visits.html").unlink()
    (done,) = refresh_all(settings, store, embedder)
    assert any(f.path == "chapters/home_visits.html" and "HTTP 404" in f.reason for f in done.crawl.run.failed)
    assert records(store) == before


@pytest.mark.parametrize("breakage", ["contents 500", "server gone", "chapter is a sign-in page"])
def test_failures_damage_nothing_already_ingested(trial, embedder, breakage):
    srv, settings, store = trial
    before = records(store)
    if breakage == "contents 500":
        srv.statuses["/trial/contents.html"] = 500
    elif breakage == "server gone":
        srv.stop()
    else:
        page = srv.root / "trial" / "chapters" / "home_visits.html"
        page.write_bytes((srv.root / "trial" / "chapters" / "members.html").read_bytes())
    (done,) = refresh_all(settings, store, embedder)
    assert done.crawl.run.failed  # reported …
    assert records(store) == before  # … and nothing damaged
