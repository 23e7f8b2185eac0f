"""Which addresses belong to a manual's site, where each is saved, and the
links of a contents or amendments page worth following.

A manual's site is the start URL's scheme and host, and the folder path the
start URL sits in ("/manuals/cs/" for "/manuals/cs/contents.html"). Links
elsewhere are external: recorded, never followed.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterable, Optional
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from vectorstore.crawl_record import CRAWL_RECORD

AMENDMENTS_PAGE = "amendments.html"  # where tri.x sites keep it, when no link names it
_AMENDMENTS_WORD = re.compile(r"amendment", re.IGNORECASE)


@dataclass(frozen=True)
class Scope:
    origin: str  # "https://host:port", lower-case
    prefix: str  # "/manuals/cs/": the folder of the start URL

    @classmethod
    def of(cls, start_url: str) -> "Scope":
        parts = urlsplit(start_url)
        path = parts.path or "/"
        return cls(f"{parts.scheme.lower()}://{parts.netloc.lower()}", path[: path.rfind("/") + 1])

    def contains(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return False
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        return origin == self.origin and (parts.path or "/").startswith(self.prefix)

    def saved_path(self, url: str) -> Optional[str]:
        """Where a page of the site is saved, inside the manual's folder (None: it can't be saved safely)."""
        if not self.contains(url):
            return None
        path = unquote(urlsplit(url).path or "/")[len(self.prefix):]
        if not path or path.endswith("/"):
            path += "index.html"
        path = posixpath.normpath(path)
        parts = path.split("/")
        if path.startswith(("/", "..")) or any(p in ("", ".", "..") or p.startswith(".") for p in parts) \
                or "\\" in path or "\0" in path or path == CRAWL_RECORD:
            return None
        return path


def clean(url: str) -> str:
    """An address without its #fragment (the same page)."""
    return urldefrag(url)[0]


def is_web(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def anchors(html: str, base: str) -> list[tuple[str, str]]:
    """(absolute address, link text) of every link on a page."""
    soup = BeautifulSoup(html, "html.parser")
    tag = soup.find("base", href=True)
    base = urljoin(base, tag["href"].strip()) if tag else base
    found = []
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            found.append((clean(urljoin(base, href)), " ".join(a.get_text(" ").split())))
    return found


def amendments_links(links: Iterable[tuple[str, str]], scope: Scope) -> list[str]:
    """The site's amendments pages among `links`: named so by their text or their file name."""
    found = []
    for url, text in links:
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        if scope.contains(url) and (_AMENDMENTS_WORD.search(text) or _AMENDMENTS_WORD.search(name)):
            if url not in found:
                found.append(url)
    return found


def default_amendments(start_url: str) -> str:
    return urljoin(start_url, AMENDMENTS_PAGE)


def external_links(links: Iterable[tuple[str, str]], scope: Scope) -> list[str]:
    """Links to other sites (http/https only), in page order, once each."""
    found = []
    for url, _ in links:
        if is_web(url) and not scope.contains(url) and url not in found:
            found.append(url)
    return found
