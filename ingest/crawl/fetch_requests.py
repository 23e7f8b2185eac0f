"""The `requests` fetcher: one session, urllib3's Retry for backoff on
timeouts, dropped connections, 429 and 5xx (honouring Retry-After)."""
from __future__ import annotations

from typing import Mapping

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ingest.crawl.fetcher import FETCHERS, RETRY_STATUSES, FetchError, Fetched
from vectorstore.settings import Settings


class _PoliteRetry(Retry):
    """urllib3's Retry, honouring a site's Retry-After up to a limit (a site asking for a day's pause
    gets the page reported as failed for this run instead of a crawl that hangs)."""

    MAX_RETRY_AFTER = 120.0

    def get_retry_after(self, response):
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.MAX_RETRY_AFTER)


class RequestsFetcher:
    def __init__(self, settings: Settings):
        self.timeout = settings.crawl_timeout
        self.retries = settings.crawl_retries
        retry = _PoliteRetry(total=settings.crawl_retries, connect=settings.crawl_retries, read=settings.crawl_retries,
                      status=settings.crawl_retries, backoff_factor=settings.crawl_backoff,
                      status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
                      respect_retry_after_header=True, raise_on_status=False)
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=1)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": settings.crawl_user_agent,
                                     "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"})

    def get(self, url: str, headers: Mapping[str, str]) -> Fetched:
        try:
            response = self.session.get(url, headers=dict(headers), timeout=self.timeout, allow_redirects=False)
            body = response.content
        except requests.exceptions.Timeout:
            raise FetchError(self._tries("no answer in time")) from None
        except requests.exceptions.ConnectionError as exc:
            raise FetchError(self._tries(_connection_reason(exc))) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"the request failed ({type(exc).__name__}: {exc})") from None
        return Fetched(url=url, status=response.status_code, headers=response.headers, body=body)

    def _tries(self, reason: str) -> str:
        if reason == "no answer in time":
            reason = f"no answer within {self.timeout:g} s (a timeout)"
        return f"{reason}, {self.retries + 1} tries" if self.retries else reason

    def close(self) -> None:
        self.session.close()


def _connection_reason(exc: Exception) -> str:
    text = str(exc)
    if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text \
            or "Temporary failure in name resolution" in text or "nodename nor servname" in text:
        return "DNS lookup failed: no such host"
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if "timed out" in text.lower() or "timeout" in text.lower():
        return "no answer in time"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset by peer" in text:
        return "the server dropped the connection"
    return f"could not connect ({text[:200]})"


FETCHERS.register("requests", RequestsFetcher)
