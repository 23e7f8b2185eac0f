"""ChromaStore on a real embedded Chroma in a temp folder. The store takes
precomputed vectors, so these tests use small synthetic chunks with 3-dim
vectors and no model."""
from __future__ import annotations

import math
import uuid

import pytest
from chromadb.api.types import DefaultEmbeddingFunction

import vectorstore.store as store_module
from vectorstore.clients import make_client
from vectorstore.models import Chunk, RecordKind, stable_id
from vectorstore.settings import Settings
from vectorstore.store import ChromaStore, SourceKey, SourceRecord, StoreMismatch, open_store

EMBEDDER = "fake-3d"
X, Y, Z = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]
A, B = SourceKey("m1", "a.txt"), SourceKey("m2", "b.txt")


def chunk(cid: str, source: str, manual_id: str = "m1", text: str = "", kind: RecordKind = RecordKind.CONTENTS,
          source_hash: str = "", **extra) -> Chunk:
    return Chunk(id=cid, text=text or f"text of {cid}", embed_text=f"embed {cid}", manual_id=manual_id,
                 manual=f"Manual {manual_id}", kind=kind, title=f"Title {cid}", source=source,
                 source_hash=source_hash or f"hash-{source}", record_id=cid, **extra)


def write(store, key: SourceKey, chunks, vectors, source_hash: str = "", root: str = "/sites/x"):
    """Store chunks as the whole of one source (their hash is the source's version)."""
    source_hash = source_hash or (chunks[0].source_hash if chunks else f"hash-{key.source}")
    store.replace_source(SourceRecord(key, source_hash, root), chunks, vectors)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings().with_(data_dir=tmp_path, store_dir=tmp_path / "store", chroma_host=None)


@pytest.fixture
def store(settings) -> ChromaStore:
    return open_store(settings, EMBEDDER)


@pytest.fixture
def filled(store) -> ChromaStore:
    """Two sources: a.txt (manual m1, three chunks) and b.txt (manual m2, two chunks)."""
    write(store, A, [chunk("a1", "a.txt"), chunk("a2", "a.txt"), chunk("a3", "a.txt")], [X, Y, Z])
    write(store, B, [chunk("b1", "b.txt", "m2"), chunk("b2", "b.txt", "m2")], [X, [0.6, 0.8, 0.0]])
    return store


def ids(store: ChromaStore, **where) -> set[str]:
    return {c.id for c in store.all_chunks(where=where or None)}


def hashes(store: ChromaStore) -> dict[SourceKey, str]:
    return {key: record.source_hash for key, record in store.sources().items()}


# --- writing -------------------------------------------------------------------

def test_empty_store(store):
    assert store.count() == 0
    assert store.all_chunks() == [] and store.sources() == {} and store.snapshot() == []
    assert store.query(X, k=5) == []


def test_replace_source_stores_chunks_as_given(filled):
    assert filled.count() == 5
    stored = {c.id: c for c in filled.all_chunks()}
    assert stored["a1"] == chunk("a1", "a.txt")
    assert stored["b2"] == chunk("b2", "b.txt", "m2")


def test_a_new_version_of_a_source_replaces_exactly_that_source(filled):
    b_before = filled.all_chunks(where={"source": "b.txt"})
    b_vectors = filled.vectors(["b1", "b2"])
    new = [chunk("a2-v2", "a.txt", text="a2 rewritten", source_hash="h2"), chunk("a4-v2", "a.txt", source_hash="h2")]
    write(filled, A, new, [Z, [0.0, 0.6, 0.8]])
    assert ids(filled, source="a.txt") == {"a2-v2", "a4-v2"}  # the old version's rows are gone
    stored = {c.id: c for c in filled.all_chunks()}
    assert stored["a2-v2"].text == "a2 rewritten" and stored["a2-v2"].source_hash == "h2"
    assert filled.vectors(["a2-v2"])[0] == pytest.approx(Z)
    assert filled.all_chunks(where={"source": "b.txt"}) == b_before
    assert filled.vectors(["b1", "b2"]) == b_vectors
    assert filled.count() == 4
    assert filled.sources()[A] == SourceRecord(A, "h2", "/sites/x", 2)


