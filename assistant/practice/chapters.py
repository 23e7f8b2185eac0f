"""Chapter pages: their addresses, and what an address shows.

Address scheme (the app's Chapter page lives at `chapter`):
  ?manual=derby-city&chapter=6.7.6                a numbered chapter, unique in its manual
  ?manual=rotherham&chapter=5.1.8&record=<id>     a number its manual uses more than once
  ?manual=leicestershire&record=<id>              an un-numbered entry (or chapter page)
  ?manual=ddscp&amendment=<id>                    one amendment record
  ...&cite=<passage hash>                         highlight the cited passage on the page
Manual ids and record ids are stable across ingests of the same files.

A chapter is shown whole where its page is loaded (joined to its contents
entry, or found by number), and as its place in the contents otherwise: its
section and neighbours, flags, amendment history and the online link.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping, Optional, Union
from urllib.parse import urlencode

from assistant.answer import Citation
from vectorstore.catalog import Catalog
from vectorstore.models import Amendment, Chapter, ChapterEntry, Chunk, Manual, RecordKind
from vectorstore.text import title_key

CHAPTER_PATH = "chapter"
NEIGHBOURS = 3  # entries shown either side of a chapter in a long section


def passage_hash(text: str) -> str:
    """A short, stable key for a cited passage (the `cite` parameter)."""
    return hashlib.sha1((text or "").encode("utf-8")).hexdigest()[:12]


def _shared_number(catalog: Catalog, manual_id: str, chapter: Optional[str]) -> bool:
    return bool(chapter) and len(catalog.entries_numbered(chapter, {manual_id})) > 1


def record_params(catalog: Catalog, manual_id: str, chapter: Optional[str], record_id: str) -> dict[str, str]:
    """Parameters for a contents entry or chapter page: by number when the
    number is unique in its manual, with the record id otherwise."""
    params = {"manual": manual_id}
    if chapter:
        params["chapter"] = chapter
    if not chapter or _shared_number(catalog, manual_id, chapter):
        params["record"] = record_id
    return params


def entry_params(catalog: Catalog, entry: Union[ChapterEntry, Chapter]) -> dict[str, str]:
    return record_params(catalog, entry.manual_id, entry.chapter, entry.record_id)


def amendment_params(amendment: Amendment) -> dict[str, str]:
    return {"manual": amendment.manual_id, "amendment": amendment.record_id}


def citation_params(catalog: Catalog, citation: Citation) -> dict[str, str]:
    """Where a citation goes: its chapter (passage highlighted) or its amendment record."""
    if citation.kind == RecordKind.AMENDMENT:
        params = {"manual": citation.manual_id, "amendment": citation.record_id}
    else:
        params = record_params(catalog, citation.manual_id, citation.chapter, citation.record_id)
    if citation.passage:
        params["cite"] = passage_hash(citation.passage)
    return params


def url_for(params: Mapping[str, str], base_url: str = "") -> str:
    """The Chapter page's address for these parameters: app-relative, or absolute under `base_url`."""
    path = f"{CHAPTER_PATH}?{urlencode(dict(params))}"
    return f"{base_url.rstrip('/')}/{path}" if base_url else path


# -- the online original ------------------------------------------------------------
@dataclass(frozen=True)
class OnlineLink:
    url: str
    label: str  # says honestly what opens: the chapter itself, or the manual's contents
    exact: bool  # True: the record's own page; False: the manual's address


def online_link(record_url: Optional[str], manual: Manual, short_name: str) -> Optional[OnlineLink]:
    """The record's own page where it has one, else the manual's address, never a guessed chapter URL."""
    if record_url:
        return OnlineLink(record_url, "Open the original page online", True)
    if manual.url:
        return OnlineLink(manual.url, f"Open the {short_name} procedures online", False)
    return None


# -- resolving an address ---------------------------------------------------------
@dataclass
class ChapterView:
    manual: Manual
    chapter: Optional[str]
    title: str
    entry: Optional[ChapterEntry] = None
    pages: list[Chapter] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)  # newest first
    others: list[ChapterEntry] = field(default_factory=list)  # other chapters sharing the number
    cited: Optional[Chunk] = None
    siblings: list[ChapterEntry] = field(default_factory=list)  # the entries of its (sub-)section, in order

    @property
    def url(self) -> Optional[str]:
        """The record's own online address, when the store holds one."""
        return (self.entry.url if self.entry else None) or next((p.url for p in self.pages if p.url), None)

    @property
    def flags(self) -> list[str]:
        if self.entry:
            return list(self.entry.flags)
        return list(dict.fromkeys(f for p in self.pages for f in p.flags))

    @property
    def section_path(self) -> list[str]:
        if self.entry:
            return list(self.entry.section_path)
        return next((list(p.section_path) for p in self.pages if p.section_path), [])

    @property
    def has_text(self) -> bool:
        return bool(self.pages)

    @property
    def latest_amendment(self) -> Optional[str]:
        months = [a.amended for a in self.amendments] + [p.amended for p in self.pages if p.amended]
        return max(months, default=None)

    def neighbours(self, around: int = NEIGHBOURS) -> list[ChapterEntry]:
        """The section's entries near this one (all of them when the section is short)."""
        if len(self.siblings) <= 2 * around + 1 or self.entry is None:
            return list(self.siblings)
        at = next((i for i, e in enumerate(self.siblings) if e.record_id == self.entry.record_id), 0)
        start = max(0, min(at - around, len(self.siblings) - (2 * around + 1)))
        return self.siblings[start:start + 2 * around + 1]


