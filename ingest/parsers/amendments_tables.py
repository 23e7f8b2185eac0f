"""The three ways a text export writes an amendments table, one reader each.
Every reader takes the table's lines one at a time and hands finished rows to
a `Rows` sink (`amendments_text`), which knows the month and the change.

* `Piped`: cells end at "|" ("Chapter | Details |"), one cell may run over
  several lines, a lone "|" is an empty cell.
* `Borderless`: the same table without borders, a row per line
  ("Contacts and Referrals This chapter has been refreshed."), split by
  `amendments_rows.split_row`.
* `Listed`: no table at all, each chapter's title on a line of its own and
  the sentences about it below (the year / month layout).
"""
from __future__ import annotations

import re
from typing import Optional, Protocol

from ingest.parsers.amendments_rows import opens_details, reads_as_title, split_row
from ingest.parsers.furniture import is_site_page

# A cell that reads as a sentence is details, never a chapter name.
SENTENCE_END = re.compile(r"[.:;!?]$")
BULLET = re.compile(r"^[•·▪◦‣*–-]\s*")
UNSPLIT = "could not tell the chapter name from its details; kept as details without a name"


class Rows(Protocol):
    """Where readers put rows."""

    def add(self, title: str, details: str, noted: bool = False) -> None: ...

    def extend_last(self, text: str, joiner: str) -> bool:
        """Add text to the last row of the current table; False when it has none."""

    def note(self, message: str) -> None: ...


class Piped:
    """Cells read as a stream and paired into (title, details) rows; a details
    sentence with no title before it is a row whose chapter name was lost."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.fragments: list[str] = []  # lines of a cell not yet closed by "|"
        self.title: Optional[str] = None  # a title cell waiting for its details

    def line(self, text: str, after_blank: bool) -> None:
        closed = text.endswith("|")
        parts = (text[:-1] if closed else text).split("|")
        rest = None if closed else parts.pop().strip()  # goes on on the next line
        for index, part in enumerate(parts):
            if index == 0:
                self._cell("\n".join(f for f in self.fragments + [part.strip()] if f))
                self.fragments = []
            else:
                self._cell(part.strip())
        if rest is not None:
            self.fragments.append(rest)

    def _cell(self, text: str) -> None:
        if self.title is not None:
            self.rows.add(self.title, text)
            self.title = None
        elif not text:
            return  # an empty cell: a chapter name the export lost
        elif SENTENCE_END.search(text):
            self.rows.add("", text)
        else:
            self.title = text

    def close(self) -> None:
        """Close any open cell and a title still waiting for details."""
        if self.fragments:
            self._cell("\n".join(f for f in self.fragments if f))
            self.fragments = []
        if self.title is not None:
            self.rows.add(self.title, "")
            self.title = None


class Borderless:
    """A row per line. A title alone on its line takes the next line as its
    details; a list item, a wrapped line (lower case) or a paragraph after a
    blank line carries on the last row's details; a details sentence on a line
    of its own straight after a row is a row whose name was lost."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.title: Optional[str] = None

    def line(self, text: str, after_blank: bool) -> None:
        if self.title is not None:
            title, self.title = self.title, None
            if opens_details(text) or not reads_as_title(text):
                self.rows.add(title, text)
                return
            self.rows.add(title, "")
        if BULLET.match(text) and self.rows.extend_last(BULLET.sub("• ", text), "\n"):
            return
        if text[0].islower() and self.rows.extend_last(text, " "):
            return
        title, details = split_row(text)
        if title:
            self.rows.add(title, details)
        elif opens_details(text) and after_blank and self.rows.extend_last(text, "\n"):
            return
        elif opens_details(text):
            self.rows.add("", text)
        elif reads_as_title(text):
            self.title = text  # its details follow on the next line
        else:
            self.rows.note(UNSPLIT)
            self.rows.add("", text, noted=True)

    def close(self) -> None:
        if self.title is not None:
            self.rows.add(self.title, "")
            self.title = None


class Listed:
    """A title line, then its sentences, until a blank line and the next title."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.title: Optional[str] = None
        self.details: list[str] = []

    def line(self, text: str, after_blank: bool) -> None:
        starts = self.title is None or after_blank
        if starts and reads_as_title(text) and not opens_details(text):
            self.close()
            if not is_site_page(text):  # "Privacy notice", "Contact us": footer links
                self.title = text
        elif self.title is not None:
            self.details.append(text)
        elif not self.rows.extend_last(text, "\n"):
            self.rows.add("", text)

    def close(self) -> None:
        if self.title is not None and self.details:
            self.rows.add(self.title, " ".join(self.details))
        elif self.title is not None:
            self.rows.note(f"heading {self.title[:60]!r} has no details under it; not read as a row")
        self.title, self.details = None, []
