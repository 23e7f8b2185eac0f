"""The crawl itself, against a real HTTP server on 127.0.0.1: what it asks
for (the server's log is the witness), what it saves, what it reports.

Expected pages come from the fixture sites' truth files and from the trial
site's README (tests/fixtures/crawl/README.md), which says what each of its
addresses does."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import crawl_settings
from ingest.crawl.crawler import crawl
from vectorstore.crawl_record import CRAWL_RECORD, FAILED, OK, REMOVED, load_record
from ingest.sites import discover
from vectorstore.settings import REPO_ROOT

TRUTH = REPO_ROOT / "tests" / "fixtures" / "truth"


def truth(site: str) -> dict:
    return json.loads((TRUTH / f"{site}.json").read_text(encoding="utf-8"))


def saved_chapters(site: str) -> set[str]:
    """The chapter files the site really holds: its truth file's chapters."""
    return {c["file"] for c in truth(site)["chapters"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


# -- a whole site -------------------------------------------------------------------


def test_a_site_is_saved_under_the_manual_folder_mirroring_its_paths(server, settings):
    result = crawl(server.url("/brackenshire/contents.html"), "brack", settings)
    folder = settings.manuals_dir / "brack"
    assert result.ok and result.folder == folder
    saved = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
    assert saved == {"contents.html", "amendments.html"} | saved_chapters("brackenshire")
    for path in saved:  # byte for byte what the site serves
        assert digest(folder / path) == digest(server.root / "brackenshire" / path), path
    record = load_record(folder)
    assert record.manual == "brack" and record.start_url == server.url("/brackenshire/contents.html")
    assert record.name == truth("brackenshire")["manual_name"]  # from the contents page, none was given
    page = record.pages["chapters/p_missing.html"]
    assert (page.url, page.kind, page.state, page.status) == (
        server.url("/brackenshire/chapters/p_missing.html"), "chapter", OK, 200)
    assert page.etag and page.last_modified and page.sha256 == digest(folder / "chapters/p_missing.html")
    assert record.pages["contents.html"].kind == "contents"
    assert record.pages["amendments.html"].kind == "amendments"
    assert record.refreshed and record.run.finished


def test_chapter_addresses_come_only_from_contents_links(server, settings):
    crawl(server.url("/brackenshire/contents.html"), "brack", settings)
    asked = {h.path for h in server.log} - {"/robots.txt"}
    hrefs = {e["href"] for e in truth("brackenshire")["entries"] if not e["href"].startswith("http")}
    # the amendments page links its "Archive" (amendments_archive.html), which the site doesn't hold
    archive = "amendments_archive.html"
    expected = {"/brackenshire/" + h for h in hrefs | {"contents.html", "amendments.html", archive}}
    assert asked == expected
    # entries whose page the site doesn't hold are reported by address, never invented
    record = load_record(settings.manuals_dir / "brack")
    missing = {f.path for f in record.run.failed}
    assert missing == {h for h in hrefs | {archive} if not (server.root / "brackenshire" / h).exists()}
    assert all("HTTP 404" in f.reason for f in record.run.failed)


def test_an_amendments_archive_linked_from_the_amendments_page_is_fetched(server, settings):
    crawl(server.url("/hollinford/contents.html"), "holl", settings)
    record = load_record(settings.manuals_dir / "holl")
    amendments = {p for p, page in record.pages.items() if page.kind == "amendments"}
    files = {a["file"] for a in truth("hollinford")["amendments"]}
    assert amendments == files
    assert {p for p, page in record.pages.items() if page.kind == "chapter" and page.state == OK} \
        == saved_chapters("hollinford")


def test_links_to_other_sites_are_recorded_never_followed(server, settings):
    crawl(server.url("/brackenshire/contents.html"), "brack", settings)
    record = load_record(settings.manuals_dir / "brack")
    off_site = {e["href"] for e in truth("brackenshire")["entries"] if e["href"].startswith("http")}
    assert off_site and off_site <= set(record.external)
    assert "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2" \
        in record.external  # a see-also link on the contents page
    assert all(h.path.startswith(("/brackenshire/", "/robots.txt")) for h in server.log)


# -- politeness -----------------------------------------------------------------------


def test_robots_disallow_is_never_requested_and_is_reported(server, settings):
    result = crawl(server.url("/trial/contents.html"), "trial", settings)
    assert not [h for h in server.log if h.path.startswith("/trial/chapters/private/")]
    assert server.log[0].path == "/robots.txt"  # read before anything else
    reasons = {f.path: f.reason for f in result.run.failed}
    assert "robots.txt disallows" in reasons["chapters/private/draft_rota.html"]


def test_every_request_names_the_product_and_version(server, settings):
    crawl(server.url("/trial/contents.html"), "trial", settings)
    assert server.log and all(h.user_agent.startswith("ProceduresAssistant/0.") for h in server.log)


def test_requests_are_spaced_by_the_configured_delay(server, tmp_path):
    settings = crawl_settings(tmp_path, crawl_delay=0.2, crawl_max_pages=5)
    crawl(server.url("/brackenshire/contents.html"), "brack", settings)
    times = [h.at for h in server.log]
    assert len(times) == 7  # robots.txt, the contents page and five pages: the cap
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.2 - 0.01, gaps  # never two requests closer than the delay


def test_robots_crawl_delay_is_honoured_and_the_page_cap_leaves_the_rest_for_later(server, tmp_path):
    server.robots = "User-agent: *\nCrawl-delay: 1\nDisallow: /trial/chapters/private/\n"
    settings = crawl_settings(tmp_path, crawl_delay=0.0, crawl_max_pages=2)
    url = server.url("/brackenshire/contents.html")
    result = crawl(url, "brack", settings)
    times = [h.at for h in server.log]
    assert len(times) == 4  # robots.txt, the contents page, two pages
    assert min(b - a for a, b in zip(times, times[1:])) >= 1 - 0.01
    assert any("robots.txt asks 1 s" in n for n in result.run.notes)
    assert result.run.left and not result.run.finished  # the next run carries on
    first = {h.path for h in server.log[2:]}
    start = len(server.log)
    crawl(url, "brack", settings)
    assert len(server.log) - start == 4 and not first & {h.path for h in server.log[start + 2:]}


def test_a_429_is_retried_after_the_wait_the_site_asks(server, settings):
    server.throttle["/trial/chapters/home_visits.html"] = 1  # one 429 with Retry-After: 1, then the page
    result = crawl(server.url("/trial/contents.html"), "trial", settings)
    hits = [h for h in server.log if h.path == "/trial/chapters/home_visits.html"]
    assert [h.status for h in hits] == [429, 200]
    assert hits[1].at - hits[0].at >= 1 - 0.01
    assert "chapters/home_visits.html" in result.run.added


# -- incremental ------------------------------------------------------------------------


def test_a_second_crawl_asks_conditionally_and_gets_only_304s(server, settings):
    url = server.url("/brackenshire/contents.html")
    crawl(url, "brack", settings)
    folder = settings.manuals_dir / "brack"
    before = folder_state(folder)
    first = len(server.log)
    result = crawl(url, "brack", settings)
    again = [h for h in server.log[first:] if h.path != "/robots.txt"]
    saved = {"/brackenshire/" + p for p in before if p != CRAWL_RECORD}
    for hit in again:
        if hit.path in saved:
            assert hit.if_none_match and hit.if_modified_since and hit.status == 304, hit
        else:
            assert hit.status == 404 and not hit.if_none_match, hit  # never had a copy: asked plainly
    assert {h.path for h in again if h.status == 304} == saved
    assert (result.run.added, result.run.changed, result.run.removed) == ([], [], [])
    after = folder_state(folder)
    after.pop(CRAWL_RECORD), before.pop(CRAWL_RECORD)
    assert after == before


def test_a_changed_an_added_and_a_removed_chapter_are_picked_up_exactly(server, settings):
    url = server.url("/brackenshire/contents.html")
    crawl(url, "brack", settings)
    site = server.root / "brackenshire"
    changed = site / "chapters" / "p_missing.html"
    changed.write_text(changed.read_text(encoding="utf-8").replace(
        "</h1>", "</h1>\n<p>This chapter was reviewed again this month.</p>", 1), encoding="utf-8")
    contents = site / "contents.html"
    text = contents.read_text(encoding="utf-8")
    text = text.replace('<li><a href="chapters/p_values.html">1.1.1 Children\'s Services Policies, Values and '
                        'Principles</a></li>', "")
    # the new chapter goes where an unsaved entry's link was (1.1.2), so it joins a real entry
    text = text.replace('href="chapters/p_consultation.html"', 'href="chapters/p_consultation_new.html"')
    contents.write_text(text, encoding="utf-8")
    (site / "chapters" / "p_consultation_new.html").write_text(
        (site / "chapters" / "p_values.html").read_text(encoding="utf-8").replace(
            "Children's Services Policies, Values and Principles", "Children's Consultation and Participation"),
        encoding="utf-8")
    result = crawl(url, "brack", settings)
    run = result.run
    assert run.changed == ["contents.html", "chapters/p_missing.html"]
    assert run.added == ["chapters/p_consultation_new.html"]
    assert run.removed == ["chapters/p_values.html"]
    folder = settings.manuals_dir / "brack"
    assert not (folder / "chapters/p_values.html").exists()
    assert result.record.pages["chapters/p_values.html"].state == REMOVED
    assert "chapters/p_consultation.html" not in {f.path for f in run.failed}  # no longer linked
    # a removed page is no page of the site for the ingest
    (site_files,) = [s.files for s in discover([folder], {}).sites]
    assert "chapters/p_values.html" not in {f.relative for f in site_files}


def test_a_page_that_now_404s_keeps_its_last_good_copy(server, settings):
    url = server.url("/brackenshire/contents.html")
    crawl(url, "brack", settings)
    folder = settings.manuals_dir / "brack"
    kept = digest(folder / "chapters/p_missing.html")
    (server.root / "brackenshire" / "chapters" / "p_missing.html").unlink()
    result = crawl(url, "brack", settings)
    (failure,) = [f for f in result.run.failed if f.path == "chapters/p_missing.html"]
    assert "HTTP 404" in failure.reason and "last good copy" in failure.reason
    assert digest(folder / "chapters/p_missing.html") == kept
    page = result.record.pages["chapters/p_missing.html"]
    assert (page.state, page.status) == (FAILED, 404)
    (site,) = discover([folder], {}).sites  # still part of the site, with its address
    (file,) = [f for f in site.files if f.relative == "chapters/p_missing.html"]
    assert file.url == server.url("/brackenshire/chapters/p_missing.html")


# -- failures -------------------------------------------------------------------------------

# What each trial address does, as tests/fixtures/crawl/README.md says, and a word its reason must hold.
TRIAL_FAILURES = {
    "chapters/private/draft_rota.html": "robots.txt disallows",
    "chapters/retired.html": "HTTP 404",
    "chapters/slow.html": "no answer within 0.5 s",
    "chapters/loop_a.html": "redirect loop",
    "chapters/members.html": "sign-in page",
    "chapters/handbook.pdf": "not an HTML page (application/pdf)",
    "chapters/broken.html": "cannot be read as a chapter page",
    "chapters/flaky.html": "HTTP 500",
    "chapters/consent.html": "cookie wall",
}


def test_each_kind_of_failure_is_reported_with_its_reason_and_nothing_bad_is_saved(server, settings):
    result = crawl(server.url("/trial/contents.html"), "trial", settings)
    assert result.ok
    reasons = {f.path: f.reason for f in result.run.failed}
    assert set(reasons) == set(TRIAL_FAILURES)
    for path, word in TRIAL_FAILURES.items():
        assert word in reasons[path], (path, reasons[path])
    folder = settings.manuals_dir / "trial"
    saved = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert saved == {CRAWL_RECORD, "contents.html", "amendments.html", "chapters/home_visits.html",
                     "chapters/case_notes.html", "chapters/moved.html"}
    # a redirect inside the site is followed; the page keeps the address the contents page gave
    moved = result.record.pages["chapters/moved.html"]
    assert moved.final_url == server.url("/trial/chapters/relocated.html") and moved.state == OK
    assert "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2" \
        in result.record.external
    # 500 and the timeout were retried (settings: one retry), the 404 was not
    asked = [h.path for h in server.log]
    assert asked.count("/trial/chapters/flaky.html") == 2 and asked.count("/trial/chapters/retired.html") == 1


def test_a_failed_page_never_overwrites_its_good_copy(server, settings):
    url = server.url("/trial/contents.html")
    crawl(url, "trial", settings)
    folder = settings.manuals_dir / "trial"
    good = digest(folder / "chapters/home_visits.html")
    # the chapter's address now answers with a sign-in page, then with a PDF, then with a 500
    served = server.root / "trial" / "chapters" / "home_visits.html"
    served.write_bytes((server.root / "trial" / "chapters" / "members.html").read_bytes())
    crawl(url, "trial", settings)
    assert digest(folder / "chapters/home_visits.html") == good
    server.statuses["/trial/chapters/home_visits.html"] = 500
    result = crawl(url, "trial", settings)
    assert digest(folder / "chapters/home_visits.html") == good
    assert "last good copy" in {f.path: f.reason for f in result.run.failed}["chapters/home_visits.html"]


@pytest.mark.parametrize("where, word", [("http://127.0.0.1:{closed}/x/contents.html", "connection refused"),
                                         ("http://no-such-host.invalid/x/contents.html", "DNS lookup failed"),
                                         ("{base}/trial/chapters/slow.html", "no answer")])
def test_a_site_that_cannot_be_reached_changes_nothing(server, settings, where, word):
    import socket

    url = server.url("/trial/contents.html")
    crawl(url, "trial", settings)
    folder = settings.manuals_dir / "trial"
    before = folder_state(folder)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    result = crawl(where.format(closed=closed, base=server.base), "trial", settings)
    assert not result.ok
    assert any(word in f.reason for f in result.run.failed), result.run.failed
    after = folder_state(folder)
    assert {k: v for k, v in after.items() if k != CRAWL_RECORD} == \
        {k: v for k, v in before.items() if k != CRAWL_RECORD}


def test_a_contents_page_that_fails_removes_nothing(server, settings):
    url = server.url("/brackenshire/contents.html")
    crawl(url, "brack", settings)
    folder = settings.manuals_dir / "brack"
    before = folder_state(folder)
    server.statuses["/brackenshire/contents.html"] = 503
    result = crawl(url, "brack", settings)
    assert not result.ok and result.run.removed == []
    assert "HTTP 503" in result.run.failed[0].reason
    after = folder_state(folder)
    assert {k: v for k, v in after.items() if k != CRAWL_RECORD} == \
        {k: v for k, v in before.items() if k != CRAWL_RECORD}


# -- interrupted ------------------------------------------------------------------------------


def test_an_interrupted_crawl_resumes_where_it_stopped(server, settings):
    url = server.url("/brackenshire/contents.html")

    def stop_after_six(done, total, _):
        if done >= 6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        crawl(url, "brack", settings, progress=stop_after_six)
    folder = settings.manuals_dir / "brack"
    record = load_record(folder)  # written as pages arrived: readable, and says the run is unfinished
    assert record is not None and not record.run.finished
    settled = [p for p in record.run.done if p != "contents.html"]
    assert len(settled) == 5
    first = len(server.log)
    result = crawl(url, "brack", settings)
    again = {h.path for h in server.log[first:]}
    assert not again & {"/brackenshire/" + p for p in settled}  # not asked for again
    assert result.run.finished and any("resumed" in n for n in result.run.notes)
    saved = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}
    assert saved == {"contents.html", "amendments.html"} | saved_chapters("brackenshire")
    assert set(result.run.added) == saved  # the resumed run's summary covers the whole run
