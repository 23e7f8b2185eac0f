"""Reading saved HTML pages, shared by the HTML parsers.

A saved page is flattened into `Line`s: one per heading, paragraph, list item
or table row, in reading order, each keeping its links and table cells.
Scripts, styles and site chrome are dropped before that, so no markup ever
reaches a record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Optional
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from vectorstore.models import STATUS_FLAGS

# Never content, and the only places markup could smuggle code from.
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
         "canvas", "form", "button", "select", "input", "textarea", "head")
_CHROME_CLASS = re.compile(r"(?:^|[-_])(?:nav|navbar|navigation|breadcrumbs?|footer|menu|skip|cookies?)(?:$|[-_])",
                           re.IGNORECASE)
_HEADINGS = {f"h{i}" for i in range(1, 7)}
# Elements that make one line of their own (nested lists and tables excepted).
_LEAVES = _HEADINGS | {"p", "li", "tr", "caption", "dt", "dd", "pre", "address", "figcaption"}
# Elements that only hold other blocks; loose text in them is a line too.
_CONTAINERS = {"html", "body", "main", "article", "section", "div", "aside", "header", "footer",
               "blockquote", "center", "figure", "table", "thead", "tbody", "tfoot", "ul", "ol", "dl",
               "details", "summary", "fieldset"}
_NESTED_BLOCKS = {"ul", "ol", "table", "dl"}
# Escaped markup in a page ("&lt;script&gt;") decodes to tag-shaped text; strip
# anything that names a real HTML element, keep other angle-bracketed prose.
_TAG_LIKE = re.compile(
    r"</?(?:script|style|iframe|img|svg|object|embed|link|meta|base|form|input|button|a|div|span|p|br"
    r"|table|tr|td|th|ul|ol|li|h[1-6]|html|head|body|b|i|u|em|strong|font|video|audio|source|math)"
    r"(?=[\s/>])[^<>]*>?", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_UNSAFE_HREF = re.compile(r"^\s*(?:javascript|vbscript|data):", re.IGNORECASE)


@dataclass
class Part:
    """A run of text in a line; `href` set for links (resolved), `anchor` for in-page links."""

    text: str
    href: Optional[str] = None
    anchor: bool = False
    bold: bool = False


@dataclass
class Line:
    """One block of a page in reading order."""

    tag: str  # "h2", "p", "li", "tr", "caption", or a container for loose text
    parts: list[Part] = field(default_factory=list)
    cells: list[list[Part]] = field(default_factory=list)  # table rows only
    header_cells: int = 0  # how many of the row's cells are <th>
    list_kind: str = ""  # "ul"/"ol" for list items
    ordinal: int = 0  # 1-based place in an <ol>

    # Cached: a line is complete before any parser reads it, and parsers read often.
    @cached_property
    def text(self) -> str:
        return tidy("".join(p.text for p in self.parts))

    @cached_property
    def links(self) -> list[Part]:
        """Links to other pages (in-page anchors excluded), with their text tidied."""
        return [Part(tidy(p.text), p.href, p.anchor, p.bold) for p in self.parts
                if p.href and not p.anchor and tidy(p.text)]

    @property
    def anchors_only(self) -> bool:
        """True when the line links only within the page (quick links, contents lists)."""
        return any(p.anchor for p in self.parts) and not self.links

    @property
    def bold(self) -> bool:
        """All visible text is bold: a bold paragraph standing in for a heading."""
        visible = [p for p in self.parts if p.text.strip()]
        return bool(visible) and all(p.bold for p in visible)

    @property
    def heading_level(self) -> int:
        """1-6 for h1-h6, 0 otherwise."""
        return int(self.tag[1]) if self.tag in _HEADINGS else 0

    def cell_texts(self) -> list[str]:
        return list(self._cell_texts)

    @cached_property
    def _cell_texts(self) -> tuple[str, ...]:
        return tuple(tidy("".join(p.text for p in cell)) for cell in self.cells)


@dataclass(frozen=True)
class HtmlPage:
    """A page read once and shared by every parser's score and parse."""

    lines: tuple[Line, ...]
    url: Optional[str]  # the page's own address (canonical link or og:url)
    base: Optional[str]  # what relative links resolve against
    title: str  # the <title>


def tidy(text: str) -> str:
    """One-line text: whitespace folded, HTML tags removed (defence in depth:
    entity-escaped markup in a page must not come back out as markup)."""
    return _SPACE.sub(" ", _TAG_LIKE.sub("", text)).strip()


def _tree_builder() -> str:
    """lxml closes the <p>, <li> and <td> that old saved pages leave open;
    html.parser would nest them. Fall back to it where lxml is missing."""
    try:
        import lxml  # noqa: F401
    except ImportError:  # pragma: no cover - lxml is in requirements.txt
        return "html.parser"
    return "lxml"


_BUILDER = _tree_builder()


