"""The procedures store: one Chroma collection of chunks with precomputed
embeddings (Chroma's own embedding function is never used: it downloads).

Writes are per source file, new records first and stale ones after, so a
failure part-way leaves the previous records answerable.
"""
from __future__ import annotations

from typing import Iterable, Optional, Protocol, Sequence

from vectorstore.clients import make_client
from vectorstore.models import Chunk
from vectorstore.settings import Settings

_PAGE = 2000  # rows per get(): keeps memory flat on big manuals


class StoreMismatch(RuntimeError):
    """The collection was built with another embedding model."""


class VectorStore(Protocol):
    """What ingest and the assistant need from a store."""

    def sources(self) -> dict[str, str]: ...

    def replace_source(self, source: str, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None: ...

    def replace_collection(self, name: str) -> None:
        """Become the collection called `name`, dropping what held that name
        (the last step of a rebuild: the old store answers until here)."""
        ...

    def delete_source(self, source: str) -> int: ...

    def update_chunks(self, chunks: Sequence[Chunk]) -> None: ...

    def all_chunks(self, where: Optional[dict] = None) -> list[Chunk]: ...

    def query(self, vector: Sequence[float], k: int, where: Optional[dict] = None) -> list[tuple[Chunk, float]]: ...

    def vectors(self, ids: Sequence[str]) -> list[list[float]]: ...

    def count(self) -> int: ...


# HNSW search is approximate: with Chroma's default candidate list (100) the same
# question missed a close chapter in some processes and not in others, because
# near-identical amendment rows crowd the graph. A wider list makes the
# top-40 pool exact in practice at the size of a manual set.
SEARCH_EF = 400


class ChromaStore:
    """A `VectorStore` on one Chroma collection."""

    def __init__(self, client, collection: str, embedder_name: str):
        self._client = client
        self.embedder_name = embedder_name
        self._collection = client.get_or_create_collection(
            collection, embedding_function=None, metadata={"embedder": embedder_name},
            configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
        )
        self._widen_search()
        stored = (self._collection.metadata or {}).get("embedder")
        if stored and stored != embedder_name:
            raise StoreMismatch(
                f"the store was built with embedder {stored!r} but {embedder_name!r} is configured; "
                "re-ingest with `python -m ingest --rebuild`"
            )

    def _widen_search(self) -> None:
        """Stores made before SEARCH_EF existed searched with Chroma's default (100)."""
        hnsw = (self._collection.configuration_json or {}).get("hnsw") or {}
        if hnsw.get("ef_search", 0) < SEARCH_EF:
            self._collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})

    # -- reading ---------------------------------------------------------
    def count(self) -> int:
        return self._collection.count()

    def _iter_rows(self, where: Optional[dict], include: list[str]) -> Iterable[tuple[str, str, dict]]:
        offset = 0
        while True:
            page = self._collection.get(where=where, include=include, limit=_PAGE, offset=offset)
            ids = page["ids"]
            docs = page.get("documents") or [""] * len(ids)
            for row in zip(ids, docs, page["metadatas"]):
                yield row
            if len(ids) < _PAGE:
                return
            offset += _PAGE

    def all_chunks(self, where: Optional[dict] = None) -> list[Chunk]:
        """Every chunk (optionally filtered by metadata), in a stable order."""
        rows = self._iter_rows(where, ["documents", "metadatas"])
        chunks = [Chunk.from_stored(i, d, m) for i, d, m in rows]
        return sorted(chunks, key=lambda c: (c.manual_id, c.source, c.id))

    def vectors(self, ids: Sequence[str]) -> list[list[float]]:
        """Stored embeddings of these chunks, in the order given."""
        found: dict[str, list[float]] = {}
        for start in range(0, len(ids), _PAGE):
            page = self._collection.get(ids=list(ids[start:start + _PAGE]), include=["embeddings"])
            found.update(zip(page["ids"], (list(map(float, v)) for v in page["embeddings"])))
        return [found[i] for i in ids]

    def sources(self) -> dict[str, str]:
        """source file name -> content hash of what is stored for it."""
        found: dict[str, str] = {}
        for _, _, meta in self._iter_rows(None, ["metadatas"]):
            found[meta["source"]] = meta.get("source_hash", "")
        return found

    def query(self, vector: Sequence[float], k: int, where: Optional[dict] = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine distance (lower is closer)."""
        k = min(k, self.count())
        if k <= 0:
            return []
        res = self._collection.query(query_embeddings=[list(vector)], n_results=k, where=where,
                                     include=["documents", "metadatas", "distances"])
        rows = zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        return [(Chunk.from_stored(i, d, m), float(dist)) for i, d, m, dist in rows]

    # -- writing ---------------------------------------------------------
    def replace_source(self, source: str, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Make `chunks` the whole of what is stored for `source`."""
        old = set(self._ids_of(source))
        for start in range(0, len(chunks), _PAGE):
            batch = chunks[start:start + _PAGE]
            self._collection.upsert(
                ids=[c.id for c in batch], documents=[c.text for c in batch],
                metadatas=[c.to_metadata() for c in batch],
                embeddings=[list(v) for v in vectors[start:start + _PAGE]],
            )
        stale = sorted(old - {c.id for c in chunks})
        if stale:
            self._collection.delete(ids=stale)

    def update_chunks(self, chunks: Sequence[Chunk]) -> None:
        """Rewrite metadata and text of existing chunks, keeping their vectors."""
        for start in range(0, len(chunks), _PAGE):
            batch = chunks[start:start + _PAGE]
            ids = [c.id for c in batch]
            # Documents without embeddings make Chroma re-embed them with its
            # default function (a download): pass the stored vectors back.
            self._collection.update(ids=ids, documents=[c.text for c in batch],
                                    metadatas=[c.to_metadata() for c in batch],
                                    embeddings=self.vectors(ids))

    def replace_collection(self, name: str) -> None:
        """Become the collection called `name`, dropping what held that name
        (the last step of a rebuild: the old store answers until here)."""
        try:
            self._client.delete_collection(name)
        except Exception:  # noqa: BLE001 - no old collection to drop
            pass
        self._collection.modify(name=name)

    def delete_source(self, source: str) -> int:
        ids = self._ids_of(source)
        if ids:
            self._collection.delete(ids=ids)
        return len(ids)

    def _ids_of(self, source: str) -> list[str]:
        return self._collection.get(where={"source": source}, include=[])["ids"]


REBUILD_SUFFIX = "-rebuild"


def open_store(settings: Settings, embedder_name: str, rebuild: bool = False) -> ChromaStore:
    """The store these settings point at (embedded by default, a server with
    CHROMA_HOST). With `rebuild`, an empty side collection instead: fill it,
    then `replace_collection(settings.collection)` to swap it in."""
    client = make_client(settings)
    if not rebuild:
        return ChromaStore(client, settings.collection, embedder_name)
    side = settings.collection + REBUILD_SUFFIX
    try:
        client.delete_collection(side)  # left over from an interrupted rebuild
    except Exception:  # noqa: BLE001 - nothing left over
        pass
    return ChromaStore(client, side, embedder_name)
