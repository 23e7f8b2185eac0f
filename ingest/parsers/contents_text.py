"""Contents pages exported as text, in both layouts seen so far:

* indented text (Derby City, Rotherham): a top-level heading "6. Children in Care",
  a sub-section number line "6.7" followed by its title line "Leaving Care",
  entry lines "6.7.6 Staying Put Policy", see-also lines under an entry;
* pipe tables (Leicestershire): "1.1 |" then "Values and Principles |", and rows
  "| 1.1.2 | Statement of Purpose … | New | |".

Every line is first classified into a `_Line` (pipe rows via `contents_pipes`), then
one small state machine (`_Builder`) turns the lines into ChapterEntry records.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER, section_path, split_extras, strip_bullet
from ingest.parsers.furniture import is_furniture, is_site_page
from ingest.parsers.contents_pipes import looks_piped, pipe_cells, status_flag
from vectorstore.models import ChapterEntry, Manual, PageKind, ParsedPage
from vectorstore.text import parse_month_year

# "6. Children in Care": a single number, a dot, then words.
TOP_HEADING = re.compile(r"^(\d+)\.\s+(\S.*)$")
# "6.7" or "1.2.1a" alone on its line: a sub-section number whose title follows.
SUB_NUMBER = re.compile(r"^\d+(?:\.\d+)+[a-z]?$")
SEE_ALSO = re.compile(r"^see\s+also\b\s*:?\s*", re.IGNORECASE)
# "For Residential Care, see the: Placements Manual …" is a cross-reference too.
SEE_THE = re.compile(r"^for\b[^:]*\bsee the\s*:", re.IGNORECASE)
# Lines that are page furniture, never entries: captions, notes, the "Quick Links"
# header, the word "Contents", the closing "End", logos, and lead-in lines ending
# with ":" ("In an emergency please refer to the following procedures:").
NOISE = re.compile(
    r"^(caption:|please note\b|n\.\s?b\.|quick links\b|contents$|end$)|\blogo$|:$", re.IGNORECASE
)

BLANK, TOP, SUB, ENTRY, SEE, CONT, TEXT, SKIP = (
    "blank", "top", "sub", "entry", "see", "cont", "text", "skip"
)


@dataclass
class _Line:
    kind: str
    text: str = ""
    number: Optional[str] = None
    flags: list[str] = field(default_factory=list)  # status cells of a table row
    bulleted: bool = False  # the export kept a list bullet before it


@dataclass
class _Draft:
    """An entry still being read: its title may continue on the next line."""

    number: Optional[str]
    raw_title: str
    section: list[str]
    extra_flags: list[str]
    see_also: list[str] = field(default_factory=list)


def classify(line: str) -> _Line:
    """What one line of the indented-text layout is."""
    kind = _classify(strip_bullet(line.strip()))
    kind.bulleted = strip_bullet(line.strip()) != line.strip()
    return kind


def _classify(text: str) -> _Line:
    if not text:
        return _Line(BLANK)
    if SUB_NUMBER.fullmatch(text):
        return _Line(SUB, number=text)
    top = TOP_HEADING.match(text)
    if top:
        return _Line(TOP, text=text, number=top.group(1))
    see = SEE_ALSO.match(text)
    if see:
        return _Line(SEE, text=_tidy_reference(text[see.end():]))
    if SEE_THE.match(text):
        return _Line(SEE, text=_tidy_reference(text))
    entry = CHAPTER_NUMBER.match(text)
    if entry and entry.group(2):
        return _Line(ENTRY, text=entry.group(2), number=entry.group(1))
    if NOISE.search(text) or is_furniture(text) or is_site_page(text):
        return _Line(SKIP, text=text)
    # "(Rotherham Safeguarding Children Partnership Procedures)" or "and Family
    # Justice Resource Hub …": the previous line goes on.
    if text[0] == "(" or text[0].islower():
        return _Line(CONT, text=text)
    return _Line(TEXT, text=text)


def classify_piped(line: str) -> _Line:
    """What one line of the pipe-table layout is; rows become ENTRY lines."""
    cells = pipe_cells(line)
    if cells is None:
        return classify(line)
    if not cells:
        return _Line(BLANK)
    if len(cells) >= 2 and SUB_NUMBER.fullmatch(cells[0]):
        flags = [flag for flag in map(status_flag, cells[2:]) if flag]
        return _Line(ENTRY, text=cells[1], number=cells[0], flags=flags)
    return classify(" ".join(cells))


def _tidy_reference(text: str) -> str:
    # A cross-reference names a chapter or document: its closing full stop is not part of it.
    return text.strip().removesuffix(".").strip()


class _Builder:
    """Walks classified lines and keeps track of the section, the last entry and
    what a continuation line would extend."""

    def __init__(self, quick_links: set[int]):
        self.quick_links = quick_links
        self.drafts: list[_Draft] = []
        self.notes: list[str] = []
        self.top = ""
        self.sub_number = ""
        self.sub_title = ""
        self.awaiting_sub_title = False
        self.last: Optional[_Draft] = None  # last entry of the current (sub-)section
        self.open: Optional[tuple[str, Optional[_Draft]]] = None  # what a CONT line extends

    def feed(self, index: int, line: _Line) -> None:
        handler = getattr(self, "_" + line.kind)
        handler(index, line)

    def _blank(self, index: int, line: _Line) -> None:
        self.open = None

    _skip = _blank

    def _top(self, index: int, line: _Line) -> None:
        self.open = None
        if index in self.quick_links:
            return
        self.top, self.sub_number, self.sub_title = line.text, "", ""
        self.awaiting_sub_title, self.last = False, None

    def _sub(self, index: int, line: _Line) -> None:
        self.sub_number, self.sub_title = line.number or "", line.text
        self.awaiting_sub_title, self.last, self.open = not line.text, None, None

    def _text(self, index: int, line: _Line) -> None:
        if self.awaiting_sub_title:
            self.sub_title, self.awaiting_sub_title = line.text, False
        elif self.top:  # an un-numbered entry such as "Our Pledge to Children in Care"
            self._entry(index, _Line(ENTRY, text=line.text))
        # Text before the first section heading is the page's title block.

    def _entry(self, index: int, line: _Line) -> None:
        draft = _Draft(line.number, line.text, self._section_for(line.number), list(line.flags))
        self.drafts.append(draft)
        self.last, self.open = draft, ("title", draft)
        self.awaiting_sub_title = False

    def _see(self, index: int, line: _Line) -> None:
        where = self.sub_number or self.top or "page start"
        if self.last is None:
            self.notes.append(f"see-also before any entry of {where} dropped: {line.text!r}")
            self.open = ("dropped", None)
        elif not line.text:
            self.notes.append(f"empty see-also line after {self.last.number or self.last.raw_title} dropped")
            self.open = None
        else:
            self.last.see_also.append(line.text)
            self.open = ("see", self.last)

    def _cont(self, index: int, line: _Line) -> None:
        kind, draft = self.open or ("none", None)
        if kind == "title":
            draft.raw_title += " " + line.text
        elif kind == "see" and line.text.startswith("and "):
            # "and Family Justice Resource Hub …" names a second reference.
            draft.see_also.append(_tidy_reference(line.text[4:]))
        elif kind == "see":
            draft.see_also[-1] += " " + _tidy_reference(line.text)
        elif kind == "dropped":
            self.notes.append(f"continuation of a dropped see-also dropped: {line.text!r}")
        else:
            self.notes.append(f"unattached line ignored: {line.text!r}")

    def _section_for(self, number: Optional[str]) -> list[str]:
        sub = f"{self.sub_number} {self.sub_title}".strip()
        # An entry numbered outside the open sub-section belongs to the top level only.
        if number and self.sub_number and not number.startswith(self.sub_number + "."):
            sub = ""
        return section_path(self.top, sub)


def read_lines(text: str) -> list[_Line]:
    """Classify every line, choosing the layout from the whole page, then read
    headings off their place among the numbered lines."""
    classify_line = classify_piped if looks_piped(text) else classify
    lines = [classify_line(line) for line in text.split("\n")]
    _sub_headings(lines)
    _unnumbered_tops(lines)
    return lines


def _sub_headings(lines: list[_Line]) -> None:
    """"1.1 Policy and Values" on one line heads 1.1.x: a sub-section, not an entry."""
    numbered = [i for i, line in enumerate(lines) if line.kind in (ENTRY, SUB) and line.number]
    for i, after in zip(numbered, numbered[1:]):
        line = lines[i]
        if line.kind == ENTRY and not line.flags and lines[after].number.startswith(line.number + "."):
            lines[i] = _Line(SUB, text=line.text, number=line.number)


def _unnumbered_tops(lines: list[_Line]) -> None:
    """Where entries carry bullets ("- 1.1.1 …"), a short line without one and
    without a number, after the first section, heads a section of its own
    ("Local Resources")."""
    entries = [line for line in lines if line.kind == ENTRY]
    if not entries or sum(line.bulleted for line in entries) * 2 < len(entries):
        return
    first_top = next((i for i, line in enumerate(lines) if line.kind == TOP), len(lines))
    for i in range(first_top + 1, len(lines)):
        line = lines[i]
        if line.kind == TEXT and not line.bulleted and len(line.text.split()) <= 8 and line.text[-1] not in ".:;":
            lines[i] = _Line(TOP, text=line.text)


def quick_link_indexes(lines: list[_Line]) -> set[int]:
    """Top-level headings that are only the "Quick Links" list: their number
    comes back later as the real section heading."""
    seen_later: set[str] = set()
    indexes: set[int] = set()
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.kind != TOP:
            continue
        if line.number in seen_later:
            indexes.add(index)
        seen_later.add(line.number or "")
    return indexes


def _to_entry(draft: _Draft, position: int, source: SourceText, manual: Manual) -> ChapterEntry:
    title, flags, dated = split_extras(" ".join(draft.raw_title.split()))
    flags += [flag for flag in draft.extra_flags if flag not in flags]
    return ChapterEntry(
        manual_id=manual.id, chapter=draft.number, title=title, flags=flags, dated=dated,
        section_path=draft.section, see_also=draft.see_also, source=source.name, position=position,
    )


class TextContentsParser:
    """Contents pages in text form, indented or pipe-table layout."""

    kind = PageKind.CONTENTS
    format = "text"

    def score(self, source: SourceText) -> float:
        """High when most lines are numbered entries under a contents header."""
        lines = [line.strip() for line in source.text.split("\n") if line.strip()]
        if not lines:
            return 0.0
        flat = [strip_bullet(" ".join(pipe_cells(line) or [line])) for line in lines]
        entries = sum(bool(m and m.group(2)) for m in map(CHAPTER_NUMBER.match, flat))
        if entries < 5:
            return 0.05 * entries
        score = 0.4 + min(0.4, entries / len(lines))
        if any(line.rstrip(" |:").lower() in ("contents", "quick links") or
               line.lower().endswith("contents") for line in flat[:10]):
            score += 0.2
        months = sum(parse_month_year(line.rstrip(' |')) is not None for line in lines)
        if months >= 3 or any(line.lower().startswith("chapter name | details") for line in lines):
            score *= 0.2  # an amendments page
        return round(min(score, 1.0), 3)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """ChapterEntry records, one per entry line, in page order."""
        lines = read_lines(source.text)
        builder = _Builder(quick_link_indexes(lines))
        for index, line in enumerate(lines):
            builder.feed(index, line)
        if not builder.drafts:
            raise ParseError(f"{source.name}: no contents entries found")
        entries = [_to_entry(d, i, source, manual) for i, d in enumerate(builder.drafts)]
        return ParsedPage(source=source.name, manual=manual, page_kind=PageKind.CONTENTS,
                          entries=entries, notes=builder.notes)


PARSER = register(TextContentsParser())
