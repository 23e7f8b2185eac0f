"""ChromaStore on a real embedded Chroma in a temp folder. The store takes
precomputed vectors, so these tests use small synthetic chunks with 3-dim
vectors and no model."""
from __future__ import annotations

import math

import pytest
from chromadb.api.types import DefaultEmbeddingFunction

import vectorstore.store as store_module
from vectorstore.clients import make_client
from vectorstore.models import Chunk, RecordKind, stable_id
from vectorstore.settings import Settings
from vectorstore.store import ChromaStore, StoreMismatch, open_store

EMBEDDER = "fake-3d"
X, Y, Z = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]


def chunk(cid: str, source: str, manual_id: str = "m1", text: str = "", kind: RecordKind = RecordKind.CONTENTS,
          source_hash: str = "", **extra) -> Chunk:
    return Chunk(id=cid, text=text or f"text of {cid}", embed_text=f"embed {cid}", manual_id=manual_id,
                 manual=f"Manual {manual_id}", kind=kind, title=f"Title {cid}", source=source,
                 source_hash=source_hash or f"hash-{source}", record_id=cid, **extra)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings().with_(data_dir=tmp_path, store_dir=tmp_path / "store", chroma_host=None)


@pytest.fixture
def store(settings) -> ChromaStore:
    return open_store(settings, EMBEDDER)


@pytest.fixture
def filled(store) -> ChromaStore:
    """Two sources: a.txt (manual m1, three chunks) and b.txt (manual m2, two chunks)."""
    store.replace_source("a.txt", [chunk("a1", "a.txt"), chunk("a2", "a.txt"), chunk("a3", "a.txt")], [X, Y, Z])
    store.replace_source("b.txt", [chunk("b1", "b.txt", "m2"), chunk("b2", "b.txt", "m2")], [X, [0.6, 0.8, 0.0]])
    return store


def ids(store: ChromaStore, **where) -> set[str]:
    return {c.id for c in store.all_chunks(where=where or None)}


# --- writing -------------------------------------------------------------------

def test_empty_store(store):
    assert store.count() == 0
    assert store.all_chunks() == [] and store.sources() == {}
    assert store.query(X, k=5) == []


def test_replace_source_stores_chunks_as_given(filled):
    assert filled.count() == 5
    stored = {c.id: c for c in filled.all_chunks()}
    assert stored["a1"] == chunk("a1", "a.txt")
    assert stored["b2"] == chunk("b2", "b.txt", "m2")


def test_replace_source_replaces_exactly_that_source(filled):
    b_before = filled.all_chunks(where={"source": "b.txt"})
    b_vectors = filled.vectors(["b1", "b2"])
    new = [chunk("a2", "a.txt", text="a2 rewritten", source_hash="h2"), chunk("a4", "a.txt", source_hash="h2")]
    filled.replace_source("a.txt", new, [Z, [0.0, 0.6, 0.8]])
    assert ids(filled, source="a.txt") == {"a2", "a4"}  # a1, a3 gone; a2 kept; a4 new
    stored = {c.id: c for c in filled.all_chunks()}
    assert stored["a2"].text == "a2 rewritten" and stored["a2"].source_hash == "h2"
    assert filled.vectors(["a2"])[0] == pytest.approx(Z)  # the vector was replaced too
    assert filled.all_chunks(where={"source": "b.txt"}) == b_before
    assert filled.vectors(["b1", "b2"]) == b_vectors
    assert filled.count() == 4


def test_replace_source_with_nothing_empties_it(filled):
    filled.replace_source("a.txt", [], [])
    assert ids(filled) == {"b1", "b2"}


def test_delete_source(filled):
    assert filled.delete_source("a.txt") == 3
    assert ids(filled) == {"b1", "b2"}
    assert filled.sources() == {"b.txt": "hash-b.txt"}
    assert filled.delete_source("a.txt") == 0
    assert filled.delete_source("never-stored.txt") == 0
    assert filled.count() == 2


def test_sources_maps_each_file_to_its_hash(filled):
    assert filled.sources() == {"a.txt": "hash-a.txt", "b.txt": "hash-b.txt"}
    filled.replace_source("b.txt", [chunk("b1", "b.txt", "m2", source_hash="new-hash")], [X])
    assert filled.sources() == {"a.txt": "hash-a.txt", "b.txt": "new-hash"}


def test_update_chunks_rewrites_metadata_and_keeps_vectors(filled):
    before = filled.vectors(["a1"])
    updated = chunk("a1", "a.txt", text="new text", chapter="1.2")
    filled.update_chunks([updated])
    (stored,) = filled.all_chunks(where={"chapter": "1.2"})
    assert stored == updated
    assert filled.vectors(["a1"]) == before


# --- reading -------------------------------------------------------------------

def test_query_returns_nearest_first_with_cosine_distances(filled):
    hits = filled.query([1.0, 0.1, 0.0], k=3)
    assert [c.id for c, _ in hits][:2] in (["a1", "b1"], ["b1", "a1"])  # both are X
    distances = [d for _, d in hits]
    assert distances == sorted(distances)
    assert hits[0][1] == pytest.approx(1 - 1 / math.sqrt(1.01), abs=1e-4)
    assert hits[2][0].id == "b2"


def test_query_with_where_filter(filled):
    hits = filled.query(X, k=5, where={"manual_id": "m2"})
    assert [c.id for c, _ in hits] == ["b1", "b2"]
    assert hits[0][1] == pytest.approx(0.0, abs=1e-5)
    assert hits[1][1] == pytest.approx(0.4, abs=1e-4)  # cos(X, (0.6, 0.8, 0)) = 0.6
    assert all(c.manual_id == "m2" for c, _ in hits)


