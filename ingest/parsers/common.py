"""Pieces every contents parser needs: chapter numbers, status words, dates
printed beside titles, section paths."""
from __future__ import annotations

import re
from typing import Callable, Optional

from vectorstore.models import STATUS_FLAGS
from vectorstore.text import DATE_PATTERN, parse_date

# "6.7.6", "7.10", "1.2.1a", "2.1" — a number at the start of an entry line,
# with or without a space after it ("1.1.1Capacity and Consent"). A letter
# suffix is one lower-case letter that does not start a word.
CHAPTER_NUMBER = re.compile(r"^(\d+(?:\.\d+)+(?:[a-z](?![a-z]))?)(?!\.?\d)\.?\s*(.*)$")

_FLAG_PATTERNS = [
    (flag, re.compile(r"(?:\s*[-–—]\s*|\s+)" + re.escape(flag) + r"\s*$", re.IGNORECASE))
    for flag in sorted(STATUS_FLAGS, key=len, reverse=True)
]


def split_flags(title: str) -> tuple[str, list[str]]:
    """Strip trailing status words from a title.

    "Kinship Care Policy - under review New" -> ("Kinship Care Policy", ["under review", "New"])
    Flags are returned in reading order."""
    title = title.strip()
    flags: list[str] = []
    changed = True
    while changed and title:
        changed = False
        for flag, pattern in _FLAG_PATTERNS:
            match = pattern.search(title)
            # A bare trailing "New"/"Updated" only counts as a flag with a space
            # before it, so "Brand New" style words inside titles are rare enough.
            if match and match.start() > 0:
                title = title[: match.start()].rstrip(" -–—")
                flags.insert(0, flag)
                changed = True
                break
    return title.strip(), flags


# A date at the end of a title: "Capacity and Consent October 31, 2024",
# "… (last updated 2 November 2024)", "… - 31/10/2024". A bare "Updated"
# before the date is the status flag, and stays one.
_TRAILING_DATE = re.compile(
    rf"^(?P<title>.*?)[\s,;:(\[–—-]*(?:(?:last\s+updated|reviewed|amended|published)\s*:?\s*)?"
    rf"(?P<date>{DATE_PATTERN})[)\]]?\s*$", re.IGNORECASE)
# List bullets an export keeps at the start of a line: "- 1.1.1 …", "• …".
_BULLET = re.compile(r"^\s*(?:[-–•*·▪◦‣]\s*)+(?=\S)")


def strip_bullet(line: str) -> str:
    """A line without its list bullet: "- 1.1.1Capacity" -> "1.1.1Capacity"."""
    return _BULLET.sub("", line, count=1)


def split_date(title: str) -> tuple[str, Optional[str]]:
    """Strip a trailing date: "Young Carers September 9, 2024" -> ("Young Carers", "2024-09-09")."""
    if not title.rstrip(" )]")[-1:].isdigit():
        return title, None  # every date form ends with its year (or day, in ISO)
    match = _TRAILING_DATE.match(title)
    if not match or not match.group("title").strip():
        return title, None
    dated = parse_date(match.group("date"))
    return (match.group("title").rstrip(" -–—,;:("), dated) if dated else (title, None)


def split_extras(title: str) -> tuple[str, list[str], Optional[str]]:
    """Title, status flags and date of an entry, whichever order they come in:
    "Information Sharing New January 15, 2025" -> ("Information Sharing", ["New"], "2025-01-15")."""
    title, flags = split_flags(title)
    title, dated = split_date(title)
    if dated:
        title, before = split_flags(title)
        flags = before + [f for f in flags if f not in before]
    return title, flags, dated


def section_path(*parts: str) -> list[str]:
    """Section headings, outermost first, blanks dropped: ["6. Children in Care", "6.7 Leaving Care"]."""
    return [p for p in parts if p]


def contents_run(numbered: list[tuple[int, str, str]], text_between: Callable[[int, int], bool]) -> set[int]:
    """Positions of a chapter's own unlabelled contents list: numbered headings
    1, 2, 3 … with nothing between them, whose first title comes back later as
    the real section 1. `numbered` holds (position, number, title key) of every
    numbered heading in page order; `text_between(a, b)` says whether anything
    but blank lines lies between positions a and b."""
    for start, (first, number, key) in enumerate(numbered):
        if number != "1":
            continue
        run = [first]
        for (previous, _, _), (position, later, _) in zip(numbered[start:], numbered[start + 1:]):
            if later != str(len(run) + 1) or text_between(previous, position):
                break
            run.append(position)
        repeated = any(n == "1" and k == key for p, n, k in numbered if p > run[-1])
        if len(run) >= 2 and repeated:
            return set(run)
    return set()
