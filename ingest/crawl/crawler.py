"""The walk over one manual's site: contents page, its amendments pages, then
every chapter its contents entries link to (chapter addresses come only from
the contents page, never guessed).

Polite: robots.txt is read first and obeyed (a disallowed page is never
requested, its Crawl-delay is honoured), one request at a time, a delay
between requests, a cap on pages per run, nothing outside the manual's host
and folder path. Incremental: each saved page is asked for again with
If-None-Match / If-Modified-Since, so an unchanged page is a 304. Safe: a
page is saved only when it reads as the page it should be (so a sign-in form,
a PDF or a broken page never replaces a good copy), and the crawl record is
rewritten atomically after every page, so a killed crawl resumes where it
stopped.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Optional
from urllib.parse import urljoin

from ingest.crawl import checks, links
from ingest.crawl.fetcher import RETRY_STATUSES, FetchError, Fetched, Fetcher, make_fetcher
from vectorstore.crawl_record import (AMENDMENTS, CHAPTER, CONTENTS, FAILED, OK, REMOVED, CrawlRecord,
                                      Failure, PageRecord, RunSummary, load_record, now)
from ingest.crawl.robots import Pacer, Robots, read_robots
from ingest.parsers import ParseError
from ingest.reading import BadInput
from ingest.sites import SiteFile, contents_name
from vectorstore.models import Manual, PageKind
from vectorstore.settings import Settings

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
MANUAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_HTTP_REASONS = {404: "page not found", 410: "page gone", 403: "access refused", 401: "sign-in required",
                 429: "too many requests", 500: "server error", 502: "bad gateway", 503: "service unavailable",
                 504: "gateway timeout"}

CrawlProgress = Callable[[int, int, str], None]  # (pages done, pages to do, the address being fetched)


class CrawlError(ValueError):
    """The crawl cannot start (a bad address or manual id)."""


@dataclass
class Target:
    url: str
    path: str  # where it is saved, inside the manual's folder
    kind: str


@dataclass
class CrawlResult:
    folder: Path
    record: CrawlRecord
    run: RunSummary
    ok: bool  # the contents page was read: the folder is the site as it now stands (bar reported failures)
    notes: list[str] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, reason: str, status: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def manual_folder(settings: Settings, manual_id: str) -> Path:
    if not MANUAL_ID.match(manual_id or ""):
        raise CrawlError(f"manual id {manual_id!r} cannot name a folder: use letters, digits, '-', '_' or '.'")
    return Path(settings.manuals_dir) / manual_id


def crawl(start_url: str, manual_id: str, settings: Settings, name: Optional[str] = None,
          fetcher: Optional[Fetcher] = None, progress: Optional[CrawlProgress] = None,
          folder: Optional[Path] = None) -> CrawlResult:
    """Fetch one manual's site into its folder (default: <manuals_dir>/<manual_id>) and
    update its crawl record. Raises CrawlError for an address or id that cannot be crawled."""
    if not links.is_web(start_url):
        raise CrawlError(f"{start_url!r} is no http(s) address")
    folder = Path(folder) if folder else manual_folder(settings, manual_id)
    own = fetcher is None
    fetcher = fetcher or make_fetcher(settings)
    try:
        return _Walk(start_url, manual_id, name, settings, fetcher, folder, progress).run()
    finally:
        if own:
            fetcher.close()


class _Walk:
    def __init__(self, start_url: str, manual_id: str, name: Optional[str], settings: Settings,
                 fetcher: Fetcher, folder: Path, progress: Optional[CrawlProgress]):
        self.settings = settings
        self.fetcher = fetcher
        self.folder = folder
        self.progress = progress
        self.scope = links.Scope.of(start_url)
        self.record = load_record(folder) or CrawlRecord(manual=manual_id, start_url=start_url)
        self.record.manual, self.record.start_url = manual_id, start_url
        if name:
            self.record.name = name
        resuming = self.record.run is not None and not self.record.run.finished
        self.run_summary = self.record.run if resuming else RunSummary()
        if resuming:
            self.run_summary.notes.append(f"resumed the run started {self.run_summary.started}")
        self.record.run = self.run_summary
        self.pacer = Pacer(settings.crawl_delay)
        self.robots: Optional[Robots] = None
        self.fetched = 0  # pages requested this run (the page cap counts these)
        self.queue: list[Target] = []

    # -- the run ---------------------------------------------------------------
    def run(self) -> CrawlResult:
        run = self.run_summary
        contents_path = self.scope.saved_path(self.record.start_url)
        if contents_path is None:
            raise CrawlError(f"{self.record.start_url!r} cannot be saved as a page")
        for stale in self.folder.rglob(".*.part"):  # a page cut off mid-write by a kill
            stale.unlink(missing_ok=True)
        self.robots = read_robots(self._get, self.record.start_url, self.settings.crawl_user_agent)
        self.pacer.delay = max(self.settings.crawl_delay, self.robots.delay())
        if self.robots.delay() > self.settings.crawl_delay:
            run.notes.append(f"robots.txt asks {self.robots.delay():g} s between requests: honoured")
        contents = Target(self.record.start_url, contents_path, CONTENTS)
        if not self._visit(contents, total=1) or not self._have(contents_path):
            return self._end(ok=False, note="the contents page could not be read: nothing else was fetched "
                                            "and nothing already saved or ingested was changed")
        if not self.record.name:
            self.record.name = contents_name(self.folder / contents_path) or self.record.manual
        try:
            chapters, amendments, external = self._contents_links(contents)
        except _Refused as refused:  # the saved copy no longer reads as a contents page
            self._fail(contents, refused.reason)
            return self._end(ok=False, note="the contents page could not be read: nothing else was fetched")
        self.record.external = external
        wanted = {contents_path}  # the paths the site now consists of
        for target in amendments + chapters:
            if not target.path:  # an address that can't be saved: each is reported
                self.queue.append(target)
            elif target.path not in wanted:
                wanted.add(target.path)
                self.queue.append(target)
        settled_amendments = self._walk_queue(wanted)
        self._remove_dropped(wanted, settled_amendments)
        return self._end(ok=True)

    def _walk_queue(self, wanted: set[str]) -> bool:
        """Fetch the queued pages; amendments pages may add archive pages. Whether every amendments page was read."""
        run, all_read, done = self.run_summary, True, 1
        while self.queue:
            target = self.queue.pop(0)
            total = done + len(self.queue) + 1
            if target.path in run.done and self.record.pages.get(target.path):
                done += 1  # settled before an interruption: this resumed run skips it
                read = self.record.pages[target.path].state == OK
            elif self.fetched >= self.settings.crawl_max_pages:
                run.left = [target.path] + [t.path for t in self.queue]
                run.notes.append(f"page cap ({self.settings.crawl_max_pages} a run) reached: "
                                 f"{len(run.left)} pages left for the next run")
                self._save()
                return False
            else:
                read = self._visit(target, total)
                done += 1
            if self.progress:
                self.progress(done, total, target.url)
            if target.kind == AMENDMENTS:
                all_read &= read and self._have(target.path)
                for more in self._amendments_more(target):
                    if more.path not in wanted:
                        wanted.add(more.path)
                        self.queue.insert(0, more)
        run.left = []
        return all_read

    def _end(self, ok: bool, note: str = "") -> CrawlResult:
        run = self.run_summary
        if note:
            run.notes.append(note)
        if not run.left:
            run.finished = now()
            if ok:
                self.record.refreshed = run.finished
        self._save()
        return CrawlResult(self.folder, self.record, run, ok)

    # -- links ---------------------------------------------------------------
    def _contents_links(self, contents: Target) -> tuple[list[Target], list[Target], list[str]]:
        """Chapter pages (from the contents entries' links), amendments pages, external links."""
        page = self._parse(self.folder / contents.path, contents, self._manual())
        base = self.record.pages[contents.path].final_url or contents.url
        anchors = links.anchors(self._text(contents.path), base)
        chapters, external = [], []
        for entry in page.entries:
            if not entry.url or not links.is_web(entry.url):
                continue
            url = links.clean(entry.url)
            if self.scope.contains(url):
                chapters.append(self._target(url, CHAPTER))
            elif url not in external:
                external.append(url)
        for url in links.external_links(anchors, self.scope):
            if url not in external:
                external.append(url)
        found = links.amendments_links(anchors, self.scope) or [links.default_amendments(contents.url)]
        amendments = [self._target(url, AMENDMENTS) for url in found if links.clean(url) != contents.url]
        chapter_paths = {t.path for t in amendments}
        chapters = [t for t in chapters if t.path not in chapter_paths]
        return chapters, amendments, external

    def _amendments_more(self, target: Target) -> list[Target]:
        """An amendments page's links to further amendments pages (an archive of older years)."""
        if not self._have(target.path):
            return []
        base = self.record.pages[target.path].final_url or target.url
        found = links.amendments_links(links.anchors(self._text(target.path), base), self.scope)
        return [self._target(url, AMENDMENTS) for url in found if url != self.record.start_url]

    def _target(self, url: str, kind: str) -> Target:
        return Target(url, self.scope.saved_path(url) or "", kind)

    # -- one page --------------------------------------------------------------
    def _visit(self, target: Target, total: int) -> bool:
        """Fetch one page and settle it in the record. Whether a good copy is now saved and current."""
        if not target.path:
            return self._fail(target, "its address cannot be saved as a file inside the manual's folder")
        if not self.robots.allowed(target.url):
            return self._fail(target, self.robots.closed or "robots.txt disallows it: not fetched")
        if target.kind != CONTENTS:  # the page cap counts the pages beyond the contents page, read every run
            self.fetched += 1
        previous = self.record.pages.get(target.path)
        have = self._have(target.path)
        conditions = {}
        if have and previous:
            if previous.etag:
                conditions["If-None-Match"] = previous.etag
            if previous.last_modified:
                conditions["If-Modified-Since"] = previous.last_modified
        try:
            answer, final = self._follow(target.url, conditions)
            if answer.status == 304 and have:
                return self._settle(target, answer, final, "unchanged")
            if answer.status != 200:
                retried = answer.status in RETRY_STATUSES and self.settings.crawl_retries
                raise _Refused(_http_reason(answer.status) + (f", {self.settings.crawl_retries + 1} tries"
                                                              if retried else ""), answer.status)
            return self._save_page(target, answer, final, previous, have)
        except _Refused as refused:
            return self._fail(target, refused.reason, refused.status)
        except FetchError as exc:
            return self._fail(target, exc.reason)

    def _follow(self, url: str, conditions: Mapping[str, str]) -> tuple[Fetched, str]:
        """GET `url`, following redirects inside the site and robots.txt only."""
        seen = [url]
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._get(url, conditions)
            if answer.status not in REDIRECTS:
                return answer, url
            location = answer.header("Location")
            if not location:
                raise _Refused(f"HTTP {answer.status} redirect without a Location", answer.status)
            nxt = links.clean(urljoin(url, location))
            if nxt in seen:
                raise _Refused("redirect loop: " + " → ".join(seen + [nxt]), answer.status)
            if not self.scope.contains(nxt):
                raise _Refused(f"redirected outside the manual's site, to {nxt}: not followed", answer.status)
            if not self.robots.allowed(nxt):
                raise _Refused(f"redirected to {nxt}, which robots.txt disallows: not fetched", answer.status)
            seen.append(nxt)
            url = nxt
        raise _Refused(f"more than {MAX_REDIRECTS} redirects: " + " → ".join(seen), REDIRECTS[0])

    def _get(self, url: str, headers: Optional[Mapping[str, str]] = None) -> Fetched:
        """One paced request (robots.txt included), counted in the run's summary."""
        self.pacer.wait()
        try:
            answer = self.fetcher.get(url, headers or {})
        except FetchError:
            self.run_summary.count_request("error")
            raise
        finally:
            self.pacer.done()
        self.run_summary.count_request(answer.status)
        return answer

    def _save_page(self, target: Target, answer: Fetched, final: str, previous: Optional[PageRecord],
                   have: bool) -> bool:
        reason = checks.not_html(answer.header("Content-Type"))
        if reason:
            raise _Refused(reason, answer.status)
        digest = hashlib.sha256(answer.body).hexdigest()
        if have and previous and previous.sha256 == digest:
            return self._settle(target, answer, final, "unchanged")
        reason = checks.wall(answer.body.decode("utf-8", "replace"))
        if reason:
            raise _Refused(reason, answer.status)
        path = self.folder / target.path
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(answer.body)
            self._parse(Path(temp), Target(final, target.path, target.kind), self._manual())
            os.replace(temp, path)
        finally:
            Path(temp).unlink(missing_ok=True)
        return self._settle(target, answer, final, "changed" if have else "added", digest)

    def _parse(self, path: Path, target: Target, manual: Manual):
        """The page read as the ingest will read it; _Refused when it cannot be."""
        from ingest.pipeline import parse_file  # the pipeline imports ingest.sites, which imports the record

        try:
            return parse_file(SiteFile(path, target.path, manual, PageKind.parse(target.kind), target.url,
                                       ""), self.settings, {manual.id: manual})
        except (BadInput, ParseError, ValueError, UnicodeError, RecursionError, OSError) as exc:
            reason = getattr(exc, "reason", None) or str(exc)
            raise _Refused(f"cannot be read as a {target.kind} page ({reason}): not saved") from None

    def _settle(self, target: Target, answer: Fetched, final: str, outcome: str, digest: str = "") -> bool:
        page = self.record.pages.get(target.path) or PageRecord(url=target.url, kind=target.kind)
        stamp = now()
        page.url, page.kind, page.state, page.status, page.fetched, page.reason = (
            target.url, target.kind, OK, answer.status, stamp, "")
        page.final_url = final if final != target.url else ""
        if answer.status == 200:
            page.etag = answer.header("ETag")
            page.last_modified = answer.header("Last-Modified")
        if digest:
            page.sha256, page.changed = digest, stamp
        self.record.pages[target.path] = page
        self._outcome(target.path, outcome)
        return True

    def _fail(self, target: Target, reason: str, status: int = 0) -> bool:
        page = self.record.pages.get(target.path) or PageRecord(url=target.url, kind=target.kind)
        if target.path and self._have(target.path) and page.sha256:
            reason += f"; the last good copy (saved {page.changed}) is kept"
        page.state, page.status, page.reason, page.fetched = FAILED, status, reason, now()
        if target.path:
            self.record.pages[target.path] = page
        self._outcome(target.path or target.url, "failed", Failure(path=target.path, url=target.url,
                                                                   reason=reason))
        return False

    def _outcome(self, path: str, outcome: str, failure: Optional[Failure] = None) -> None:
        """Note what became of a page this run (once, the latest word) and save the record."""
        run = self.run_summary
        if outcome == "unchanged" and (path in run.added or path in run.changed):
            outcome = "added" if path in run.added else "changed"  # a resumed run re-read it: same news
        for name in ("added", "changed", "removed", "unchanged"):
            setattr(run, name, [p for p in getattr(run, name) if p != path])
        run.failed = [f for f in run.failed if (f.path or f.url) != path]
        if failure:
            run.failed.append(failure)
        else:
            getattr(run, outcome).append(path)
        if path not in run.done:
            run.done.append(path)
        self._save()

    # -- removals ----------------------------------------------------------------
    def _remove_dropped(self, wanted: set[str], amendments_read: bool) -> None:
        """Pages the contents page no longer links to: their copies go, so the ingest deletes their records."""
        for path, page in sorted(self.record.pages.items()):
            if path in wanted or page.state == REMOVED or page.kind == CONTENTS:
                continue
            if page.kind == AMENDMENTS and not amendments_read:
                continue  # an amendments page failed: the archive links it held were not seen
            if not page.sha256:  # never saved (it only ever failed): nothing to remove, only forget
                del self.record.pages[path]
                self._save()
                continue
            (self.folder / path).unlink(missing_ok=True)
            page.state, page.reason, page.fetched = REMOVED, "no longer linked from the contents page", now()
            self._outcome(path, "removed")

    # -- helpers ---------------------------------------------------------------
    def _manual(self) -> Manual:
        name = self.record.name or self.record.manual
        return Manual(id=self.record.manual, name=name, places=[], url=self.record.start_url)

    def _have(self, path: str) -> bool:
        return bool(path) and (self.folder / path).is_file()

    def _text(self, path: str) -> str:
        return (self.folder / path).read_bytes().decode("utf-8", "replace")

    def _save(self) -> None:
        self.record.save(self.folder)


def _http_reason(status: int) -> str:
    words = _HTTP_REASONS.get(status) or ("client error" if 400 <= status < 500 else
                                          "server error" if status >= 500 else "unexpected answer")
    return f"HTTP {status} ({words})"
