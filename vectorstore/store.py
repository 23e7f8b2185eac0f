"""The procedures store: chunks with precomputed embeddings in Chroma (its own
embedding function is never used: it downloads a model).

One store is three Chroma collections:

    <name>-head        one row: which chunk collection is live, a stamp that
                       changes on every write, and the write in progress
    <live>             the chunks
    <live>-sources     one row per source file: manual, path inside its
                       folder, the folder, content hash and chunk count

A file's new version is written beside the old one (chunk ids carry the
version's hash), then its source row is switched to the new hash, then the
old version's rows are deleted. A reader, or an ingest restarted after a
kill, therefore sees one version of a file or the other, never a mix: rows
that no source row points at are ignored, and `recover()` deletes them.

A rebuild fills a new chunk collection and then switches the head to it in
one write, so there is never a moment without a live collection; the old
collections and their segment folders are deleted afterwards.
"""
from __future__ import annotations

import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Optional, Protocol, Sequence

from vectorstore.clients import make_client
from vectorstore.models import Chunk
from vectorstore.settings import Settings

_PAGE = 2000  # rows per get(): keeps memory flat on big manuals
_HEAD_ID = "head"
REBUILD_INFIX = "-r"
SNAPSHOT_TRIES = 6  # a read that overlaps a write is retried this many times

# HNSW search is approximate: with Chroma's default candidate list (100) the same
# question missed a close chapter in some processes and not in others, because
# near-identical amendment rows crowd the graph. A wider list makes the
# top-40 pool exact in practice at the size of a manual set.
SEARCH_EF = 400


Batch = tuple[Sequence[Chunk], Sequence[Sequence[float]]]  # chunks and their vectors, in step


class StoreMismatch(RuntimeError):
    """The collection was built with another embedding model."""


class SourceKey(NamedTuple):
    """What identifies a source: its manual and its path inside the manual's folder."""

    manual_id: str
    source: str


@dataclass(frozen=True)
class SourceRecord:
    """What the store holds for one source file."""

    key: SourceKey
    source_hash: str
    root: str = ""  # the folder `key.source` is relative to (absolute)
    chunks: int = 0
    kind: str = ""  # the page kind it was read as

    @property
    def path(self) -> Optional[Path]:
        return Path(self.root) / self.key.source if self.root else None


class VectorStore(Protocol):
    """What ingest and the assistant need from a store."""

    def count(self) -> int: ...

    def sources(self) -> dict[SourceKey, SourceRecord]: ...

    def snapshot(self) -> list[Chunk]: ...

    def all_chunks(self, where: Optional[dict] = None) -> list[Chunk]: ...

    def query(self, vector: Sequence[float], k: int, where: Optional[dict] = None) -> list[tuple[Chunk, float]]: ...

    def vectors(self, ids: Sequence[str]) -> list[list[float]]: ...

    def stamp(self) -> str: ...

    def replace_source(self, record: SourceRecord, chunks: Sequence[Chunk],
                       vectors: Sequence[Sequence[float]]) -> None: ...

    def write_source(self, record: SourceRecord, batches: Iterable[Batch]) -> int: ...

    def delete_source(self, key: SourceKey) -> int: ...

    def update_chunks(self, chunks: Sequence[Chunk]) -> None: ...

    def recover(self) -> list[str]: ...

    def promote(self) -> None:
        """Make this (rebuilt) store the live one, then drop the one it replaces."""
        ...


