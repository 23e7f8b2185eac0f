"""Change evidence (assistant/evidence.py) on hand-made records: a chapter
page's amendment note and the amendments page's row for the same chapter and
month are one change, cited once, as the row."""
from __future__ import annotations

from assistant.evidence import _records_before_notes
from assistant.question import Lookup
from assistant.retrieval import RecordHit
from vectorstore.models import Chunk, RecordKind


def hit(record_id: str, kind: RecordKind, chapter: str, amended: str) -> RecordHit:
    chunk = Chunk(id=record_id, text="", embed_text="", manual_id="fenwold", manual="Fenwold", kind=kind,
                  chapter=chapter, title="Young Carers", amended=amended, record_id=record_id)
    return RecordHit(chunk=chunk, chunks=[chunk])


def test_the_amendments_row_takes_the_place_of_the_same_months_note():
    note = hit("page", RecordKind.CHAPTER, "3.3.2", "2024-09")
    row = hit("row", RecordKind.AMENDMENT, "3.3.2", "2024-09")
    older = hit("older", RecordKind.AMENDMENT, "3.3.2", "2023-01")
    assert [h.record_id for h in _records_before_notes([note, older, row])] == ["row", "older"]


def test_a_note_with_no_row_of_its_month_stays():
    note = hit("page", RecordKind.CHAPTER, "3.3.2", "2024-09")
    row = hit("row", RecordKind.AMENDMENT, "3.3.2", "2023-01")
    assert [h.record_id for h in _records_before_notes([note, row])] == ["page", "row"]


def test_a_number_not_in_the_manual_falls_through_to_a_search_that_ranks_as_one(sample_assistant):
    # The seeds have no chapter 9.9.9 in Derby City; its 6.7.6 is "Staying Put Policy".
    question = sample_assistant._analyse({"question": "is 9.9.9 the staying put policy in Derby City?"})
    assert question.intent == Lookup.NUMBER
    found = sample_assistant._gather(question)
    assert found.mode == Lookup.SEARCH
    assert found.question.intent == Lookup.NUMBER  # what was asked is kept; only the ranking changed
    assert (found.hits[0].chunk.manual_id, found.hits[0].chunk.chapter) == ("derby-city", "6.7.6")


def test_an_exact_number_is_looked_up(sample_assistant):
    found = sample_assistant._gather(sample_assistant._analyse({"question": "what is 6.7.6 in Derby City?"}))
    assert found.mode == Lookup.NUMBER
    assert [(h.chunk.manual_id, h.chunk.chapter) for h in found.hits] == [("derby-city", "6.7.6")]
