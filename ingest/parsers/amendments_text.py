"""Amendments pages exported as text, with or without table borders.

Piped (DDSCP layout):

    June 2021                                  <- month heading
    Updated Chapters | |                       <- block label: the kind of change
    Chapter Name | Details |                   <- table header ("Chapter Title" too)
    Making a Referral to Social Care |          <- a cell ends at a line ending with "|"
    This chapter has been reviewed … |
    Throughout manual | References to … |     <- or a whole row on one line
    … the following points of clarification added:
    |                                          <- closes a cell whose bullet list was lost

A lone "|" after a closed cell is an empty cell. Cells are read as a stream and
paired into (title, details) rows; a details sentence with no title before it is
a row whose chapter name was lost (January 2022).

Borderless (the same tables, exported without "|"): each row is one line,
"Contacts and Referrals This chapter has been refreshed.", split by
`amendments_rows.split_row`; a title alone on its line takes the next line as
its details, and a paragraph under a row carries on that row's details.
"""
from __future__ import annotations

import re
from typing import Optional

from ingest.parsers.amendments_rows import TITLE_MAX, opens_details, reads_as_title, split_row
from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.changes import infer_change
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.contents_pipes import looks_piped
from ingest.parsers.furniture import is_furniture
from ingest.parsers.labels import change_label, is_header_line
from ingest.parsers.signals import amendment_signals
from vectorstore.models import Amendment, Change, Manual, PageKind, ParsedPage
from vectorstore.text import parse_month_year

# Page furniture after the newest month: "Next update: August 2022 |", "Archive".
FOOTER = re.compile(r"^(next update\b.*|archive)\s*\|?$", re.IGNORECASE)
# Titles like "Children who Present a Risk of Harm to Others - reviewed": the
# suffix repeats the change, it is not part of the chapter name.
REVIEWED_SUFFIX = re.compile(r"\s+[-–—]\s*reviewed$", re.IGNORECASE)
# A cell that reads as a sentence is details, never a chapter name.
SENTENCE_END = re.compile(r"[.:;!?]$")
_UNSPLIT = "could not tell the chapter name from its details; kept as details without a name"


class _Reader:
    """Turns lines into rows for one page: piped cells or borderless lines."""

    def __init__(self, source: SourceText, manual: Manual, piped: bool):
        self.source, self.manual = source, manual
        self.piped_page = piped
        self.records: list[Amendment] = []
        self.notes: list[str] = []
        self.month: Optional[str] = None
        self.change: Optional[Change] = None
        self.in_table = False  # a block label or table header since the month heading
        self.piped = piped  # how the current table is written
        self.fragments: list[str] = []  # lines of a cell not yet closed by "|"
        self.title: Optional[str] = None  # a title cell (or line) waiting for its details
        self.table_start = 0  # index of the current table's first record

    def line(self, raw: str) -> None:
        text = raw.strip()
        if not text or is_furniture(text):
            return
        month = parse_month_year(text.rstrip(" |"))
        change = change_label(text)
        if month or change or FOOTER.match(text):
            self.end_block()
            if month:
                self.month, self.change, self.in_table = month, None, False
            elif change:
                self.change, self.in_table = change, True
            else:
                self.change, self.in_table = None, False  # the footer closes the last month's table
        elif is_header_line(text):
            self.end_block()
            self.in_table, self.piped = True, "|" in text
        elif self.piped or "|" in text:
            self.cells(text)
        else:
            self.borderless(text)

    # -- piped tables ------------------------------------------------------------

    def cells(self, text: str) -> None:
        closed = text.endswith("|")
        parts = (text[:-1] if closed else text).split("|")
        rest = None if closed else parts.pop().strip()  # goes on on the next line
        for index, part in enumerate(parts):
            if index == 0:
                self.cell("\n".join(f for f in self.fragments + [part.strip()] if f))
                self.fragments = []
            else:
                self.cell(part.strip())
        if rest is not None:
            self.fragments.append(rest)

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

    # -- borderless tables ---------------------------------------------------------

    def borderless(self, text: str) -> None:
        if self.title is not None:
            title, self.title = self.title, None
            if opens_details(text) or not reads_as_title(text):
                self.add(title, text)
                return
            self.add(title, "")
        title, details = split_row(text)
        if title:
            self.add(title, details)
        elif opens_details(text) and len(self.records) > self.table_start:
            self._continue(text)  # a paragraph under a row carries on its details
        elif opens_details(text):
            self.add("", text)
        elif reads_as_title(text):
            self.title = text  # its details follow on the next line
        else:
            self.notes.append(f"{self.month}: {_UNSPLIT}")
            self.add("", text, noted=True)

    def _continue(self, text: str) -> None:
        last = self.records[-1]
        self.records[-1] = last.model_copy(update={"details": f"{last.details}\n{text}".strip()})

    # -- rows ------------------------------------------------------------------------

    def end_block(self) -> None:
        """Close any open cell and a title still waiting for details."""
        if self.fragments:
            self.cell("\n".join(f for f in self.fragments if f))
            self.fragments = []
        if self.title is not None:
            self.add(self.title, "")
            self.title = None
        self.piped = self.piped_page
        self.table_start = len(self.records)

    def add(self, title: str, details: str, noted: bool = False) -> None:
        if self.month is None or not (self.change or self.in_table):
            self.notes.append(f"text outside a month's table ignored: {(title or details)[:60]!r}")
            return
        if len(title) > TITLE_MAX:  # never an absurd name: a run-together row is details
            title, details = "", f"{title}\n{details}".strip()
            self.notes.append(f"{self.month}: {_UNSPLIT}")
        elif not title and not noted:
            self.notes.append(f"{self.month}: row without a chapter name kept with its details")
        title = REVIEWED_SUFFIX.sub("", title)
        self.records.append(Amendment(
            manual_id=self.manual.id, amended=self.month, change=self.change or infer_change(details, title),
            title=title, details=details, source=self.source.name, position=len(self.records),
        ))


class TextAmendmentsParser:
    """Amendments pages in text form: month headings over change tables."""

    kind = PageKind.AMENDMENTS
    format = "text"

    def score(self, source: SourceText) -> float:
        """High when the page has month headings over change tables."""
        lines = [line.strip() for line in source.text.split("\n") if line.strip()]
        if not lines:
            return 0.0
        score = amendment_signals(lines).score
        numbered = sum(bool(m and m.group(2)) for m in map(CHAPTER_NUMBER.match, lines))
        if numbered > max(5, len(lines) // 4):
            score *= 0.3  # a contents page that mentions dates
        return round(score, 3)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """Amendment records, one per table row, in page order."""
        reader = _Reader(source, manual, looks_piped(source.text))
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
