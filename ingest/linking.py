"""Tying a manual's records together after its files are read.

* A chapter page is joined to its contents entry: first by the contents
  page's link (a relative link resolved against the contents page's place
  in the site, or an absolute link against the page's own address or path),
  else by chapter number, else by title. The joined page carries the entry's
  number, title, section path and flags, and shares its `chapter_key`, so
  the chapter is one thing, cited once, with its number.
* An amendment record is linked to the chapter it changed by a tolerant title
  match (amendments pages name a chapter, not its number).
"""
from __future__ import annotations

import posixpath
from typing import Optional, Sequence
from urllib.parse import urlsplit

from vectorstore.models import Amendment, Chapter, ChapterEntry, Chunk, RecordKind
from vectorstore.text import title_key

MIN_OVERLAP = 0.8  # word overlap (Jaccard) a near title match needs: a word or two may differ
_LINK_WORDS = {"and", "or", "of", "the", "for", "to", "in", "on", "with", "a", "an", "from", "by"}


def _tokens(key: str) -> set[str]:
    return set(key.split())


def _overlap(a: str, b: str) -> float:
    wa, wb = _tokens(a) - _LINK_WORDS, _tokens(b) - _LINK_WORDS
    return len(wa & wb) / max(len(wa | wb), 1)


def match_chapter(title: str, candidates: dict[str, tuple[Optional[str], Optional[str]]]) -> Optional[tuple]:
    """The (chapter, url) whose title best matches `title`, or None.

    `candidates` maps a title key to (chapter number, url)."""
    key = title_key(title)
    if not key:
        return None
    if key in candidates:
        return candidates[key]
    best, best_score = None, 0.0
    for cand_key, target in candidates.items():
        # "Home and Care" and "Home or Care" name one chapter: linking words don't count
        score = _overlap(key, cand_key)
        if score > best_score:
            best, best_score = target, score
    return best if best_score >= MIN_OVERLAP else None


# -- chapter pages and contents entries ----------------------------------------------


def _path_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _same_address(a: str, b: str) -> bool:
    strip = lambda u: u.split("#")[0].rstrip("/").replace("http://", "https://")  # noqa: E731
    return strip(a) == strip(b)


def link_target(link: Optional[str], from_source: str) -> Optional[str]:
    """Where a link points inside a saved site: a relative link resolved against
    the page it is on ("chapters/p_x.html"), or an absolute link's path."""
    link = (link or "").strip()
    if not link or link.startswith(("#", "mailto:", "tel:")):
        return None
    if "://" in link:
        return _path_of(link) or None
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_source), link.split("#")[0].split("?")[0]))


def _same_target(target: Optional[str], page_source: str) -> bool:
    return bool(target) and (target == page_source or target.endswith("/" + page_source))


def links_to(entry: ChapterEntry, page_source: str, page_url: Optional[str]) -> bool:
    """Whether a contents entry's link points at this page (its path in the site, or its address)."""
    link = (entry.url or "").strip()
    if "://" in link and page_url and _same_address(link, page_url):
        return True
    # A saved site mirrors its paths: the link's path ends with the page's path in the folder.
    target = link_target(link, entry.source)
    if "://" in link:
        return _same_target(target, page_source)
    return target == posixpath.normpath(page_source)


def entry_for_page(chapter: Chapter, entries: Sequence[ChapterEntry],
                   taken: frozenset[str] = frozenset()) -> Optional[ChapterEntry]:
    """The contents entry a chapter page is: by link, else number, else title."""
    free = [e for e in entries if e.manual_id == chapter.manual_id and e.record_id not in taken]
    linked = [e for e in free if links_to(e, chapter.source, chapter.url)]
    if linked:
        return linked[0]
    number = chapter.page_number if chapter.entry_id else chapter.chapter
    title = chapter.page_title or chapter.title
    if number:
        numbered = [e for e in free if e.chapter == number]
        if len(numbered) == 1:
            return numbered[0]
        if numbered:  # a number used twice: the title decides
            return max(numbered, key=lambda e: _overlap(title_key(e.title), title_key(title)))
    key = title_key(title)
    scored = sorted(((_overlap(title_key(e.title), key), i) for i, e in enumerate(free)), reverse=True)
    if scored and scored[0][0] >= MIN_OVERLAP and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return free[scored[0][1]]
    return None


def joined(chapter: Chapter, entry: Optional[ChapterEntry]) -> Chapter:
    """The chapter as joined to `entry` (or un-joined, its own heading restored, when None)."""
    own_number = chapter.page_number if chapter.entry_id else chapter.chapter
    own_title = (chapter.page_title or chapter.title) if chapter.entry_id else chapter.title
    if entry is None:
        return chapter.model_copy(update={"chapter": own_number, "title": own_title, "entry_id": "",
                                          "page_number": None, "page_title": "", "section_path": [], "flags": []})
    return chapter.model_copy(update={
        "chapter": entry.chapter, "title": entry.title, "entry_id": entry.record_id,
        "page_number": own_number, "page_title": own_title,
        "section_path": list(entry.section_path), "flags": list(entry.flags)})


