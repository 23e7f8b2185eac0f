"""What the manuals are not for (data in remit.toml): staff's own pay, leave,
IT and office, and general knowledge. A question far closer to one of these
topics than to any record is answered "not covered", naming where to ask.

This catches the near misses that similarity and topic words cannot: "lunch
break policy" shares a word with "Short Breaks", and "pension contributions
for social workers" with the social worker chapters, but each is plainly a
question for HR.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from vectorstore.embeddings import Embedder, normalised

REMIT_FILE = Path(__file__).with_name("remit.toml")


@dataclass(frozen=True)
class Topic:
    label: str  # "pay, pensions and allowances for staff"
    ask: str  # where staff should ask instead: "HR or payroll"
    examples: tuple[str, ...]


@dataclass(frozen=True)
class RemitMatch:
    topic: Topic
    similarity: float  # cosine similarity of the question to the topic's closest example


@lru_cache(maxsize=4)
def load_topics(path: Path = REMIT_FILE) -> tuple[Topic, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(Topic(t["label"], t["ask"], tuple(t["examples"])) for t in data["topic"])


class Remit:
    """Matches a question vector against the out-of-remit topics' examples
    (embedded once, in `warm_up`)."""

    def __init__(self, embedder: Embedder, topics: Optional[Sequence[Topic]] = None):
        self.embedder = embedder
        self.topics = tuple(topics if topics is not None else load_topics())
        self._owner: list[Topic] = [t for t in self.topics for _ in t.examples]
        self._matrix: Optional[np.ndarray] = None

    def warm_up(self) -> None:
        if self._matrix is None:
            examples = [e for t in self.topics for e in t.examples]
            if not examples:
                self._matrix = np.zeros((0, 0), dtype=np.float32)
                return
            self._matrix = normalised(np.array(self.embedder.embed_documents(examples), dtype=np.float32))

    def match(self, vector: Sequence[float]) -> Optional[RemitMatch]:
        """The closest out-of-remit topic to a question's vector (None if there are no topics)."""
        self.warm_up()
        if not len(self._matrix):
            return None
        sims = self._matrix @ normalised(np.asarray(vector, dtype=np.float32))
        best = int(sims.argmax())
        return RemitMatch(self._owner[best], float(sims[best]))

