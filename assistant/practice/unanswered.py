"""The unanswered-questions report: what staff asked that the manuals didn't
cover, grouped by topic, so whoever maintains the procedures can see the gaps.

Questions are grouped by the topic words they share (stemmed, as search
reads them) or, given an embedding function, by meaning. Every question is
shown masked: the personal-data check runs again over what was stored.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Optional, Sequence

from assistant.practice.conversations import Turn
from assistant.practice.privacy import mask
from assistant.question import analyse
from vectorstore.lexical import tokenize
from vectorstore.models import Manual

SIMILAR = 0.6  # cosine similarity at which two questions are one topic (with embeddings)
SHARED = 0.34  # share of topic words two questions need in common (without)
Embed = Callable[[Sequence[str]], list[list[float]]]


@dataclass
class Gap:
    """One topic the manuals didn't cover, with the questions that asked about it."""

    label: str  # the topic's most shared words ("gambling")
    questions: list[str] = field(default_factory=list)  # masked, newest first, each once
    asked: int = 0  # how many times, repeats included
    last_asked: Optional[datetime] = None


def topic_words(question: str, manuals: Sequence[Manual] = ()) -> set[str]:
    """What a question is about, as search reads it: stemmed topic words, place names left out."""
    return {t for t in analyse(question, manuals).topic_tokens if not t.isdigit()}


def report(turns: Iterable[Turn], not_names: Iterable[str] = (), embed: Optional[Embed] = None,
           manuals: Sequence[Manual] = ()) -> list[Gap]:
    """Not-covered questions grouped by topic, the most asked first."""
    turns = [t for t in turns if not t.answer.grounded]
    not_names = frozenset(not_names)
    texts = [mask(t.asked_as or t.question, not_names=not_names) for t in turns]
    words = [topic_words(text, list(manuals)) for text in texts]
    vectors = embed(texts) if embed and texts else None
    groups: list[list[int]] = []
    for i in range(len(texts)):
        for group in groups:
            if _same_topic(i, group[0], words, vectors):
                group.append(i)
                break
        else:
            groups.append([i])
    gaps = [_gap([turns[i] for i in group], [texts[i] for i in group], [words[i] for i in group])
            for group in groups]
    return sorted(gaps, key=lambda g: (-g.asked, -(g.last_asked.timestamp() if g.last_asked else 0)))


def _same_topic(i: int, j: int, words: list[set[str]], vectors) -> bool:
    if vectors is not None:
        return _cosine(vectors[i], vectors[j]) >= SIMILAR
    a, b = words[i], words[j]
    return bool(a and b) and len(a & b) / len(a | b) >= SHARED


def _cosine(a, b) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _gap(turns: list[Turn], texts: list[str], words: list[set[str]]) -> Gap:
    stems = Counter(s for found in words for s in sorted(found))
    surface = _surface_forms(texts)
    top = [surface.get(s, s) for s, _ in stems.most_common(3)]
    order = sorted(range(len(turns)), key=lambda k: turns[k].asked, reverse=True)
    questions = list(dict.fromkeys(texts[k] for k in order))
    return Gap(label=", ".join(top) or "(no topic words)", questions=questions, asked=len(turns),
               last_asked=max((t.asked for t in turns), default=None))


def _surface_forms(texts: list[str]) -> dict[str, str]:
    """stem -> the word as most often typed ("gambl" -> "gambling")."""
    seen: dict[str, Counter] = {}
    for text in texts:
        for word in text.lower().replace("’", "'").split():
            word = word.strip(".,?!;:()\"'")
            for stem in tokenize(word):
                seen.setdefault(stem, Counter())[word] += 1
    return {stem: words.most_common(1)[0][0] for stem, words in seen.items()}
