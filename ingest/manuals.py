"""Naming manuals: a manual's name from its contents page, a short readable id
from the name, its place names, and which known manual a stray page belongs to."""
from __future__ import annotations

import re
from typing import Iterable, Optional

from vectorstore.models import Manual
from vectorstore.text import title_key

# Words in a manual's name that say what it is, not where it is.
_GENERIC = {
    "children", "childrens", "social", "care", "procedures", "procedure", "manual", "services",
    "service", "operational", "county", "council", "safeguarding", "partnership", "and", "the",
    "of", "second", "for", "young", "people", "contents", "board", "city", "s", "borough",
    "metropolitan", "district", "online", "handbook", "practice", "guidance", "policies", "policy",
    "families", "family",
}
_NAMING = re.compile(r"procedure|manual|handbook|practice guidance", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+|\s*\|\s*")
# Lines that name another manual or the page, not this site: "View London Child Protection Procedures".
_NOT_A_NAME = re.compile(r"^(?:view|visit|go to|see|back to|link to|search)\b|^contents$", re.IGNORECASE)
ID_MAX = 40


def derive_places(name: str) -> list[str]:
    """Place names in a manual's name: "Rotherham Children's Services Procedures" -> ["Rotherham"]."""
    words = re.findall(r"[A-Za-z]+", name)
    places = [w for w in words if w.lower() not in _GENERIC and w[0].isupper()]
    return places[:3]


def slugify(text: str, limit: int = ID_MAX) -> str:
    """A readable id: lower-case words joined by '-', never cut mid-word."""
    words = title_key(text).split()
    kept: list[str] = []
    for word in words:
        if kept and len("-".join(kept + [word])) > limit:
            break
        kept.append(word[:limit])
    return "-".join(kept) or "manual"


def manual_for_name(name: str, known: Iterable[Manual]) -> Manual:
    """The known manual with this name, else a new one with a short id from its
    place names ("brackenshire"), lengthened only where that id is taken."""
    known = list(known)
    key = title_key(name)
    for manual in known:
        if title_key(manual.name) == key:
            return manual
    places = derive_places(name)
    taken = {m.id for m in known}
    candidates = [slugify(" ".join(places))] if places else []
    candidates.append(slugify(" ".join(w for w in key.split() if w not in {"the", "of", "and", "s"})))
    manual_id = next((c for c in candidates if c not in taken), None)
    if manual_id is None:
        base, n = candidates[-1], 2
        while f"{base}-{n}" in taken:
            n += 1
        manual_id = f"{base}-{n}"
    return Manual(id=manual_id, name=name, places=places)


def name_from_page(title: str, lines: Iterable[str]) -> Optional[str]:
    """A manual's name as its contents page gives it: the part of the page
    title, else the first line near the top, that says procedures or manual."""
    for candidate in [title, *list(lines)[:25]]:
        for part in _TITLE_SEPARATOR.split(candidate or ""):
            part = re.sub(r"\s+", " ", part).strip(" |:")
            if part and _NAMING.search(part) and len(part) < 120 and not _NOT_A_NAME.search(part):
                return _unglue(part)
    return None


def _unglue(name: str) -> str:
    """Site headers often glue the council to the title ("Derby CityChildren's …")."""
    return re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", name) if " " in name else name


def guess_manual(text: str, known: dict[str, Manual]) -> Manual:
    """The manual a stray page belongs to: a known manual whose name or first
    place name appears near the top, else a new manual named from the first lines."""
    head = " ".join(text.split("\n")[:15])
    head_key = title_key(head)
    for manual in sorted(known.values(), key=lambda m: -len(m.name)):
        if title_key(manual.name) in head_key:
            return manual
    for manual in known.values():
        first = manual.places[0] if manual.places else ""
        if first and re.search(rf"\b{re.escape(first.lower())}\b", head_key):
            return manual
    name = name_from_page("", (re.sub(r"<[^>]+>", " ", line) for line in text.split("\n")[:15]))
    return manual_for_name(name or "Unnamed manual", known.values())
