"""Change evidence (assistant/evidence.py) on hand-made records: a chapter
page's amendment note and the amendments page's row for the same chapter and
month are one change, cited once, as the row."""
from __future__ import annotations

from assistant.evidence import _records_before_notes
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
