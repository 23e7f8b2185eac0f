"""Safe rendering helpers: document text never reaches the page as HTML or as
markdown it did not mean.

`md_escape` is for document text placed inside our own markdown (titles,
passages, details). `safe_answer` is for the assistant's answer markdown,
whose bold and quotes we keep but whose HTML, images, links and maths we
disarm. `is_safe_url` guards links taken from documents.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator
from urllib.parse import urlparse

# One badge vocabulary for contents flags ("New", "under review") and amendment
# changes ("new", "updated"): the same word looks the same on every page.
BADGE_COLOURS = {"new": "green", "updated": "blue", "under review": "orange", "to follow": "gray",
                 "draft": "violet", "removed": "red"}
MARKER = re.compile(r"\[(\d{1,2})\]")  # a citation marker in answer text: "[2]"

# Characters that start markdown (or Streamlit's directives and LaTeX) anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~$])")
# Line starts that make a list, quote or heading.
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(\s)|^(\s*)([-+=])", re.MULTILINE)
# In answer markdown: raw HTML, images, inline links, autolinks and LaTeX.
_ANSWER_UNSAFE = re.compile(r"\\|<|\$|!\[|\]\(")


def md_escape(text: str) -> str:
    """Document text made literal for `st.markdown`: every markdown-significant
    character backslash-escaped, so `<script>` shows as text and `**` as stars.
    Line breaks are kept as markdown line breaks."""
    text = _INLINE.sub(r"\\\1", text or "")
    text = _LINE_START.sub(_escape_line_start, text)
    return text.replace("\n", "  \n")


def _escape_line_start(m: re.Match) -> str:
    if m.group(2) is not None:
        return f"{m.group(1)}{m.group(2)}\\{m.group(3)}{m.group(4)}"
    return f"{m.group(5)}\\{m.group(6)}"


def safe_answer(markdown: str) -> str:
    """The answer's markdown with raw HTML, images, links and LaTeX disarmed
    (their first character escaped), and backslashes doubled so document text
    cannot undo an escape; bold, quotes and line breaks untouched."""
    return _ANSWER_UNSAFE.sub(lambda m: "\\" + m.group(0), markdown or "")


def safe_stream(pieces: Iterable[str]) -> Iterator[str]:
    """`safe_answer` over streamed pieces. A piece ending in `!` or `]` is held
    back until the next, so `![` or `](` split across pieces is still caught."""
    held = ""
    for piece in pieces:
        text = held + piece
        held = ""
        if text.endswith(("!", "]")):
            text, held = text[:-1], text[-1]
        if text:
            yield safe_answer(text)
    if held:
        yield safe_answer(held)


def badge(label: str) -> tuple[str, str]:
    """A flag or change as a badge: its label written one way everywhere ("Under review"), and its colour."""
    return label[:1].upper() + label[1:], BADGE_COLOURS.get(label.lower(), "gray")


def linked_markers(markdown: str, urls: dict[int, str]) -> str:
    """Answer markdown (already made safe) with each citation marker "[n]" a link to its source."""
    def link(m: re.Match) -> str:
        url = urls.get(int(m.group(1)))
        return f"[\\[{m.group(1)}\\]]({url})" if url else m.group(0)
    return MARKER.sub(link, markdown)


def is_safe_url(url: str | None) -> bool:
    """Only http(s) links with a host are shown (no javascript:, data: or file:)."""
    if not url:
        return False
    parsed = urlparse(url.strip())
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def plain(text: str, limit: int = 0) -> str:
    """Text for widget labels: whitespace folded, optionally shortened with an ellipsis."""
    text = " ".join((text or "").split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text

