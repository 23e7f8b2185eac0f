"""The records held in a store, in reading order: manuals, contents entries,
chapters and amendments. Built once from the store's chunks; the CLIs, the
assistant's look-ups and the app's pages all read it."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional, Sequence

from vectorstore.models import Amendment, Chapter, ChapterEntry, Chunk, Manual, RecordKind, chapter_from_chunks


@dataclass
class Catalog:
    chunks: list[Chunk]
    manuals: dict[str, Manual] = field(default_factory=dict)
    entries: list[ChapterEntry] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    chunks_by_record: dict[str, list[Chunk]] = field(default_factory=dict)
    # chapter number -> chunks of entries and pages with it, in store order: look-ups scan no other chunk
    chunks_by_number: dict[str, list[Chunk]] = field(default_factory=dict)

    @classmethod
    def from_chunks(cls, chunks: Sequence[Chunk]) -> "Catalog":
        """Group chunks into their records."""
        catalog = cls(chunks=list(chunks))
        by_record: dict[str, list[Chunk]] = defaultdict(list)
        for chunk in chunks:
            by_record[chunk.record_id].append(chunk)
            if chunk.chapter and chunk.kind != RecordKind.AMENDMENT:
                catalog.chunks_by_number.setdefault(chunk.chapter, []).append(chunk)
            if chunk.manual_id not in catalog.manuals:
                catalog.manuals[chunk.manual_id] = Manual(
                    id=chunk.manual_id, name=chunk.manual, places=chunk.manual_places, url=chunk.manual_url)
        catalog.chunks_by_record = dict(by_record)
        for record_chunks in by_record.values():
            chapter = record_chunks[0].kind == RecordKind.CHAPTER
            record = chapter_from_chunks(record_chunks) if chapter else record_chunks[0].record()
            {RecordKind.CONTENTS: catalog.entries, RecordKind.CHAPTER: catalog.chapters,
             RecordKind.AMENDMENT: catalog.amendments}[record_chunks[0].kind].append(record)
        catalog.entries.sort(key=lambda e: (e.manual_id, e.source, e.position))
        catalog.chapters.sort(key=lambda c: (c.manual_id, c.source, c.chapter or ""))
        # newest month first; within a month, page order
        catalog.amendments.sort(key=lambda a: (a.amended, -a.position), reverse=True)
        return catalog

    # -- look-ups --------------------------------------------------------
    def entries_numbered(self, chapter: str, manual_ids: Optional[set[str]] = None) -> list[ChapterEntry]:
        """Contents entries with this number (several where numbers repeat)."""
        return [e for e in self.entries if e.chapter == chapter
                and (manual_ids is None or e.manual_id in manual_ids)]

    def chapter_pages(self, manual_id: str, chapter: Optional[str]) -> list[Chapter]:
        return [c for c in self.chapters if c.manual_id == manual_id and c.chapter == chapter]

    def amendments_for(self, manual_id: str, chapter: Optional[str]) -> list[Amendment]:
        """Linked amendment records of a chapter, newest first."""
        return [a for a in self.amendments if a.manual_id == manual_id and chapter and a.chapter == chapter]

    def latest_amendment(self, manual_id: str, chapter: Optional[str]) -> Optional[str]:
        months = [a.amended for a in self.amendments_for(manual_id, chapter)]
        return max(months, default=None)

    def manual_entries(self, manual_id: str) -> list[ChapterEntry]:
        return [e for e in self.entries if e.manual_id == manual_id]

    # -- exact look-ups for answering (by number, by flag, amendments) ------------
    def numbered_chunks(self, numbers: Sequence[str], manual_ids: Optional[set[str]] = None) -> list[Chunk]:
        """Chunks of contents entries and chapter pages carrying one of these
        numbers, in the order the numbers are given, then by manual, entry first."""
        order = {n: i for i, n in enumerate(numbers)}
        found = [c for n in order for c in self.chunks_by_number.get(n, ())
                 if manual_ids is None or c.manual_id in manual_ids]
        return sorted(found, key=lambda c: (order[c.chapter], c.manual_id, c.kind != RecordKind.CONTENTS))

    def flagged_chunks(self, flag: str, manual_ids: Optional[set[str]] = None) -> list[Chunk]:
        """The first chunk of each contents entry whose status flags include `flag`, in manual order."""
        return [self.chunks_by_record[e.record_id][0] for e in self.entries
                if flag in e.flags and (manual_ids is None or e.manual_id in manual_ids)
                and self.chunks_by_record.get(e.record_id)]

    def amendment_chunks(self, manual_ids: Optional[set[str]] = None) -> list[Chunk]:
        """Amendment chunks, newest month first, in page order within a month."""
        return [self.chunks_by_record[a.record_id][0] for a in self.amendments
                if manual_ids is None or a.manual_id in manual_ids]
