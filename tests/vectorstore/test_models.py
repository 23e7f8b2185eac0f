"""The document model: chunks survive Chroma's scalar-only metadata, records
survive their JSON round trip, ids are stable, enum errors are helpful."""
from __future__ import annotations

import pytest

from vectorstore.models import (Amendment, Change, Chapter, ChapterEntry, ChapterSection, Chunk,
                                PageKind, RecordKind, stable_id)


def entry_chunk(**changes) -> Chunk:
    entry = ChapterEntry(manual_id="derby-city", chapter="6.7.6", title="Staying Put Policy",
                         flags=["Updated"], section_path=["6. Children in Care", "6.7 Leaving Care"],
                         see_also=["Staying Close"], url="https://example.org/staying_put.html",
                         source="000.txt", position=12)
    fields = dict(
        id=entry.record_id, text="6.7.6 Staying Put Policy", embed_text="Derby City. 6.7.6 Staying Put Policy.",
        manual_id="derby-city", manual="Derby City Children's Social Care Procedures",
        manual_places=["Derby City", "Derby"], kind=RecordKind.CONTENTS, chapter="6.7.6",
        title="Staying Put Policy", section=entry.section, flags=["Updated", "under review"],
        url=entry.url, source="000.txt", source_hash="abc123", record_id=entry.record_id,
        record_json=entry.model_dump_json(),
    )
    fields.update(changes)
    return Chunk(**fields)


def round_trip(chunk: Chunk) -> Chunk:
    return Chunk.from_stored(chunk.id, chunk.text, chunk.to_metadata())


# --- metadata -----------------------------------------------------------------

def test_metadata_holds_only_scalars():
    meta = entry_chunk().to_metadata()
    assert all(isinstance(v, (str, int, float, bool)) for v in meta.values()), meta
    # id and text travel as Chroma's id and document, not as metadata
    assert "id" not in meta and "text" not in meta
    assert meta["kind"] == "contents"
    assert meta["flags"] == "Updated|under review"
    assert meta["manual_places"] == "Derby City|Derby"


def test_full_chunk_round_trips():
    chunk = entry_chunk()
    assert round_trip(chunk) == chunk


def test_none_fields_are_stored_as_empty_strings_and_come_back_as_none():
    chunk = entry_chunk(chapter=None, section=None, amended=None, url=None)
    meta = chunk.to_metadata()
    assert (meta["chapter"], meta["section"], meta["amended"], meta["url"]) == ("", "", "", "")
    back = round_trip(chunk)
    assert (back.chapter, back.section, back.amended, back.url) == (None, None, None, None)
    assert back == chunk


def test_empty_lists_round_trip_as_empty_lists():
    chunk = entry_chunk(flags=[], manual_places=[])
    meta = chunk.to_metadata()
    assert meta["flags"] == "" and meta["manual_places"] == ""
    back = round_trip(chunk)
    assert back.flags == [] and back.manual_places == []


def test_single_item_lists_and_multi_word_items_keep_their_spaces():
    chunk = entry_chunk(flags=["to follow"], manual_places=["Derby and Derbyshire", "DDSCP"])
    back = round_trip(chunk)
    assert back.flags == ["to follow"]
    assert back.manual_places == ["Derby and Derbyshire", "DDSCP"]


def test_amendment_chunk_round_trips_its_month_and_change():
    amendment = Amendment(manual_id="ddscp", amended="2021-06", change=Change.UPDATED,
                          title="Child Protection Conferences", details="Reviewed.", source="001.txt",
                          position=3)
    chunk = entry_chunk(id=amendment.record_id, kind=RecordKind.AMENDMENT, chapter=None, section=None,
                        flags=[], amended="2021-06", change_type="updated", url=None,
                        title=amendment.title, record_id=amendment.record_id,
                        record_json=amendment.model_dump_json())
    back = round_trip(chunk)
    assert back == chunk
    assert back.kind is RecordKind.AMENDMENT and back.amended == "2021-06" and back.change_type == "updated"


# --- parent records -------------------------------------------------------------

def test_record_of_an_entry_chunk_is_the_entry():
    entry = ChapterEntry(manual_id="rotherham", chapter="5.1.8", title="Matching Matrix", flags=["New"],
                         section_path=["5. Fostering and Adoption", "5.1 Fostering Services"], source="003.txt",
                         position=77)
    chunk = entry_chunk(kind=RecordKind.CONTENTS, record_json=entry.model_dump_json())
    record = round_trip(chunk).record()
    assert isinstance(record, ChapterEntry)
    assert record == entry
    assert record.record_id == entry.record_id


def test_record_of_a_chapter_chunk_is_the_whole_chapter():
    chapter = Chapter(manual_id="derbyshire", chapter="1.1.1", title="Policies", scope="Context.",
                      amendment_note="In June 2016 this was reviewed.", amended="2016-06",
                      sections=[ChapterSection(heading="1. Introduction", number="1", text="Intro."),
                                ChapterSection(heading="2. Vision", number="2", text="Vision.")],
                      source="004.txt")
    chunk = entry_chunk(kind=RecordKind.CHAPTER, record_json=chapter.model_dump_json())
    record = round_trip(chunk).record()
    assert isinstance(record, Chapter)
    assert record == chapter
    assert [s.heading for s in record.sections] == ["1. Introduction", "2. Vision"]