class ChromaStore:
    """A `VectorStore` on Chroma collections (see the module docstring)."""

    def __init__(self, client, name: str, embedder_name: str, live: Optional[str] = None,
                 path: Optional[Path] = None, connect: Optional[Callable[[], object]] = None):
        self._client = client
        self._connect = connect  # makes a new client: `reconnect()`
        self.name = name
        self.embedder_name = embedder_name
        self._path = path  # the embedded store's folder (segment clean-up); None for a server
        self._head = client.get_or_create_collection(f"{name}-head", embedding_function=None)
        self._pinned = live is not None  # a rebuild's side store never follows the head
        self.live = live or self._live_name()
        self._chunks = self._collection(self.live)
        self._sources = client.get_or_create_collection(f"{self.live}-sources", embedding_function=None)
        self._check_embedder()
        self._migrate_legacy()

    # -- collections -------------------------------------------------------
    def _collection(self, name: str):
        collection = self._client.get_or_create_collection(
            name, embedding_function=None, metadata={"embedder": self.embedder_name},
            configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
        )
        hnsw = (collection.configuration_json or {}).get("hnsw") or {}
        if hnsw.get("ef_search", 0) < SEARCH_EF:  # made before SEARCH_EF existed
            collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        return collection

    def _head_meta(self) -> dict:
        rows = self._head.get(ids=[_HEAD_ID], include=["metadatas"])
        return dict(rows["metadatas"][0] or {}) if rows["ids"] else {}

    def _set_head(self, **changes) -> None:
        meta = {**self._head_meta(), **changes, "stamp": f"{time.time():.6f}-{uuid.uuid4().hex[:8]}"}
        self._head.upsert(ids=[_HEAD_ID], embeddings=[[1.0]], metadatas=[meta])

    def _live_name(self) -> str:
        live = self._head_meta().get("live")
        if not live:  # a new store, or one made before the head existed: its chunks are `name`
            live = self.name
            self._set_head(live=live, writing="")
        return live

    def _check_embedder(self) -> None:
        stored = (self._chunks.metadata or {}).get("embedder")
        if stored and stored != self.embedder_name:
            raise StoreMismatch(
                f"the store was built with embedder {stored!r} but {self.embedder_name!r} is configured; "
                "re-ingest with `python -m ingest --rebuild`"
            )

    def _migrate_legacy(self) -> None:
        """Stores made before source rows existed: derive them from the chunks once."""
        if self._sources.count() or not self._chunks.count():
            return
        found: dict[SourceKey, SourceRecord] = {}
        for _, _, meta in self._rows(self._chunks, None, ["metadatas"]):
            key = SourceKey(meta.get("manual_id", ""), meta.get("source", ""))
            old = found.get(key)
            found[key] = SourceRecord(key, meta.get("source_hash", ""), meta.get("source_root", ""),
                                      (old.chunks if old else 0) + 1)
        for record in found.values():
            self._write_source(record)

    # -- reading ---------------------------------------------------------
    def count(self) -> int:
        return self._chunks.count()

    def follow_head(self) -> bool:
        """Readers: if a rebuild was promoted since this store was opened, switch
        to the collections the head now names. True when it switched."""
        live = self._head_meta().get("live")
        if self._pinned or not live or live == self.live:
            return False
        # get, never get_or_create: a collection a newer rebuild dropped must not come back empty
        self._chunks = self._client.get_collection(live, embedding_function=None)
        self._sources = self._client.get_collection(f"{live}-sources", embedding_function=None)
        self.live = live
        self._check_embedder()
        return True

    def reconnect(self) -> None:
        """Readers: a new client and fresh collection handles, after reads kept
        failing (an embedded client can hold segment readers that another
        process's writes made stale)."""
        if self._connect is None:
            return
        self._client = self._connect()
        self._head = self._client.get_collection(f"{self.name}-head", embedding_function=None)
        live = self.live if self._pinned else (self._head_meta().get("live") or self.live)
        self._chunks = self._client.get_collection(live, embedding_function=None)
        self._sources = self._client.get_collection(f"{live}-sources", embedding_function=None)
        self.live = live

    def writing(self) -> bool:
        """True while an ingest is between writing a file's rows and finishing it."""
        return bool(self._head_meta().get("writing"))

    def stamp(self) -> str:
        """Changes whenever the store is written: readers re-read when it does."""
        return str(self._head_meta().get("stamp", ""))

    @staticmethod
    def _rows(collection, where: Optional[dict], include: list[str]) -> Iterable[tuple[str, str, dict]]:
        offset = 0
        while True:
            page = collection.get(where=where, include=include, limit=_PAGE, offset=offset)
            ids = page["ids"]
            docs = page.get("documents") or [""] * len(ids)
            metas = page.get("metadatas") or [{}] * len(ids)
            # A row caught mid-write can come back without metadata: it is not part of any version yet.
            yield from ((i, d, m) for i, d, m in zip(ids, docs, metas) if m is not None)
            if len(ids) < _PAGE:
                return
            offset += _PAGE

    def sources(self) -> dict[SourceKey, SourceRecord]:
        """Every source the store holds, by (manual, path)."""
        found = {}
        for _, _, meta in self._rows(self._sources, None, ["metadatas"]):
            record = _source_from_meta(meta)
            found[record.key] = record
        return found

    def all_chunks(self, where: Optional[dict] = None) -> list[Chunk]:
        """The live chunks (optionally filtered by metadata), in a stable order."""
        live = {key: r.source_hash for key, r in self.sources().items()}
        chunks = [Chunk.from_stored(i, d, m) for i, d, m in self._rows(self._chunks, where, ["documents", "metadatas"])]
        return _ordered(c for c in chunks if live.get(SourceKey(c.manual_id, c.source)) == c.source_hash)

    def snapshot(self) -> list[Chunk]:
        """Every live chunk, read consistently: a read that overlapped a write
        (source rows changed meanwhile, or a source's rows incomplete) is retried."""
        chunks: list[Chunk] = []
        for attempt in range(SNAPSHOT_TRIES):
            before = self.sources()
            chunks = self.all_chunks()
            after = self.sources()
            counts: dict[SourceKey, int] = {}
            for c in chunks:
                key = SourceKey(c.manual_id, c.source)
                counts[key] = counts.get(key, 0) + 1
            if before == after and all(counts.get(k, 0) == r.chunks for k, r in after.items()):
                return chunks
            time.sleep(0.05 * (attempt + 1))
        return chunks  # a writer kept going: answer from what is whole (every row is one version)

    def vectors(self, ids: Sequence[str]) -> list[list[float]]:
        """Stored embeddings of these chunks, in the order given (KeyError for an id not stored)."""
        found = self._vector_map(ids)
        return [found[i] for i in ids]

    def _vector_map(self, ids: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for start in range(0, len(ids), _PAGE):
            page = self._chunks.get(ids=list(ids[start:start + _PAGE]), include=["embeddings"])
            found.update(zip(page["ids"], (list(map(float, v)) for v in page["embeddings"])))
        return found

    def query(self, vector: Sequence[float], k: int, where: Optional[dict] = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine distance (lower is closer). Rows of a file
        version being written may appear: a reader keeps the ids its snapshot holds."""
        k = min(k, self.count())
        if k <= 0:
            return []
        res = self._chunks.query(query_embeddings=[list(vector)], n_results=k, where=where,
                                 include=["documents", "metadatas", "distances"])
        rows = zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        return [(Chunk.from_stored(i, d, m), float(dist)) for i, d, m, dist in rows if m is not None]

    # -- writing ---------------------------------------------------------
    def replace_source(self, record: SourceRecord, chunks: Sequence[Chunk],
                       vectors: Sequence[Sequence[float]]) -> None:
        """Make `chunks` the whole of what is stored for `record.key` (`write_source` with one batch)."""
        self.write_source(record, [(chunks, vectors)])

    def write_source(self, record: SourceRecord, batches: Iterable[Batch]) -> int:
        """Make the chunks of `batches` the whole of what is stored for
        `record.key`, writing each batch as it arrives, so a caller can embed a
        large file a batch at a time. Three steps that a kill at any point
        leaves readable (see the module docstring): the new version's rows
        beside the old, the source row switched, the old rows deleted. If the
        batches stop with an error, the rows written so far are deleted and the
        old version stays. Returns how many chunks were written."""
        self._set_head(writing=_marker(record.key, record.source_hash))
        written = 0
        try:
            for chunks, vectors in batches:
                self._upsert(chunks, vectors)
                written += len(chunks)
        except BaseException:
            self._abandon(record.key, record.source_hash)
            raise
        self._write_source(SourceRecord(record.key, record.source_hash, record.root, written, record.kind))
        self._delete_other_versions(record.key, record.source_hash)
        self._set_head(writing="")
        return written

    def _upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        for start in range(0, len(chunks), _PAGE):
            batch = chunks[start:start + _PAGE]
            self._chunks.upsert(
                ids=[c.id for c in batch], documents=[c.text for c in batch],
                metadatas=[c.to_metadata() for c in batch],
                embeddings=[list(v) for v in vectors[start:start + _PAGE]],
            )

    def _abandon(self, key: SourceKey, source_hash: str) -> None:
        """Undo a write that stopped part way: delete the new version's rows
        (unless that version is the live one) and clear the marker. If this
        fails too, the marker stays and the next `recover()` does it."""
        try:
            current = self.sources().get(key)
            if current is None or current.source_hash != source_hash:
                where = {"$and": _where_source(key)["$and"] + [{"source_hash": source_hash}]}
                ids = self._chunks.get(where=where, include=[])["ids"]
                if ids:
                    self._chunks.delete(ids=ids)
            self._set_head(writing="")
        except Exception:  # noqa: BLE001 - the original error is the one to report
            pass

    def delete_source(self, key: SourceKey) -> int:
        """Remove a source: its row first (readers stop seeing it), then its chunks."""
        self._sources.delete(ids=[_source_id(key)])
        ids = self._chunks.get(where=_where_source(key), include=[])["ids"]
        if ids:
            self._chunks.delete(ids=ids)
        self._set_head()
        return len(ids)

    def update_chunks(self, chunks: Sequence[Chunk]) -> None:
        """Rewrite metadata and text of existing chunks, keeping their vectors."""
        for start in range(0, len(chunks), _PAGE):
            batch = list(chunks[start:start + _PAGE])
            stored = self._vector_map([c.id for c in batch])
            batch = [c for c in batch if c.id in stored]  # a row deleted meanwhile stays deleted
            if not batch:
                continue
            # Documents without embeddings make Chroma re-embed them with its
            # default function (a download): pass the stored vectors back.
            self._chunks.update(ids=[c.id for c in batch], documents=[c.text for c in batch],
                                metadatas=[c.to_metadata() for c in batch],
                                embeddings=[stored[c.id] for c in batch])
        if chunks:
            self._set_head()

    def recover(self) -> list[str]:
        """Finish what a killed ingest left: rows of a half-written file version,
        and side collections of an unfinished rebuild. Returns what was done."""
        done = []
        writing = self._head_meta().get("writing") or ""
        if writing:
            key, _ = _parse_marker(writing)
            current = self.sources().get(key)
            self._delete_other_versions(key, current.source_hash if current else None)
            done.append(f"an interrupted write of {key.source} ({key.manual_id}) was rolled "
                        f"{'forward' if current and current.source_hash == _parse_marker(writing)[1] else 'back'}")
            self._set_head(writing="")
        for name in self._stale_collections():
            self._client.delete_collection(name)
            done.append(f"a collection no longer live, {name}, was deleted (an interrupted rebuild)")
        self.remove_orphaned_segments()
        return done

    def promote(self) -> None:
        """Switch the head to this store's collections, then drop the old ones."""
        old = self._head_meta().get("live")
        self._set_head(live=self.live, writing="")
        if old and old != self.live:
            for name in (old, f"{old}-sources"):
                try:
                    self._client.delete_collection(name)
                except Exception:  # noqa: BLE001 - already gone
                    pass
        self.remove_orphaned_segments()

    def remove_orphaned_segments(self) -> int:
        """Delete segment folders of deleted collections (embedded stores only:
        Chroma leaves them behind). Returns how many were removed."""
        if not self._path or not (self._path / "chroma.sqlite3").is_file():
            return 0
        with sqlite3.connect(self._path / "chroma.sqlite3") as db:
            live = {row[0] for row in db.execute("SELECT id FROM segments")}
        removed = 0
        for folder in self._path.iterdir():
            if folder.is_dir() and _looks_like_uuid(folder.name) and folder.name not in live:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    # -- internals -------------------------------------------------------
    def _write_source(self, record: SourceRecord) -> None:
        self._sources.upsert(ids=[_source_id(record.key)], embeddings=[[1.0]], metadatas=[{
            "manual_id": record.key.manual_id, "source": record.key.source, "source_hash": record.source_hash,
            "source_root": record.root, "chunks": record.chunks, "kind": record.kind}])

    def _delete_other_versions(self, key: SourceKey, keep_hash: Optional[str]) -> None:
        where = _where_source(key)
        if keep_hash is not None:
            where = {"$and": where["$and"] + [{"source_hash": {"$ne": keep_hash}}]}
        ids = self._chunks.get(where=where, include=[])["ids"]
        if ids:
            self._chunks.delete(ids=ids)

    def _stale_collections(self) -> list[str]:
        """Rebuild collections that never became live (the rebuild was killed)."""
        live = self._head_meta().get("live")
        names = [c.name if hasattr(c, "name") else str(c) for c in self._client.list_collections()]
        prefix = self.name + REBUILD_INFIX
        keep = {live, f"{live}-sources", self.live, f"{self.live}-sources"}  # a rebuild never drops itself
        # The first store's own collections too, once a rebuild replaced them: a kill
        # between the switch and the drop in `promote()` left them behind.
        first = {self.name, f"{self.name}-sources"}
        return [n for n in names if (n.startswith(prefix) or n in first) and n not in keep]


def _ordered(chunks: Iterable[Chunk]) -> list[Chunk]:
    return sorted(chunks, key=lambda c: (c.manual_id, c.source, c.id))


def _source_id(key: SourceKey) -> str:
    from vectorstore.models import stable_id

    return stable_id("source", key.manual_id, key.source)


def _where_source(key: SourceKey) -> dict:
    return {"$and": [{"manual_id": key.manual_id}, {"source": key.source}]}


def _source_from_meta(meta: dict) -> SourceRecord:
    return SourceRecord(SourceKey(meta.get("manual_id", ""), meta.get("source", "")), meta.get("source_hash", ""),
                        meta.get("source_root", ""), int(meta.get("chunks", 0) or 0), meta.get("kind", ""))


def _marker(key: SourceKey, source_hash: str) -> str:
    return "\x1f".join((key.manual_id, key.source, source_hash))


def _parse_marker(marker: str) -> tuple[SourceKey, str]:
    manual_id, source, source_hash = (marker.split("\x1f") + ["", "", ""])[:3]
    return SourceKey(manual_id, source), source_hash


def _looks_like_uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


def open_store(settings: Settings, embedder_name: str, rebuild: bool = False) -> ChromaStore:
    """The store these settings point at (embedded by default, a server with
    CHROMA_HOST). With `rebuild`, a store on new, empty collections beside the
    live ones: fill it, then `promote()` it."""
    client = make_client(settings)
    path = None if settings.chroma_host else Path(settings.store_dir)
    if not rebuild:
        return ChromaStore(client, settings.collection, embedder_name, path=path,
                           connect=lambda: make_client(settings, fresh=True))
    try:
        ChromaStore(client, settings.collection, embedder_name, path=path).recover()
    except StoreMismatch:  # rebuilding with another model: the old store's debris goes with it at promote()
        pass
    side = f"{settings.collection}{REBUILD_INFIX}{time.strftime('%Y%m%d%H%M%S')}{uuid.uuid4().hex[:6]}"
    return ChromaStore(client, settings.collection, embedder_name, live=side, path=path)
