"""The catalog built from the sample store's chunks: records grouped back
from chunks, amendments newest first, look-ups by chapter number.

Expected counts come from the seed files (see the parser tests): Derby City
146 numbered + 3 un-numbered entries, Leicestershire 117 + 1, Rotherham 152
(5.1.8 twice), DDSCP 149 amendments in 35 months, one Derbyshire chapter page
with 7 numbered sections."""
from __future__ import annotations

from collections import Counter

import pytest

from ingest.chunking import page_chunks
from vectorstore.catalog import Catalog
from vectorstore.models import (Amendment, Change, ChapterEntry, Manual, PageKind, ParsedPage,
                                RecordKind)
from vectorstore.store import open_store


@pytest.fixture(scope="module")
def catalog(sample_settings, embedder) -> Catalog:
    return Catalog.from_chunks(open_store(sample_settings, embedder.name).all_chunks())


def test_manuals(catalog):
    assert set(catalog.manuals) == {"derby-city", "ddscp", "leicestershire", "rotherham", "derbyshire"}
    derby = catalog.manuals["derby-city"]
    assert derby.name == "Derby City Children's Social Care Procedures"
    assert derby.places == ["Derby City", "Derby"]
    assert catalog.manuals["ddscp"].places == ["Derby and Derbyshire", "Derby", "Derbyshire", "Derby City", "DDSCP"]


def test_entries_per_manual(catalog):
    counts = Counter(e.manual_id for e in catalog.entries)
    assert counts == {"derby-city": 149, "leicestershire": 118, "rotherham": 152}
    unnumbered = Counter(e.manual_id for e in catalog.entries if e.chapter is None)
    assert unnumbered == {"derby-city": 3, "leicestershire": 1}


def test_entries_are_in_page_order(catalog):
    derby = catalog.manual_entries("derby-city")
    assert [e.position for e in derby] == list(range(149))
    assert derby[0].chapter == "1.1.1" and derby[0].title == "Children's Services Policies, Values and Principles"
    assert catalog.entries == sorted(catalog.entries, key=lambda e: (e.manual_id, e.source, e.position))


def test_every_chunk_is_grouped_under_its_record(catalog):
    assert sum(len(v) for v in catalog.chunks_by_record.values()) == len(catalog.chunks)
    for record_id, chunks in catalog.chunks_by_record.items():
        assert {c.record_id for c in chunks} == {record_id}
    # one chunk per entry and per amendment; a chapter page has many
    for record in [*catalog.entries, *catalog.amendments]:
        assert len(catalog.chunks_by_record[record.record_id]) == 1
    (chapter,) = catalog.chapters
    assert len(catalog.chunks_by_record[chapter.record_id]) > 7
    records = len(catalog.entries) + len(catalog.amendments) + len(catalog.chapters)
    assert records == len(catalog.chunks_by_record) == 419 + 149 + 1


def test_records_equal_their_chunks(catalog):
    for e in catalog.entries[:20]:
        (c,) = catalog.chunks_by_record[e.record_id]
        assert (c.kind, c.manual_id, c.chapter, c.title, c.flags, c.source) == (
            RecordKind.CONTENTS, e.manual_id, e.chapter, e.title, e.flags, e.source)


def test_chapter_pages(catalog):
    (page,) = catalog.chapter_pages("derbyshire", "1.1.1")
    assert page.title == "Children's Services Policies, Values and Principles"
    assert page.amended == "2016-06"
    assert [s.number for s in page.sections if s.number] == ["1", "2", "3", "4", "5", "6", "7"]
    assert catalog.chapter_pages("derby-city", "1.1.1") == []


def test_amendments_newest_first(catalog):
    months = [a.amended for a in catalog.amendments]
    assert len(months) == 149 and len(set(months)) == 35
    assert months == sorted(months, reverse=True)
    assert months[0] == "2022-01" and months[-1] == "2014-12"


def test_amendments_within_a_month_keep_page_order(catalog):
    june = [a for a in catalog.amendments if a.amended == "2021-06"]
    assert [a.title for a in june] == ["Making a Referral to Social Care", "Child Protection Section 47 Enquiries",
                                       "Child Protection Conferences", "Child Abuse Linked to Faith or Beliefs"]
    positions = [a.position for a in june]
    assert positions == sorted(positions)