def long_chapter() -> Chapter:
    para = "A paragraph long enough that three of them fill most of a chunk. " * 4
    return Chapter(manual_id="derbyshire", chapter="1.1.1", title="Policies", scope="Context.",
                   amendment_note="In June 2016 this was reviewed.", amended="2016-06", contents=["Introduction"],
                   sections=[ChapterSection(heading=f"{n}. Part {n}", number=str(n),
                                            text="\n\n".join([para.strip()] * (n % 5 + 1))) for n in range(1, 30)]
                   + [ChapterSection(heading="30. Empty", number="30", text="")], source="004.txt")


def test_a_chapter_comes_back_whole_from_its_chunks_in_any_order():
    from ingest.chunking import chapter_chunks
    from vectorstore.models import Manual, chapter_from_chunks

    chapter = long_chapter()
    chunks = [round_trip(c) for c in chapter_chunks(chapter, Manual(id="derbyshire", name="Derbyshire"), "h" * 32)]
    assert len(chunks) > len(chapter.sections)  # long sections are split
    assert chapter_from_chunks(list(reversed(chunks))) == chapter
    assert all(not s.text for c in chunks for s in c.record().sections)  # no chunk holds the chapter's text
    assert {c.record().scope for c in chunks} == {"Context."}  # but every one its header


def test_without_its_first_chunk_a_chapter_has_the_sections_its_chunks_name():
    from ingest.chunking import chapter_chunks
    from vectorstore.models import Manual, chapter_from_chunks

    chapter = long_chapter()
    chunks = chapter_chunks(chapter, Manual(id="derbyshire", name="Derbyshire"), "h" * 32)[1:]
    found = chapter_from_chunks(chunks)
    assert [s.heading for s in found.sections] == [s.heading for s in chapter.sections if s.text]
    assert [s.text for s in found.sections] == [s.text for s in chapter.sections if s.text]
    assert found.title == "Policies" and found.contents == []


def test_record_of_an_amendment_chunk_is_the_amendment():
    amendment = Amendment(manual_id="ddscp", amended="2022-01", change=Change.UPDATED, title="",
                          details="Refreshed.", source="001.txt", position=0)
    chunk = entry_chunk(kind=RecordKind.AMENDMENT, record_json=amendment.model_dump_json())
    record = round_trip(chunk).record()
    assert isinstance(record, Amendment)
    assert record == amendment and record.change is Change.UPDATED and record.chapter is None


# --- ids ------------------------------------------------------------------------

def test_stable_id_is_the_same_on_every_call():
    first = stable_id("rotherham", "entry", "003.txt", 77, "5.1.8", "Matching Matrix")
    assert first == stable_id("rotherham", "entry", "003.txt", 77, "5.1.8", "Matching Matrix")
    assert len(first) == 20 and all(ch in "0123456789abcdef" for ch in first)


def test_stable_id_known_value():
    # sha1 of the JSON list of the parts as strings: fixed forever, so stored ids stay valid.
    import hashlib
    import json

    raw = json.dumps(["a", "1"], ensure_ascii=False).encode("utf-8")
    assert stable_id("a", 1) == hashlib.sha1(raw).hexdigest()[:20]


def test_stable_id_tells_parts_and_their_order_apart():
    ids = {stable_id("a", "b"), stable_id("b", "a"), stable_id("ab"), stable_id("a", "b", ""), stable_id("a|b")}
    assert len(ids) == 5


def test_duplicate_chapter_numbers_get_different_record_ids():
    common = dict(manual_id="rotherham", chapter="5.1.8", section_path=["5.1"], source="003.txt")
    first = ChapterEntry(title="Matching Matrix", position=77, **common)
    second = ChapterEntry(title="Supervision and Support of Foster Carers", position=78, **common)
    same_title_elsewhere = ChapterEntry(title="Matching Matrix", position=90, **common)
    assert len({first.record_id, second.record_id, same_title_elsewhere.record_id}) == 3
    # the id does not depend on fields outside it (flags, section): a flag change keeps the id
    assert first.record_id == first.model_copy(update={"flags": ["New"]}).record_id


def test_record_ids_differ_by_kind_for_the_same_number_and_title():
    entry = ChapterEntry(manual_id="m", chapter="1.1", title="T", source="s")
    chapter = Chapter(manual_id="m", chapter="1.1", title="T", source="s")
    assert entry.record_id != chapter.record_id


# --- enums ----------------------------------------------------------------------

def test_parse_accepts_values():
    assert PageKind.parse("contents") is PageKind.CONTENTS
    assert RecordKind.parse("amendment") is RecordKind.AMENDMENT
    assert Change.parse("removed") is Change.REMOVED
    assert str(PageKind.CHAPTER) == "chapter"


def test_parse_error_lists_every_valid_value():
    with pytest.raises(ValueError) as caught:
        PageKind.parse("index")
    message = str(caught.value)
    assert "'index'" in message and "PageKind" in message
    for value in ("contents", "amendments", "chapter"):
        assert value in message


def test_parse_is_case_sensitive_and_lists_values_for_change():
    with pytest.raises(ValueError, match="updated, new, removed"):
        Change.parse("Updated")
