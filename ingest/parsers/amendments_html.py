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
from ingest.parsers.changes import infer_change
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.html_page import HtmlPage, Line, page_of, tidy
from ingest.parsers.labels import change_label, column_roles, is_amendments_footer, is_header_cells
from ingest.parsers.signals import amendment_signals
from vectorstore.models import Amendment, Change, Manual, PageKind, ParsedPage
from vectorstore.text import YEAR_PATTERN, month_number, parse_date, parse_month_year

_YEAR = re.compile(rf"^({YEAR_PATTERN})$")
_TITLE_MAX = 200  # a bold or linked paragraph longer than this is details, not a title

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
        """Month headings with block labels, a "Chapter Name" column, change
        sentences or an "Amendments" title (`signals`)."""
        return amendment_signals_of(page_of(source)).score

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """Amendments of the page; ParseError when it holds none."""
        reader = _Reader(manual, source.name)
        for line in page_of(source).lines:
            reader.line(line)
        reader.flush()
        if not reader.amendments:
            raise ParseError("no amendments found in this amendments page")
        return ParsedPage(source=source.name, manual=manual, page_kind=self.kind,
                          amendments=reader.amendments, notes=reader.notes)


def amendment_signals_of(page: HtmlPage):
    """The amendments evidence of an HTML page, header rows read from its cells."""
    headers = sum(1 for line in page.lines if _is_header_row(line))
    # a month in a table's date column ("November 2025 | Staying Put | …") is a month heading's evidence too
    cells = (cell for line in page.lines if line.tag == "tr" and line.cells for cell in line.cell_texts()[:1])
    return amendment_signals([*(line.text for line in page.lines), *cells], page.title, headers)


def _is_header_row(line: Line) -> bool:
    return line.tag == "tr" and is_header_cells(line.cell_texts())


class _Reader:
    """One pass over the lines, keeping the month, the block label and a pending title."""

    def __init__(self, manual: Manual, source: str) -> None:
        self.manual = manual
        self.source = source
        self.year: Optional[str] = None
        self.month: Optional[str] = None  # YYYY-MM
        self.change: Optional[Change] = None  # from a block label, when there is one
        self.pending: Optional[_Pending] = None
        self.columns: dict[str, int] = {}  # where the last header row put title, details and number
        self.header_width = 0  # how many cells the last header row had
        self.carried_date: list = []  # the date cell of the row a spanning month cell began in
        self.amendments: list[Amendment] = []
        self.notes: list[str] = []

    def line(self, line: Line) -> None:
        text = line.text
        if not text or line.tag == "h1" or is_amendments_footer(text):
            return
        if _is_header_row(line):
            self.columns = column_roles(line.cell_texts())
            self.header_width = len(line.cells)
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
        month_year, month, year = parse_month_year(text), month_number(text), _YEAR.match(text)
        if not (month_year or month or year):
            return False
        self.flush()
        self.change, self.columns = None, {}
        if year:
            self.year, self.month = year.group(1), None
        elif month_year:
            self.year, self.month = month_year[:4], month_year
        elif self.year:
            self.month = f"{self.year}-{month:02d}"
        else:
            self.month = None
            self.notes.append(f"month heading '{text}' has no year; its rows were skipped")
        return True

    def _label(self, text: str) -> bool:
        change = change_label(text)
        if change is None:
            return False
        self.flush()
        self.change, self.columns = change, {}
        return True

    def _row(self, line: Line) -> None:
        """A "Chapter Name | Details" row, read by the header's columns when it
        named them ("No. | Chapter Title | Details", "Date | Chapter | Change |
        Details"); the name cell may be empty."""
        cells = self._with_carried_date(line.cells)
        texts = [tidy("".join(p.text for p in cell)) for cell in cells]
        at = self.columns.get("title", 0)
        if at >= len(texts):
            return
        self._row_date(texts)
        name_cell = cells[at]
        title = texts[at]
        own = {at, self.columns.get("number"), self.columns.get("date"), self.columns.get("change")}
        where = [self.columns["details"]] if "details" in self.columns else [i for i in range(len(texts)) if i not in own]
        details = " ".join(texts[i] for i in where if i < len(texts) and texts[i])
        if not title and not details:
            return  # the empty row of an empty "Removed Chapters" block
        number = texts[self.columns["number"]] if self.columns.get("number", len(texts)) < len(texts) else ""
        if number and CHAPTER_NUMBER.match(number) and not CHAPTER_NUMBER.match(title):
            title = f"{number} {title}"  # _add reads the number off the title
        url = next((p.href for p in name_cell if p.href and not p.anchor), None)
        change_at = self.columns.get("change", len(texts))
        kind = infer_change(texts[change_at]) if change_at < len(texts) and texts[change_at] else None
        self._add(title, details, url, kind)

    def _with_carried_date(self, cells: list) -> list:
        """A month cell spanning several rows (rowspan) appears only in the
        first of them: the others, one cell short, carry it."""
        at = self.columns.get("date")
        if at is None:
            return cells
        if len(cells) == self.header_width - 1:
            return cells[:at] + [self.carried_date] + cells[at:]
        if len(cells) > at:
            self.carried_date = cells[at]
        return cells

    def _row_date(self, texts: list[str]) -> None:
        """The month a row's date cell names ("November 2025", "12/11/2025"), kept for the rows it spans."""
        at = self.columns.get("date")
        if at is None or at >= len(texts):
            return
        month = parse_month_year(texts[at]) or _month_of_date(texts[at])
        if month:
            self.month, self.year = month, month[:4]

    def flush(self) -> None:
        """Emit the pending layout-b title with whatever details followed it."""
        if self.pending:
            pending, self.pending = self.pending, None
            self._add(pending.title, " ".join(pending.details), pending.url)

    def _add(self, title: str, details: str, url: Optional[str], change: Optional[Change] = None) -> None:
        if not self.month:
            self.notes.append(f"'{title or details[:40]}' appears before any month heading; skipped")
            return
        number = CHAPTER_NUMBER.match(title)
        chapter, title = (number.group(1), number.group(2).strip()) if number else (None, title)
        change = change or self.change or infer_change(details, title)
        self.amendments.append(Amendment(
            manual_id=self.manual.id, amended=self.month, change=change, title=title, details=details,
            chapter=chapter, url=url, source=self.source, position=len(self.amendments)))


def _month_of_date(text: str) -> Optional[str]:
    """'12 November 2025' -> '2025-11' (None unless the whole cell is a date)."""
    date = parse_date(text)
    return date[:7] if date else None


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
