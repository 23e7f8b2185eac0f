"""When a retrieved record is good enough to cite.

A record is cited only when the evidence says it is about the question: a
close embedding match, or a fair one that also contains most of the
question's topic words. Thresholds were calibrated on tests/eval (see
docs/evaluation.md); `python -m assistant eval --sweep` reprints the sweep.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.retrieval import RecordHit


@dataclass(frozen=True)
class Thresholds:
    dense_strong: float = 0.62  # cosine similarity that alone is enough
    dense_weak: float = 0.35  # the floor when topic words match
    coverage: float = 0.5  # share of topic words the record must contain with a weak match
    relative: float = 0.45  # a further citation's fused score against the best one


DEFAULT = Thresholds()


def is_confident(hit: RecordHit, t: Thresholds = DEFAULT) -> bool:
    """Whether a record may be cited at all."""
    return hit.dense >= t.dense_strong or (hit.dense >= t.dense_weak and hit.coverage >= t.coverage)


def citable(hits: list[RecordHit], t: Thresholds = DEFAULT, limit: int = 5) -> list[RecordHit]:
    """The records worth citing: the best one if confident, and those close
    behind it that are confident too. Empty when nothing is."""
    if not hits or not is_confident(hits[0], t):
        return []
    best = hits[0].score
    chosen = [h for h in hits if h.score >= t.relative * best and is_confident(h, t)]
    return chosen[:limit]
