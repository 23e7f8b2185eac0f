"""Chapter pages saved as HTML.

The h1 gives the chapter number and title. Before the numbered sections come
labelled blocks ("SCOPE OF THIS CHAPTER", "Amendment", "Related guidance",
"Contents"), written as headings, bold paragraphs or plain label lines in
capitals or sentence case. Numbered headings ("1. Introduction") start
sections; everything else is prose of the block it falls in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.html_page import HtmlPage, Line, read_html, tidy
from vectorstore.text import MONTH_PATTERN, month_number
from vectorstore.models import Chapter, ChapterSection, Manual, PageKind, ParsedPage
from vectorstore.text import title_key

# Label wording seen across sites, keyed by the field it fills.
_LABELS = {
    "scope": ("scope of this chapter", "scope of this procedure", "scope of this guidance",
              "scope of this policy", "scope"),
    "amendment": ("amendment", "amendments", "amendment note", "latest amendment", "recent amendments"),
    "related": ("related chapters", "related chapter", "related guidance", "relevant guidance",
                "relevant chapters", "related procedures", "related information", "see also",
                "related guidance and information", "relevant information"),
    "contents": ("contents", "in this chapter", "chapter contents"),
}
_LABEL_OF = {words: label for label, options in _LABELS.items() for words in options}
# "1. Introduction", "2 Our Vision" — one number only; "1.1 Sub-heading" stays inside its section.
_SECTION = re.compile(r"^(\d{1,2})\.?\s+(\S.*)$")
_AMENDED = re.compile(rf"\b({MONTH_PATTERN})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_DATE_HEADING = re.compile(rf"^(?:{MONTH_PATTERN}\.?(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d)$", re.IGNORECASE)
_END_WORDS = {"end", "back to top", "top", "top of page", "print", "print this page"}
_BOLD_HEADING_MAX = 120  # a bold paragraph longer than this is emphasis, not a heading


@dataclass
class _Block:
    """Where prose is going: a label's block or a section."""

    label: str  # "scope", "amendment", "related", "contents", "section"
    heading: str = ""  # sections only
    number: Optional[str] = None
    lines: list[Line] = field(default_factory=list)


class ChapterHtmlParser:
    """Chapter pages in HTML."""

    kind = PageKind.CHAPTER
    format = "html"

    def score(self, source: SourceText) -> float:
        """An h1 with a chapter number, labels, numbered h2s and long prose."""
        page = read_html(source.text)
        lines = page.lines
        h1 = [line for line in lines if line.tag == "h1"]
        score = 0.1 if h1 else 0.0
        if h1 and CHAPTER_NUMBER.match(h1[0].text):
            score += 0.3
        if any(_label_of(line)[0] for line in lines):
            score += 0.2
        if sum(1 for line in lines if _section_heading(line)) >= 2:
            score += 0.2
        if sum(1 for line in lines if line.tag == "p" and len(line.text) > 200) >= 2:
            score += 0.2
        if _mostly_prose(lines):
            score += 0.2
        # A page of many numbered chapter links is a contents page instead.
        numbered_links = sum(1 for line in lines if line.links and CHAPTER_NUMBER.match(line.text))
        if numbered_links >= 5:
            score -= 0.4
        # Month or year headings ("June 2021", "2024", "March") make an amendments page.
        if sum(1 for line in lines if _is_heading(line) and _DATE_HEADING.match(line.text)) >= 2:
            score -= 0.3
        return max(0.0, min(1.0, score))

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """The page's one chapter; ParseError when it has no title or no text."""
        page = read_html(source.text)
        chapter = _read_chapter(page, manual, source.name)
        return ParsedPage(source=source.name, manual=manual, page_kind=self.kind, chapters=[chapter])


def _mostly_prose(lines: tuple[Line, ...]) -> bool:
    """Text of some length that is mostly not link text: contents pages are links."""
    total = sum(len(line.text) for line in lines)
    linked = sum(len(link.text) for line in lines for link in line.links)
    return total >= 500 and linked < total * 0.2


def _read_chapter(page: HtmlPage, manual: Manual, source: str) -> Chapter:
    heading_at, heading = _title_line(page)
    if not heading:
        raise ParseError("no chapter heading (h1) found")
    number = CHAPTER_NUMBER.match(heading)
    chapter_no, title = (number.group(1), number.group(2).strip()) if number else (None, heading)
    blocks = _blocks(page.lines[heading_at + 1:], title)
    if not any(b.lines for b in blocks):
        raise ParseError(f"the chapter page '{title}' has no text")
    fields = _labelled_fields(blocks)
    return Chapter(
        manual_id=manual.id, chapter=chapter_no, title=title,
        scope=fields["scope"], amendment_note=fields["amendment"], amended=_amended(fields["amendment"]),
        related=_related(blocks), contents=_contents(blocks),
        sections=[_section(b) for b in blocks if b.label == "section" and (b.lines or b.number)],
        url=page.url, source=source)


def _title_line(page: HtmlPage) -> tuple[int, str]:
    """Index and text of the chapter heading: the h1, else the page <title>."""
    for i, line in enumerate(page.lines):
        if line.tag == "h1" and line.text:
            return i, line.text
    # Titles read "1.1.1 Chapter | Site name"; the site part is not the chapter's.
    return -1, re.split(r"\s+[|–—-]\s+", page.title)[0].strip() if page.title else ""


# -- cutting the page into blocks --------------------------------------------


