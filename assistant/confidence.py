"""When a retrieved record is good enough to cite.

A record is cited only when the evidence says it is about the question: a
close embedding match alone, or embedding similarity plus rarity-weighted
topic-word coverage reaching a combined bar. Thresholds were calibrated on tests/eval (see
docs/evaluation.md); `python -m assistant eval --sweep` reprints the sweep.

Similarities mean different things under different embedding models, so the
thresholds are per model: the defaults below are all-MiniLM-L6-v2's, and
thresholds.toml holds another model's own values (`for_model`).
"""
from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Optional

from assistant.case_meaning import SIMILAR
from assistant.retrieval import RecordHit
from assistant.sentences import ANSWERS, NO_ANSWER
from vectorstore.models import RecordKind


@dataclass(frozen=True)
class Thresholds:
    dense_strong: float = 0.62  # cosine similarity that alone is enough
    combined: float = 0.6  # similarity + topic coverage needed otherwise
    dense_floor: float = 0.1  # below this similarity, words alone never suffice…
    titled: float = 0.99  # … unless the record's own title names every word asked about
    follow: float = 0.2  # a further citation may trail the best one's combined evidence by this much
    clear: float = 0.8  # evidence at which an answer is stated plainly rather than offered as closest
    remit: float = 0.5  # similarity to an out-of-remit topic (pay, IT…) that may overrule a weak match
    remit_margin: float = 0.15  # … when it is this much closer than the best record
    answers: float = ANSWERS  # a sentence's score from which it is stated as the answer
    no_answer: float = NO_ANSWER  # below this no sentence comes near answering: not covered, unless found plainly
    case_similar: float = SIMILAR  # how close a description must be to an example of harm to a child


DEFAULT = Thresholds()
CALIBRATION_FILE = Path(__file__).with_name("thresholds.toml")
log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def for_model(embedder_name: str, path: Path = CALIBRATION_FILE) -> Thresholds:
    """The thresholds calibrated for an embedding model: its table in
    thresholds.toml over the defaults (all-MiniLM-L6-v2's). A model with no
    table gets the defaults, which its similarities may not suit (logged)."""
    tables = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    table = tables.get(embedder_name)
    if table is None:
        if embedder_name != DEFAULT_MODEL:
            log.warning("no thresholds calibrated for %s in %s: using %s's", embedder_name, path.name, DEFAULT_MODEL)
        return DEFAULT
    known = {f.name for f in fields(Thresholds)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"{path}: [{embedder_name}] has unknown thresholds {unknown}; valid: {sorted(known)}")
    return Thresholds(**{**{f.name: getattr(DEFAULT, f.name) for f in fields(Thresholds)}, **table})


DEFAULT_MODEL = "all-MiniLM-L6-v2"  # the model the defaults were calibrated on


def is_confident(hit: RecordHit, t: Thresholds = DEFAULT) -> bool:
    """Whether a record may be cited at all. A one-word contents title
    ("Chronologies") embeds with its manual's name and section, so its
    similarity to the word can be tiny: a title naming all that was asked is
    evidence enough to pass the floor."""
    floor = hit.dense >= t.dense_floor or hit.titled >= t.titled
    return hit.dense >= t.dense_strong or (floor and evidence(hit) >= t.combined)


def is_clear(hit: RecordHit, t: Thresholds = DEFAULT) -> bool:
    """Whether a cited record plainly answers (else it is only the closest match).
    Between `combined` and `clear` lie real but colloquial finds ("a child dies")
    and near misses ("lunch break" -> Short Breaks): the answer says which it may be."""
    return hit.dense >= t.dense_strong or evidence(hit) >= t.clear


def outside_remit(similarity: float, best: Optional[RecordHit], t: Thresholds = DEFAULT) -> bool:
    """Whether a question is about something the manuals are not for: close to
    an out-of-remit topic, and much closer to it than to any record that does
    not plainly answer it ("lunch break policy" -> Short Breaks)."""
    if similarity < t.remit:
        return False
    return best is None or (not is_clear(best, t) and similarity - best.dense >= t.remit_margin)


def evidence(hit: RecordHit) -> float:
    return hit.dense + hit.coverage


def citable(hits: list[RecordHit], t: Thresholds = DEFAULT, limit: int = 5) -> list[RecordHit]:
    """The records worth citing, in rank order: confident ones whose evidence
    is close to the best confident one of their kind (a strong change record
    must not crowd out the chapter a question is looking for). Empty when none
    is confident."""
    confident = [h for h in hits if is_confident(h, t)]
    best: dict[bool, float] = {}
    for h in confident:
        key = h.chunk.kind == RecordKind.AMENDMENT
        best[key] = max(best.get(key, 0.0), evidence(h))
    return [h for h in confident if evidence(h) >= best[h.chunk.kind == RecordKind.AMENDMENT] - t.follow][:limit]
