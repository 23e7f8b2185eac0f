"""Chapter pages exported as text, in the older and the newer template.

    Skip to main content / logo / View … Procedures   <- furniture, ignored
    1.1.1 Children's Services Policies, …     <- heading: number and title (the newer
                                                 template's heading has no number)
    SCOPE OF THIS CHAPTER / Scope of this chapter
    AMENDMENT / Amendment                     <- "In June 2016 …" -> amended "2016-06"
    RELATED CHAPTERS / Related guidance / SEE ALSO
    Contents / In this chapter                <- the chapter's own list of sections
     1. Introduction …
    1. Introduction                           <- numbered sections, prose and "• " bullets
    …
    End

Labels (`labels.py`) are recognised in capitals or sentence case, and only
before the first section: inside a section a line such as "See also" is prose.
A page with no numbered sections has un-numbered ones instead: a short line on
its own, followed by prose, heads a section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ingest.parsers.base import ParseError, SourceText, register
from ingest.parsers.common import CHAPTER_NUMBER, contents_run
from ingest.parsers.furniture import is_furniture
from ingest.parsers.labels import chapter_label
from ingest.parsers.signals import amendment_signals, chapter_score
from vectorstore.models import Chapter, ChapterSection, Manual, PageKind, ParsedPage
from vectorstore.text import find_month_year, title_key

SECTION_HEADING = re.compile(r"^(\d+)\.\s+(\S.*)$")
BULLET = re.compile(r"^(?:[•·▪◦‣]|[-–](?=\s))\s*")
_HEADING_WORDS = 15  # a heading line is short
_PROSE_CHARS = 60  # a line this long, or ending a sentence, is prose


@dataclass
class _Section:
    number: Optional[str]
    heading: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Page:
    """What the walk over the body collects, before it becomes a Chapter."""

    blocks: dict[str, list[str]] = field(default_factory=dict)  # label -> lines
    preamble: list[str] = field(default_factory=list)  # prose under the title, unlabelled
    contents: list[str] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)


def _is_prose(text: str) -> bool:
    return len(text) >= _PROSE_CHARS or text.endswith((".", ";", ":", "?", "!"))


def _heading_like(text: str) -> bool:
    """Short, capitalised, not a sentence, not a bullet, not a table row."""
    return (bool(text) and len(text.split()) <= _HEADING_WORDS and not text.endswith((".", ";", ",", ":"))
            and not BULLET.match(text) and "|" not in text and (text[0].isupper() or text[0].isdigit()))


# -- the heading -------------------------------------------------------------


def split_heading(lines: list[str]) -> tuple[Optional[str], str, list[str]]:
    """(number, title, body lines). The heading is the numbered line before the
    first label or section, else the last heading-like line before them;
    furniture and the site's name above it are not the chapter."""
    at = _heading_at([line.strip() for line in lines])
    if at is None:
        raise ParseError("chapter page has no heading")
    text = lines[at].strip()
    match = _numbered_heading(text)
    if match:
        return match.group(1), match.group(2).strip(), lines[at + 1:]
    return None, text, lines[at + 1:]


def _heading_at(texts: list[str]) -> Optional[int]:
    head = [i for i in range(_body_start(texts)) if texts[i]]
    if not head:
        return None
    numbered = [i for i in head if _numbered_heading(texts[i])]
    heading_like = [i for i in head if _heading_like(texts[i])]
    return numbered[-1] if numbered else (heading_like[-1] if heading_like else head[0])


def _numbered_heading(text: str) -> Optional[re.Match]:
    match = CHAPTER_NUMBER.match(text)
    return match if match and match.group(2) and len(text.split()) <= 25 else None


def _body_start(texts: list[str]) -> int:
    """Where the body starts: the first label or numbered section heading; on a
    page with neither, the first line of prose."""
    for i, text in enumerate(texts):
        if chapter_label(text) or (SECTION_HEADING.match(text) and _heading_like(text)):
            return i
    first_prose = next((i for i, t in enumerate(texts) if t and _is_prose(t) and not _numbered_heading(t)),
                       len(texts))
    return first_prose


# -- the body ------------------------------------------------------------------


def _section_start(text: str, page: _Page) -> Optional[_Section]:
    """A numbered heading is the next section only if its number is the next one
    and it reads as a heading, so numbered lists in prose stay prose."""
    match = SECTION_HEADING.match(text)
    if not match or int(match.group(1)) != len(page.sections) + 1:
        return None
    if text.endswith((".", ";", ",")) or len(text.split()) > _HEADING_WORDS:
        return None
    return _Section(match.group(1), text)


