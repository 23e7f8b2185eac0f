"""Induction ticks: which chapters of a manual a user has marked as read,
kept in the app's local SQLite file (`settings.app_db`) in a table of its own.

A tick is stored against the chapter number and title (not a store record
id), so it survives re-ingesting the manual. User names are compared without
case or surrounding spaces."""
from __future__ import annotations

from contextlib import closing
from datetime import datetime, timezone

from assistant.practice.sqlite_table import SQLiteTable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS induction_ticks (
    user TEXT NOT NULL,
    manual_id TEXT NOT NULL,
    chapter TEXT NOT NULL,
    title TEXT NOT NULL,
    ticked_at TEXT NOT NULL,
    PRIMARY KEY (user, manual_id, chapter, title)
)
"""


def user_key(name: str) -> str:
    """The stored form of a user name: trimmed, inner spaces folded, case-folded."""
    return " ".join(name.split()).casefold()


class TickStore(SQLiteTable):
    """Ticks in one SQLite file; each call opens its own short connection, so
    a store is safe to share between Streamlit sessions (threads)."""

    schema = _SCHEMA

    def ticked(self, user: str, manual_id: str) -> set[tuple[str, str]]:
        """(chapter, title) pairs the user has ticked in a manual."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT chapter, title FROM induction_ticks WHERE user = ? AND manual_id = ?",
                              (user_key(user), manual_id)).fetchall()
        return {(chapter, title) for chapter, title in rows}

    def set(self, user: str, manual_id: str, chapter: str, title: str, done: bool) -> None:
        """Tick (done=True) or untick a chapter for a user. A blank name is refused."""
        user = user_key(user)
        if not user:
            raise ValueError("a user name is needed to keep ticks")
        with closing(self._connect()) as db, db:
            if done:
                db.execute("INSERT OR REPLACE INTO induction_ticks VALUES (?, ?, ?, ?, ?)",
                           (user, manual_id, chapter, title, datetime.now(timezone.utc).isoformat()))
            else:
                db.execute("DELETE FROM induction_ticks WHERE user = ? AND manual_id = ? AND chapter = ? "
                           "AND title = ?", (user, manual_id, chapter, title))
