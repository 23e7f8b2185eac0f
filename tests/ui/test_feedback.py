"""Feedback storage in SQLite and the "what the procedures said" exports."""
import csv
import io
import json
import sqlite3
from datetime import datetime, timezone

import pytest

from ui.case_record import build_case_record, to_csv, to_markdown
from ui.feedback import WITHHELD, FeedbackStore


@pytest.fixture(scope="module")
def staying_put(sample_assistant):
    return sample_assistant.ask("Which chapter covers Staying Put?")


def save(store, answer, **kw):
    store.save("a1", question=answer.question, answer=answer.answer, grounded=answer.grounded,
               citations=answer.citations, **kw)


def test_creates_its_table_and_stores_a_rating(tmp_path, staying_put):
    store = FeedbackStore(tmp_path / "sub" / "app.sqlite3")
    save(store, staying_put, rating=1)
    [row] = store.rows()
    assert row["question"] == "Which chapter covers Staying Put?" and row["rating"] == 1
    cited = json.loads(row["citations"])
    assert {"derby-city", "rotherham"} <= {c["manual_id"] for c in cited}
    assert all(c["record_id"] for c in cited)


def test_comment_and_rating_update_one_row(tmp_path, staying_put):
    store = FeedbackStore(tmp_path / "app.sqlite3")
    save(store, staying_put, rating=1)
    save(store, staying_put, comment="Missing the leaflet")
    save(store, staying_put, rating=0)
    [row] = store.rows()
    assert (row["rating"], row["comment"]) == (0, "Missing the leaflet")
    save(store, staying_put, rating=None)
    assert store.rows()[0]["rating"] is None


def test_personal_question_is_withheld(tmp_path, staying_put):
    store = FeedbackStore(tmp_path / "app.sqlite3")
    save(store, staying_put, personal=True, rating=0)
    raw = sqlite3.connect(tmp_path / "app.sqlite3").execute("SELECT question FROM feedback").fetchall()
    assert raw == [(WITHHELD,)]


def test_csv_export_is_formula_safe(tmp_path, staying_put):
    store = FeedbackStore(tmp_path / "app.sqlite3")
    store.save("a2", question="=HYPERLINK(\"x\")", answer="a", grounded=False, citations=[], rating=1)
    [row] = list(csv.DictReader(io.StringIO(store.export_csv())))
    assert row["question"].startswith("'=") and row["rating"] == "up"


def test_case_record_keeps_latest_amendment(sample_assistant):
    answer = sample_assistant.ask("What changed in Child Protection Conferences in 2021?")
    when = datetime(2025, 3, 3, 10, 30, tzinfo=timezone.utc)
    record = build_case_record(answer, sample_assistant.catalog, when, {"ddscp": "Derby and Derbyshire"})
    assert record.date_label == "3 March 2025"
    assert record.cited[0].latest_amendment == "2021-06"
    assert record.cited[0].app_link.startswith("chapter?manual=ddscp&amendment=")


def test_case_record_exports(sample_assistant, staying_put):
    when = datetime(2025, 3, 3, 10, 30, tzinfo=timezone.utc)
    record = build_case_record(staying_put, sample_assistant.catalog, when, {"derby-city": "Derby City"})
    rows = list(csv.DictReader(io.StringIO(to_csv(record))))
    assert len(rows) == len(staying_put.citations)
    assert any(r["chapter"] == "6.7.6" and r["manual"].startswith("Derby City") for r in rows)
    assert all(r["retrieved"] == "2025-03-03T10:30:00+00:00" for r in rows)
    md = to_markdown(record)
    assert md.startswith("# What the procedures said on 3 March 2025")
    assert "Derby City 6.7.6 Staying Put Policy" in md and "Latest amendment known" in md


def test_case_record_of_an_uncovered_question(sample_assistant):
    answer = sample_assistant.ask("what is the mileage rate?")
    record = build_case_record(answer, sample_assistant.catalog, datetime.now(timezone.utc), {})
    assert len(list(csv.DictReader(io.StringIO(to_csv(record))))) == 1
    assert "did not cover" in to_markdown(record)