def test_query_with_a_compound_filter(filled):
    hits = filled.query(Z, k=5, where={"$and": [{"manual_id": "m1"}, {"source": "a.txt"}]})
    assert [c.id for c, _ in hits][0] == "a3"
    assert {c.id for c, _ in hits} == {"a1", "a2", "a3"}


def test_query_k_larger_than_the_store(filled):
    assert len(filled.query(Y, k=50)) == 5


def test_query_returns_whole_chunks(filled):
    (best, _), *_ = filled.query(Y, k=1)
    assert best == chunk("a2", "a.txt")


def test_vectors_in_the_order_asked(filled):
    vectors = filled.vectors(["a3", "a1", "b2"])
    assert [pytest.approx(v) for v in (Z, X, [0.6, 0.8, 0.0])] == vectors
    assert filled.vectors([]) == []


def test_vectors_of_an_unknown_id_is_an_error(filled):
    with pytest.raises(KeyError):
        filled.vectors(["nope"])


def test_all_chunks_filters_and_orders(filled):
    assert [c.id for c in filled.all_chunks()] == ["a1", "a2", "a3", "b1", "b2"]  # (manual, source, id)
    assert [c.id for c in filled.all_chunks(where={"manual_id": "m2"})] == ["b1", "b2"]
    assert filled.all_chunks(where={"manual_id": "nobody"}) == []


def test_all_chunks_pages_through_more_than_one_page(store):
    page = store_module._PAGE
    n = 2 * page + 7  # three pages: two full, one partial
    chunks = [chunk(stable_id("big", i), f"s{i % 3}.txt", manual_id=f"m{i % 2}") for i in range(n)]
    vectors = [[1.0, (i % 10) / 10, 0.0] for i in range(n)]
    for source in ("s0.txt", "s1.txt", "s2.txt"):
        mine = [(c, v) for c, v in zip(chunks, vectors) if c.source == source]
        store.replace_source(source, [c for c, _ in mine], [v for _, v in mine])
    assert store.count() == n
    got = store.all_chunks()
    assert len(got) == n and {c.id for c in got} == {c.id for c in chunks}
    assert got == sorted(got, key=lambda c: (c.manual_id, c.source, c.id))
    assert len(store.all_chunks(where={"manual_id": "m0"})) == (n + 1) // 2
    assert store.sources() == {f"s{i}.txt": f"hash-s{i}.txt" for i in range(3)}
    assert len(store.vectors([c.id for c in chunks])) == n
    # replacing a large source deletes every stale record, across pages
    store.replace_source("s0.txt", [chunk("only", "s0.txt")], [X])
    assert ids(store, source="s0.txt") == {"only"}


def test_data_survives_reopening(settings, filled):
    again = open_store(settings, EMBEDDER)
    assert {c.id for c in again.all_chunks()} == {"a1", "a2", "a3", "b1", "b2"}


# --- the collection ------------------------------------------------------------------

def test_opening_with_another_embedder_is_refused(settings, filled):
    with pytest.raises(StoreMismatch) as caught:
        open_store(settings, "another-model")
    message = str(caught.value)
    assert EMBEDDER in message and "another-model" in message and "--rebuild" in message


def test_rebuild_fills_a_side_collection_and_swaps_it_in(settings, filled):
    rebuilt = open_store(settings, "another-model", rebuild=True)
    assert rebuilt.count() == 0 and rebuilt.embedder_name == "another-model"
    assert open_store(settings, EMBEDDER).count() == 5  # the live store answers meanwhile
    rebuilt.replace_collection(settings.collection)
    assert open_store(settings, "another-model").count() == 0
    with pytest.raises(StoreMismatch):
        open_store(settings, EMBEDDER)


def test_rebuild_of_an_absent_collection_is_fine(settings):
    assert open_store(settings, EMBEDDER, rebuild=True).count() == 0


def test_collections_are_separate(settings, filled):
    other = open_store(settings.with_(collection="other"), "another-model")
    assert other.count() == 0 and filled.count() == 5


def test_collection_has_no_embedding_function_of_its_own(settings, store):
    """Chroma's default embedding function downloads a model: the collection
    must be created without it, and say so in its stored configuration."""
    collection = store._collection
    assert collection._embedding_function is None
    assert not isinstance(collection._embedding_function, DefaultEmbeddingFunction)
    assert collection.configuration.get("embedding_function") is None
    assert collection.metadata["embedder"] == EMBEDDER
    assert collection.configuration["hnsw"]["space"] == "cosine"
    # what is persisted, as a separate client reads it back
    persisted = make_client(settings).get_collection(settings.collection)
    assert persisted.configuration.get("embedding_function") is None
    assert persisted.configuration["hnsw"]["space"] == "cosine"


# --- the search index ------------------------------------------------------------

def ef_search(store: ChromaStore) -> int:
    return store._collection.configuration_json["hnsw"]["ef_search"]


def test_a_new_store_searches_a_wide_candidate_list(store):
    assert ef_search(store) >= store_module.SEARCH_EF


def test_a_store_made_with_chromas_defaults_is_widened_when_opened(settings):
    client = make_client(settings)
    client.get_or_create_collection(settings.collection, embedding_function=None,
                                    metadata={"embedder": EMBEDDER, "hnsw:space": "cosine"})
    assert client.get_collection(settings.collection).configuration_json["hnsw"]["ef_search"] == 100
    assert ef_search(open_store(settings, EMBEDDER)) == store_module.SEARCH_EF