def test_replace_source_with_nothing_empties_it(filled):
    write(filled, A, [], [], source_hash="empty")
    assert ids(filled) == {"b1", "b2"}


def test_same_file_name_in_two_manuals_are_two_sources(store):
    write(store, SourceKey("m1", "amendments.html"), [chunk("x1", "amendments.html", "m1")], [X])
    write(store, SourceKey("m2", "amendments.html"), [chunk("y1", "amendments.html", "m2")], [Y])
    assert ids(store) == {"x1", "y1"}
    write(store, SourceKey("m2", "amendments.html"), [chunk("y2", "amendments.html", "m2", source_hash="v2")], [Y])
    assert ids(store) == {"x1", "y2"}


def test_delete_source(filled):
    assert filled.delete_source(A) == 3
    assert ids(filled) == {"b1", "b2"}
    assert hashes(filled) == {B: "hash-b.txt"}
    assert filled.delete_source(A) == 0
    assert filled.delete_source(SourceKey("m1", "never-stored.txt")) == 0
    assert filled.count() == 2


def test_sources_record_hash_folder_and_count(filled):
    assert filled.sources()[A] == SourceRecord(A, "hash-a.txt", "/sites/x", 3)
    assert filled.sources()[A].path.as_posix() == "/sites/x/a.txt"
    write(filled, B, [chunk("b1-new", "b.txt", "m2", source_hash="new-hash")], [X])
    assert hashes(filled) == {A: "hash-a.txt", B: "new-hash"}


def test_update_chunks_rewrites_metadata_and_keeps_vectors(filled):
    before = filled.vectors(["a1"])
    updated = chunk("a1", "a.txt", text="new text", chapter="1.2")
    filled.update_chunks([updated])
    (stored,) = filled.all_chunks(where={"chapter": "1.2"})
    assert stored == updated
    assert filled.vectors(["a1"]) == before


def test_every_write_changes_the_stamp(filled):
    first = filled.stamp()
    write(filled, A, [chunk("a9", "a.txt", source_hash="h9")], [X])
    second = filled.stamp()
    filled.delete_source(B)
    assert len({first, second, filled.stamp()}) == 3


def test_a_source_written_in_batches_is_switched_in_once_all_are_written(settings, filled):
    """Readers (another process) see the old version while batches arrive, the new one after."""
    reader = open_store(settings, EMBEDDER)
    seen = []

    def batches():
        for n in range(3):
            seen.append(ids(reader, source="a.txt"))  # what a reader sees before each batch
            yield [chunk(f"a{n}-v2", "a.txt", source_hash="v2")], [X]

    assert filled.write_source(SourceRecord(A, "v2", "/sites/x"), batches()) == 3
    assert seen == [{"a1", "a2", "a3"}] * 3
    assert ids(reader, source="a.txt") == {"a0-v2", "a1-v2", "a2-v2"}
    assert filled.sources()[A] == SourceRecord(A, "v2", "/sites/x", 3) and not filled.writing()


def test_batches_that_stop_with_an_error_leave_the_old_version_and_no_debris(filled):
    def batches():
        yield [chunk("a1-v2", "a.txt", source_hash="v2")], [X]
        raise ValueError("the embedder failed")

    with pytest.raises(ValueError, match="the embedder failed"):
        filled.write_source(SourceRecord(A, "v2", "/sites/x"), batches())
    assert set(filled._chunks.get(where={"source": "a.txt"}, include=[])["ids"]) == {"a1", "a2", "a3"}
    assert hashes(filled)[A] == "hash-a.txt" and not filled.writing()
    assert filled.recover() == []


def test_first_parts_finds_each_records_first_chunk_and_rows_older_than_parts(store):
    from vectorstore.models import FIRST_PARTS

    chapter = [chunk(f"c{n}", "c.txt", kind=RecordKind.CHAPTER, source_hash="v1", part=n)
               for n in range(3)]
    write(store, SourceKey("m1", "c.txt"), chapter, [X, Y, Z])
    legacy = chunk("old", "d.txt", source_hash="v0").to_metadata()
    del legacy["first_part"]  # a row stored before chunks were numbered
    store._chunks.upsert(ids=["old"], documents=["old"], embeddings=[X], metadatas=[legacy])
    store._write_source(SourceRecord(SourceKey("m1", "d.txt"), "v0", "/sites/x", 1))
    assert ids(store, **FIRST_PARTS) == {"c0", "old"}


