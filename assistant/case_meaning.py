"""Recognising a safeguarding case description by meaning, beside the patterns.

The patterns of safeguarding.toml catch the wordings someone thought of; a
worker describing harm in words nobody listed ("his stepdad lays into him")
is still nearer, by the embedding model, to a written example of harm than to
any example of a question that is not about harm. Examples are data
(case_examples.toml); nothing here knows a question, council or chapter.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from vectorstore.embeddings import Embedder, normalised

EXAMPLES_FILE = Path(__file__).with_name("case_examples.toml")
# Calibrated on sites_dev (docs/evaluation.md, "Safeguarding by meaning"):
SIMILAR = 0.4  # the nearest example of harm must be at least this close
MARGIN = 0.04  # … and this much closer than the nearest example of anything else


@dataclass(frozen=True)
class CaseExamples:
    harms: tuple[str, ...]  # the harm each example shows, one per example
    cases: tuple[str, ...]
    others: tuple[str, ...]


@dataclass(frozen=True)
class MeaningMatch:
    harm: Optional[str]  # the nearest example's harm when it reads as a case, else None
    case: float  # similarity to the nearest example of harm
    other: float  # similarity to the nearest example of anything else


@lru_cache(maxsize=4)
def load_examples(path: Path = EXAMPLES_FILE) -> CaseExamples:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs = [(c["harm"], e) for c in data.get("case", []) for e in c["examples"]]
    return CaseExamples(tuple(h for h, _ in pairs), tuple(e for _, e in pairs),
                        tuple(data.get("other", {}).get("examples", [])))


class CaseRecogniser:
    """Reads a question vector as harm to a child, or not, by its nearest
    examples (embedded once, in `warm_up`)."""

    def __init__(self, embedder: Embedder, examples: Optional[CaseExamples] = None,
                 similar: float = SIMILAR, margin: float = MARGIN):
        self.embedder = embedder
        self.examples = examples or load_examples()
        self.similar, self.margin = similar, margin
        self._cases: Optional[np.ndarray] = None
        self._others: Optional[np.ndarray] = None

    def warm_up(self) -> "CaseRecogniser":
        if self._cases is None:
            self._others = self._embed(self.examples.others)
            self._cases = self._embed(self.examples.cases)
        return self

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return normalised(np.array(self.embedder.embed_documents(list(texts)), dtype=np.float32))

    def match(self, vector: Sequence[float]) -> MeaningMatch:
        """How near a question is to harm and to everything else."""
        self.warm_up()
        v = normalised(np.asarray(vector, dtype=np.float32))
        cases = self._cases @ v if len(self._cases) else np.zeros(1)
        other = float((self._others @ v).max()) if len(self._others) else 0.0
        best = int(cases.argmax())
        case = float(cases[best])
        harm = self.examples.harms[best] if (len(self._cases) and case >= self.similar
                                             and case - other >= self.margin) else None
        return MeaningMatch(harm, case, other)

    def harm(self, text: str) -> Optional[str]:
        """The kind of harm a question describes, by meaning (None: it doesn't read as one)."""
        return self.match(self.embedder.embed_query(text)).harm

