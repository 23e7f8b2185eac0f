"""Large files ingest with bounded memory: chunks are embedded and written a
batch at a time, and a chapter's text is stored once, not once per chunk.
Real embedder (wrapped to count what it is given), real Chroma store, a
SYNTHETIC chapter page from bench/large_file.py. Nothing here is timed."""
from __future__ import annotations

import pytest

import ingest.pipeline as pipeline
from bench.large_file import make_site
from ingest.pipeline import ingest, parse_file
from ingest.sites import discover
from vectorstore.catalog import Catalog
from vectorstore.models import RecordKind
from vectorstore.settings import Settings
from vectorstore.store import open_store

BATCH = 16  # small, so a page of a few hundred chunks needs many batches


class CountingEmbedder:
    """The real embedder, noting each call's size and how many rows the store
    held when it came (rows grow between calls only if batches are written as
    they are embedded)."""

    def __init__(self, real, store):
        self.real, self.store = real, store
        self.name = real.name
        self.calls: list[tuple[int, int]] = []  # (texts in the call, rows in the store then)

    def warm_up(self) -> None:
        self.real.warm_up()

    def embed_documents(self, texts):
        self.calls.append((len(texts), self.store.count()))
        return self.real.embed_documents(texts)

    def embed_query(self, text):
        return self.real.embed_query(text)


@pytest.fixture(scope="module", params=["text", "html"])
def large(request, tmp_path_factory, embedder):
    """A SYNTHETIC chapter page of a few hundred chunks, ingested with BATCH-sized batches."""
    root = tmp_path_factory.mktemp(f"large-{request.param}")
    make_site(root / "site", request.param, megabytes=0.12)
    settings = Settings().with_(data_dir=root, store_dir=root / "store", chroma_host=None)
    store = open_store(settings, embedder.name)
    counting = CountingEmbedder(embedder, store)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "BATCH", BATCH)
        report = ingest([root / "site"], settings, store, counting, progress=False)
    assert not report.errors, report.errors
    return settings, store, counting, report, root / "site"


def test_the_embedder_never_gets_more_than_a_batch(large):
    _, _, counting, report, _ = large
    sizes = [n for n, _ in counting.calls]
    assert report.chunks > 10 * BATCH
    assert max(sizes) <= BATCH and sum(sizes) == report.chunks


def test_each_batch_is_written_before_the_next_is_embedded(large):
    _, _, counting, _, _ = large
    rows_seen = [rows for _, rows in counting.calls]
    assert rows_seen == [i * BATCH for i in range(len(rows_seen))]


def test_a_chapters_text_is_stored_once_not_once_per_chunk(large):
    _, store, _, report, site = large
    chunks = store.all_chunks(where={"kind": RecordKind.CHAPTER.value})
    assert len(chunks) == report.chunks
    assert all(not s.text for c in chunks for s in c.record().sections)  # no chunk's record holds section text
    first = [c for c in chunks if c.part == 0]
    assert len(first) == 1 and len(first[0].record().sections) > 20  # the outline: headings only
    assert len({c.record_json for c in chunks if c.part}) == 1  # the rest: one header, whatever the length


def test_the_catalog_puts_the_whole_chapter_back_together(large):
    settings, store, _, _, site = large
    [chapter] = Catalog.from_chunks(store.all_chunks()).chapters
    found = discover([site], {})
    [parsed] = parse_file(found.files[0], settings, dict(found.manuals)).chapters
    assert len(chapter.sections) == len(parsed.sections) > 20
    assert [(s.heading, s.number) for s in chapter.sections] == [(s.heading, s.number) for s in parsed.sections]
    assert [s.text for s in chapter.sections] == [s.text for s in parsed.sections]
    assert (chapter.title, chapter.scope, chapter.amendment_note) == (parsed.title, parsed.scope, parsed.amendment_note)


CONTENTS = """\
Contents

1. All Children

1.1

Policies

1.1.1 The Long Chapter (SYNTHETIC)
1.1.2 Child Protection Section 47 Enquiries
1.1.3 Recording and Case Records
1.1.4 Safeguarding Children from Dangerous Dogs Policy
1.1.5 Child Protection Conferences Guidance
"""


def test_a_contents_page_added_later_rejoins_every_chunk_of_the_chapter(large, embedder):
    """Runs last for each format: it adds a page to the site. Only the contents
    page is read; the relink pass rewrites the chapter's chunks from its first."""
    settings, store, _, _, site = large
    (site / "contents.txt").write_text(CONTENTS, encoding="utf-8")
    with (site / "manifest.toml").open("a", encoding="utf-8") as manifest:
        manifest.write('\n[files."contents.txt"]\nmanual = "synthetic-large"\nkind = "contents"\n')
    report = ingest([site], settings, store, embedder, progress=False)
    assert (report.ingested, report.skipped, report.errors) == (1, 1, [])
    [entry] = [e for e in Catalog.from_chunks(store.all_chunks()).entries if e.chapter == "1.1.1"]
    chunks = store.all_chunks(where={"kind": RecordKind.CHAPTER.value})
    assert {(c.title, c.chapter_key, c.record().entry_id) for c in chunks} == {
        ("The Long Chapter (SYNTHETIC)", entry.record_id, entry.record_id)}
    [chapter] = Catalog.from_chunks(store.all_chunks()).chapters
    assert chapter.title == "The Long Chapter (SYNTHETIC)" and len(chapter.sections) > 20
    assert all(s.text for s in chapter.sections)
