"""BM25 over the stored chunks (bm25s), built in memory from the store.

Lexical search catches what embeddings blur: exact titles, acronyms,
chapter numbers and rare words. Titles are repeated in the indexed text so a
title match outranks a passing mention in a long section.
"""
from __future__ import annotations

import logging
import re
from typing import Optional, Sequence

import bm25s
import numpy as np
import Stemmer

from vectorstore.models import Chunk

_TOKEN = re.compile(r"\d+(?:\.\d+)+[a-z]?|[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and are as at be by can do does for from has have how i if in into is it its me my of on "
    "or our should so that the their there these this to was we were what when where which who whom "
    "why will with you your about any there's what's".split()
)
_stemmer = Stemmer.Stemmer("english")
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


# Ages as staff type them ("16yo", "15 yr old", "17-year-old") read as the manuals print them ("16 year old").
_AGE = re.compile(r"\b(\d{1,2})[\s-]*(?:yo|y/o|yrs?(?:[\s-]*olds?)?|years?[\s-]*olds?)\b")


# Ordinals as typed ("1st", "2nd review") read as written out ("first", "second review").
ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth",
            "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth", "11th": "eleventh", "12th": "twelfth"}


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-worded, stemmed tokens; chapter numbers stay whole."""
    words = [ORDINALS.get(w, w) for w in _TOKEN.findall(_AGE.sub(r"\1 year old", text.lower()))]
    return _stemmer.stemWords([w for w in words if w not in _STOPWORDS])


def indexed_text(chunk: Chunk) -> str:
    """What BM25 sees: the title twice (titles carry most of the signal), then the text."""
    label = f"{chunk.chapter or ''} {chunk.title}"
    return f"{label} {label} {chunk.section or ''} {chunk.text}"


class LexicalIndex:
    """BM25 over a fixed list of chunks; results are positions in that list."""

    def __init__(self, chunks: Sequence[Chunk]):
        self.chunks = list(chunks)
        self._fields: dict[str, np.ndarray] = {}
        self._masks: dict[tuple, np.ndarray] = {}
        corpus = [tokenize(indexed_text(c)) or ["_empty_"] for c in self.chunks]
        self._bm25 = bm25s.BM25()
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict) if corpus else set()

    def search(self, query: str, k: int, filters: Optional[dict[str, set[str]]] = None) -> list[tuple[int, float]]:
        """Top-k (position, score) with a positive score, among chunks whose
        metadata field values are in `filters` (e.g. {"manual_id": {"rotherham"}})."""
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens or not self.chunks:
            return []
        scores = self._bm25.get_scores(tokens)
        for name, allowed in (filters or {}).items():
            scores = np.where(self._mask(name, allowed), scores, 0.0)
        # Equal texts (a month's rows repeated the next month) score equal only up to
        # summation order, which varies with the hash seed: round, then keep index order.
        rounded = -np.round(scores, 9)
        if len(rounded) > 4 * k:  # only the top k are sorted, not every chunk
            cut = np.partition(rounded, k - 1)[k - 1]
            candidates = np.flatnonzero(rounded <= cut)
            top = candidates[np.argsort(rounded[candidates], kind="stable")][:k]
        else:
            top = np.argsort(rounded, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _mask(self, name: str, allowed: set[str]) -> np.ndarray:
        """Which chunks have one of `allowed` in field `name` (remembered: scopes repeat)."""
        key = (name, frozenset(allowed))
        mask = self._masks.get(key)
        if mask is None:
            if len(self._masks) > 64:
                self._masks.clear()
            mask = self._masks[key] = np.isin(self._field(name), list(allowed))
        return mask

    def _field(self, name: str) -> np.ndarray:
        if name not in self._fields:
            self._fields[name] = np.array([str(getattr(c, name) or "") for c in self.chunks])
        return self._fields[name]
