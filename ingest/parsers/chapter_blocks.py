"""Cutting an HTML chapter page's lines into labelled blocks and sections.

Labelled blocks ("SCOPE OF THIS CHAPTER", "Amendment", "Related guidance",
"Contents") come before the sections, written as headings, bold paragraphs or
label lines in capitals or sentence case (`labels.py`). Numbered headings
("1. Introduction") start sections; on a page with none, h2-level headings do
(the newer template, accordion titles), and lower headings stay inside them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from ingest.parsers.common import contents_run
from ingest.parsers.html_page import Line, tidy
from ingest.parsers.labels import chapter_label, is_label_words, leading_label
from vectorstore.text import title_key

# "1. Introduction", "2 Our Vision" — one number only; "1.1 Sub-heading" stays inside its section.
SECTION = re.compile(r"^(\d{1,2})\.?\s+(\S.*)$")
_BOLD_HEADING_MAX = 120  # a bold paragraph longer than this is emphasis, not a heading
_UNNUMBERED_RANK = 2  # without numbers, h2-level headings are the sections


@dataclass
class Block:
    """Where prose is going: a label's block or a section."""

    label: str  # "scope", "amendment", "related", "contents", "note", "section"
    heading: str = ""  # sections only
    number: Optional[str] = None
    lines: list[Line] = field(default_factory=list)


def is_heading(line: Line) -> bool:
    if line.heading_level or line.tag == "caption":
        return True
    return line.tag in ("p", "div", "dt") and line.bold and len(line.text) <= _BOLD_HEADING_MAX


def rank(line: Line) -> int:
    """Heading rank: 1-6 for h1-h6 and accordion titles, 7 for bold paragraphs, 8 for prose."""
    if line.heading_level:
        return line.heading_level
    return 7 if is_heading(line) else 8


def section_number(line: Line) -> Optional[str]:
    """The number of a numbered section heading ("1" for "1. Introduction")."""
    if not is_heading(line) or line.tag == "h1" or line.all_anchor_text:
        return None
    match = SECTION.match(line.text)
    return match.group(1) if match else None


def label_of(line: Line) -> tuple[Optional[str], Optional[Line]]:
    """(label, rest): a label line ("SCOPE OF THIS CHAPTER"), or a paragraph
    opening with a label ("See also: …", bold "Amendment" then the note), whose
    remainder comes back as a line of its own."""
    if line.tag == "tr":
        return _label_row(line)
    if line.tag == "li":
        return None, None
    label = chapter_label(line.text)
    if label:
        return label, None
    words = _leading_label(line)
    if words:
        return chapter_label(words), _after(line, words)
    return None, None


def _label_row(line: Line) -> tuple[Optional[str], Optional[Line]]:
    """A row of a chapter's information table ("Caption: chapter information"):
    its first cell a label ("SCOPE OF THIS CHAPTER", "AMENDMENT"), the other
    cells its text."""
    if len(line.cells) < 2:
        return None, None
    label = chapter_label(tidy("".join(p.text for p in line.cells[0])))
    if not label:
        return None, None
    parts = [part for cell in line.cells[1:] for part in cell]
    return label, Line("p", parts=parts)


def _leading_label(line: Line) -> Optional[str]:
    found = leading_label(line.text)
    if found:
        return found[1]
    first = next((p for p in line.parts if p.text.strip()), None)
    if first and first.bold and not first.href:
        words = tidy(first.text).rstrip(":").strip().lower()
        return words if is_label_words(words) else None
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


def _own_contents(lines: tuple[Line, ...]) -> set[int]:
    """Positions of a contents list written as numbered headings that the
    sections then repeat ("1. Introduction" … and again "1. Introduction")."""
    numbered = [(i, number, title_key(SECTION.match(line.text).group(2)))
                for i, line in enumerate(lines) if (number := section_number(line))]
    return contents_run(numbered, lambda a, b: any(lines[k].text for k in range(a + 1, b)))


def _section_rank(lines: tuple[Line, ...], skip: set[int]) -> int:
    """The rank of section headings: that of the numbered ones, else the highest."""
    numbered = [rank(line) for i, line in enumerate(lines) if i not in skip and section_number(line)]
    if numbered:
        return min(numbered)
    ranks = [rank(line) for line in lines if is_heading(line) and not label_of(line)[0]]
    return min(ranks, default=7)


def cut_blocks(lines: tuple[Line, ...], title: str) -> list[Block]:
    """Labelled blocks and sections in page order. Prose that no label or
    section heading claims goes to a first section headed by the chapter title."""
    listed = _own_contents(lines)
    top_rank = _section_rank(lines, listed)
    numbered = any(section_number(line) for i, line in enumerate(lines) if i not in listed)
    body = Block("section", heading=title)
    blocks, current = [body], body
    in_sections = False  # once a section has begun
    for i, line in enumerate(lines):
        if not line.text:
            continue
        label, rest = label_of(line)
        in_sections = in_sections or blocks[-1].label == "section" and blocks[-1] is not body
        if label and in_sections and rank(line) > top_rank:
            label = None  # a "See also:" inside a section is part of that section
        number = None if i in listed else section_number(line)
        if i in listed or (line.all_anchor_text and not in_sections and not label):
            _contents_block(blocks).lines.append(line)  # the chapter's list of its own sections
        elif label:
            current = Block(label)
            blocks.append(current)
            current.lines.extend([rest] if rest else [])
        elif number or (numbered and rank(line) <= min(top_rank, 6)):
            # Numbered headings start sections; so do headings of the same rank
            # beside them ("Appendix 1: Flowchart").
            current = Block("section", heading=line.text, number=number)
            blocks.append(current)
        elif not numbered and line.heading_level == _UNNUMBERED_RANK:
            current = Block("section", heading=line.text)
            blocks.append(current)
        elif current.label not in ("section", "note") and rank(line) <= top_rank:
            current = body  # a body heading ends a labelled block
            current.lines.append(line)
        elif line.tag == "li" and line.anchors_only and not in_sections:
            _contents_block(blocks).lines.append(line)  # an unlabelled list of in-page links
        else:
            (body if current.label == "note" else current).lines.append(line)
    return blocks


def _contents_block(blocks: list[Block]) -> Block:
    for block in blocks:
        if block.label == "contents":
            return block
    block = Block("contents")
    blocks.append(block)
    return block
