"""Hybrid retrieval: BM25 and Chroma similarity over the same chunks, fused by
reciprocal rank, then gathered into records (one per contents entry, chapter
or amendment) so each is cited once."""
from __future__ import annotations

import math
import re
import threading
import time

import numpy as np
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from assistant.question import Lookup, Question
from vectorstore.catalog import Catalog
from vectorstore.clients import is_unreachable
from vectorstore.embeddings import Embedder
from vectorstore.lexical import LexicalIndex, indexed_text, tokenize
from vectorstore.models import Chunk, RecordKind, StrEnum
from vectorstore.store import VectorStore
from vectorstore.text import title_key

RRF_K = 60  # the usual reciprocal-rank constant: damps the head of each list
TITLE_WEIGHT = 0.4  # what naming the asked words in a record's own title adds (chosen on the dev sets)
COVERAGE_WEIGHT = 0.5  # how much topic-word coverage adds to the normalised fused rank
PASSAGE_COVERAGE = 0.75  # words scattered through a passage count less than the same words in a title
_LINK_WORDS = {"and", "of", "the", "for", "to", "in", "on", "with", "a", "an", "or"}
POOL = 40  # candidates taken from each retriever before fusion
READ_TRIES = 4  # a store read that overlaps a write (or a rebuild's switch) is retried this often
KIND_PRIOR = {  # how much each record kind counts, by what the question asks for
    Lookup.CHANGES: {RecordKind.AMENDMENT: 1.0, RecordKind.CONTENTS: 0.4, RecordKind.CHAPTER: 0.9},
    Lookup.SEARCH: {RecordKind.AMENDMENT: 0.8, RecordKind.CONTENTS: 1.0, RecordKind.CHAPTER: 1.0},
    Lookup.NUMBER: {RecordKind.AMENDMENT: 0.5, RecordKind.CONTENTS: 1.0, RecordKind.CHAPTER: 1.0},
}


class FoundBy(StrEnum):
    """How a record was found: ranked by search, or looked up exactly in the catalog."""

    SEARCH = "search"  # hybrid search: score, dense and coverage are measured
    NUMBER = "number"  # its chapter number was asked for
    FLAG = "flag"  # its contents status flag was asked for
    AMENDMENTS = "amendments"  # read from the amendments list (by month, the latest, a chapter's history)


@dataclass
class RecordHit:
    """One record's evidence: its best chunk and how each retriever saw it."""

    chunk: Chunk
    score: float = 0.0
    dense: float = 0.0  # best cosine similarity of its chunks
    lexical: float = 0.0  # best BM25 score of its chunks
    coverage: float = 0.0  # share of the question's topic words found in the best chunk
    titled: float = 0.0  # share of them that the record's own title names
    chunks: list[Chunk] = field(default_factory=list)
    # an exact look-up says so here; its score, dense and coverage are then not measured (0.0)
    found_by: FoundBy = FoundBy.SEARCH

    @property
    def record_id(self) -> str:
        return self.chunk.record_id


def citation_key(chunk: Chunk) -> tuple:
    """Records that are the same thing to a reader: an entry and its chapter
    page share a key; two different entries with one number do not."""
    if chunk.kind == RecordKind.AMENDMENT:
        return ("amendment", chunk.record_id)
    return ("chapter", chunk.chapter_key or chunk.record_id)


