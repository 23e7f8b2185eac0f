"""What a question asks for, read once: chapter numbers, manual scope, whether
it is about changes (and which month, year, latest or first), and the words
left to search with."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from vectorstore.glossary import expand, terms_in
from assistant.scoping import find_scope
from vectorstore.models import Manual, StrEnum
from vectorstore.lexical import tokenize
from vectorstore.text import MONTH_NUMBERS as _MONTHS


class Intent(StrEnum):
    NUMBER = "number"  # "what is 6.7.6 in Derby City?"
    CHANGES = "changes"  # "what changed in … in 2021?", "when was … added?"
    SEARCH = "search"  # finding a chapter, or an answer in chapter text


# A chapter number may end a sentence ("about 7.10."), but not run on into more digits.
_NUMBER = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d{1,3}){1,3}[a-z]?)(?!\w|\.\w)", re.IGNORECASE)
_CHANGE_WORDS = re.compile(
    r"\b(changed|changes|change (?:to|in|of)|updated|updates?|amended|amendments?|revised|reviewed|added|"
    r"introduced|removed|withdrawn|new chapters?|latest|most recent|when (?:was|were|did))\b",
    re.IGNORECASE,
)
_LATEST = re.compile(r"\b(latest|most recent|last|newest|recent(?:ly)?)\b", re.IGNORECASE)
_NEW = re.compile(r"\bnew (?:chapters?|procedures?|guidance|sections?|features?|polic(?:y|ies))\b", re.IGNORECASE)
_REMOVED = re.compile(r"\b(?:removed|deleted|withdrawn)\b", re.IGNORECASE)
# Contents-page status flags a question may ask about ("which chapters are under review?").
_FLAGS = [(flag, re.compile(pattern, re.IGNORECASE)) for flag, pattern in (
    ("under review", r"\bunder review\b"), ("to follow", r"\bto follow\b"), ("draft", r"\bdrafts?\b"),
    ("Updated", r"\bupdated\b"), ("New", r"\bnew\b(?!\s+(?:chapters?|procedures?|guidance|sections?|features?))"),
)]
_FIRST = re.compile(r"\b(first|originally|introduc\w*|added|new chapters?)\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+((?:19|20)\d\d)\b",
                         re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# Words that say what kind of question it is, not what it is about.
_FRAME = set(tokenize(
    "which chapter chapters section covers cover covered procedure procedures policy guidance manual "
    "anything something where find look need tell know please help want latest recent most last first "
    "change changes changed update updates updated amend amended amendment added new revised reviewed "
    "get got thing bit info information doc document stuff say says said talk talks about "
    "ask asking actually they them his her him she he am up re s t want wants need needs going like allowed "
    "can could would should we us our there here any some one ll ve d m please thanks else whats "
    "go goes going happen happens happened often much many per make made do does done who whose been being"
))


@dataclass(frozen=True)
class Question:
    text: str
    intent: Intent
    numbers: tuple[str, ...] = ()
    manual_ids: Optional[frozenset[str]] = None  # None: search every manual
    named_places: tuple[str, ...] = ()
    scope: str = "all"  # where manual_ids came from: "named" in the question, "chosen" (UI/--manual) or "all"
    month: Optional[str] = None  # YYYY-MM named in the question
    year: Optional[str] = None
    latest: bool = False
    first: bool = False
    change: Optional[str] = None  # "new" or "removed" when the question asks only for those
    flag: Optional[str] = None  # a contents status flag the question names ("New", "under review"…)
    search_text: str = ""  # place names removed, glossary wordings added
    topic_tokens: tuple[str, ...] = ()  # content words: what the question is about
    # for a topic word that is a glossary term, the manuals' wordings of it (as token tuples)
    alternatives: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def has_topic(self) -> bool:
        return bool(self.topic_tokens)


def analyse(text: str, manuals: Iterable[Manual], manual: Optional[str] = None) -> Question:
    """Read a question. A place named in it wins over `manual` (chosen in the UI
    or with --manual); where the place is ambiguous ("Derby") and the chosen
    manual is one it means, the chosen one stays."""
    manuals = list(manuals)
    scope = find_scope(text, manuals)
    manual_ids, where = _searched(scope.manual_ids, manual)
    numbers = tuple(dict.fromkeys(n.lower() for n in _NUMBER.findall(scope.rest)))
    month, year = _dates(text)
    changes = bool(_CHANGE_WORDS.search(text) or month)
    intent = Intent.NUMBER if numbers else Intent.CHANGES if changes else Intent.SEARCH
    rest = _NUMBER.sub(" ", scope.rest)
    rest = _MONTH_YEAR.sub(" ", rest)
    rest = _YEAR.sub(" ", rest)
    flag = next((name for name, pattern in _FLAGS if pattern.search(rest)), None)
    words = next((p for name, p in _FLAGS if name == flag)).sub(" ", rest) if flag else rest
    topic = tuple(dict.fromkeys(t for t in tokenize(words) if t not in _FRAME))
    return Question(
        text=text, intent=intent, numbers=numbers, manual_ids=manual_ids, named_places=scope.named, scope=where,
        month=month, year=year, latest=bool(_LATEST.search(text)), first=bool(_FIRST.search(text)),
        change="new" if _NEW.search(text) else "removed" if _REMOVED.search(text) else None,
        search_text=expand(rest), topic_tokens=topic, alternatives=_alternatives(rest), flag=flag,
    )


def _searched(named: Optional[frozenset[str]], chosen: Optional[str]) -> tuple[Optional[frozenset[str]], str]:
    """The manuals to search and why: named in the question, chosen, or all."""
    if named and chosen in named:
        return frozenset([chosen]), "chosen"
    if named:
        return named, "named"
    if chosen:
        return frozenset([chosen]), "chosen"
    return None, "all"


def _alternatives(text: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """topic token -> the glossary's wordings of it, tokenised ("s47" -> ("section", "47", "enquiri"), …)."""
    found: dict[str, tuple[tuple[str, ...], ...]] = {}
    for term in terms_in(text):
        wordings = tuple(tuple(tokenize(phrase)) for phrase in term.also)
        for token in tokenize(term.term):
            found[token] = found.get(token, ()) + wordings
    return found


def _dates(text: str) -> tuple[Optional[str], Optional[str]]:
    match = _MONTH_YEAR.search(text)
    if match:
        month = _MONTHS[match.group(1).lower()]
        return f"{match.group(2)}-{month:02d}", match.group(2)
    year = _YEAR.search(text)
    return None, (year.group(1) if year else None)
