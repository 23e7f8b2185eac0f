"""Pieces every contents parser needs: chapter numbers, status words, section paths."""
from __future__ import annotations

import re

from vectorstore.models import STATUS_FLAGS

# "6.7.6", "7.10", "1.2.1a", "2.1" — a number at the start of an entry line.
CHAPTER_NUMBER = re.compile(r"^(\d+(?:\.\d+)+[a-z]?)\b\.?\s*(.*)$")

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


def section_path(*parts: str) -> list[str]:
    """Section headings, outermost first, blanks dropped: ["6. Children in Care", "6.7 Leaving Care"]."""
    return [p for p in parts if p]