def test_entries_numbered_returns_both_rotherham_5_1_8(catalog):
    both = catalog.entries_numbered("5.1.8")
    assert [(e.manual_id, e.title, e.flags) for e in both] == [
        ("rotherham", "Matching Matrix", ["New"]),
        ("rotherham", "Supervision and Support of Foster Carers", []),
    ]
    assert catalog.entries_numbered("5.1.8", {"rotherham"}) == both
    assert catalog.entries_numbered("5.1.8", {"derby-city"}) == []


def test_entries_numbered_across_manuals(catalog):
    found = catalog.entries_numbered("1.1.1")
    assert sorted(e.manual_id for e in found) == ["derby-city", "leicestershire", "rotherham"]
    (staying_put,) = catalog.entries_numbered("6.7.6", {"derby-city"})
    assert staying_put.title == "Staying Put Policy"
    assert staying_put.section == "6. Children in Care › 6.7 Leaving Care"
    (codes,) = catalog.entries_numbered("1.2.1a")
    assert (codes.manual_id, codes.title, codes.flags) == ("leicestershire", "Priority Codes", ["Updated"])
    assert catalog.entries_numbered("99.9") == []


def test_unlinked_amendments_have_no_chapter_history(catalog):
    # DDSCP has no contents page in the samples, so none of its amendments is linked
    assert all(a.chapter is None for a in catalog.amendments)
    assert catalog.amendments_for("ddscp", None) == []
    assert catalog.latest_amendment("ddscp", None) is None


# --- linked amendments (synthetic records through the real chunker) --------------------

def test_amendments_for_and_latest_amendment_of_a_linked_chapter():
    manual = Manual(id="t", name="Testshire Procedures", places=["Testshire"])
    entry = ChapterEntry(manual_id="t", chapter="2.1", title="Staying Put", source="c.txt")
    rows = [("2019-03", "2.1", 0), ("2021-06", "2.1", 1), ("2020-01", None, 2), ("2021-06", "3.3", 3)]
    amendments = [Amendment(manual_id="t", amended=month, change=Change.UPDATED, title="x", chapter=chapter,
                            source="a.txt", position=pos) for month, chapter, pos in rows]
    chunks = (page_chunks(ParsedPage(source="c.txt", manual=manual, page_kind=PageKind.CONTENTS,
                                     entries=[entry]), "h1")
              + page_chunks(ParsedPage(source="a.txt", manual=manual, page_kind=PageKind.AMENDMENTS,
                                       amendments=amendments), "h2"))
    catalog = Catalog.from_chunks(chunks)
    assert [a.amended for a in catalog.amendments_for("t", "2.1")] == ["2021-06", "2019-03"]
    assert catalog.latest_amendment("t", "2.1") == "2021-06"
    assert catalog.latest_amendment("t", "9.9") is None
    assert catalog.latest_amendment("other", "2.1") is None
    assert catalog.manuals == {"t": manual}


# -- exact look-ups answering uses (by number, by flag, amendments) ---------------------

def test_numbered_chunks_in_the_order_asked(catalog):
    chunks = catalog.numbered_chunks(["5.1.8", "6.7.6"])
    assert [c.chapter for c in chunks][:1] == ["5.1.8"] and {c.chapter for c in chunks} == {"5.1.8", "6.7.6"}
    assert all(c.kind != RecordKind.AMENDMENT for c in chunks)
    # Rotherham uses 5.1.8 for two entries (see the module docstring)
    assert len({c.record_id for c in chunks if c.chapter == "5.1.8" and c.manual_id == "rotherham"}) == 2
    assert catalog.numbered_chunks(["5.1.8"], {"derby-city"}) == []  # as entries_numbered (below)


def test_amendment_chunks_newest_first(catalog):
    months = [c.amended for c in catalog.amendment_chunks({"ddscp"})]
    assert len(months) == 149 and months == sorted(months, reverse=True)
    assert catalog.amendment_chunks({"rotherham"}) == []


def test_flagged_chunks_are_contents_entries(catalog):
    for flag in {f for e in catalog.entries for f in e.flags}:
        chunks = catalog.flagged_chunks(flag)
        assert chunks and all(c.kind == RecordKind.CONTENTS for c in chunks)
    assert catalog.flagged_chunks("no such flag") == []
