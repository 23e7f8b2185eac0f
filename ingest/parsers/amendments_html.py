"""Amendments pages saved as HTML, in the two layouts sites use.

(a) A month heading ("June 2021"), then "Updated Chapters" / "New Chapters and
    Features" / "Removed Chapters" blocks, each a "Chapter Name | Details" table.
(b) A year heading ("2024"), month headings ("March"), then each chapter's
    title as a heading (often a link) followed by a sentence saying what
    changed. There is no block label, so the change is read from the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.html_page import Line, read_html, tidy
from vectorstore.text import MONTH_PATTERN, month_number
from vectorstore.models import Amendment, Change, Manual, PageKind, ParsedPage

_MONTH_YEAR = re.compile(rf"^({MONTH_PATTERN})\.?,?\s+((?:19|20)\d\d)$", re.IGNORECASE)
_MONTH = re.compile(rf"^({MONTH_PATTERN})\.?$", re.IGNORECASE)
_YEAR = re.compile(r"^((?:19|20)\d\d)$")
_LABEL = re.compile(r"^(updated|amended|new|removed|deleted|withdrawn|archived)\b[\w\s&]{0,30}?"
                    r"\b(chapters?|features|procedures|guidance|documents)\s*:?$", re.IGNORECASE)
_LABEL_CHANGE = {"updated": Change.UPDATED, "amended": Change.UPDATED, "new": Change.NEW}
_FOOTER = re.compile(r"^(?:next update\b|archive\b|back to top\b|top of page\b|top$|print\b)", re.IGNORECASE)
_HEADER_CELLS = {"chapter name", "chapter", "chapter title", "title", "name"}
_TITLE_MAX = 200  # a bold or linked paragraph longer than this is details, not a title

# What a details sentence says happened to the chapter itself. A new *section*
# or *link* inside a chapter is an update, so "new"/"removed" need the chapter
# (or an equivalent noun, "it", or the chapter's own title) as the subject.
_NOUN = (r"(?:chapter|procedure|guidance|policy|protocol|document|leaflet|page|flowchart|toolkit|appendix"
         r"|guide|standards|pathway|framework|strategy|resource|factsheet|template|form|practice note)s?")
_SUBJECT = rf"(?:(?:this|the|a|an)\s+(?:new\s+)?(?:local\s+)?{_NOUN}|it|this)"
_NO_CLAUSE = r"(?:(?!\b(?:which|that|who|and|but|while)\b)[^.;]){0,60}?"
_BE = r"(?:(?:has|have|had)\s+(?:now\s+)?been|was|were|is|are)\s+(?:now\s+)?"
_REMOVED = [
    re.compile(rf"^{_SUBJECT}\b{_NO_CLAUSE}\b{_BE}(?:removed|deleted|withdrawn|archived|retired|superseded)\b"),
    re.compile(rf"^{_SUBJECT}\b{_NO_CLAUSE}\bno longer (?:available|in use|required|applies|relevant)\b"),
    re.compile(r"\b(?:removed|deleted|withdrawn)\s+from\s+(?:the\s+)?(?:manual|procedures|contents|website|site)\b"),
    re.compile(r"^(?:removed|deleted|withdrawn)\b"),
]
_NEW = [
    re.compile(rf"^(?:this|the|a|an)\s+(?:new|newly\s+written|newly\s+added)\s+(?:local\s+)?{_NOUN}\b"),
    re.compile(rf"\b(?:is|was)\s+a\s+new\s+(?:local\s+)?{_NOUN}\b"),
    re.compile(r"\b(?:a|this)\s+new\s+chapter\b"),
    re.compile(rf"^{_SUBJECT}\b{_NO_CLAUSE}\b{_BE}(?:added|introduced|published|created|written|launched)\b"),
    re.compile(r"\b(?:added|introduced)\s+to\s+(?:the\s+)?(?:manual|procedures|contents|website|site)\b"),
    re.compile(r"^new\s+(?:chapter|procedure|guidance|policy)\b"),
]


def infer_change(details: str, title: str = "") -> Change:
    """What happened to a chapter, read from the sentence(s) describing it.

    "This chapter was added …", "This new guidance …", "… has been added to the
    manual" -> NEW; "This procedure has been withdrawn" -> REMOVED; anything
    else, including "A new Section 5 has been added", -> UPDATED."""
    sentences = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", details) if s.strip()]
    own_title = title.strip().lower()
    if own_title:
        # "Staying Put has been added." names the chapter itself as the subject.
        sentences = ["this chapter" + s[len(own_title):] if s.startswith(own_title) else s for s in sentences]
    for patterns, change in ((_REMOVED, Change.REMOVED), (_NEW, Change.NEW)):
        if any(p.search(s) for p in patterns for s in sentences):
            return change
    return Change.UPDATED


@dataclass
class _Pending:
    """A chapter title waiting for its details (layout b)."""

    title: str
    url: Optional[str]
    details: list[str] = field(default_factory=list)


class AmendmentsHtmlParser:
    """Amendments pages in HTML."""

    kind = PageKind.AMENDMENTS
    format = "html"

    def score(self, source: SourceText) -> float:
        """Month headings, block labels and a "Chapter Name" column."""
        lines = read_html(source.text).lines
        texts = [line.text for line in lines]
        month_years = sum(1 for t in texts if _MONTH_YEAR.match(t))
        months = sum(1 for t in texts if _MONTH.match(t))
        years = sum(1 for t in texts if _YEAR.match(t))
        score = 0.0
        if month_years:
            score += 0.3 + min(0.3, 0.1 * month_years)
        elif years and months:
            score += 0.3 + min(0.3, 0.1 * months)
        if any(_LABEL.match(t) for t in texts) or any(_is_header_row(line) for line in lines):
            score += 0.3
        if sum(1 for t in texts if re.search(r"\b(?:has|have) been (?:updated|reviewed|revised|added)", t)) >= 2:
            score += 0.1
        return min(1.0, score)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """Amendments of the page; ParseError when it holds none."""
        reader = _Reader(manual, source.name)
        for line in read_html(source.text).lines:
            reader.line(line)
        reader.flush()
        if not reader.amendments:
            raise ParseError("no amendments found in this amendments page")
        return ParsedPage(source=source.name, manual=manual, page_kind=self.kind,
                          amendments=reader.amendments, notes=reader.notes)


def _is_header_row(line: Line) -> bool:
    cells = line.cell_texts()
    return line.tag == "tr" and bool(cells) and cells[0].lower() in _HEADER_CELLS


class _Reader:
    """One pass over the lines, keeping the month, the block label and a pending title."""

    def __init__(self, manual: Manual, source: str) -> None:
        self.manual = manual
        self.source = source
        self.year: Optional[str] = None
        self.month: Optional[str] = None  # YYYY-MM
        self.change: Optional[Change] = None  # from a block label, when there is one
        self.pending: Optional[_Pending] = None
        self.amendments: list[Amendment] = []
        self.notes: list[str] = []

    def line(self, line: Line) -> None:
        text = line.text
        if not text or line.tag == "h1" or _FOOTER.match(text) or _is_header_row(line):
            return
        if self._date(text) or self._label(text):
            return
        if line.tag == "tr" and len(line.cells) >= 2:
            self.flush()
            self._row(line)
        elif _is_title(line):
            self.flush()
            links = line.links
            self.pending = _Pending(text, links[0].href if links else None)
        elif self.pending:
            self.pending.details.append(_item(line))

    def _date(self, text: str) -> bool:
        """Month and year headings: "June 2021", or "2024" then "March"."""
        month_year, month, year = _MONTH_YEAR.match(text), _MONTH.match(text), _YEAR.match(text)
        if not (month_year or month or year):
            return False
        self.flush()
        self.change = None
        if year:
            self.year, self.month = year.group(1), None
        elif month_year:
            self.year = month_year.group(2)
            self.month = f"{self.year}-{month_number(month_year.group(1)):02d}"
        elif self.year:
            self.month = f"{self.year}-{month_number(month.group(1)):02d}"
        else:
            self.month = None
            self.notes.append(f"month heading '{text}' has no year; its rows were skipped")
        return True

    def _label(self, text: str) -> bool:
        match = _LABEL.match(text)
        if not match:
            return False
        self.flush()
        self.change = _LABEL_CHANGE.get(match.group(1).lower(), Change.REMOVED)
        return True

    def _row(self, line: Line) -> None:
        """A "Chapter Name | Details" row; the name cell may be empty."""
        name_cell = line.cells[0]
        title = tidy("".join(p.text for p in name_cell))
        details = " ".join(t for t in line.cell_texts()[1:] if t)
        if not title and not details:
            return  # the empty row of an empty "Removed Chapters" block
        url = next((p.href for p in name_cell if p.href and not p.anchor), None)
        self._add(title, details, url)

    def flush(self) -> None:
        """Emit the pending layout-b title with whatever details followed it."""
        if self.pending:
            pending, self.pending = self.pending, None
            self._add(pending.title, " ".join(pending.details), pending.url)

    def _add(self, title: str, details: str, url: Optional[str]) -> None:
        if not self.month:
            self.notes.append(f"'{title or details[:40]}' appears before any month heading; skipped")
            return
        number = CHAPTER_NUMBER.match(title)
        chapter, title = (number.group(1), number.group(2).strip()) if number else (None, title)
        change = self.change or infer_change(details, title)
        self.amendments.append(Amendment(
            manual_id=self.manual.id, amended=self.month, change=change, title=title, details=details,
            chapter=chapter, url=url, source=self.source, position=len(self.amendments)))


def _is_title(line: Line) -> bool:
    """A chapter title in layout b: a heading, or a paragraph that is only a
    link or only bold text."""
    if line.heading_level or line.tag == "dt":
        return True
    if line.tag not in ("p", "div", "tr") or len(line.text) > _TITLE_MAX:
        return False
    links = line.links
    only_link = len(links) == 1 and tidy(links[0].text) == line.text
    return only_link or line.bold


def _item(line: Line) -> str:
    return f"• {line.text}" if line.tag == "li" else line.text


PARSER = register(AmendmentsHtmlParser())
