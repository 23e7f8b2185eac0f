"""Amendments pages exported as text (DDSCP layout).

    June 2021                                  <- month heading
    Updated Chapters | |                       <- block heading: the kind of change
    Chapter Name | Details |                   <- table header
    Making a Referral to Social Care |          <- a cell ends at a line ending with "|"
    This chapter has been reviewed … |
    Throughout manual | References to … |     <- or a whole row on one line
    … the following points of clarification added:
    |                                          <- closes a cell whose bullet list was lost

A lone "|" after a closed cell is an empty cell. Cells are read as a stream and
paired into (title, details) rows; a details sentence with no title before it is
a row whose chapter name was lost (January 2022).
"""
from __future__ import annotations

import re
from typing import Optional

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.labels import change_label, is_header_line
from vectorstore.models import Amendment, Change, Manual, PageKind, ParsedPage
from vectorstore.text import parse_month_year

# Page furniture after the newest month: "Next update: August 2022 |", "Archive".
FOOTER = re.compile(r"^(next update\b.*|archive)\s*\|?$", re.IGNORECASE)
# Titles like "Children who Present a Risk of Harm to Others - reviewed": the
# suffix repeats the change, it is not part of the chapter name.
REVIEWED_SUFFIX = re.compile(r"\s+[-–—]\s*reviewed$", re.IGNORECASE)
# A cell that reads as a sentence is details, never a chapter name.
SENTENCE_END = re.compile(r"[.:;!?]$")


class _Reader:
    """Turns lines into cells, and cells into rows, for one page."""

    def __init__(self, source: SourceText, manual: Manual):
        self.source, self.manual = source, manual
        self.records: list[Amendment] = []
        self.notes: list[str] = []
        self.month: Optional[str] = None
        self.change: Optional[Change] = None
        self.fragments: list[str] = []  # lines of a cell not yet closed by "|"
        self.title: Optional[str] = None  # a title cell waiting for its details

    def line(self, raw: str) -> None:
        text = raw.strip()
        if not text:
            return
        month = parse_month_year(text)
        change = change_label(text)
        if month or change or FOOTER.match(text):
            self.end_block()
            if month:
                self.month, self.change = month, None
            elif change:
                self.change = change
            else:
                self.change = None  # the footer closes the last month's table
        elif not is_header_line(text):
            self.cells(text)

    def cells(self, text: str) -> None:
        closed = text.endswith("|")
        parts = (text[:-1] if closed else text).split("|")
        if not closed:  # the last part goes on on the next line
            self.fragments.append(parts.pop().strip())
        for index, part in enumerate(parts):
            if index == 0:
                self.cell("\n".join(f for f in self.fragments + [part.strip()] if f))
                self.fragments = []
            else:
                self.cell(part.strip())

    def cell(self, text: str) -> None:
        if self.title is not None:
            self.add(self.title, text)
            self.title = None
        elif not text:
            return  # an empty cell: a chapter name the export lost
        elif SENTENCE_END.search(text):
            self.add("", text)
        else:
            self.title = text

    def end_block(self) -> None:
        """Close any open cell and a title still waiting for details."""
        if self.fragments:
            self.cell("\n".join(f for f in self.fragments if f))
            self.fragments = []
        if self.title is not None:
            self.add(self.title, "")
            self.title = None

    def add(self, title: str, details: str) -> None:
        if self.month is None or self.change is None:
            self.notes.append(f"text outside a month's table ignored: {(title or details)[:60]!r}")
            return
        if not title:
            self.notes.append(f"{self.month}: row without a chapter name kept with its details")
        self.records.append(Amendment(
            manual_id=self.manual.id, amended=self.month, change=self.change,
            title=REVIEWED_SUFFIX.sub("", title), details=details,
            source=self.source.name, position=len(self.records),
        ))


class TextAmendmentsParser:
    """Amendments pages in text form: month headings over change tables."""

    kind = PageKind.AMENDMENTS
    format = "text"

    def score(self, source: SourceText) -> float:
        """High when the page has month headings and change tables."""
        lines = [line.strip() for line in source.text.split("\n") if line.strip()]
        if not lines:
            return 0.0
        months = sum(parse_month_year(line) is not None for line in lines)
        blocks = sum(change_label(line) is not None for line in lines)
        headers = sum(is_header_line(line) for line in lines)
        score = min(0.4, 0.1 * months) + min(0.3, 0.1 * blocks) + min(0.3, 0.1 * headers)
        numbered = sum(bool(m and m.group(2)) for m in map(CHAPTER_NUMBER.match, lines))
        if numbered > max(5, len(lines) // 4):
            score *= 0.3  # a contents page that mentions dates
        return round(score, 3)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """Amendment records, one per table row, in page order."""
        reader = _Reader(source, manual)
        for line in source.text.split("\n"):
            reader.line(line)
        reader.end_block()
        if not reader.records:
            raise ParseError(f"{source.name}: no amendment rows found")
        return ParsedPage(source=source.name, manual=manual, page_kind=PageKind.AMENDMENTS,
                          amendments=reader.records, notes=_summarise(reader.notes))


def _summarise(notes: list[str]) -> list[str]:
    """One note per distinct message, with a count: five nameless rows are one fact."""
    counts: dict[str, int] = {}
    for note in notes:
        counts[note] = counts.get(note, 0) + 1
    return [note if n == 1 else f"{note} (x{n})" for note, n in counts.items()]


PARSER = register(TextAmendmentsParser())