# --- a write killed part-way -------------------------------------------------------

def half_write(store: ChromaStore, key: SourceKey, chunks, vectors, switch: bool) -> None:
    """What a kill leaves: the new version's rows written (and, with `switch`,
    the source row switched to it) but the old version's rows not yet deleted."""
    new_hash = chunks[0].source_hash
    store._set_head(writing=store_module._marker(key, new_hash))
    store._chunks.upsert(ids=[c.id for c in chunks], documents=[c.text for c in chunks],
                         metadatas=[c.to_metadata() for c in chunks], embeddings=vectors)
    if switch:
        store._write_source(SourceRecord(key, new_hash, "/sites/x", len(chunks)))


@pytest.mark.parametrize("switch", [False, True], ids=["before-the-switch", "after-the-switch"])
def test_readers_see_one_version_of_a_file_whatever_the_moment_of_a_kill(settings, filled, switch):
    new = [chunk("a1-v2", "a.txt", source_hash="v2"), chunk("a5-v2", "a.txt", source_hash="v2")]
    half_write(filled, A, new, [X, Y], switch)
    reader = open_store(settings, EMBEDDER)  # another process opening the store now
    expected = {"a1-v2", "a5-v2"} if switch else {"a1", "a2", "a3"}
    assert ids(reader, source="a.txt") == expected
    assert {c.id for c in reader.snapshot() if c.source == "a.txt"} == expected
    assert hashes(reader)[A] == ("v2" if switch else "hash-a.txt")  # a restarted ingest re-reads a.txt unless switched
    done = reader.recover()
    assert len(done) == 1 and ("forward" if switch else "back") in done[0]
    assert set(reader._chunks.get(where={"source": "a.txt"}, include=[])["ids"]) == expected
    assert ids(reader, source="b.txt") == {"b1", "b2"}
    assert reader.recover() == []  # nothing left to do


def test_a_snapshot_ignores_rows_no_source_points_at(filled):
    filled._chunks.upsert(ids=["stray"], documents=["stray"], embeddings=[X],
                          metadatas=[chunk("stray", "a.txt", source_hash="never-switched").to_metadata()])
    assert "stray" not in {c.id for c in filled.snapshot()}
    assert filled.count() == 6  # the row is there, but no reader sees it


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
    assert filled.snapshot() == filled.all_chunks()
    assert filled.all_chunks(where={"manual_id": "nobody"}) == []


def test_all_chunks_pages_through_more_than_one_page(store):
    page = store_module._PAGE
    n = 2 * page + 7  # three pages: two full, one partial
    chunks = [chunk(stable_id("big", i), f"s{i % 3}.txt", manual_id=f"m{(i % 3) % 2}") for i in range(n)]
    vectors = [[1.0, (i % 10) / 10, 0.0] for i in range(n)]
    for source in ("s0.txt", "s1.txt", "s2.txt"):
        mine = [(c, v) for c, v in zip(chunks, vectors) if c.source == source]
        write(store, SourceKey(f"m{int(source[1]) % 2}", source), [c for c, _ in mine], [v for _, v in mine])
    assert store.count() == n
    got = store.all_chunks()
    assert len(got) == n and {c.id for c in got} == {c.id for c in chunks}
    assert got == sorted(got, key=lambda c: (c.manual_id, c.source, c.id))
    assert len(store.all_chunks(where={"manual_id": "m1"})) == sum(1 for i in range(n) if i % 3 == 1)
    assert hashes(store) == {SourceKey(f"m{i % 2}", f"s{i}.txt"): f"hash-s{i}.txt" for i in range(3)}
    assert len(store.snapshot()) == n
    assert len(store.vectors([c.id for c in chunks])) == n
    # replacing a large source deletes every stale record, across pages
    write(store, SourceKey("m0", "s0.txt"), [chunk("only", "s0.txt", "m0", source_hash="v2")], [X])
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


