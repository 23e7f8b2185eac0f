"""Reading saved HTML pages, shared by the HTML parsers.

A saved page is flattened into `Line`s (`html_lines`): one per heading,
paragraph, list item, table row or accordion title, in reading order, each
keeping its links and table cells. Scripts, styles, site chrome and page
furniture are dropped before that, so no markup ever reaches a record.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from ingest.parsers.base import SourceText
from ingest.parsers.html_lines import Line, Part, tidy
from ingest.parsers.html_walk import LineBuilder

# Never content, and the only places markup could smuggle code from. Buttons
# stay: accordion titles are written as buttons.
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
         "canvas", "form", "select", "input", "textarea", "head")
_CHROME_CLASS = re.compile(r"(?:^|[-_])(?:nav|navbar|navigation|breadcrumbs?|footer|menu|skip|cookies?)(?:$|[-_])",
                           re.IGNORECASE)


@dataclass(frozen=True)
class HtmlPage:
    """A page read once and shared by every parser's score and parse."""

    lines: tuple[Line, ...]
    url: Optional[str]  # the page's own address: canonical link, og:url, else where it was fetched from
    base: Optional[str]  # what relative links resolve against (None: they stay as written)
    title: str  # the <title>


def page_of(source: SourceText) -> HtmlPage:
    """The lines of an HTML source, read once per (text, url, name)."""
    return read_html(source.text, source.url, source.name)


@lru_cache(maxsize=8)
def read_html(html: str, url: Optional[str] = None, name: str = "") -> HtmlPage:
    """Parse HTML into lines; cached because every parser scores every file.
    `url` is the page's address when the ingester knows it; `name` its file path."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)  # a short page may look like a path
        soup = BeautifulSoup(html, _BUILDER)
    url = _meta_url(soup) or url
    base_tag = soup.find("base", href=True)
    base = urljoin(url or "", base_tag["href"].strip()) if base_tag else url
    title = tidy(soup.title.get_text(" ")) if soup.title else ""
    _strip(soup)
    lines = LineBuilder(base, _own_paths(url, name)).read(soup)
    return HtmlPage(tuple(lines), url, base, title)


def forget_pages() -> None:
    """Let go of the pages `read_html` keeps: the ingest calls it once a file is
    parsed, so a large page's text and lines are not held while it is embedded."""
    read_html.cache_clear()


def _tree_builder() -> str:
    """lxml closes the <p>, <li> and <td> that old saved pages leave open;
    html.parser would nest them. Fall back to it where lxml is missing."""
    try:
        import lxml  # noqa: F401
    except ImportError:  # pragma: no cover - lxml is in requirements.txt
        return "html.parser"
    return "lxml"


_BUILDER = _tree_builder()


def _own_paths(url: Optional[str], name: str) -> set[str]:
    """The file names this page goes by, for telling in-page links."""
    names = {name.replace("\\", "/").rsplit("/", 1)[-1]} if name else set()
    if url:
        names.add(urlsplit(url).path.rsplit("/", 1)[-1])
    return {n for n in names if n}


def _meta_url(soup: BeautifulSoup) -> Optional[str]:
    canonical = soup.find("link", rel=lambda v: v and "canonical" in v, href=True)
    if canonical and canonical["href"].strip():
        return canonical["href"].strip()
    og = soup.find("meta", attrs={"property": "og:url", "content": True})
    return og["content"].strip() or None if og else None


def _strip(soup: BeautifulSoup) -> None:
    """Remove code and site chrome (menus, breadcrumbs, footers). Comments and
    doctypes need no removing: the line builder never reads them."""
    # Collect first, then detach: a detached tag's descendants go with it, and
    # bs4's `decomposed` check is a slow tree search on every tag.
    doomed = [tag for tag in soup.find_all(True) if _is_chrome(tag)]
    for tag in doomed:
        tag.extract()


def _is_chrome(tag: Tag) -> bool:
    name = tag.name
    if name in _DROP or name in ("nav", "footer") or tag.get("role") == "navigation":
        return True
    if name in ("header", "aside") or tag.get("role") == "complementary":
        # a page header or sidebar ("What's new", "Register for updates") is chrome,
        # unless it holds the page's h1
        return tag.find("h1") is None
    if name in ("html", "body"):
        return False
    classes = tag.get("class") or []
    names = (classes.split() if isinstance(classes, str) else list(classes)) + [tag.get("id") or ""]
    return any(_CHROME_CLASS.search(n) for n in names if n)


__all__ = ["HtmlPage", "Line", "Part", "forget_pages", "page_of", "read_html", "tidy"]