class HybridRetriever:
    """Loads the store's chunks once (`warm_up`), then answers searches."""

    def __init__(self, store: VectorStore, embedder: Embedder):
        self.store = store
        self.embedder = embedder
        self.catalog: Optional[Catalog] = None
        self._lexical: Optional[LexicalIndex] = None
        self._lock = threading.Lock()
        self._vectors: dict[str, list[float]] = {}
        self.stamp: Optional[str] = None  # the store stamp the snapshot was read at
        self._sources: Optional[dict] = None  # the source rows it was read at
        self.problem: Optional[str] = None  # why the last search answered from the snapshot alone

    def warm_up(self) -> None:
        with self._lock:
            if self.catalog is not None:
                return
            self.embedder.warm_up()
            self._load(*self._read_store())

    def refresh(self) -> bool:
        """Between questions: reload when the store has changed since the
        snapshot and no write is in progress. An unreachable store keeps the
        snapshot (answers go on from it). True when it reloaded."""
        if self.catalog is None:
            return False
        try:
            _follow_rebuild(self.store)
            stamp = self.store.stamp()
            if stamp == self.stamp or _busy(self.store):
                return False
            if _sources(self.store) == self._sources:  # a rebuild filling its side collections, say
                self.stamp = stamp
                return False
            loaded = self._read_store()
        except Exception as exc:  # noqa: BLE001 - the snapshot in hand still answers
            if not is_unreachable(exc):
                raise
            return False
        with self._lock:
            self._load(*loaded)
        return True

    def _read_store(self) -> tuple[str, Optional[dict], list[Chunk], np.ndarray]:
        """(stamp, source rows, chunks, their stored vectors), read whole: a read that
        overlaps a write or a rebuild's switch is retried."""
        for attempt in range(READ_TRIES):
            try:
                _follow_rebuild(self.store)
                stamp = self.store.stamp()
                sources = _sources(self.store)
                chunks = self.store.snapshot()
                # Stored vectors, so a record found only lexically still gets its
                # true similarity (the Chroma query ranks only the top of the pool).
                if not chunks:  # nothing loaded yet: an empty index, not a reshape error
                    return stamp, sources, chunks, np.zeros((0, 0), dtype=np.float32)
                vectors = self.store.vectors([c.id for c in chunks])
                return stamp, sources, chunks, np.array(vectors, dtype=np.float32).reshape(len(chunks), -1)
            except Exception as exc:  # noqa: BLE001 - a concurrent write: read again
                if is_unreachable(exc) or attempt == READ_TRIES - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))
                if attempt:
                    _reconnect(self.store)
        raise AssertionError("unreachable")

    def _load(self, stamp: str, sources: Optional[dict], chunks: list[Chunk], matrix: np.ndarray) -> None:
        self._chunks = chunks
        self._lexical = LexicalIndex(chunks)
        self._tokens = [set(tokenize(indexed_text(c))) for c in chunks]
        self._df = Counter(t for tokens in self._tokens for t in tokens)
        self._acronym_cache: dict[str, set[str]] = {}
        self._title_tokens: dict[str, set[str]] = {}
        self._position = {c.id: i for i, c in enumerate(chunks)}
        self._matrix = matrix
        self.stamp = stamp
        self._sources = sources
        self.catalog = Catalog.from_chunks(chunks)

    def search(self, question: Question, k: int = 10, filters: Optional[dict[str, set[str]]] = None,
               ranked_as: Optional[Lookup] = None) -> list[RecordHit]:
        """Records for a question, best first, at most `k`. `filters` limits
        metadata fields to sets of values (the question's manual scope is added).
        Record kinds are weighted for `ranked_as` (default: what the question asks for)."""
        prior = KIND_PRIOR[ranked_as or question.intent]
        self.warm_up()
        filters = dict(filters or {})
        if question.manual_ids:
            filters["manual_id"] = set(question.manual_ids)
        hits: dict[tuple, RecordHit] = {}
        dense_rank: dict[tuple, int] = {}
        lexical_rank: dict[tuple, int] = {}
        vector = self.query_vector(question)
        for chunk, sim in self._dense(vector, filters):
            hit = self._hit(hits, chunk)
            hit.dense = max(hit.dense, sim)
            dense_rank.setdefault(citation_key(chunk), len(dense_rank))
        for pos, bm25 in self._lexical.search(question.search_text, POOL, filters):
            chunk = self._lexical.chunks[pos]
            hit = self._hit(hits, chunk)
            hit.lexical = max(hit.lexical, bm25)
            lexical_rank.setdefault(citation_key(chunk), len(lexical_rank))
        self._fill_similarity(hits.values(), vector)
        for key, hit in hits.items():
            # Fuse record ranks, not chunk ranks: a long chapter's many chunks
            # must not outvote a one-line contents entry.
            fused = sum(1.0 / (RRF_K + ranks[key]) for ranks in (dense_rank, lexical_rank) if key in ranks)
            hit.coverage = max(self.coverage(question, c) * (1.0 if c.kind == RecordKind.CONTENTS
                                                             else PASSAGE_COVERAGE) for c in hit.chunks)
            # Fused rank orders by agreement; coverage breaks near-ties towards
            # the record that names what was asked ("S47" -> "… (Section 47)").
            normalised = fused * (RRF_K + 1) / 2
            # … and naming them in its own title says more than mentioning them in its text
            hit.titled = max(self.title_coverage(question, c) for c in hit.chunks)
            hit.score = ((normalised + COVERAGE_WEIGHT * hit.coverage + TITLE_WEIGHT * hit.titled)
                         * prior[hit.chunk.kind])
        return sorted(hits.values(), key=lambda h: -h.score)[:k]

    def query_vector(self, question: Question) -> list[float]:
        """The question's embedding (remembered: the remit check reuses it)."""
        text = question.search_text or question.text
        vector = self._vectors.get(text)
        if vector is None:
            if len(self._vectors) >= 256:  # a small memo, not a cache of every question asked
                self._vectors.clear()
            vector = self._vectors[text] = self.embedder.embed_query(text)
        return vector

    def coverage(self, question: Question, chunk: Chunk) -> float:
        """Share of the question's topic words that the chunk contains, weighted
        by rarity (a word no manual uses weighs most), counting a glossary term
        as present when one of its manual wordings is."""
        if not question.topic_tokens:
            return 0.0
        tokens = self._tokens[self._position[chunk.id]] if chunk.id in self._position else set(
            tokenize(indexed_text(chunk)))
        return self._covered(question, tokens, chunk)

    def title_coverage(self, question: Question, chunk: Chunk) -> float:
        """Share of the question's topic words (rarity-weighted) that the record's
        own title names: "chronologies" is the chapter called Chronologies more
        than a chapter whose text mentions chronologies."""
        if not question.topic_tokens or not chunk.title:
            return 0.0
        tokens = self._title_tokens.get(chunk.title)
        if tokens is None:
            tokens = self._title_tokens[chunk.title] = set(tokenize(chunk.title))
        return self._covered(question, tokens, chunk, shorthand_as_wording=True)

    def _covered(self, question: Question, tokens: set[str], chunk: Chunk, shorthand_as_wording: bool = False) -> float:
        """Rarity-weighted share of the topic words in `tokens` (a glossary term
        counts when one of its manual wordings is there, an acronym when the title spells it)."""
        total = found = 0.0
        for token in question.topic_tokens:
            weight = self._shorthand_weight(question, token) if shorthand_as_wording else self._idf(token)
            total += weight
            if token in tokens or any(alt and set(alt) <= tokens for alt in question.alternatives.get(token, ())) \
                    or token in self._acronyms(chunk):
                found += weight
        return found / total

    def _shorthand_weight(self, question: Question, token: str) -> float:
        """How much a topic word counts towards a title naming it: its rarity,
        except that shorthand no manual uses ("c&f", "strat") is as rare as the
        wording it stands for, read as its rarest word ("child and family
        assessment" -> "assessment"). At the maximum an unknown word gets, the
        shorthand outweighs the rest of the question and drags it to the chapter
        whose title spells the shorthand out. (Coverage of a record's text keeps
        the maximum: there a covered shorthand is evidence the record is about it.)"""
        own = self._idf(token)
        wordings = [alt for alt in question.alternatives.get(token, ()) if alt]
        if self._df.get(token) or not wordings:
            return own
        return min(own, min(max(self._idf(w) for w in alt) for alt in wordings))

    def _acronyms(self, chunk: Chunk) -> set[str]:
        """Initials of runs of title words: "Initial Response Team" gives "irt"."""
        cached = self._acronym_cache.get(chunk.id)
        if cached is None:
            words = [w for w in re.findall(r"[A-Za-z]+", chunk.title) if w.lower() not in _LINK_WORDS]
            initials = "".join(w[0].lower() for w in words)
            cached = {initials[i:j] for i in range(len(initials)) for j in range(i + 2, min(i + 5, len(initials)) + 1)}
            self._acronym_cache[chunk.id] = cached
        return cached

    def idf(self, token: str) -> float:
        """How rare a word is across the store's chunks (a word no chunk uses weighs most)."""
        return self._idf(token)

    def _idf(self, token: str) -> float:
        return math.log((len(self._tokens) + 1) / (self._df.get(token, 0) + 0.5))

    def similarities(self, chunks: list[Chunk], vector: list[float]) -> list[float]:
        """Each chunk's cosine similarity to a query vector, from the stored vectors (0 for unknown chunks)."""
        query = np.asarray(vector, dtype=np.float32)
        return [float(self._matrix[self._position[c.id]] @ query) if c.id in self._position else 0.0
                for c in chunks]

    def _fill_similarity(self, hits, vector: list[float]) -> None:
        query = np.asarray(vector, dtype=np.float32)
        for hit in hits:
            rows = [self._position[c.id] for c in hit.chunks if c.id in self._position]
            if rows and len(self._matrix):
                hit.dense = max(hit.dense, float((self._matrix[rows] @ query).max()))

    def _dense(self, vector: list[float], filters: dict[str, set[str]]) -> list[tuple[Chunk, float]]:
        clauses = [{name: {"$in": sorted(values)}} for name, values in filters.items()]
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        self.problem = None
        for attempt in range(READ_TRIES):
            try:
                if attempt:  # a write or a rebuild's switch got in the way: look again, then with a new client
                    time.sleep(0.05 * attempt)
                    if attempt == 1:
                        _follow_rebuild(self.store)
                    else:
                        _reconnect(self.store)
                found = self.store.query(vector, POOL, where)
                break
            except Exception as exc:  # noqa: BLE001 - a write or a lost server: see below
                if is_unreachable(exc):
                    self.problem = f"the store cannot be reached ({type(exc).__name__}: {exc})"
                    return self._dense_from_snapshot(vector, filters)
                if attempt == READ_TRIES - 1:
                    self.problem = f"the store kept failing ({type(exc).__name__}: {exc})"
                    return self._dense_from_snapshot(vector, filters)
        # Answer from the snapshot taken at warm-up: rows written since (a file
        # being re-ingested right now) are not part of it.
        known = self._position
        return [(self._chunks[known[chunk.id]], 1.0 - dist) for chunk, dist in found if chunk.id in known]

    def _dense_from_snapshot(self, vector: list[float], filters: dict[str, set[str]]) -> list[tuple[Chunk, float]]:
        """The nearest chunks by the snapshot's own vectors: a scan of every
        chunk, used only while the store cannot answer."""
        if not len(self._matrix):
            return []
        sims = self._matrix @ np.asarray(vector, dtype=np.float32)
        keep = [i for i, c in enumerate(self._chunks)
                if all(str(getattr(c, name, "")) in values for name, values in filters.items())]
        best = sorted(keep, key=lambda i: -sims[i])[:POOL]
        return [(self._chunks[i], float(sims[i])) for i in best]

    @staticmethod
    def _hit(hits: dict[tuple, RecordHit], chunk: Chunk) -> RecordHit:
        key = citation_key(chunk)
        hit = hits.get(key)
        if hit is None:
            hit = hits[key] = RecordHit(chunk=chunk, chunks=[chunk])
        elif chunk.id not in {c.id for c in hit.chunks}:
            hit.chunks.append(chunk)
        return hit

    def records_numbered(self, question: Question) -> list[RecordHit]:
        """Exact look-up (in the catalog): entries and chapter pages with the question's numbers."""
        self.warm_up()
        scope = set(question.manual_ids) if question.manual_ids else None
        hits: dict[tuple, RecordHit] = {}
        for chunk in self.catalog.numbered_chunks(question.numbers, scope):
            self._hit(hits, chunk).found_by = FoundBy.NUMBER
        return list(hits.values())

    def records_flagged(self, question: Question, limit: int = 20) -> list[RecordHit]:
        """Contents entries in scope whose status flags include the question's, in manual order."""
        self.warm_up()
        scope = set(question.manual_ids) if question.manual_ids else None
        return [RecordHit(chunk=c, chunks=[c], found_by=FoundBy.FLAG)
                for c in self.catalog.flagged_chunks(question.flag, scope)][:limit]

    def amendments(self, question: Question) -> list[Chunk]:
        """Amendment chunks in the question's scope, newest month first, in page order within a month."""
        self.warm_up()
        return self.catalog.amendment_chunks(set(question.manual_ids) if question.manual_ids else None)


def _follow_rebuild(store) -> None:
    """Point the store at the live collections if a rebuild was promoted meanwhile."""
    follow = getattr(store, "follow_head", None)
    if follow is not None:
        follow()


def _reconnect(store) -> None:
    """A new client for the store, when reads keep failing (see `ChromaStore.reconnect`)."""
    reconnect = getattr(store, "reconnect", None)
    if reconnect is not None:
        try:
            reconnect()
        except Exception as exc:  # noqa: BLE001 - the next read reports what is wrong
            if is_unreachable(exc):
                raise


def _sources(store) -> Optional[dict]:
    """The store's source rows (what a file version is), or None for a store without them."""
    sources = getattr(store, "sources", None)
    return sources() if sources is not None else None


def _busy(store) -> bool:
    busy = getattr(store, "writing", None)
    return bool(busy()) if busy is not None else False
