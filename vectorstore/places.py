"""Place names of UK children's services local authorities (data in
places.toml), shared vocabulary: answering uses it to notice a question that
names a manual which isn't loaded ("what does Bolton say about…?").

The rule for an ordinary-word name ("Reading", "Bath", "Bury"): it counts only
written with its capital and not as a sentence's first word ("what does Reading
say…", "in Reading"), or followed by a council word ("Reading Borough Council",
"Reading's procedures"). Any name after "a"/"an" is not a place ("a Staffordshire
bull terrier"). Other names count in any case ("bolton's LADO form").
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

PLACES_FILE = Path(__file__).with_name("places.toml")

_COUNCIL_CUE = (r"(?:'s)?\s+(?:(?:borough|city|county|metropolitan|district|town)\s+)*"
                r"(?:council|procedures?|manual|polic(?:y|ies)|children'?s services|social care|safeguarding|"
                r"lscp|scp|partnership|la\b|local authority)")
_ARTICLE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|[\n:;]\s*)\W*$")


@dataclass(frozen=True)
class PlaceVocabulary:
    names: tuple[str, ...]  # longest first
    ordinary: frozenset[str]

    def mentioned(self, text: str, known: Iterable[str] = ()) -> list[str]:
        """The places `text` names as places, in the order found, skipping
        those in `known` (lower-case names of loaded places, and places that
        begin a loaded place's name: "Derby" when "Derby City" is loaded)."""
        known = {k.lower() for k in known}
        found: list[tuple[int, str]] = []
        for name in self.names:
            low = name.lower()
            if low in known or any(k.startswith(low + " ") for k in known):
                continue
            for match in _pattern(name, name in self.ordinary).finditer(text):
                if self._is_place(text, match, name):
                    found.append((match.start(), name))
                    text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]
                    break
        return [name for _, name in sorted(found)]

    def _is_place(self, text: str, match: re.Match, name: str) -> bool:
        before = text[:match.start()]
        if _ARTICLE.search(before):
            return False
        if name not in self.ordinary:
            return True
        return not _SENTENCE_START.search(before) or bool(re.match(_COUNCIL_CUE, text[match.end():], re.IGNORECASE))


@lru_cache(maxsize=64)
def _pattern(name: str, ordinary: bool) -> re.Pattern:
    body = re.escape(name).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]")
    return re.compile(rf"(?<![\w-]){body}(?:'s)?(?![\w-])", 0 if ordinary else re.IGNORECASE)


@lru_cache(maxsize=4)
def load_places(path: Path = PLACES_FILE) -> PlaceVocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    names = dict.fromkeys([*data["names"], *data.get("short", [])])
    return PlaceVocabulary(tuple(sorted(names, key=len, reverse=True)), frozenset(data.get("ordinary_words", [])))
