"""A table in the app's local SQLite file: created when missing, one short
connection per call (safe to share between Streamlit sessions' threads)."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


class SQLiteTable:
    schema = ""  # CREATE TABLE IF NOT EXISTS … for the subclass's table

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute(self.schema)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)
