"""The manifest beside a folder of manuals: which manual and page kind each
file is. Files it does not name are still ingested: their kind is detected
and their manual guessed from their text."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from vectorstore.models import Manual, PageKind
from vectorstore.text import title_key

MANIFEST_NAME = "manifest.toml"

# Words in a manual's name that say what it is, not where it is.
_GENERIC = {
    "children", "childrens", "social", "care", "procedures", "procedure", "manual", "services",
    "service", "operational", "county", "council", "safeguarding", "partnership", "and", "the",
    "of", "second", "for", "young", "people", "contents", "board", "city", "s",
}


@dataclass
class FileEntry:
    manual_id: str
    kind: Optional[PageKind] = None


@dataclass
class Manifest:
    manuals: dict[str, Manual] = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)


def load_manifest(folder: Path) -> Manifest:
    """Read `manifest.toml` in `folder` (an empty manifest when there is none)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return Manifest()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    manuals = {
        mid: Manual(id=mid, name=m["name"], places=list(m.get("places", [])) or derive_places(m["name"]))
        for mid, m in data.get("manuals", {}).items()
    }
    files = {
        name: FileEntry(f["manual"], PageKind.parse(f["kind"]) if f.get("kind") else None)
        for name, f in data.get("files", {}).items()
    }
    for name, entry in files.items():
        if entry.manual_id not in manuals:
            raise ValueError(f"{path}: file {name!r} names manual {entry.manual_id!r}, which is not defined")
    return Manifest(manuals, files)


def derive_places(name: str) -> list[str]:
    """Place names in a manual's name: "Rotherham Children's Services Procedures" -> ["Rotherham"]."""
    words = [w for w in re.findall(r"[A-Za-z]+", name)]
    places = [w for w in words if w.lower() not in _GENERIC and w[0].isupper()]
    return places[:3]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title_key(text)).strip("-")[:48] or "manual"


def guess_manual(text: str, known: dict[str, Manual]) -> Manual:
    """The manual a page belongs to: a known manual whose name or first place
    name appears near the top, else a new manual named from the first lines."""
    head = " ".join(text.split("\n")[:15])
    head_key = title_key(head)
    for manual in sorted(known.values(), key=lambda m: -len(m.name)):
        if title_key(manual.name) in head_key:
            return manual
    for manual in known.values():
        first = manual.places[0] if manual.places else ""
        if first and re.search(rf"\b{re.escape(first.lower())}\b", head_key):
            return manual
    name = _name_from_head(text)
    return Manual(id=slugify(name), name=name, places=derive_places(name))


def _name_from_head(text: str) -> str:
    for line in text.split("\n")[:15]:
        line = re.sub(r"<[^>]+>", " ", line).strip(" |")
        # A page title is "<page> | <site>" or "<site> - <page>": keep the
        # site part, or the page's own words become the manual's "places".
        for part in _TITLE_SEPARATOR.split(line):
            if re.search(r"procedure|manual", part, re.IGNORECASE) and len(part) < 120:
                return re.sub(r"\s+", " ", part.strip(" |"))
    return "Unnamed manual"


_TITLE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+")