def test_rebuild_fills_side_collections_and_swaps_them_in(settings, filled):
    rebuilt = open_store(settings, "another-model", rebuild=True)
    assert rebuilt.count() == 0 and rebuilt.embedder_name == "another-model"
    write(rebuilt, A, [chunk("n1", "a.txt", source_hash="n")], [Y])
    assert open_store(settings, EMBEDDER).count() == 5  # the live store answers meanwhile
    rebuilt.promote()
    now = open_store(settings, "another-model")
    assert ids(now) == {"n1"} and hashes(now) == {A: "n"}
    with pytest.raises(StoreMismatch):
        open_store(settings, EMBEDDER)


def test_a_killed_rebuild_leaves_the_live_store_whole_and_is_cleaned_up(settings, filled):
    abandoned = open_store(settings, EMBEDDER, rebuild=True)
    write(abandoned, A, [chunk("n1", "a.txt", source_hash="n")], [Y])
    del abandoned  # killed before promote()
    live = open_store(settings, EMBEDDER)
    assert ids(live) == {"a1", "a2", "a3", "b1", "b2"}
    assert any("rebuild" in note for note in live.recover())
    names = {c.name for c in make_client(settings).list_collections()}
    assert not any(store_module.REBUILD_INFIX + "2" in n for n in names)


def segment_folders(settings) -> set[str]:
    return {p.name for p in settings.store_dir.iterdir() if p.is_dir() and _uuid(p.name)}


def _uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
        return True
    except ValueError:
        return False


def test_rebuilds_leave_no_orphaned_segment_folders(settings, filled):
    first = segment_folders(settings)
    for round_ in range(4):
        side = open_store(settings, EMBEDDER, rebuild=True)
        write(side, A, [chunk(f"r{round_}", "a.txt", source_hash=f"r{round_}")], [X])
        side.promote()
    assert ids(open_store(settings, EMBEDDER)) == {"r3"}
    assert len(segment_folders(settings)) <= len(first)


def test_rebuild_of_an_absent_collection_is_fine(settings):
    assert open_store(settings, EMBEDDER, rebuild=True).count() == 0


def test_collections_are_separate(settings, filled):
    other = open_store(settings.with_(collection="other"), "another-model")
    assert other.count() == 0 and filled.count() == 5


def test_collection_has_no_embedding_function_of_its_own(settings, store):
    """Chroma's default embedding function downloads a model: the collection
    must be created without it, and say so in its stored configuration."""
    collection = store._chunks
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
    return store._chunks.configuration_json["hnsw"]["ef_search"]


def test_a_new_store_searches_a_wide_candidate_list(store):
    assert ef_search(store) >= store_module.SEARCH_EF


def test_a_store_made_with_chromas_defaults_is_widened_when_opened(settings):
    client = make_client(settings)
    client.get_or_create_collection(settings.collection, embedding_function=None,
                                    metadata={"embedder": EMBEDDER, "hnsw:space": "cosine"})
    assert client.get_collection(settings.collection).configuration_json["hnsw"]["ef_search"] == 100
    assert ef_search(open_store(settings, EMBEDDER)) == store_module.SEARCH_EF


def test_a_store_made_before_source_rows_existed_opens_with_its_rows_live(settings):
    client = make_client(settings)
    legacy = client.get_or_create_collection(settings.collection, embedding_function=None,
                                             metadata={"embedder": EMBEDDER},
                                             configuration={"hnsw": {"space": "cosine"}})
    old = [chunk("o1", "a.txt"), chunk("o2", "a.txt")]
    legacy.add(ids=["o1", "o2"], documents=[c.text for c in old], metadatas=[c.to_metadata() for c in old],
               embeddings=[X, Y])
    store = open_store(settings, EMBEDDER)
    assert ids(store) == {"o1", "o2"}
    assert store.sources()[A].source_hash == "hash-a.txt" and store.sources()[A].chunks == 2
