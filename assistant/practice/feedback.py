"""Feedback on answers, kept in the app's SQLite file (`settings.app_db`).

One row per answer: a thumbs rating and a comment can each be given or
changed later and update the same row. The question is stored as the app
shows it: masked where the personal-data check fired. Only an admin may
download it (`export_csv`: readable columns, local times, no internal ids).
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from typing import Optional, Sequence
from zoneinfo import ZoneInfo

from assistant.answer import Citation
from assistant.practice.sqlite_table import SQLiteTable

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
    comment     TEXT,
    personal    INTEGER NOT NULL DEFAULT 0
)"""
COLUMNS = ("answer_id", "created_at", "updated_at", "question", "manual", "answer", "grounded",
           "citations", "rating", "comment", "personal")
RATINGS = {0: "not helpful", 1: "helpful"}  # st.feedback("thumbs") values
EXPORT_COLUMNS = ("date", "manual searched", "question", "answered", "rating", "comment", "chapters cited")
KEEP = object()  # "leave this field as stored"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def csv_cell(value: object) -> object:
    """A CSV value that a spreadsheet will not run as a formula (a leading
    =, +, -, @ or control character gets a quote mark in front)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def citations_json(citations: Sequence[Citation]) -> str:
    """The citations as stored: the public JSON fields plus the record id."""
    return json.dumps([{**c.model_dump(mode="json"), "record_id": c.record_id} for c in citations],
                      ensure_ascii=False)


class FeedbackStore(SQLiteTable):
    """The feedback table in one SQLite file (created when missing)."""

    schema = _SCHEMA
    added_columns = (("feedback", "personal", "INTEGER NOT NULL DEFAULT 0"),)

    def save(self, answer_id: str, *, question: str, answer: str, grounded: bool,
             citations: Sequence[Citation], manual: Optional[str] = None, personal: bool = False,
             rating: object = KEEP, comment: object = KEEP) -> None:
        """Record feedback on one answer, or update it: `rating` (1 up, 0 down,
        None cleared) and `comment` change only when given. `question` and
        `comment` must already be masked where they held personal details."""
        now = _now()
        given = {k: v for k, v in (("rating", rating), ("comment", comment)) if v is not KEEP}
        row = {"answer_id": answer_id, "created_at": now, "updated_at": now, "question": question,
               "manual": manual, "answer": answer, "grounded": int(grounded), "citations": citations_json(citations),
               "rating": None, "comment": None, "personal": int(personal), **given}
        updates = ", ".join(["updated_at=excluded.updated_at", *(f"{k}=excluded.{k}" for k in given)])
        with closing(self._connect()) as db, db:
            db.execute(f"INSERT INTO feedback ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
                       f"ON CONFLICT(answer_id) DO UPDATE SET {updates}", [row[c] for c in COLUMNS])

    def rows(self) -> list[dict]:
        """Every feedback row, oldest first."""
        with closing(self._connect()) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY created_at")]

    def export_csv(self, time_zone: str = "Europe/London") -> str:
        """All feedback for whoever maintains the procedures: local dates, ratings
        in words, the chapters cited by label; formula-safe."""
        zone = ZoneInfo(time_zone)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for row in self.rows():
            cited = [" ".join(p for p in (c.get("manual", ""), c.get("chapter") or "", c.get("title", "")) if p)
                     for c in json.loads(row["citations"] or "[]")]
            when = datetime.fromisoformat(row["created_at"]).astimezone(zone)
            writer.writerow({k: csv_cell(v) for k, v in {
                "date": when.strftime("%d/%m/%Y %H:%M"), "manual searched": row["manual"] or "all manuals",
                "question": row["question"], "answered": "yes" if row["grounded"] else "not covered",
                "rating": RATINGS.get(row["rating"], ""), "comment": row["comment"] or "",
                "chapters cited": "; ".join(cited)}.items()})
        return out.getvalue()