def join_pages(chapters: Sequence[Chapter], entries: Sequence[ChapterEntry]) -> dict[str, Chapter]:
    """Each chapter page joined to its entry (by record id). Links are matched
    first across all pages, so a page found by link is never beaten to its
    entry by another page's number or title."""
    taken: set[str] = set()
    result: dict[str, Chapter] = {}
    by_link = {c.record_id: next((e for e in entries if e.manual_id == c.manual_id
                                  and links_to(e, c.source, c.url)), None) for c in chapters}
    for chapter in chapters:
        entry = by_link[chapter.record_id]
        if entry is not None and entry.record_id not in taken:
            taken.add(entry.record_id)
            result[chapter.record_id] = joined(chapter, entry)
    for chapter in chapters:
        if chapter.record_id in result:
            continue
        entry = entry_for_page(chapter, entries, frozenset(taken))
        if entry is not None:
            taken.add(entry.record_id)
        result[chapter.record_id] = joined(chapter, entry)
    return result


# -- the pass over a manual's chunks --------------------------------------------------


def relink(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Chunks (of one manual) whose join or amendment link changes; others
    untouched. Each record's first chunk is enough: a chapter's others follow
    its first (`rejoined`)."""
    entries = [c.record() for c in _firsts(chunks, RecordKind.CONTENTS)]
    pages = [c.record() for c in _firsts(chunks, RecordKind.CHAPTER)]
    joins = join_pages(pages, entries)
    changed = [rejoined(c, joins[c.record_id]) for c in chunks
               if c.kind == RecordKind.CHAPTER and c.record_id in joins]
    changed = [c for c in changed if c is not None]
    rewritten = {c.id: c for c in changed}
    current = [rewritten.get(c.id, c) for c in chunks]
    return changed + link_amendments(current)


def _firsts(chunks: Sequence[Chunk], kind: RecordKind) -> list[Chunk]:
    seen, firsts = set(), []
    for c in chunks:
        if c.kind == kind and c.record_id not in seen:
            seen.add(c.record_id)
            firsts.append(c)
    return firsts


# What a join changes in a chapter record (`joined`); the rest of each chunk's record stays its own.
_JOIN_FIELDS = ("chapter", "title", "entry_id", "page_number", "page_title", "section_path", "flags")


def rejoined(chunk: Chunk, chapter: Chapter) -> Optional[Chunk]:
    """The chunk with the chapter's join, or None when it has it already. Each
    chunk keeps its own form of the record (outline or header: vectorstore.models)."""
    own = chunk.record()
    record_json = own.model_copy(update={name: getattr(chapter, name) for name in _JOIN_FIELDS}).model_dump_json()
    if record_json == chunk.record_json:
        return None
    return chunk.model_copy(update={"chapter": chapter.chapter, "title": chapter.title, "flags": chapter.flags,
                                    "chapter_key": chapter.entry_id or chapter.record_id,
                                    "record_json": record_json})


def _by_link(amendment: Amendment, pages: dict, linked_entries: dict) -> Optional[tuple]:
    """The chapter an amendment row links to, when its name is a link."""
    target = link_target(amendment.url, amendment.source)
    if not target:
        return None
    for source, found in pages.items():
        if _same_target(target, source):
            return found
    return linked_entries.get(target)


def link_amendments(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Amendment chunks (of one manual) whose linked chapter changes; others untouched."""
    candidates = {
        title_key(c.title): (c.chapter, c.url)
        for c in chunks
        if c.kind in (RecordKind.CONTENTS, RecordKind.CHAPTER) and c.chapter and c.title
    }
    for c in chunks:  # a joined page is also known by its own heading
        if c.kind == RecordKind.CHAPTER and c.chapter:
            page = c.record()
            if page.page_title:
                candidates.setdefault(title_key(page.page_title), (c.chapter, c.url))
    pages = {c.source: (c.chapter, c.url) for c in chunks if c.kind == RecordKind.CHAPTER and c.chapter}
    linked_entries = {link_target(c.url, c.source): (c.chapter, None) for c in chunks
                      if c.kind == RecordKind.CONTENTS and c.chapter and c.url}
    changed = []
    for chunk in chunks:
        if chunk.kind != RecordKind.AMENDMENT:
            continue
        amendment = chunk.record()
        assert isinstance(amendment, Amendment)
        chapter, chapter_url = (_by_link(amendment, pages, linked_entries)
                                or match_chapter(amendment.title, candidates) or (None, None))
        # The record keeps only its own url; the chunk (what citations link to)
        # falls back to the linked chapter's page, so relinking can replace it.
        url = amendment.url or chapter_url
        if chapter != chunk.chapter or url != chunk.url:
            linked = amendment.model_copy(update={"chapter": chapter})
            changed.append(chunk.model_copy(update={
                "chapter": chapter, "url": url, "record_json": linked.model_dump_json()}))
    return changed
