"""The domain glossary (data in glossary.toml): expands a question with the
wordings manuals use, and lists terms for users who ask what one means."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str
    also: tuple[str, ...]  # the same thing in other words
    see: tuple[str, ...] = ()  # broader or related topics, for widening a search

    @property
    def pattern(self) -> re.Pattern:
        # "S47" also matches "s.47" and "s 47"; word boundaries keep "cp" out of "cpu".
        body = re.escape(self.term.lower()).replace(r"\ ", r"[\s-]+")
        body = re.sub(r"^s(\d+)$", r"s\\.?\\s?\1", self.term.lower()) if re.fullmatch(r"[Ss]\d+", self.term) else body
        return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Term, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(Term(t["term"], t["meaning"], tuple(t.get("also", [])), tuple(t.get("see", [])))
                 for t in data["term"])


def terms_in(question: str, glossary: Optional[tuple[Term, ...]] = None) -> list[Term]:
    """Glossary terms the question uses."""
    return [t for t in (glossary or load_glossary()) if t.pattern.search(question)]


def expand(question: str, glossary: Optional[tuple[Term, ...]] = None) -> str:
    """The question followed by the manuals' wordings of the terms it uses."""
    extra = [phrase for t in terms_in(question, glossary) for phrase in (*t.also, *t.see)]
    return question if not extra else f"{question} ({'; '.join(extra)})"


def lookup(word: str, glossary: Optional[tuple[Term, ...]] = None) -> Optional[Term]:
    """The glossary entry for a term, if any (case-insensitive)."""
    key = word.strip().lower()
    return next((t for t in (glossary or load_glossary()) if t.term.lower() == key), None)
