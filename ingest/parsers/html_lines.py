"""The lines a saved HTML page is read into: one per heading, paragraph, list
item, table row or accordion title, each keeping its links and table cells."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

HEADINGS = {f"h{i}" for i in range(1, 7)}
# Escaped markup in a page ("&lt;script&gt;") decodes to tag-shaped text; strip
# anything that names a real HTML element, keep other angle-bracketed prose.
_TAG_LIKE = re.compile(
    r"</?(?:script|style|iframe|img|svg|object|embed|link|meta|base|form|input|button|a|div|span|p|br"
    r"|table|tr|td|th|ul|ol|li|h[1-6]|html|head|body|b|i|u|em|strong|font|video|audio|source|math)"
    r"(?=[\s/>])[^<>]*>?", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def tidy(text: str) -> str:
    """One-line text: whitespace folded, HTML tags removed (defence in depth:
    entity-escaped markup in a page must not come back out as markup)."""
    return _SPACE.sub(" ", _TAG_LIKE.sub("", text)).strip()


@dataclass
class Part:
    """A run of text in a line; `href` set for links (resolved), `anchor` for in-page links."""

    text: str
    href: Optional[str] = None
    anchor: bool = False
    bold: bool = False


@dataclass
class Line:
    """One block of a page in reading order."""

    tag: str  # "h2", "p", "li", "tr", "caption", "summary", or a container for loose text
    parts: list[Part] = field(default_factory=list)
    cells: list[list[Part]] = field(default_factory=list)  # table rows only
    header_cells: int = 0  # how many of the row's cells are <th>
    list_kind: str = ""  # "ul"/"ol" for list items
    ordinal: int = 0  # 1-based place in an <ol>
    level: int = 0  # heading level of an accordion title (<summary>), which has no h-tag of its own

    # Cached: a line is complete before any parser reads it, and parsers read often.
    @cached_property
    def text(self) -> str:
        return tidy("".join(p.text for p in self.parts))

    @cached_property
    def links(self) -> list[Part]:
        """Links to other pages (in-page anchors excluded), with their text tidied."""
        return [Part(tidy(p.text), p.href, p.anchor, p.bold) for p in self.parts
                if p.href and not p.anchor and tidy(p.text)]

    @property
    def anchors_only(self) -> bool:
        """True when the line links only within the page (quick links, contents lists)."""
        return any(p.anchor for p in self.parts) and not self.links

    @property
    def all_anchor_text(self) -> bool:
        """True when every visible word of the line is the text of an in-page link."""
        visible = [p for p in self.parts if p.text.strip()]
        return bool(visible) and all(p.anchor for p in visible)

    @property
    def bold(self) -> bool:
        """All visible text is bold: a bold paragraph standing in for a heading."""
        visible = [p for p in self.parts if p.text.strip()]
        return bool(visible) and all(p.bold for p in visible)

    @property
    def heading_level(self) -> int:
        """1-6 for h1-h6 and accordion titles, 0 otherwise."""
        return int(self.tag[1]) if self.tag in HEADINGS else self.level

    def cell_texts(self) -> list[str]:
        return list(self._cell_texts)

    @cached_property
    def _cell_texts(self) -> tuple[str, ...]:
        return tuple(tidy("".join(p.text for p in cell)) for cell in self.cells)
