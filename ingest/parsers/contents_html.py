"""Contents pages saved as HTML. The page is read into lines (`html_page`),
then read much as the text parser reads text lines: numbered or linked lines
are entries, headings and link-less numbered lines that head later numbers are
sections, "See also" lines belong to the entry above."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional


from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER, section_path, split_extras
from ingest.parsers.furniture import is_site_page
from ingest.parsers.html_page import Line, page_of
from vectorstore.models import ChapterEntry, Manual, PageKind, ParsedPage, section_label
from vectorstore.text import title_key

# ---------------------------------------------------------------------------
# The contents parser
# ---------------------------------------------------------------------------

_TOP_SECTION = re.compile(r"^(\d+)\.?\s+(\S.*)$")  # "1. All Children"
SUB_NUMBER = re.compile(r"\d+(?:\.\d+)+[a-z]?")  # "1.1" alone: a sub-section whose name follows
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
        page = page_of(source)
        numbered = sum(1 for line in page.lines if _numbered_link(line))
        if numbered == 0:
            return 0.0
        return min(1.0, 0.2 + numbered / 10)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """Entries of the page; ParseError when it lists none."""
        page = page_of(source)
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
        if title_key(text) in _NAV_WORDS and not (line.heading_level or line.tag == "caption") \
                and not (self.seen_section and line.tag in ("li", "tr")):
            return  # site links before the contents; inside a section, "Glossary" is an entry
        if is_site_page(text) and not line.heading_level:
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
        if self._names_bare_number(line):
            return
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

    def _names_bare_number(self, line: Line) -> bool:
        """A sub-section written as its number on one line ("1.1", a caption)
        and its name on the next ("Policy, Values and Principles", a header
        cell): the name completes the open section heading."""
        top = self.stack[-1] if self.stack else None
        if (top is None or self.section_entries or not SUB_NUMBER.fullmatch(top.text)
                or line.links or CHAPTER_NUMBER.match(line.text) or len(line.text.split()) > 15):
            return False
        top.text = f"{top.text} {line.text}"
        return True

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
        title, flags, dated = split_extras(rest.strip(" -–—|"))
        if not title:
            return
        url = links[0].href if links and (not cut or text.find(links[0].text) < cut.start()) else None
        self.entries.append(ChapterEntry(
            manual_id=self.manual.id, chapter=chapter, title=title, flags=flags, dated=dated,
            section_path=section_path(*(s.text for s in self.stack)), url=url,
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
            where = section_label(section_path(*(s.text for s in self.stack))) or "the page"
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
