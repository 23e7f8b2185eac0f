"""Feedback storage in SQLite, and its export for whoever maintains the procedures."""
import csv
import io
import json
import sqlite3

import pytest

from assistant.practice.feedback import FeedbackStore, csv_cell


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


def test_a_personal_question_is_stored_as_given_masked(tmp_path, staying_put):
    store = FeedbackStore(tmp_path / "app.sqlite3")
    store.save("a9", question="[name] DOB [date of birth] missing", answer="a", grounded=False, citations=[],
               personal=True, rating=0)
    raw = sqlite3.connect(tmp_path / "app.sqlite3").execute("SELECT question, personal FROM feedback").fetchall()
    assert raw == [("[name] DOB [date of birth] missing", 1)]


def test_an_old_database_gains_the_new_column(tmp_path):
    db = sqlite3.connect(tmp_path / "app.sqlite3")
    db.execute("CREATE TABLE feedback (answer_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
               " question TEXT NOT NULL, manual TEXT, answer TEXT NOT NULL, grounded INTEGER NOT NULL,"
               " citations TEXT NOT NULL, rating INTEGER, comment TEXT)")
    db.commit()
    db.close()
    store = FeedbackStore(tmp_path / "app.sqlite3")
    store.save("x", question="q", answer="a", grounded=True, citations=[], rating=1)
    assert store.rows()[0]["personal"] == 0


def test_export_is_readable_local_and_formula_safe(tmp_path, staying_put):
    store = FeedbackStore(tmp_path / "app.sqlite3")
    save(store, staying_put, rating=1, comment="Good")
    store.save("a2", question="=HYPERLINK(\"x\")", answer="a", grounded=False, citations=[], rating=0)
    rows = list(csv.DictReader(io.StringIO(store.export_csv("Europe/London"))))
    assert set(rows[0]) == {"date", "manual searched", "question", "answered", "rating", "comment", "chapters cited"}
    assert rows[0]["rating"] == "helpful" and "Derby City Children's Social Care Procedures 6.7.6 Staying Put Policy" \
        in rows[0]["chapters cited"]
    assert rows[1]["question"].startswith("'=") and rows[1]["answered"] == "not covered"
    assert "answer_id" not in rows[0] and "citations" not in rows[0]  # no internal fields
    assert csv_cell("+1") == "'+1" and csv_cell(3) == 3
