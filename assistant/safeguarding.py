"""Reading a question as a safeguarding case description ("year 5 boy says his
dad hit him with a belt", "bruise on a 4 month old's ear"): which kinds of harm
it shows, the child protection wordings to search with, the chapter titles it
must be routed to, and whether it reads as a child at immediate risk.

The vocabulary is data (safeguarding.toml). Nothing here knows any question,
council or chapter: a signal is a kind of harm, a route a kind of procedure.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

SAFEGUARDING_FILE = Path(__file__).with_name("safeguarding.toml")
# "where are FGM medical examinations arranged?", "what form does probation use…?": a question
# about what a chapter says, not a case. "What do I do if…", "who do I tell…" ask for the route.
_CONTENT_FRAME = re.compile(r"^\W*(?:where|when|which|who|whom|whose|how|what|within|until|at what|is|are|does|do|can|"
                            r"must|should|may)\b", re.IGNORECASE)
_ROUTE_FRAME = re.compile(r"^\W*(?:what|who|how|where|when|which)(?:'s| is| are)?\s+(?:\w+\s+)?(?:do|does|should|must|can|"
                          r"could|would|shall|to)\s+(?:i|we|you|me|us)\b|^\W*(?:what|who|how) (?:to|now)\b|"
                          r"^\W*(?:is|are|does|do|can|should|must) (?:i|we|you|this|it|that)\b", re.IGNORECASE)
IMMEDIATE_RISK = "immediate risk"  # the harm named when only the danger is described
# A question that names a document asks what a chapter says or where it is
# ("FGM procedure", "bruising protocol - if mum says…"): it is found by search,
# not routed as a case description.
_NAMES_A_DOCUMENT = re.compile(r"\b(?:chapters?|procedures?|protocols?|polic(?:y|ies)|guidance|toolkit|manual|"
                               r"section \d+(?:\.\d+)+)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    name: str
    when: tuple[re.Pattern, ...]  # all must match
    search: tuple[str, ...]
    routes: tuple[re.Pattern, ...]

    def shown_by(self, text: str) -> bool:
        return all(p.search(text) for p in self.when)


@dataclass(frozen=True)
class Vocabulary:
    signals: tuple[Signal, ...]
    general_routes: tuple[re.Pattern, ...]
    not_general: tuple[re.Pattern, ...]
    now: tuple[re.Pattern, ...]
    danger: tuple[re.Pattern, ...]
    always: tuple[re.Pattern, ...]
    immediate_search: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseReading:
    """What a question shows about a child's safety."""

    harms: tuple[str, ...] = ()  # the signals found ("physical abuse", "injury to a baby", …)
    immediate_risk: bool = False
    search: tuple[str, ...] = ()  # child protection wordings to add to the search

    @property
    def safeguarding(self) -> bool:
        return bool(self.harms)


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = SAFEGUARDING_FILE) -> Vocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    signals = tuple(Signal(s["name"], _compile(s["when"]), tuple(s.get("search", [])), _compile(s.get("routes", [])))
                    for s in data["signal"])
    imm = data["immediate"]
    return Vocabulary(signals, _compile(data["routes"]["general"]), _compile(data["routes"].get("not_general", [])),
                      _compile(imm["now"]), _compile(imm["danger"]), _compile(imm.get("always", [])),
                      tuple(imm.get("search", [])))


def read_case(text: str, vocabulary: Vocabulary | None = None,
              by_meaning: Optional[Callable[[str], Optional[str]]] = None) -> CaseReading:
    """The kinds of harm a question describes, and whether a child reads as at
    immediate risk. `by_meaning` (text -> a signal's name, or None) reads a
    description the patterns miss (assistant/case_meaning.py)."""
    v = vocabulary or load_vocabulary()
    text = text.replace("\u2019", "'")
    if _NAMES_A_DOCUMENT.search(text) or _asks_what_a_chapter_says(text):
        return CaseReading()
    harms = tuple(s.name for s in v.signals if s.shown_by(text))
    immediate = _immediate(text, v)
    if not harms and not immediate and by_meaning is not None:
        # only where the wording shows nothing: a child in danger now keeps the general route
        harms = tuple(h for h in [by_meaning(text)] if h)
    if not harms and not immediate:
        return CaseReading()
    search = tuple(dict.fromkeys(w for s in v.signals if s.name in harms for w in s.search)) or v.immediate_search
    return CaseReading(harms or (IMMEDIATE_RISK,), immediate, search)


def _asks_what_a_chapter_says(text: str) -> bool:
    return bool(_CONTENT_FRAME.search(text)) and not _ROUTE_FRAME.search(text)


def _immediate(text: str, v: Vocabulary) -> bool:
    if any(p.search(text) for p in v.always):
        return True
    return any(p.search(text) for p in v.now) and any(p.search(text) for p in v.danger)


def is_route(title: str, harms: tuple[str, ...], general: bool = True, vocabulary: Vocabulary | None = None) -> bool:
    """Whether a chapter title is a procedure a safeguarding question may be
    routed to: the route of a kind of harm it shows, or (unless `general` is
    False) the general child-protection route (referral, strategy discussion,
    section 47…)."""
    v = vocabulary or load_vocabulary()
    if any(p.search(title) for s in v.signals if s.name in harms for p in s.routes):
        return True
    return general and any(p.search(title) for p in v.general_routes) and not any(p.search(title) for p in v.not_general)