def _unnumbered_headings(body: list[str]) -> set[int]:
    """Lines heading un-numbered sections: heading-like, on their own after a
    blank line, and followed by prose, a list or a table; never a label, and never the
    first line under a label (a related block's first item)."""
    found: set[int] = set()
    previous = ""  # the last non-blank line before this one
    following = _following(body)
    for i, text in enumerate(body):
        if not text:
            continue
        lone = i == 0 or not body[i - 1]
        if (lone and _heading_like(text) and not chapter_label(text) and not chapter_label(previous)
                and (_is_prose(following[i]) or BULLET.match(following[i]) or "|" in following[i])):
            found.add(i)
        previous = text
    return found


def _following(body: list[str]) -> list[str]:
    """For each line, the next non-blank line after it ("" at the end)."""
    out, nxt = [""] * len(body), ""
    for i in range(len(body) - 1, -1, -1):
        out[i] = nxt
        nxt = body[i] or nxt
    return out


def _own_contents(body: list[str]) -> set[int]:
    """An unlabelled list of the chapter's sections ("1. Introduction",
    "2. Who Takes Part" …) that the sections themselves repeat."""
    numbered = [(i, m.group(1), title_key(m.group(2))) for i, m in
                ((i, SECTION_HEADING.match(t)) for i, t in enumerate(body)) if m and _heading_like(body[i])]
    return contents_run(numbered, lambda a, b: any(body[k] for k in range(a + 1, b)))


def walk(body: list[str]) -> _Page:
    """Sort every body line into a label block, the contents list or a section."""
    body = [line.strip() for line in body]
    listed = _own_contents(body)
    numbered = any(i not in listed and _section_start(t, _Page()) for i, t in enumerate(body))
    unnumbered = set() if numbered else _unnumbered_headings(body)
    page = _Page()
    target: list[str] = page.preamble
    in_contents = False
    for i, text in enumerate(body):
        label = None if page.sections else chapter_label(text)
        if i in listed:
            page.contents.append(SECTION_HEADING.match(text).group(2).strip())
            continue
        if label == "contents":
            # Its items are taken by _contents_item; anything else is unlabelled prose.
            in_contents, target = True, page.preamble
            continue
        if label:
            in_contents = False
            target = page.preamble if label == "note" else page.blocks.setdefault(label, [])
            continue
        if in_contents and _contents_item(text, page):
            continue
        in_contents = in_contents and not text  # blank lines keep the list open
        section = _section_start(text, page) if numbered else (_Section(None, text) if i in unnumbered else None)
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


def _without_furniture(lines: list[str]) -> list[str]:
    """Furniture lines ("Top of page", "End", logos) blanked, trailing blanks dropped."""
    lines = ["" if is_furniture(line) else line.rstrip() for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def amended_month(note: str) -> Optional[str]:
    """The first "Month YYYY" an amendment note names, as "YYYY-MM"."""
    return find_month_year(note)


def build_chapter(source: SourceText, manual: Manual) -> Chapter:
    """The Chapter record of a text chapter page."""
    number, title, body = split_heading(_without_furniture(source.text.split("\n")))
    page = walk(body)
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
        """A numbered heading, labels or numbered sections over prose; low for
        lists of entries (contents) and month tables (amendments)."""
        raw = [line.strip() for line in _without_furniture(source.text.split("\n"))]
        lines = [line for line in raw if line]
        if not lines:
            return 0.0
        at = _heading_at(raw)
        heading = raw[at] if at is not None else ""
        numbered_heading = bool(_numbered_heading(heading))
        labels = sum(chapter_label(line) is not None for line in lines[1:])
        sections = sum(bool(SECTION_HEADING.match(t)) and _heading_like(t) for t in lines)
        prose = sum(len(line) for line in lines if len(line) >= _PROSE_CHARS and "|" not in line)
        score = chapter_score(numbered_heading, labels, sections, len(_unnumbered_headings(raw)) + sections, prose,
                              heading)
        entries = sum(bool(m and m.group(2)) for m in map(CHAPTER_NUMBER.match, lines))
        if entries > 3:
            score *= 0.2  # many numbered lines: a contents page
        if amendment_signals(lines).likely:
            score *= 0.2  # month headings over change tables: an amendments page
        return round(min(score, 1.0), 3)

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """One Chapter with its labelled blocks and sections."""
        chapter = build_chapter(source, manual)
        if not (chapter.sections or chapter.scope or chapter.amendment_note):
            raise ParseError(f"{source.name}: chapter page has no text")
        return ParsedPage(source=source.name, manual=manual, page_kind=PageKind.CHAPTER,
                          chapters=[chapter])


PARSER = register(TextChapterParser())