def _blocks(lines: tuple[Line, ...], title: str) -> list[_Block]:
    """Labelled blocks and sections in page order. Prose that no label or
    numbered heading claims goes to a first section headed by the chapter title."""
    top_rank = _section_rank(lines)
    numbered = any(_section_heading(line) for line in lines)
    body = _Block("section", heading=title)
    blocks, current = [body], body
    in_sections = False  # once a numbered section has begun
    for line in lines:
        if not line.text or title_key(line.text) in _END_WORDS:
            continue
        label, rest = _label_of(line)
        in_sections = any(b.number for b in blocks[-1:]) or in_sections
        if label and in_sections and _rank(line) > top_rank:
            label = None  # a "See also:" inside a section is part of that section
        number = _section_heading(line)
        if label:
            current = _Block(label)
            blocks.append(current)
            current.lines.extend([rest] if rest else [])
        elif number or (numbered and _rank(line) <= min(top_rank, 6)):
            # Numbered headings start sections; so do headings of the same rank
            # beside them ("Appendix 1: Flowchart").
            current = _Block("section", heading=line.text, number=number)
            blocks.append(current)
        elif current.label != "section" and _rank(line) <= top_rank:
            current = body  # a body heading ends a labelled block
            current.lines.append(line)
        elif line.tag == "li" and line.anchors_only and not in_sections:
            _contents_block(blocks).lines.append(line)  # an unlabelled list of in-page links
        else:
            current.lines.append(line)
    return blocks


def _contents_block(blocks: list[_Block]) -> _Block:
    for block in blocks:
        if block.label == "contents":
            return block
    block = _Block("contents")
    blocks.append(block)
    return block


def _is_heading(line: Line) -> bool:
    if line.heading_level or line.tag == "caption":
        return True
    return line.tag in ("p", "div", "dt") and line.bold and len(line.text) <= _BOLD_HEADING_MAX


def _rank(line: Line) -> int:
    """Heading rank: 2-6 for h2-h6, 7 for bold paragraphs, 8 for prose."""
    if line.heading_level:
        return line.heading_level
    return 7 if _is_heading(line) else 8


def _section_rank(lines: tuple[Line, ...]) -> int:
    """The rank of section headings: that of the numbered ones, else the highest."""
    numbered = [_rank(line) for line in lines if _section_heading(line)]
    if numbered:
        return min(numbered)
    ranks = [_rank(line) for line in lines if _is_heading(line) and not _label_of(line)[0]]
    return min(ranks, default=7)


def _section_heading(line: Line) -> Optional[str]:
    """The number of a numbered section heading ("1" for "1. Introduction")."""
    if not _is_heading(line) or line.tag == "h1":
        return None
    match = _SECTION.match(line.text)
    return match.group(1) if match else None


def _label_of(line: Line) -> tuple[Optional[str], Optional[Line]]:
    """(label, rest): a label line ("SCOPE OF THIS CHAPTER"), or a paragraph
    opening with a label ("See also: …", bold "Amendment" then the note), whose
    remainder comes back as a line of its own."""
    if line.tag in ("li", "tr"):
        return None, None
    label = _LABEL_OF.get(line.text.rstrip(":").strip().lower())
    if label:
        return label, None
    words = _leading_label(line)
    if words:
        return _LABEL_OF[words], _after(line, words)
    return None, None


def _leading_label(line: Line) -> Optional[str]:
    match = re.match(r"^([A-Za-z ]{4,40}?)\s*:", line.text)
    if match and match.group(1).lower() in _LABEL_OF:
        return match.group(1).lower()
    first = next((p for p in line.parts if p.text.strip()), None)
    if first and first.bold and not first.href:
        words = tidy(first.text).rstrip(":").strip().lower()
        return words if words in _LABEL_OF else None
    return None


def _after(line: Line, words: str) -> Line:
    """The line without its opening label words and colon."""
    raw = "".join(p.text for p in line.parts)
    pattern = r"\s*" + r"\s+".join(map(re.escape, words.split())) + r"\s*:?\s*"
    match = re.match(pattern, raw, re.IGNORECASE)
    if not match:
        return line
    cut = match.end()
    parts, pos = [], 0
    for part in line.parts:
        end = pos + len(part.text)
        if end > cut:
            parts.append(replace(part, text=part.text[max(0, cut - pos):]))
        pos = end
    return Line(line.tag, parts=parts)


# -- turning blocks into fields ---------------------------------------------


def _labelled_fields(blocks: list[_Block]) -> dict[str, str]:
    fields = {"scope": "", "amendment": ""}
    for block in blocks:
        if block.label in fields:
            text = _prose(block.lines)
            fields[block.label] = "\n\n".join(t for t in (fields[block.label], text) if t)
    return fields


def _amended(note: str) -> Optional[str]:
    """YYYY-MM of the first month the amendment note names ("In June 2016 …"),
    as the text parser reads it: notes lead with when the change was made."""
    for name, year in _AMENDED.findall(note):
        number = month_number(name)
        if number:
            return f"{year}-{number:02d}"
    return None


def _related(blocks: list[_Block]) -> list[str]:
    """Link texts of the related blocks; whole lines where a line has no link."""
    items: list[str] = []
    for block in blocks:
        if block.label != "related":
            continue
        for line in block.lines:
            found = [link.text for link in line.links] or [line.text]
            items.extend(i for i in found if i and i not in items)
    return items


def _contents(blocks: list[_Block]) -> list[str]:
    items: list[str] = []
    for block in blocks:
        if block.label == "contents":
            items.extend(_contents_item(line) for line in block.lines if line.text)
    return items


def _contents_item(line: Line) -> str:
    """A contents item without its number, as the text parser keeps them:
    "1. Introduction" -> "Introduction"."""
    match = _SECTION.match(line.text)
    return match.group(2).strip() if match else line.text


def _section(block: _Block) -> ChapterSection:
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
