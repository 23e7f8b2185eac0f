"""Crawl, then ingest: one manual (`crawl_and_ingest`), or every manual that
has been crawled before (`refresh_all`, found by their crawl records under the
manuals folder). The app never calls these: refreshing is an admin's act."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ingest.crawl.crawler import CrawlError, CrawlProgress, CrawlResult, crawl
from ingest.crawl.fetcher import Fetcher
from vectorstore.crawl_record import find_records, load_record
from vectorstore.embeddings import Embedder
from vectorstore.settings import Settings
from vectorstore.store import VectorStore


@dataclass
class Refreshed:
    manual: str
    crawl: Optional[CrawlResult]
    ingest: Optional[object] = None  # ingest.pipeline.IngestReport; None when the crawl read no contents page
    error: str = ""  # why the manual could not be crawled at all

    def summary(self) -> str:
        lines = [f"manual {self.manual}:"]
        if self.error:
            lines.append(f"error: {self.error}")
        if self.crawl:
            lines.append(self.crawl.run.text())
        if self.ingest is not None:
            lines.append(self.ingest.summary())
        elif self.crawl:
            lines.append("not ingested: the store is unchanged")
        return "\n".join(lines)

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.crawl and self.crawl.ok)


def crawl_and_ingest(url: str, manual_id: str, settings: Settings, store: VectorStore, embedder: Embedder,
                     name: Optional[str] = None, fetcher: Optional[Fetcher] = None,
                     progress: Optional[CrawlProgress] = None, ingest_progress: Optional[Callable] = None,
                     folder: Optional[Path] = None) -> Refreshed:
    """Crawl one manual's site into its folder, then ingest the folder (only when its contents page was read,
    so a site that is down changes nothing)."""
    from ingest.pipeline import ingest

    try:
        result = crawl(url, manual_id, settings, name=name, fetcher=fetcher, progress=progress, folder=folder)
    except CrawlError as exc:
        return Refreshed(manual_id, None, error=str(exc))
    done = Refreshed(manual_id, result)
    if result.ok:
        done.ingest = ingest([result.folder], settings, store, embedder, ingest_progress)
    return done


def crawled_manuals(settings: Settings) -> list[Path]:
    """The folders of every crawled manual under the manuals folder."""
    return [folder for folder in find_records(settings.manuals_dir) if load_record(folder)]


def refresh_all(settings: Settings, store: VectorStore, embedder: Embedder, fetcher: Optional[Fetcher] = None,
                progress: Optional[CrawlProgress] = None, ingest_progress: Optional[Callable] = None
                ) -> list[Refreshed]:
    """Re-crawl and re-ingest every crawled manual, each from the start address its record keeps."""
    done = []
    for folder in crawled_manuals(settings):
        record = load_record(folder)
        done.append(crawl_and_ingest(record.start_url, record.manual, settings, store, embedder,
                                     fetcher=fetcher, progress=progress, ingest_progress=ingest_progress,
                                     folder=folder))
    return done
