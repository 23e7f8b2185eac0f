"""Chapter pages saved as HTML: the older template (numbered h1, capital labels,
numbered sections), the newer one (h1 without a number, sentence-case labels,
un-numbered h2 sections) and accordion pages (`<details>` or Bootstrap).

The heading gives the chapter number and title; `chapter_blocks` cuts the rest
into labelled blocks and sections, and this module turns those into fields.
"""
from __future__ import annotations

import re
from typing import Optional

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.chapter_blocks import (SECTION, Block, cut_blocks, is_heading, label_of, rank,
                                           section_number)
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.html_page import HtmlPage, Line, page_of, tidy
from ingest.parsers.labels import is_header_cells
from ingest.parsers.signals import amendment_signals, chapter_score
from vectorstore.models import Chapter, ChapterSection, Manual, PageKind, ParsedPage
from vectorstore.text import find_month_year, title_key

_TITLE_SPLIT = re.compile(r"\s+[|–—-]\s+")  # "1.1.1 Chapter | Site name"


class ChapterHtmlParser:
    """Chapter pages in HTML."""

    kind = PageKind.CHAPTER
    format = "html"

    def score(self, source: SourceText) -> float:
        """A numbered heading, labels or numbered sections, over prose that is
        mostly not links; low for contents and amendments pages."""
        page = page_of(source)
        lines = page.lines
        at, heading = _title_line(page)
        body = lines[at + 1:]
        labels = sum(1 for line in body if label_of(line)[0])
        numbered = sum(1 for line in body if section_number(line))
        sections = numbered + sum(1 for line in body if line.heading_level == 2)
        score = chapter_score(bool(CHAPTER_NUMBER.match(heading)), labels, numbered, sections, _prose_chars(lines),
                              heading)
        # A page of many numbered chapter links is a contents page instead.
        if sum(1 for line in lines if line.links and CHAPTER_NUMBER.match(line.text)) >= 5:
            score -= 0.4
        if _amendments(page).likely:
            score -= 0.4
        return round(max(0.0, min(1.0, score)), 3)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """The page's one chapter; ParseError when it has no title or no text."""
        page = page_of(source)
        chapter = _read_chapter(page, manual, source.name)
        return ParsedPage(source=source.name, manual=manual, page_kind=self.kind, chapters=[chapter])


def _amendments(page: HtmlPage):
    headers = sum(1 for line in page.lines if line.tag == "tr" and _is_column_header(line))
    return amendment_signals((line.text for line in page.lines), page.title, headers)


def _is_column_header(line: Line) -> bool:
    return is_header_cells(line.cell_texts())


def _prose_chars(lines: tuple[Line, ...]) -> int:
    """Characters of text that is not link text: contents pages are links."""
    total = sum(len(line.text) for line in lines)
    linked = sum(len(link.text) for line in lines for link in line.links)
    return total if linked < total * 0.2 else 0


def _read_chapter(page: HtmlPage, manual: Manual, source: str) -> Chapter:
    heading_at, heading = _title_line(page)
    if not heading:
        raise ParseError("no chapter heading (h1) found")
    chapter_no, title = _number_and_title(heading, page.title)
    blocks = cut_blocks(page.lines[heading_at + 1:], title)
    if not any(b.lines for b in blocks):
        raise ParseError(f"the chapter page '{title}' has no text")
    fields = _labelled_fields(blocks)
    return Chapter(
        manual_id=manual.id, chapter=chapter_no, title=title,
        scope=fields["scope"], amendment_note=fields["amendment"], amended=find_month_year(fields["amendment"]),
        related=_related(blocks), contents=_contents(blocks),
        sections=[_section(b) for b in blocks if b.label == "section" and (b.lines or b.number)],
        url=page.url, source=source)


# -- the heading ----------------------------------------------------------------


