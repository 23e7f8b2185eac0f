"""Cutting a parsed HTML tree into `Line`s at block boundaries.

The walk is written as generators run by a small trampoline (`_run`) rather
than as plain recursion: a page nested thousands of elements deep (5,000
`<div>`s) is read like any other instead of raising RecursionError.
"""
from __future__ import annotations

from typing import Generator, Optional
from urllib.parse import urljoin, urlsplit

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from ingest.parsers.furniture import is_furniture
from ingest.parsers.html_lines import HEADINGS, Line, Part
from vectorstore.models import STATUS_FLAGS

# Elements that make one line of their own (nested lists and tables excepted).
LEAVES = HEADINGS | {"p", "li", "tr", "caption", "dt", "dd", "pre", "address", "figcaption", "summary"}
# Elements that only hold other blocks; loose text in them is a line too.
CONTAINERS = {"html", "body", "main", "article", "section", "div", "aside", "header", "footer",
              "blockquote", "center", "figure", "table", "thead", "tbody", "tfoot", "ul", "ol", "dl",
              "details", "fieldset"}
_NESTED_BLOCKS = {"ul", "ol", "table", "dl"}
_UNSAFE_HREF = ("javascript:", "vbscript:", "data:")

Walk = Generator["Walk", object, object]  # yields sub-walks, receives their results


def _run(walk: Walk) -> object:
    """Run a walk and the sub-walks it yields on an explicit stack."""
    stack, result = [walk], None
    while stack:
        try:
            child = stack[-1].send(result)
        except StopIteration as done:
            stack.pop()
            result = done.value
        else:
            stack.append(child)
            result = None
    return result


class LineBuilder:
    """Walks the tree once, cutting it into lines at block boundaries."""

    def __init__(self, base: Optional[str], own_paths: set[str]) -> None:
        self.base = base
        self.own_paths = own_paths  # this page's own paths: links to them with a #fragment are in-page
        self.lines: list[Line] = []

    def read(self, root: Tag) -> list[Line]:
        _run(self._container(root))
        return self.lines

    def _container(self, el: Tag) -> Walk:
        loose = Line(el.name or "div")
        for child in el.children:
            if isinstance(child, Tag) and child.name in LEAVES:
                self._flush(loose)
                loose = Line(el.name or "div")
                yield self._leaf(child)
            elif isinstance(child, Tag) and child.name in CONTAINERS:
                self._flush(loose)
                loose = Line(el.name or "div")
                yield self._container(child)
            else:
                loose = yield self._inline(child, loose, False)
        self._flush(loose)

    def _leaf(self, el: Tag) -> Walk:
        line = Line(el.name)
        if el.name == "li":
            line.list_kind, line.ordinal = _list_place(el)
        if el.name == "summary":
            line.level = _summary_level(el)
        line = yield self._fill(el, line, False)
        self._flush(line)

    def _fill(self, el: Tag, line: Line, bold: bool) -> Walk:
        for child in el.children:
            line = yield self._inline(child, line, bold)
        return line

    def _inline(self, node, line: Line, bold: bool) -> Walk:
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
            yield self._container(node)
            return Line(line.tag, list_kind=line.list_kind, ordinal=line.ordinal, level=line.level)
        if name == "li" and line.tag == "tr":
            # A list inside a table cell (amendment details) stays in its cell.
            self._add(line, Part(" • ", bold=bold))
        if name in ("td", "th") and line.tag == "tr":
            self._add(line, Part(" "))  # cells read as words, never glued together
            line.cells.append([])
            line.header_cells += name == "th"
            return (yield self._fill(node, line, bold or name == "th"))
        if name == "a" and node.get("href"):
            self._add(line, self._link(node, bold))
            return line
        if name == "br" or name in LEAVES or name in CONTAINERS:
            self._add(line, Part(" ", bold=bold))
        if name == "img":
            self._add(line, Part(_img_flag(node), bold=bold))
            return line
        line = yield self._fill(node, line, bold or name in ("strong", "b"))
        if name in LEAVES or name in CONTAINERS:
            self._add(line, Part(" ", bold=bold))
        return line

    def _link(self, node: Tag, bold: bool) -> Part:
        raw = node["href"].strip()
        inner_bold = bold or any(getattr(d, "name", None) in ("strong", "b") for d in node.descendants)
        text = " " + node.get_text(" ") + " "
        if raw.lower().startswith(_UNSAFE_HREF):
            return Part(text, bold=inner_bold)  # script links are text, never a stored url
        anchor = raw.startswith("#") or self._is_own_fragment(raw)
        keep = anchor or not self.base or raw.lower().startswith("mailto:")
        return Part(text, href=raw if keep else urljoin(self.base, raw), anchor=anchor, bold=inner_bold)

    def _is_own_fragment(self, href: str) -> bool:
        """"p_capacity.html#s2" on the page p_capacity.html is an in-page link."""
        parts = urlsplit(href)
        if not parts.fragment:
            return False
        path = urlsplit(urljoin(self.base or "", href)).path if self.base else parts.path
        return bool(path) and path.rsplit("/", 1)[-1] in self.own_paths

    @staticmethod
    def _add(line: Line, part: Part) -> None:
        line.parts.append(part)
        if line.cells:
            line.cells[-1].append(part)

    def _flush(self, line: Line) -> None:
        if (line.text or any(line.cell_texts())) and not is_furniture(line.text):
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


def _summary_level(summary: Tag) -> int:
    """An accordion title's heading level: that of a heading inside it, else 2
    for a top-level accordion and one more for each accordion around it."""
    inner = summary.find(list(HEADINGS))
    if inner is not None:
        return int(inner.name[1])
    around = sum(1 for parent in summary.parents if parent.name == "details")
    return min(6, 1 + max(1, around))


def _img_flag(img: Tag) -> str:
    """Sites show "New"/"Updated" as icons; their alt text is the flag."""
    alt = (img.get("alt") or "").strip()
    return f" {alt} " if any(alt.lower() == f.lower() for f in STATUS_FLAGS) else ""

