"""Chapter pages exported as text (Derbyshire layout).

    View Derbyshire … manual                  <- navigation, ignored
    1.1.1 Children's Services Policies, …     <- heading: number and title
    SCOPE OF THIS CHAPTER / Scope of this chapter
    AMENDMENT / Amendment                     <- "In June 2016 …" -> amended "2016-06"
    RELATED CHAPTERS / RELEVANT GUIDANCE / SEE ALSO
    Contents                                  <- the chapter's own list of sections
     1. Introduction …
    1. Introduction                           <- numbered sections, prose and "• " bullets
    …
    End

Labels are recognised in capitals or sentence case, and only before the first
numbered section: inside a section a line such as "See also" is prose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER
from ingest.parsers.furniture import is_furniture
from ingest.parsers.labels import chapter_label
from vectorstore.models import Chapter, ChapterSection, Manual, PageKind, ParsedPage
from vectorstore.text import find_month_year, parse_month_year

SECTION_HEADING = re.compile(r"^(\d+)\.\s+(\S.*)$")
BULLET = re.compile(r"^(?:[•·▪◦‣]|[-–](?=\s))\s*")


@dataclass
class _Section:
    number: str
    heading: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Page:
    """What the walk over the body collects, before it becomes a Chapter."""

    blocks: dict[str, list[str]] = field(default_factory=dict)  # label -> lines
    preamble: list[str] = field(default_factory=list)  # prose under the title, unlabelled
    contents: list[str] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)


def split_heading(lines: list[str]) -> tuple[Optional[str], str, list[str]]:
    """(number, title, body lines) from the page's first real line."""
    for index, line in enumerate(lines):
        text = line.strip()
        if not text or is_furniture(text):
            continue
        match = CHAPTER_NUMBER.match(text)
        if match and match.group(2):
            return match.group(1), match.group(2).strip(), lines[index + 1:]
        return None, text, lines[index + 1:]
    raise ParseError("chapter page has no heading")


def _label(text: str) -> Optional[str]:
    return chapter_label(text)


def _section_start(text: str, page: _Page) -> Optional[_Section]:
    """A numbered heading is the next section only if its number is the next one
    and it reads as a heading, so numbered lists in prose stay prose."""
    match = SECTION_HEADING.match(text)
    if not match or int(match.group(1)) != len(page.sections) + 1:
        return None
    if text.endswith((".", ";", ",")) or len(text.split()) > 15:
        return None
    return _Section(match.group(1), text)


def walk(body: list[str]) -> _Page:
    """Sort every body line into a label block, the contents list or a section."""
    page = _Page()
    target: list[str] = page.preamble
    in_contents = False
    for raw in body:
        text = raw.strip()
        label = None if page.sections else _label(text)
        if label == "contents":
            # Its items are taken by _contents_item; anything else is unlabelled prose.
            in_contents, target = True, page.preamble
            continue
        if label:
            in_contents, target = False, page.blocks.setdefault(label, [])
            continue
        if in_contents and _contents_item(text, page):
            continue
        in_contents = in_contents and not text  # blank lines keep the list open
        section = _section_start(text, page)
        if section:
            page.sections.append(section)
            target = section.lines
        else:
            target.append(text)
    return page


def _contents_item(text: str, page: _Page) -> bool:
    """Add a line of the chapter's contents list; False when the list has ended
    (a number that restarts is the first section heading)."""
    if not text:
        return True
    match = SECTION_HEADING.match(text)
    if match and int(match.group(1)) == len(page.contents) + 1:
        page.contents.append(match.group(2).strip())
        return True
    if BULLET.match(text):
        page.contents.append(BULLET.sub("", text))
        return True
    return False


def paragraphs(lines: list[str]) -> str:
    """Lines to text: blank lines separate paragraphs; bullets stay one per line."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if line:
            groups[-1].append(BULLET.sub("• ", line) if BULLET.match(line) else line)
        elif groups[-1]:
            groups.append([])
    return "\n\n".join("\n".join(group) for group in groups if group)


def _drop_end(lines: list[str]) -> list[str]:
    """Without the closing "End" line and trailing blanks."""
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and lines[-1].strip().lower() == "end":
        lines.pop()
    return lines


def amended_month(note: str) -> Optional[str]:
    """The first "Month YYYY" an amendment note names, as "YYYY-MM"."""
    return find_month_year(note)


def build_chapter(source: SourceText, manual: Manual) -> Chapter:
    """The Chapter record of a text chapter page."""
    number, title, body = split_heading(source.text.split("\n"))
    page = walk(_drop_end(body))
    sections = [ChapterSection(heading=s.heading, number=s.number, text=paragraphs(s.lines))
                for s in page.sections]
    preamble = paragraphs(page.preamble)
    if preamble:  # prose under the title that no label claims: its own section, first
        sections.insert(0, ChapterSection(heading=title, text=preamble))
    amendment = paragraphs(page.blocks.get("amendment", []))
    related = [BULLET.sub("", line) for line in page.blocks.get("related", []) if line]
    return Chapter(
        manual_id=manual.id, chapter=number, title=title,
        scope=paragraphs(page.blocks.get("scope", [])), amendment_note=amendment,
        amended=amended_month(amendment), related=related, contents=page.contents,
        sections=sections, source=source.name,
    )


class TextChapterParser:
    """Chapter pages in text form."""

    kind = PageKind.CHAPTER
    format = "text"

    def score(self, source: SourceText) -> float:
        """High for one numbered heading over long prose; low for lists of entries."""
        lines = [line.strip() for line in source.text.split("\n") if line.strip()]
        lines = [line for line in lines if not is_furniture(line)]
        if not lines:
            return 0.0
        numbered = sum(bool(m and m.group(2)) for m in map(CHAPTER_NUMBER.match, lines))
        prose = sum(len(line) >= 150 and "|" not in line for line in lines)
        labels = sum(_label(line) is not None for line in lines)
        score = 0.0
        if CHAPTER_NUMBER.match(lines[0]):
            score += 0.3
        score += min(0.4, 0.05 * prose) + min(0.3, 0.1 * labels)
        if numbered > 3:
            score *= 0.2  # many numbered lines: a contents page
        if sum(parse_month_year(line) is not None for line in lines) >= 3:
            score *= 0.2  # month headings: an amendments page
        return round(min(score, 1.0), 3)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """One Chapter with its labelled blocks and numbered sections."""
        chapter = build_chapter(source, manual)
        if not (chapter.sections or chapter.scope or chapter.amendment_note):
            raise ParseError(f"{source.name}: chapter page has no text")
        return ParsedPage(source=source.name, manual=manual, page_kind=PageKind.CHAPTER,
                          chapters=[chapter])


PARSER = register(TextChapterParser())
