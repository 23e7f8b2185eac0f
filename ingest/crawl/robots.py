"""robots.txt (read with the standard library's `urllib.robotparser`) and the
pace of requests: one at a time, at least the configured delay apart, longer
when the site's Crawl-delay or Request-rate asks it.

What an unreadable robots.txt means follows RFC 9309: none there (4xx) means
everything is allowed; a server error or no answer means nothing is (we do
not crawl a site that cannot tell us its rules).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ingest.crawl.fetcher import FetchError


@dataclass
class Robots:
    parser: Optional[RobotFileParser]  # None: every path allowed
    agent: str
    closed: str = ""  # why nothing may be fetched ("" when the rules could be read)

    def allowed(self, url: str) -> bool:
        if self.closed:
            return False
        return self.parser is None or self.parser.can_fetch(self.agent, url)

    def delay(self) -> float:
        """The seconds between requests the site asks for (0: it asks nothing)."""
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(self.agent) or 0
        rate = self.parser.request_rate(self.agent)
        if rate and rate.requests:
            delay = max(delay, rate.seconds / rate.requests)
        return float(delay)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def read_robots(fetch: Callable[[str], "object"], url: str, agent: str) -> Robots:
    """The robots.txt rules for `url`'s site. `fetch` is the paced GET (it counts as a request)."""
    product = agent.split("/", 1)[0]  # robots.txt names the product token, not the whole string
    try:
        answer = fetch(robots_url(url))
    except FetchError as exc:
        return Robots(None, product, closed=f"robots.txt could not be read ({exc.reason}): not crawled")
    if 400 <= answer.status < 500:
        return Robots(None, product)
    if answer.status != 200:
        return Robots(None, product, closed=f"robots.txt answered HTTP {answer.status}: not crawled")
    parser = RobotFileParser()
    parser.parse(answer.body.decode("utf-8", "replace").splitlines())
    return Robots(parser, product)


class Pacer:
    """Waits so that requests start at least `delay` seconds apart."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self.last: Optional[float] = None

    def wait(self) -> None:
        if self.last is not None:
            gap = self.delay - (self.clock() - self.last)
            if gap > 0:
                self.sleep(gap)
        self.last = self.clock()

    def done(self) -> None:
        """A request ended: the next one waits a full delay from now (a slow answer is no head start)."""
        self.last = self.clock()

