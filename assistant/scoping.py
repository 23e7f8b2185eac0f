"""Which manuals a question means, from the place names it uses.

Longer names win ("Derby City" means Derby City only); a bare place that
several manuals share ("Derby") means all of them, and a bare word that begins
a manual's place name ("Derby" -> "Derbyshire") counts too, so an ambiguous
name widens the search rather than missing a manual.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from vectorstore.models import Manual
from vectorstore.places import load_places

_MANUAL_NOUNS = {"procedures", "procedure", "manual", "partnership", "board"}
_MIN_PREFIX = 5  # "Derby" may stand for "Derbyshire"; "Rot" may not stand for "Rotherham"


@dataclass(frozen=True)
class Scope:
    manual_ids: Optional[frozenset[str]]  # None: every manual
    named: tuple[str, ...] = ()  # the place names found in the question
    rest: str = ""  # the question with those names removed
    unloaded: tuple[str, ...] = ()  # places named that no loaded manual covers ("Bolton")


def _phrases(manual: Manual) -> list[str]:
    return [p for p in {*manual.places, manual.id, manual.name} if p]


def find_scope(question: str, manuals: Iterable[Manual]) -> Scope:
    """The manuals a question names, and the question without the names."""
    manuals = list(manuals)
    text = question
    found: set[str] = set()
    named: list[str] = []
    phrases = sorted(((p, m.id) for m in manuals for p in _phrases(m)), key=lambda pm: -len(pm[0]))
    for phrase, manual_id in phrases:
        pattern = _mention(phrase, _name_words(manuals, manual_id))
        if pattern.search(text):
            owners = {mid for p, mid in phrases if p.lower() == phrase.lower()}
            owners |= _prefix_owners(phrase, manuals)
            found |= owners
            named.append(phrase)
            text = pattern.sub(" ", text)
    unloaded = _unloaded(text, [p for p, _ in phrases])
    for place in unloaded:
        text = re.sub(rf"(?<![\w-]){re.escape(place)}(?:'s)?(?![\w-])", " ", text, flags=re.IGNORECASE)
    rest = re.sub(r"\s+", " ", text).strip()
    return Scope(frozenset(found) if found else None, tuple(named), rest, tuple(unloaded))


def _unloaded(text: str, loaded: list[str]) -> list[str]:
    """Local authorities the question names that are not loaded (see
    vectorstore/places.py for when an ordinary word such as "Reading" counts)."""
    return load_places().mentioned(text, known=loaded)


def _name_words(manuals: list[Manual], manual_id: str) -> list[str]:
    manual = next(m for m in manuals if m.id == manual_id)
    return [w for w in re.findall(r"[A-Za-z]+", manual.name) if len(w) > 1]


def _mention(phrase: str, name_words: list[str]) -> re.Pattern:
    """A place name, plus the rest of the manual's name when the question
    spells it out up to a word like "procedures" ("Derby and Derbyshire
    safeguarding procedures"); "Derby City care leavers" keeps "care"."""
    ends = [w for w in name_words if w.lower() in _MANUAL_NOUNS]
    words = "|".join(re.escape(w) for w in sorted(set(name_words), key=len, reverse=True))
    rest = rf"(?:(?:\s+(?:{words})(?:'s)?)*?\s+(?:{'|'.join(map(re.escape, ends))}))?" if ends else ""
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?:'s)?{rest}(?![\w-])", re.IGNORECASE)


def _prefix_owners(word: str, manuals: list[Manual]) -> set[str]:
    """Manuals with a one-word place that `word` begins ("Derby" -> Derbyshire)."""
    if " " in word or len(word) < _MIN_PREFIX:
        return set()
    low = word.lower()
    return {m.id for m in manuals for p in m.places if " " not in p and p.lower().startswith(low)}


def short_name(manual: Manual) -> str:
    """How an answer names a manual: its first place name ("Derby City"), else its name."""
    return manual.places[0] if manual.places else manual.name
