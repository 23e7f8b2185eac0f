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
`amendments_rows.split_row`. Listed (a year heading "2025", month headings
"October", then each chapter's title on its own line over its sentences).
The table readers are in `amendments_tables`.
"""
from __future__ import annotations

import re
from typing import Optional

from ingest.parsers.amendments_rows import TITLE_MAX
from ingest.parsers.amendments_tables import UNSPLIT, Borderless, Listed, Piped
from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.changes import infer_change
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.contents_pipes import looks_piped
from ingest.parsers.furniture import is_furniture
from ingest.parsers.labels import change_label, is_amendments_footer, is_header_line
from ingest.parsers.signals import amendment_signals
from vectorstore.models import Amendment, Change, Manual, PageKind, ParsedPage
from vectorstore.text import YEAR_PATTERN, month_number, parse_month_year

# Titles like "Children who Present a Risk of Harm to Others - reviewed": the
# suffix repeats the change, it is not part of the chapter name.
REVIEWED_SUFFIX = re.compile(r"\s+[-–—]\s*reviewed$", re.IGNORECASE)
_YEAR = re.compile(rf"^({YEAR_PATTERN})$")


class _Reader:
    """Walks a page's lines: month and year headings, block labels, table
    headers and footers here; table lines go to the table reader in use."""

    def __init__(self, source: SourceText, manual: Manual, piped: bool):
        self.source, self.manual = source, manual
        self.piped_page = piped
        self.records: list[Amendment] = []
        self.notes: list[str] = []
        self.year: Optional[str] = None
        self.month: Optional[str] = None
        self.change: Optional[Change] = None
        self.table = None  # the reader of the current table, once one has begun
        self.table_start = 0  # index of the current table's first record
        self.blank = False  # the last line was blank

    def line(self, raw: str) -> None:
        text = raw.strip()
        after_blank, self.blank = self.blank, not text
        if not text or is_furniture(text):
            return
        if self._heading(text):
            return
        if is_header_line(text):
            self._begin(Piped(self) if "|" in text else Borderless(self))
        elif self.month is None:
            return  # the page's own heading and introduction
        elif self.table is None or ("|" in text and not isinstance(self.table, Piped)):
            # Rows straight under a month: a table as the page is written, or titles over sentences.
            self._begin(Piped(self) if "|" in text or self.piped_page else Listed(self))
            self.table.line(text, after_blank)
        else:
            self.table.line(text, after_blank)

    def _heading(self, text: str) -> bool:
        """Month, year, block label or footer: each ends the table before it."""
        bare = text.rstrip(" |")
        month, year, change = parse_month_year(bare), _YEAR.match(bare), change_label(text)
        named = month_number(bare) if self.year else None  # "March" under "2024"
        if not (month or year or change or named or is_amendments_footer(text)):
            return False
        self.end_block()
        if year:
            self.year, self.month, self.change = year.group(1), None, None
        elif month or named:
            self.month, self.change = month or f"{self.year}-{named:02d}", None
            self.year = self.month[:4]
        elif change:
            self.change = change
            self._begin(Piped(self) if self.piped_page else Borderless(self))
        else:
            self.month = self.change = None  # the footer closes the last month's table
        return True

    def _begin(self, table) -> None:
        self.end_block()
        self.table = table
        self.table_start = len(self.records)

    def end_block(self) -> None:
        """Close the current table, and any row still waiting for details."""
        if self.table is not None:
            self.table.close()
        self.table = None
        self.table_start = len(self.records)

    # -- the Rows sink the table readers write to ------------------------------------

    def note(self, message: str) -> None:
        self.notes.append(f"{self.month}: {message}")

    def extend_last(self, text: str, joiner: str) -> bool:
        if len(self.records) <= self.table_start:
            return False
        last = self.records[-1]
        self.records[-1] = last.model_copy(update={"details": f"{last.details}{joiner}{text}".strip()})
        return True

    def add(self, title: str, details: str, noted: bool = False) -> None:
        if self.month is None:
            self.notes.append(f"text outside a month's table ignored: {(title or details)[:60]!r}")
            return
        if len(title) > TITLE_MAX:  # never an absurd name: a run-together row is details
            title, details = "", f"{title}\n{details}".strip()
            self.note(UNSPLIT)
        elif not title and not noted:
            self.note("row without a chapter name kept with its details")
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
