"""A table in the app's local SQLite file: created when missing, one short
connection per call (safe to share between Streamlit sessions' threads)."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


class SQLiteTable:
    schema = ""  # CREATE TABLE IF NOT EXISTS … for the subclass's table (several statements allowed)
    added_columns: tuple[tuple[str, str, str], ...] = ()  # (table, column, type) added since the first schema

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(self.schema)
            for table, column, kind in self.added_columns:
                present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                if column not in present:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)
