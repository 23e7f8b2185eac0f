"""Follow-up questions that only change the place: "and in Rotherham?",
"what about Derby City?" are asked as the previous question about that place."""
from __future__ import annotations

import re
from typing import Iterable, Optional

from assistant.question import Question
from assistant.scoping import find_scope
from vectorstore.models import Manual

# Words a place-only follow-up may hold besides the place.
FILLER = frozenset({"and", "in", "for", "what", "about", "how", "the", "same", "there", "then", "please", "ok",
                    "also", "with", "at", "is", "it", "that", "so", "now", "instead", "same", "one", "s"})
_TRAILING_PLACE_WORD = re.compile(r"\s+(?:in|for|at)\s*[?.!]*$", re.IGNORECASE)


def place_only(text: str, manuals: Iterable[Manual]) -> bool:
    """Whether `text` names a place and says nothing else ("and in Rotherham?")."""
    scope = find_scope(text, list(manuals))
    words = set(re.findall(r"[a-z']+", scope.rest.lower().replace("'s", " ")))
    return scope.manual_ids is not None and not (words - FILLER)


def rewrite_follow_up(text: str, previous: Optional[Question], manuals: Iterable[Manual]) -> Optional[str]:
    """The previous question asked about the place `text` names, when `text`
    is a place-only follow-up; None for any other question (asked as typed)."""
    manuals = list(manuals)
    if previous is None or not place_only(text, manuals):
        return None
    topic = find_scope(previous.text, manuals).rest.strip()
    topic = _TRAILING_PLACE_WORD.sub("", topic).rstrip(" ?.!")
    if not topic:
        return None
    places = [_as_printed(name, manuals) for name in find_scope(text, manuals).named]
    return f"{topic} in {' and '.join(dict.fromkeys(places))}?"


def _as_printed(name: str, manuals: list[Manual]) -> str:
    """A matched place name as the manifest prints it ("rotherham" -> "Rotherham")."""
    return next((p for m in manuals for p in m.places if p.lower() == name.lower()), name)
