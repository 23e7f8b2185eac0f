"""The crawl record (`crawl.json`): what the crawler knows of one manual's site.

It sits in the manual's folder beside the saved pages, and its vocabulary is
defined here once, in the ground every stage stands on: the crawler
(`ingest.crawl`) writes it, `ingest.sites` reads it to know that the folder is
one manual's site and which address each page came from, and the app's What's
changed page reads each manual's last refresh (`latest_refreshes`).

    {
      "manual": "brackenshire", "name": "…", "start_url": "https://…/contents.html",
      "refreshed": "2026-12-02T18:00:00+00:00",       # the last run that finished
      "pages": {"chapters/p_values.html": {            # keyed by path inside the folder
          "url": "https://…/chapters/p_values.html", "kind": "chapter",
          "state": "ok", "status": 200, "fetched": "…", "changed": "…",
          "etag": "\\"abc\\"", "last_modified": "Tue, 01 Dec 2026 10:00:00 GMT",
          "sha256": "…", "reason": ""}},
      "external": ["https://www.gov.uk/…"],             # links to other sites: recorded, never followed
      "run": {…}                                        # the latest run's summary (RunSummary)
    }

A page's `state` says what the folder holds for it: "ok" (its saved copy is
current), "failed" (the last request failed; a last good copy, if any, is kept),
"removed" (the contents page no longer lists it; its copy was deleted).
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, Field

CRAWL_RECORD = "crawl.json"

# Page kinds the crawler hints (the values of vectorstore.models.PageKind).
CONTENTS, CHAPTER, AMENDMENTS = "contents", "chapter", "amendments"
# Page states.
OK, FAILED, REMOVED = "ok", "failed", "removed"


def now() -> str:
    """The time now, as the record writes it (UTC, ISO 8601, whole seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class PageRecord(BaseModel):
    url: str
    kind: str = CHAPTER
    state: str = OK
    status: int = 0  # the last HTTP status (0: no answer)
    fetched: str = ""  # the last request's time
    changed: str = ""  # when the saved copy last changed
    etag: str = ""
    last_modified: str = ""
    sha256: str = ""  # of the saved copy ("" when none was ever saved)
    final_url: str = ""  # where a redirect led, when it did
    reason: str = ""  # why the last request failed


class Failure(BaseModel):
    path: str
    url: str
    reason: str


class RunSummary(BaseModel):
    """One run: what changed, what failed, how many requests of each status."""

    started: str = Field(default_factory=now)
    finished: str = ""  # "" while running or when interrupted: the next run resumes
    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    failed: list[Failure] = Field(default_factory=list)
    left: list[str] = Field(default_factory=list)  # not reached this run (page cap)
    done: list[str] = Field(default_factory=list)  # paths settled this run (a resumed run skips them)
    requests: dict[str, int] = Field(default_factory=dict)  # HTTP status (or "error") -> count
    notes: list[str] = Field(default_factory=list)

    def count_request(self, status: object) -> None:
        key = str(status)
        self.requests[key] = self.requests.get(key, 0) + 1

    def text(self) -> str:
        """The human summary of a run."""
        lines = [f"pages added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}, "
                 f"unchanged {len(self.unchanged)}, failed {len(self.failed)}"
                 + (f", left for the next run {len(self.left)}" if self.left else ""),
                 "requests: " + (", ".join(f"{k} × {v}" for k, v in sorted(self.requests.items())) or "none")]
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"failed: {f.url}: {f.reason}" for f in self.failed]
        return "\n".join(lines)


class CrawlRecord(BaseModel):
    manual: str
    name: str = ""
    start_url: str
    refreshed: str = ""
    pages: dict[str, PageRecord] = Field(default_factory=dict)
    external: list[str] = Field(default_factory=list)
    run: Optional[RunSummary] = None

    def save(self, folder: Path) -> None:
        """Write the record atomically (temp file + rename): a kill never leaves half a record."""
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / CRAWL_RECORD, self.model_dump_json(indent=1).encode("utf-8"))


def load_record(folder: Path) -> Optional[CrawlRecord]:
    """The crawl record in `folder` (None when there is none or it is unreadable)."""
    data = read_record_data(folder)
    if not data:
        return None
    try:
        return CrawlRecord.model_validate(data)
    except ValueError:
        return None


def read_record_data(folder: Path) -> dict:
    """The crawl record as plain data ({} when there is none or it is unreadable):
    what `ingest.sites` needs (manual, name, start_url, pages[path].url/kind)."""
    path = Path(folder) / CRAWL_RECORD
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    pages = data.get("pages")
    if isinstance(pages, dict):  # a removed page is no page of the site any more
        data["pages"] = {k: v for k, v in pages.items() if not (isinstance(v, dict) and v.get("state") == REMOVED)}
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step (a hidden temp file beside it, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def find_records(root: Path) -> list[Path]:
    """The folders under `root` that hold a crawl record (crawled manuals)."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p.parent for p in root.rglob(CRAWL_RECORD) if not any(part.startswith(".") for part in
                                                                       p.relative_to(root).parts))


@dataclass
class Refresh:
    """A crawled manual's latest run, for the What's changed page."""

    manual: str
    name: str
    start_url: str
    refreshed: str  # "" when no run has finished yet
    run: Optional[RunSummary]


def latest_refreshes(manuals_dir: Path) -> list[Refresh]:
    """Each crawled manual under `manuals_dir`: when it was last refreshed and what that run changed."""
    found = []
    for folder in find_records(manuals_dir):
        record = load_record(folder)
        if record:
            found.append(Refresh(record.manual, record.name or record.manual, record.start_url, record.refreshed,
                                 record.run))
    return sorted(found, key=lambda r: r.name.lower())
