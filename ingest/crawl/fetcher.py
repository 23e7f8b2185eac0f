"""Fetching one URL: a small interface, and a registry of backends (a new one
is a new module that registers itself; `PA_CRAWL_FETCHER` chooses).

A fetcher makes one GET with the given headers and never follows redirects
(the crawler follows them itself, so that every hop is checked against the
manual's site and its robots.txt). Retries with backoff on timeouts, dropped
connections, 429 and 5xx are the fetcher's job; whatever still fails comes
back as a `FetchError` with a reason a person can read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol

from vectorstore.registry import Registry
from vectorstore.settings import Settings

RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass
class Fetched:
    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive in the requests backend
    body: bytes = b""

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""


class FetchError(Exception):
    """No answer worth the name: DNS failure, connection refused, timeout, too many retries."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Fetcher(Protocol):
    def get(self, url: str, headers: Mapping[str, str]) -> Fetched:
        """One GET of `url` (no redirects followed). Raises FetchError."""

    def close(self) -> None:
        """Release connections."""


FETCHERS: Registry[Fetcher] = Registry("fetcher", "PA_CRAWL_FETCHER")


def make_fetcher(settings: Settings) -> Fetcher:
    """The fetcher the settings name (importing the backends registers them)."""
    import ingest.crawl.fetch_requests  # noqa: F401  (registers "requests")

    return FETCHERS.make(settings.crawl_fetcher, settings)