def _title_line(page: HtmlPage) -> tuple[int, str]:
    """Index and text of the chapter heading, among the headings before the
    first label or section: a numbered one first, else the first h1 that is
    not the site's name (the <title>'s last part), else the <title>."""
    lines = page.lines
    end = next((i for i, line in enumerate(lines)
                if line.tag != "h1" and (label_of(line)[0] or section_number(line))), len(lines))
    site = title_key(_TITLE_SPLIT.split(page.title)[-1]) if _TITLE_SPLIT.search(page.title) else ""
    candidates = [i for i, line in enumerate(lines[:end])
                  if line.text and _heading_candidate(line) and title_key(line.text) != site]
    numbered = [i for i in candidates if CHAPTER_NUMBER.match(lines[i].text)]
    h1 = [i for i in candidates if lines[i].tag == "h1"]
    for found in (numbered, h1):
        if found:
            return found[0], lines[found[0]].text
    # Titles read "1.1.1 Chapter | Site name"; the site part is not the chapter's.
    return -1, _TITLE_SPLIT.split(page.title)[0].strip() if page.title else ""


def _number_and_title(heading: str, page_title: str) -> tuple[Optional[str], str]:
    """"1.2.3 Title" -> ("1.2.3", "Title"). A heading that is only a number
    takes its title from the <title>, else stands as the title itself."""
    number = CHAPTER_NUMBER.match(heading)
    if not number:
        return None, heading
    if number.group(2).strip():
        return number.group(1), number.group(2).strip()
    named = CHAPTER_NUMBER.match(_TITLE_SPLIT.split(page_title)[0].strip()) if page_title else None
    rest = named.group(2).strip() if named else _TITLE_SPLIT.split(page_title)[0].strip()
    return (number.group(1), rest) if rest else (None, heading)


def _heading_candidate(line: Line) -> bool:
    return line.tag == "h1" or (is_heading(line) and rank(line) <= 3 and CHAPTER_NUMBER.match(line.text) is not None)


# -- turning blocks into fields ---------------------------------------------


def _labelled_fields(blocks: list[Block]) -> dict[str, str]:
    fields = {"scope": "", "amendment": ""}
    for block in blocks:
        if block.label in fields:
            text = _prose(block.lines)
            fields[block.label] = "\n\n".join(t for t in (fields[block.label], text) if t)
    return fields


def _related(blocks: list[Block]) -> list[str]:
    """Link texts of the related blocks; whole lines where a line has no link."""
    items: list[str] = []
    for block in blocks:
        if block.label != "related":
            continue
        for line in block.lines:
            found = [link.text for link in line.links] or [line.text]
            items.extend(i for i in found if i and i not in items)
    return items


def _contents(blocks: list[Block]) -> list[str]:
    items: list[str] = []
    for block in blocks:
        if block.label == "contents":
            items.extend(_contents_item(line) for line in block.lines if line.text)
    return items


def _contents_item(line: Line) -> str:
    """A contents item without its number, as the text parser keeps them:
    "1. Introduction" -> "Introduction"."""
    match = SECTION.match(line.text)
    return match.group(2).strip() if match else line.text


def _section(block: Block) -> ChapterSection:
    return ChapterSection(heading=block.heading, number=block.number, text=_prose(block.lines))


def _prose(lines: list[Line]) -> str:
    """Paragraphs apart by a blank line; list items "• …" and table rows on
    lines of their own, kept together."""
    out: list[str] = []
    previous = ""
    for line in lines:
        kind, text = _rendered(line)
        if not text:
            continue
        joiner = "\n" if kind == previous and kind in ("li", "tr") else "\n\n"
        out.append((joiner if out else "") + text)
        previous = kind
    return "".join(out)


def _rendered(line: Line) -> tuple[str, str]:
    if line.tag == "li":
        text = line.text
        if line.list_kind == "ol" and line.ordinal:
            return "li", f"{line.ordinal}. {text}"
        return "li", f"• {text}"
    if line.tag == "tr":
        cells = [c for c in line.cell_texts() if c]
        return "tr", " | ".join(cells)
    return "p", tidy(line.text)


PARSER = register(ChapterHtmlParser())
