"""Link amendment records to the chapter they changed, by title.

Amendments pages name a chapter but not its number; where the same manual's
contents (or chapter pages) are loaded, a tolerant title match supplies it.
Unlinked amendments stay searchable by title and month."""
from __future__ import annotations

from typing import Optional, Sequence

from vectorstore.models import Amendment, Chunk, RecordKind
from vectorstore.text import title_key

MIN_OVERLAP = 0.8  # word overlap (Jaccard) a near title match needs: a word or two may differ


def _tokens(key: str) -> set[str]:
    return set(key.split())


def match_chapter(title: str, candidates: dict[str, tuple[Optional[str], Optional[str]]]) -> Optional[tuple]:
    """The (chapter, url) whose title best matches `title`, or None.

    `candidates` maps a title key to (chapter number, url)."""
    key = title_key(title)
    if not key:
        return None
    if key in candidates:
        return candidates[key]
    words = _tokens(key)
    best, best_score = None, 0.0
    for cand_key, target in candidates.items():
        cand = _tokens(cand_key)
        score = len(words & cand) / max(len(words | cand), 1)
        if score > best_score:
            best, best_score = target, score
    return best if best_score >= MIN_OVERLAP else None


def link_amendments(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Amendment chunks (of one manual) whose linked chapter changes; others untouched."""
    candidates = {
        title_key(c.title): (c.chapter, c.url)
        for c in chunks
        if c.kind in (RecordKind.CONTENTS, RecordKind.CHAPTER) and c.chapter and c.title
    }
    changed = []
    for chunk in chunks:
        if chunk.kind != RecordKind.AMENDMENT:
            continue
        amendment = chunk.record()
        assert isinstance(amendment, Amendment)
        chapter, chapter_url = match_chapter(amendment.title, candidates) or (None, None)
        # The record keeps only its own url; the chunk (what citations link to)
        # falls back to the linked chapter's page, so relinking can replace it.
        url = amendment.url or chapter_url
        if chapter != chunk.chapter or url != chunk.url:
            linked = amendment.model_copy(update={"chapter": chapter})
            changed.append(chunk.model_copy(update={
                "chapter": chapter, "url": url, "record_json": linked.model_dump_json()}))
    return changed
