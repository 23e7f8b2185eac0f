"""Contents pages saved as HTML, and the HTML reading the other HTML parsers share.

A saved page is first flattened into `Line`s: one per heading, paragraph, list
item or table row, in reading order, each keeping its links and table cells.
Scripts, styles and site chrome are dropped before that, so no markup ever
reaches a record. The contents parser then reads the lines much as the text
parser reads text lines: numbered or linked lines are entries, headings and
link-less numbered lines that head later numbers are sections, "See also"
lines belong to the entry above.

(The shared part would sit better in its own module; it lives here because
this change may only touch the three HTML parser modules.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Optional
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER, section_path, split_flags
from vectorstore.models import STATUS_FLAGS, ChapterEntry, Manual, PageKind, ParsedPage
from vectorstore.text import title_key

# ---------------------------------------------------------------------------
# Shared HTML reading
# ---------------------------------------------------------------------------

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


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
MONTH_NAME = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
             r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"


def month_number(name: str) -> Optional[int]:
    """1-12 for a month name or its usual abbreviation ("Sept"), else None."""
    name = name.strip().lower()[:3]
    for i, month in enumerate(_MONTHS, start=1):
        if month.startswith(name) and len(name) == 3:
            return i
    return None


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


# ---------------------------------------------------------------------------
# The contents parser
# ---------------------------------------------------------------------------

_TOP_SECTION = re.compile(r"^(\d+)\.?\s+(\S.*)$")  # "1. All Children"
_SEE_ALSO = re.compile(r"\bsee also\b\s*:?", re.IGNORECASE)
# Link texts of site chrome that can survive in the page body.
_NAV_WORDS = {"back to top", "top", "top of page", "home", "contents", "amendments", "local resources",
              "accessibility", "cookies", "privacy", "privacy policy", "disclaimer", "site map", "print",
              "search", "log in", "login", "register", "quick links", "glossary", "useful links"}


@dataclass
class _Section:
    rank: int
    text: str


class ContentsHtmlParser:
    """Contents pages in HTML: tables or lists of numbered chapter links."""

    kind = PageKind.CONTENTS
    format = "html"

    def score(self, source: SourceText) -> float:
        """Many lines that start with a chapter number and link to a page."""
        page = read_html(source.text)
        numbered = sum(1 for line in page.lines if _numbered_link(line))
        if numbered == 0:
            return 0.0
        return min(1.0, 0.2 + numbered / 10)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """Entries of the page; ParseError when it lists none."""
        page = read_html(source.text)
        entries, notes = _Reader(page.lines, manual, source.name).read()
        if not entries:
            raise ParseError("no chapter entries found in this contents page")
        return ParsedPage(source=source.name, manual=manual, page_kind=self.kind,
                          entries=entries, notes=notes)


def _numbered_link(line: Line) -> bool:
    links = line.links
    return bool(links) and CHAPTER_NUMBER.match(line.text) is not None and line.heading_level == 0


class _Reader:
    """One pass over the lines, keeping the open sections and the last entry."""

    def __init__(self, lines: tuple[Line, ...], manual: Manual, source: str) -> None:
        self.lines = lines
        self.manual = manual
        self.source = source
        self.stack: list[_Section] = []
        self.entries: list[ChapterEntry] = []
        self.notes: list[str] = []
        self.seen_section = False
        self.section_entries = 0  # entries since the last section heading
        self.pending_see_also = False  # a bare "See also:" line awaits its items

    def read(self) -> tuple[list[ChapterEntry], list[str]]:
        for i, line in enumerate(self.lines):
            self._line(i, line)
        return self.entries, self.notes

    def _line(self, i: int, line: Line) -> None:
        text = line.text
        if not text or line.tag == "h1":
            return
        if title_key(text) in _NAV_WORDS and not (line.heading_level or line.tag == "caption"):
            return
        if line.tag == "tr" and line.header_cells > 1 and line.header_cells == len(line.cells):
            return  # a column header row ("No. | Chapter | Status")
        see_also = _SEE_ALSO.search(text)
        if see_also and see_also.start() == 0:
            self.pending_see_also = not self._see_also(line, text[see_also.end():])
            return
        self.pending_see_also = self.pending_see_also and not CHAPTER_NUMBER.match(text)
        if line.anchors_only and line.tag == "li":
            return  # quick links to the page's own sections
        heading = self._heading(i, line)
        if heading:
            self._open(*heading)
        elif self.pending_see_also and line.links and not CHAPTER_NUMBER.match(text):
            self._see_also(line, text)  # the items under a bare "See also:" line
        elif line.links or CHAPTER_NUMBER.match(text):
            self._entry(line)

    # -- sections -----------------------------------------------------------

    def _heading(self, i: int, line: Line) -> Optional[tuple[int, str]]:
        """(rank, text) when the line heads a section."""
        text = line.text
        number = CHAPTER_NUMBER.match(text)
        if number and not line.links and self._heads_later_numbers(i, number.group(1)):
            return number.group(1).count(".") + 1, f"{number.group(1)} {number.group(2)}".strip()
        top = _TOP_SECTION.match(text)
        if top and not line.links and not number:
            return 1, text
        if line.heading_level or line.tag == "caption" or _single_header_cell(line):
            if number and line.links:
                return None
            return self._unnumbered_rank(line), text
        return None

    def _heads_later_numbers(self, i: int, number: str) -> bool:
        """A link-less "1.1 Values and Principles" is a sub-section when the next
        numbered line sits under it (1.1.x); otherwise it is an entry (a chapter
        still "to follow" has no link)."""
        for later in self.lines[i + 1:]:
            match = CHAPTER_NUMBER.match(later.text)
            if match:
                return match.group(1).startswith(number + ".")
        return False

    def _unnumbered_rank(self, line: Line) -> int:
        if line.heading_level:
            return max(1, line.heading_level - 1)  # h2 is a top section, h3 a sub-section
        # A caption or header cell sits under the heading before it, if any.
        headed = [s for s in self.stack if s.rank == 1]
        return 2 if headed else 1

    def _open(self, rank: int, text: str) -> None:
        # Captions often repeat the heading above them ("CAPTION: All Children");
        # a numbered sub-section may share its section's name ("1.1 All Children").
        numbered = CHAPTER_NUMBER.match(text) or _TOP_SECTION.match(text)
        if not numbered and any(title_key(_strip_number(s.text)) == title_key(text) for s in self.stack):
            return
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        self.stack.append(_Section(rank, text))
        self.seen_section = True
        self.pending_see_also = False
        self.section_entries = 0

    # -- entries ------------------------------------------------------------

    def _entry(self, line: Line) -> None:
        text, links = line.text, line.links
        cut = _SEE_ALSO.search(text)
        own = text[: cut.start()].strip() if cut else text
        number = CHAPTER_NUMBER.match(own)
        if not number and not self.seen_section:
            return  # un-numbered links before the first section are page chrome
        chapter, rest = (number.group(1), number.group(2)) if number else (None, own)
        title, flags = split_flags(rest.strip(" -–—|"))
        if not title:
            return
        url = links[0].href if links and (not cut or text.find(links[0].text) < cut.start()) else None
        self.entries.append(ChapterEntry(
            manual_id=self.manual.id, chapter=chapter, title=title, flags=flags,
            section=section_path(*(s.text for s in self.stack)), url=url,
            source=self.source, position=len(self.entries)))
        self.section_entries += 1
        if cut:
            self._see_also(line, text[cut.end():], after=cut.start())

    def _see_also(self, line: Line, rest: str, after: int = 0) -> bool:
        """Cross-references belong to the entry above, never become entries.
        False when the line names nothing (its items follow on later lines)."""
        items = _see_also_items(line, rest, after)
        if not items:
            return False
        if not self.entries or self.section_entries == 0:
            where = section_path(*(s.text for s in self.stack)) or "the page"
            self.notes.append(f"'See also' before any entry in {where} kept out: {'; '.join(items)}")
            return True
        target = self.entries[-1]
        target.see_also.extend(i for i in items if i not in target.see_also)
        return True


def _see_also_items(line: Line, rest: str, after: int) -> list[str]:
    """The linked titles after "See also", or the rest of the line when unlinked."""
    text = line.text
    linked = [p.text for p in line.links if text.find(p.text, after) >= after and p.text.lower() != "see also"]
    if linked:
        return linked
    rest = rest.strip(" :-–—|").rstrip(".").strip()
    return [rest] if rest else []


def _single_header_cell(line: Line) -> bool:
    filled = [t for t in line.cell_texts() if t]
    return line.tag == "tr" and line.header_cells >= 1 and len(filled) == 1 and not line.links


def _strip_number(text: str) -> str:
    match = CHAPTER_NUMBER.match(text) or _TOP_SECTION.match(text)
    return match.group(2) if match else text


PARSER = register(ContentsHtmlParser())
