"""Conversations kept in the app's SQLite file, so a refresh or a shared link
brings one back: its id goes in the page address, its turns in this store.

A turn is stored as the app shows it: where the personal-data check fired,
the question is stored masked, never as typed. Each conversation has an owner
key (the signed-in user, or a browser's own random key) so the history list
shows a browser only its own conversations.
"""
from __future__ import annotations

import json
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional

from assistant.answer import Answer, Citation
from assistant.practice.sqlite_table import SQLiteTable

TITLE_CHARS = 60

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL,
    position        INTEGER NOT NULL,
    turn_id         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    grounded        INTEGER NOT NULL,
    data            TEXT NOT NULL,
    PRIMARY KEY (conversation_id, position)
);
"""


def new_id() -> str:
    """A conversation or turn id: random, hard to guess, safe in a URL."""
    return secrets.token_hex(8)


@dataclass
class Turn:
    """One question and its answer, as shown."""

    question: str  # as shown: masked where it held personal details
    answer: Answer
    asked: datetime
    manual: Optional[str] = None  # the manual chosen for this question (None: the question's own scope)
    asked_as: str = ""  # the question actually asked when it differs (a rewritten follow-up)
    personal: list[str] = field(default_factory=list)  # kinds of personal detail found (and masked)
    rating: Optional[int] = None
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class Summary:
    id: str
    title: str
    updated_at: datetime
    turns: int


def _citation_dict(c: Citation) -> dict:
    return {**c.model_dump(mode="json"), "record_id": c.record_id, "passage": c.passage, "quote": c.quote}


def answer_to_dict(answer: Answer) -> dict:
    """An answer with the fields the JSON contract leaves out (lead, quotes, scope, pointers)."""
    data = answer.model_dump(mode="json", exclude={"citations"})
    data.update(citations=[_citation_dict(c) for c in answer.citations],
                pointers=[_citation_dict(c) for c in answer.pointers], plain=answer.plain, lead=answer.lead,
                searched=answer.searched, scope=answer.scope)
    return data


def answer_from_dict(data: dict) -> Answer:
    data = dict(data)
    data["citations"] = [Citation(**c) for c in data.get("citations", [])]
    data["pointers"] = [Citation(**c) for c in data.get("pointers", [])]
    return Answer(**data)


def _turn_json(turn: Turn) -> str:
    return json.dumps({"id": turn.id, "question": turn.question, "asked_as": turn.asked_as, "manual": turn.manual,
                       "personal": turn.personal, "asked": turn.asked.isoformat(), "rating": turn.rating,
                       "answer": answer_to_dict(turn.answer)}, ensure_ascii=False)


def _turn_from(data: str) -> Turn:
    d = json.loads(data)
    return Turn(question=d["question"], answer=answer_from_dict(d["answer"]), asked=datetime.fromisoformat(d["asked"]),
                manual=d.get("manual"), asked_as=d.get("asked_as", ""), personal=d.get("personal", []),
                rating=d.get("rating"), id=d["id"])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class ConversationStore(SQLiteTable):
    """Conversations and their turns in one SQLite file (created when missing)."""

    schema = _SCHEMA

    def add(self, conversation_id: str, owner: str, turn: Turn) -> None:
        """Append a turn, creating the conversation (titled by its first question) when new."""
        now = _now()
        with closing(self._connect()) as db, db:
            db.execute("INSERT OR IGNORE INTO conversations (id, owner, created_at, updated_at, title) "
                       "VALUES (?, ?, ?, ?, ?)", (conversation_id, owner, now, now, _title(turn.question)))
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
            position = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM turns WHERE conversation_id = ?",
                                  (conversation_id,)).fetchone()[0]
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                       (conversation_id, position, turn.id, now, int(turn.answer.grounded), _turn_json(turn)))

    def update(self, conversation_id: str, turn: Turn) -> None:
        """Store a changed turn (its rating) in place."""
        with closing(self._connect()) as db, db:
            db.execute("UPDATE turns SET data = ? WHERE conversation_id = ? AND turn_id = ?",
                       (_turn_json(turn), conversation_id, turn.id))

    def turns(self, conversation_id: str) -> list[Turn]:
        """The conversation's turns in order ([] for an unknown id)."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT data FROM turns WHERE conversation_id = ? ORDER BY position",
                              (conversation_id,)).fetchall()
        return [_turn_from(data) for (data,) in rows]

    def exists(self, conversation_id: str) -> bool:
        with closing(self._connect()) as db:
            return db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is not None

    def recent(self, owner: str, limit: int = 8) -> list[Summary]:
        """The owner's latest conversations, newest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT c.id, c.title, c.updated_at, COUNT(t.position) FROM conversations c "
                              "LEFT JOIN turns t ON t.conversation_id = c.id WHERE c.owner = ? "
                              "GROUP BY c.id ORDER BY c.updated_at DESC, c.created_at DESC LIMIT ?",
                              (owner, limit)).fetchall()
        return [Summary(cid, title, datetime.fromisoformat(updated), count) for cid, title, updated, count in rows]

    def not_covered(self) -> list[Turn]:
        """Every turn whose answer the manuals did not ground, oldest first (for the gaps report)."""
        with closing(self._connect()) as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT data FROM turns WHERE grounded = 0 ORDER BY created_at").fetchall()
        return [_turn_from(row["data"]) for row in rows]


def _title(question: str) -> str:
    text = " ".join(question.split())
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS - 1].rstrip() + "…"