@lru_cache(maxsize=8)
def read_html(html: str) -> HtmlPage:
    """Parse HTML into lines; cached because every parser scores every file."""
    soup = BeautifulSoup(html, _BUILDER)
    url = _meta_url(soup)
    base_tag = soup.find("base", href=True)
    base = urljoin(url or "", base_tag["href"].strip()) if base_tag else url
    title = tidy(soup.title.get_text(" ")) if soup.title else ""
    _strip(soup)
    builder = _LineBuilder(base)
    builder.container(soup)
    return HtmlPage(tuple(builder.lines), url, base, title)


def _meta_url(soup: BeautifulSoup) -> Optional[str]:
    canonical = soup.find("link", rel=lambda v: v and "canonical" in v, href=True)
    if canonical:
        return canonical["href"].strip()
    og = soup.find("meta", attrs={"property": "og:url", "content": True})
    return og["content"].strip() if og else None


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
    if name == "header":
        return tag.find("h1") is None  # an <header> may hold the page's h1; keep it then
    if name in ("html", "body"):
        return False
    classes = tag.get("class") or []
    names = (classes.split() if isinstance(classes, str) else list(classes)) + [tag.get("id") or ""]
    return any(_CHROME_CLASS.search(n) for n in names if n)


class _LineBuilder:
    """Walks the tree once, cutting it into lines at block boundaries."""

    def __init__(self, base: Optional[str]) -> None:
        self.base = base
        self.lines: list[Line] = []

    def container(self, el: Tag) -> None:
        loose = Line(el.name or "div")
        for child in el.children:
            if isinstance(child, Tag) and child.name in _LEAVES:
                self._flush(loose)
                loose = Line(el.name or "div")
                self.leaf(child)
            elif isinstance(child, Tag) and child.name in _CONTAINERS:
                self._flush(loose)
                loose = Line(el.name or "div")
                self.container(child)
            else:
                loose = self._inline(child, loose, bold=False)
        self._flush(loose)

    def leaf(self, el: Tag) -> None:
        line = Line(el.name)
        if el.name == "li":
            line.list_kind, line.ordinal = _list_place(el)
        line = self._fill(el, line, bold=False)
        self._flush(line)

    def _fill(self, el: Tag, line: Line, bold: bool) -> Line:
        for child in el.children:
            line = self._inline(child, line, bold)
        return line

    def _inline(self, node, line: Line, bold: bool) -> Line:
        """Add a node's text to the line; returns the line to go on with
        (a nested list or table ends it and continues in a fresh one)."""
        if isinstance(node, NavigableString):
            # Doctypes, comments and CDATA are strings too, but never page text.
            if not isinstance(node, PreformattedString):
                self._add(line, Part(str(node), bold=bold))
            return line
        if not isinstance(node, Tag):
            return line
        name = node.name
        if name in _NESTED_BLOCKS and line.tag != "tr":
            self._flush(line)
            self.container(node)
            return Line(line.tag, list_kind=line.list_kind, ordinal=line.ordinal)
        if name == "li" and line.tag == "tr":
            # A list inside a table cell (amendment details) stays in its cell.
            self._add(line, Part(" • ", bold=bold))
        if name in ("td", "th") and line.tag == "tr":
            self._add(line, Part(" "))  # cells read as words, never glued together
            line.cells.append([])
            line.header_cells += name == "th"
            return self._fill(node, line, bold or name == "th")
        if name == "a" and node.get("href"):
            self._add(line, self._link(node, bold))
            return line
        if name == "br" or name in _LEAVES or name in _CONTAINERS:
            self._add(line, Part(" ", bold=bold))
        if name == "img":
            self._add(line, Part(_img_flag(node), bold=bold))
            return line
        line = self._fill(node, line, bold or name in ("strong", "b"))
        if name in _LEAVES or name in _CONTAINERS:
            self._add(line, Part(" ", bold=bold))
        return line

    def _link(self, node: Tag, bold: bool) -> Part:
        raw = node["href"].strip()
        inner_bold = bold or any(getattr(d, "name", None) in ("strong", "b") for d in node.descendants)
        text = " " + node.get_text(" ") + " "
        if _UNSAFE_HREF.match(raw):
            return Part(text, bold=inner_bold)  # script links are text, never a stored url
        anchor = raw.startswith("#")
        href = raw if anchor or not self.base or raw.lower().startswith("mailto:") else urljoin(self.base, raw)
        return Part(text, href=href, anchor=anchor, bold=inner_bold)

    @staticmethod
    def _add(line: Line, part: Part) -> None:
        line.parts.append(part)
        if line.cells:
            line.cells[-1].append(part)

    def _flush(self, line: Line) -> None:
        if line.text or any(line.cell_texts()):
            self.lines.append(line)


def _list_place(li: Tag) -> tuple[str, int]:
    parent = li.parent
    kind = parent.name if isinstance(parent, Tag) and parent.name in ("ul", "ol") else ""
    if kind != "ol":
        return kind, 0
    try:
        start = int(parent.get("start", 1))
    except ValueError:
        start = 1
    return kind, start + sum(1 for s in li.find_previous_siblings("li"))


def _img_flag(img: Tag) -> str:
    """Sites show "New"/"Updated" as icons; their alt text is the flag."""
    alt = (img.get("alt") or "").strip()
    return f" {alt} " if any(alt.lower() == f.lower() for f in STATUS_FLAGS) else ""
