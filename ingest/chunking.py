"""Records -> chunks. One chunk per contents entry and per amendment; chapter
pages are chunked by section, long sections split on paragraph boundaries.
Every chunk's embedded text starts with its manual, chapter and section, so a
passage is found by what it is about as well as by what it says; a contents
entry's also carries the glossary meanings of the terms its title uses."""
from __future__ import annotations

from typing import Iterator

from vectorstore.models import (Amendment, Chapter, ChapterEntry, Chunk, Manual, ParsedPage,
                                RecordKind, chapter_header, chapter_outline, stable_id)
from vectorstore.glossary import described
from vectorstore.text import month_label

# all-MiniLM-L6-v2 reads 256 word pieces; ~900 characters plus the prefix fits.
MAX_CHARS = 900


def chunk_id(stable: str, source_hash: str) -> str:
    """A chunk's store id: its record's stable id within one version of its file.
    A changed file's new rows never overwrite the old ones, so the store can
    switch from one version to the next in one step (see vectorstore.store)."""
    return f"{stable}-{source_hash[:12]}" if source_hash else stable


def page_chunks(page: ParsedPage, source_hash: str) -> list[Chunk]:
    """All chunks of a parsed page."""
    return list(iter_page_chunks(page, source_hash))


def iter_page_chunks(page: ParsedPage, source_hash: str) -> Iterator[Chunk]:
    """The chunks of a parsed page one at a time, in the order `page_chunks`
    lists them: the ingest embeds and writes them in batches, never all at once."""
    for entry in page.entries:
        yield entry_chunk(entry, page.manual, source_hash)
    for amendment in page.amendments:
        yield amendment_chunk(amendment, page.manual, source_hash)
    for chapter in page.chapters:
        yield from iter_chapter_chunks(chapter, page.manual, source_hash)


def entry_chunk(entry: ChapterEntry, manual: Manual, source_hash: str) -> Chunk:
    label = f"{entry.chapter} {entry.title}" if entry.chapter else entry.title
    lines = [label]
    if entry.see_also:
        lines.append("See also: " + "; ".join(entry.see_also))
    # A title is all a contents entry has: its glossary meanings let a question
    # in everyday words ("stay on with her foster carers after 18") meet it.
    embed = f"{manual.name}. {entry.section}. {label}. {described(entry.title)}".rstrip()
    return Chunk(
        id=chunk_id(entry.record_id, source_hash), text="\n".join(lines), embed_text=embed, manual_id=entry.manual_id,
        manual=manual.name, manual_places=manual.places, manual_url=manual.url, kind=RecordKind.CONTENTS, chapter=entry.chapter, title=entry.title,
        section=entry.section or None, flags=entry.flags, url=entry.url, source=entry.source,
        source_hash=source_hash, record_id=entry.record_id, record_json=entry.model_dump_json(),
        chapter_key=entry.record_id,
    )


def amendment_chunk(amendment: Amendment, manual: Manual, source_hash: str) -> Chunk:
    month = month_label(amendment.amended)
    name = amendment.title or "(chapter not named)"
    text = f"{month} — {amendment.change.value}: {name}. {amendment.details}".strip()
    embed = f"{manual.name}. Amendment {month}, {amendment.change.value} chapter: {amendment.title}. {amendment.details}"
    return Chunk(
        id=chunk_id(amendment.record_id, source_hash), text=text, embed_text=embed, manual_id=amendment.manual_id,
        manual=manual.name, manual_places=manual.places, manual_url=manual.url, kind=RecordKind.AMENDMENT, chapter=amendment.chapter,
        title=amendment.title, amended=amendment.amended, change_type=amendment.change.value, url=amendment.url,
        source=amendment.source, source_hash=source_hash, record_id=amendment.record_id,
        record_json=amendment.model_dump_json(),
    )


def chapter_chunks(chapter: Chapter, manual: Manual, source_hash: str) -> list[Chunk]:
    """Chunks of a chapter page: its scope and amendment note, then each section's pieces."""
    return list(iter_chapter_chunks(chapter, manual, source_hash))


def _chapter_parts(chapter: Chapter) -> Iterator[tuple[str, str, int]]:
    """(heading, text, section index or -1) of each chunk-to-be, in reading order."""
    if chapter.scope:
        yield "Scope of this chapter", chapter.scope, -1
    if chapter.amendment_note:
        yield "Amendment", chapter.amendment_note, -1
    for index, section in enumerate(chapter.sections):
        for piece in split_paragraphs(section.text):
            yield section.heading, piece, index


def iter_chapter_chunks(chapter: Chapter, manual: Manual, source_hash: str) -> Iterator[Chunk]:
    """The chunks of a chapter page one at a time. The first carries the
    chapter's outline, the rest its header: a chunk never holds the chapter's
    whole text (see vectorstore.models), so the store grows with the chapter,
    not with its square."""
    label = f"{chapter.chapter} {chapter.title}" if chapter.chapter else chapter.title
    outline, header = chapter_outline(chapter).model_dump_json(), chapter_header(chapter).model_dump_json()
    for position, (heading, text, section_index) in enumerate(_chapter_parts(chapter)):
        yield Chunk(
            id=chunk_id(stable_id(chapter.record_id, position, heading), source_hash), text=text,
            embed_text=f"{manual.name}. {label}. {heading}. {text}", manual_id=chapter.manual_id,
            manual=manual.name, manual_places=manual.places, manual_url=manual.url, kind=RecordKind.CHAPTER, chapter=chapter.chapter, title=chapter.title,
            section=heading, amended=chapter.amended, url=chapter.url, source=chapter.source,
            source_hash=source_hash, record_id=chapter.record_id, record_json=header if position else outline,
            chapter_key=chapter.entry_id or chapter.record_id, part=position, section_index=section_index,
        )


def split_paragraphs(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Pieces of at most ~`limit` characters, cut only between paragraphs
    (a single longer paragraph stays whole rather than be cut mid-sentence)."""
    pieces: list[str] = []
    current = ""
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        if current and len(current) + len(para) + 2 > limit:
            pieces.append(current)
            current = para
        else:
            current = f"{current}\n\n{para}" if current else para
    if current:
        pieces.append(current)
    return pieces
