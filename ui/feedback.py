"""Feedback on answers, kept in the app's SQLite file (`settings.app_db`).

One row per answer: a thumbs rating and a comment can each be given or
changed later and update the same row. A question that looked like it held
personal details is stored as WITHHELD, never as typed. Whoever maintains the
procedures downloads everything as CSV.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from typing import Optional, Sequence

from assistant.answer import Citation
from ui.rendering import csv_cell
from ui.sqlite_table import SQLiteTable

WITHHELD = "[withheld: the question looked like it held personal details]"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    answer_id   TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    question    TEXT NOT NULL,
    manual      TEXT,
    answer      TEXT NOT NULL,
    grounded    INTEGER NOT NULL,
    citations   TEXT NOT NULL,
    rating      INTEGER,
    comment     TEXT
)"""
COLUMNS = ("answer_id", "created_at", "updated_at", "question", "manual", "answer", "grounded",
           "citations", "rating", "comment")
RATINGS = {0: "down", 1: "up"}  # st.feedback("thumbs") values
KEEP = object()  # "leave this field as stored"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def citations_json(citations: Sequence[Citation]) -> str:
    """The citations as stored: the public JSON fields plus the record id."""
    return json.dumps([{**c.model_dump(mode="json"), "record_id": c.record_id} for c in citations],
                      ensure_ascii=False)


class FeedbackStore(SQLiteTable):
    """The feedback table in one SQLite file (created when missing)."""

    schema = _SCHEMA

    def save(self, answer_id: str, *, question: str, answer: str, grounded: bool,
             citations: Sequence[Citation], manual: Optional[str] = None, personal: bool = False,
             rating: object = KEEP, comment: object = KEEP) -> None:
        """Record feedback on one answer, or update it: `rating` (1 up, 0 down,
        None cleared) and `comment` change only when given."""
        now = _now()
        given = {k: v for k, v in (("rating", rating), ("comment", comment)) if v is not KEEP}
        row = {"answer_id": answer_id, "created_at": now, "updated_at": now,
               "question": WITHHELD if personal else question, "manual": manual, "answer": answer,
               "grounded": int(grounded), "citations": citations_json(citations), "rating": None,
               "comment": None, **given}
        updates = ", ".join(["updated_at=excluded.updated_at", *(f"{k}=excluded.{k}" for k in given)])
        with closing(self._connect()) as db, db:
            db.execute(f"INSERT INTO feedback ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
                       f"ON CONFLICT(answer_id) DO UPDATE SET {updates}", [row[c] for c in COLUMNS])

    def rows(self) -> list[dict]:
        """Every feedback row, oldest first."""
        with closing(self._connect()) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY created_at")]

    def export_csv(self) -> str:
        """All feedback as CSV, ratings written as up/down, formula-safe."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in self.rows():
            row["rating"] = RATINGS.get(row["rating"], "")
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
        return out.getvalue()