@dataclass
class AmendmentView:
    manual: Manual
    amendment: Amendment
    chapter: Optional[Union[ChapterEntry, Chapter]] = None  # the chapter it changed, when loaded


@dataclass
class NotFound:
    reason: str


View = Union[ChapterView, AmendmentView, NotFound]


def _one(params: Mapping[str, object], key: str) -> str:
    value = params.get(key) or ""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value).strip()


def resolve(catalog: Catalog, params: Mapping[str, object]) -> View:
    """The record an address names, or why there is none."""
    manual_id, chapter, record = _one(params, "manual"), _one(params, "chapter"), _one(params, "record")
    amendment_id, cite = _one(params, "amendment"), _one(params, "cite")
    manual = catalog.manuals.get(manual_id)
    if manual is None:
        return NotFound(f"There is no manual called “{manual_id}” loaded." if manual_id
                        else "This address doesn't name a manual.")
    if amendment_id:
        return _amendment_view(catalog, manual, amendment_id)
    if not (chapter or record):
        return NotFound("This address doesn't name a chapter.")
    return _chapter_view(catalog, manual, chapter or None, record, cite)


def chapter_of_amendment(catalog: Catalog, amendment: Amendment) -> Optional[Union[ChapterEntry, Chapter]]:
    """The loaded chapter an amendment changed: by its linked number, else by title in the same manual."""
    if amendment.chapter:
        linked = catalog.entries_numbered(amendment.chapter, {amendment.manual_id})
        if linked:
            return linked[0]
    key = title_key(amendment.title)
    if not key:
        return None
    same = [e for e in catalog.manual_entries(amendment.manual_id) if title_key(e.title) == key]
    same += [c for c in catalog.chapters if c.manual_id == amendment.manual_id and title_key(c.title) == key]
    return same[0] if same else None


def _amendment_view(catalog: Catalog, manual: Manual, record_id: str) -> View:
    found = next((a for a in catalog.amendments if a.manual_id == manual.id and a.record_id == record_id), None)
    if found is None:
        return NotFound(f"That amendment record isn't in {manual.name}.")
    return AmendmentView(manual, found, chapter_of_amendment(catalog, found))


def _chapter_view(catalog: Catalog, manual: Manual, chapter: Optional[str], record: str, cite: str) -> View:
    entries = catalog.entries_numbered(chapter, {manual.id}) if chapter else []
    entry = next((e for e in catalog.manual_entries(manual.id) if e.record_id == record), None) if record else None
    page = next((c for c in catalog.chapters if c.manual_id == manual.id and c.record_id == record), None)
    if record and not (entry or page):
        return NotFound(f"That chapter record isn't in {manual.name}.")
    if page and page.entry_id and entry is None:  # a joined page: show it with its contents entry
        entry = next((e for e in catalog.manual_entries(manual.id) if e.record_id == page.entry_id), None)
    entry = entry or (entries[0] if entries and not page else None)
    number = entry.chapter if entry else page.chapter if page else chapter
    title = entry.title if entry else page.title if page else ""
    pages = [page] if page else _pages_for(catalog, manual.id, entry, number, title)
    if not (entry or pages):
        return NotFound(f"There is no chapter {chapter} in {manual.name}.")
    title = title or pages[0].title
    others = [e for e in entries if entry is None or e.record_id != entry.record_id]
    records = [r.record_id for r in ([entry] if entry else []) + pages]
    return ChapterView(manual, number, title, entry, pages, amendments_of(catalog, manual.id, number, title),
                       others, _cited(catalog, records, cite), _siblings(catalog, entry))


def _pages_for(catalog: Catalog, manual_id: str, entry: Optional[ChapterEntry], number: Optional[str],
               title: str) -> list[Chapter]:
    if entry is not None:
        joined = [c for c in catalog.chapters if c.manual_id == manual_id and c.entry_id == entry.record_id]
        if joined:
            return joined
    pages = catalog.chapter_pages(manual_id, number)
    if number is None:  # un-numbered: the page with the same title
        pages = [p for p in pages if title_key(p.title) == title_key(title)]
    return [p for p in pages if not p.entry_id or entry is None or p.entry_id == entry.record_id]


def amendments_of(catalog: Catalog, manual_id: str, number: Optional[str], title: str) -> list[Amendment]:
    """A chapter's amendment records, newest first: linked by number, or naming its title."""
    key = title_key(title)
    found = catalog.amendments_for(manual_id, number) if number else []
    found += [a for a in catalog.amendments if a.manual_id == manual_id and key and title_key(a.title) == key
              and a not in found]
    return sorted(found, key=lambda a: a.amended, reverse=True)


def _siblings(catalog: Catalog, entry: Optional[ChapterEntry]) -> list[ChapterEntry]:
    if entry is None:
        return []
    return [e for e in catalog.manual_entries(entry.manual_id)
            if e.section_path == entry.section_path and e.source == entry.source]


def _cited(catalog: Catalog, record_ids: list[str], cite: str) -> Optional[Chunk]:
    if not cite:
        return None
    for record_id in record_ids:
        for chunk in catalog.chunks_by_record.get(record_id, []):
            if passage_hash(chunk.text) == cite:
                return chunk
    return None
