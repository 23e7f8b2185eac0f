"""The crawl record: written atomically, read by the site discovery from the one format module."""
from __future__ import annotations

import json
import shutil

from vectorstore.crawl_record import CRAWL_RECORD, REMOVED, CrawlRecord, PageRecord, find_records, load_record
from ingest.sites import discover
from vectorstore.models import PageKind
from vectorstore.settings import REPO_ROOT

SITES = REPO_ROOT / "tests" / "fixtures" / "sites"


def test_a_record_round_trips_and_leaves_no_temp_file(tmp_path):
    record = CrawlRecord(manual="m", name="M", start_url="http://127.0.0.1:9/contents.html",
                         pages={"contents.html": PageRecord(url="http://127.0.0.1:9/contents.html",
                                                            kind="contents", etag='"e1"')})
    record.save(tmp_path / "m")
    assert [p.name for p in (tmp_path / "m").iterdir()] == [CRAWL_RECORD]
    assert load_record(tmp_path / "m") == record
    assert find_records(tmp_path) == [tmp_path / "m"]


def test_an_unreadable_record_is_no_record(tmp_path):
    (tmp_path / CRAWL_RECORD).write_text("{not json", encoding="utf-8")
    assert load_record(tmp_path) is None


def test_discovery_reads_the_crawlers_record_and_skips_removed_pages(tmp_path):
    site = shutil.copytree(SITES / "brackenshire", tmp_path / "site")
    base = "http://127.0.0.1:9/b/"
    CrawlRecord(manual="brack", name="Brackenshire Procedures", start_url=base + "contents.html", pages={
        "chapters/p_missing.html": PageRecord(url=base + "chapters/p_missing.html", kind="chapter"),
        "chapters/p_values.html": PageRecord(url=base + "chapters/p_values.html", kind="chapter", state=REMOVED),
    }).save(site)
    (found,) = discover([site], {}).sites
    assert (found.manual.id, found.manual.name, found.manual.url) == ("brack", "Brackenshire Procedures",
                                                                      base + "contents.html")
    files = {f.relative: f for f in found.files}
    assert (files["chapters/p_missing.html"].url, files["chapters/p_missing.html"].kind) == (
        base + "chapters/p_missing.html", PageKind.CHAPTER)
    assert files["chapters/p_values.html"].url is None  # the record no longer vouches for it
    assert json.loads((site / CRAWL_RECORD).read_text())["pages"]["chapters/p_values.html"]["state"] == REMOVED
