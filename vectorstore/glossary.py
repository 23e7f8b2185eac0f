"""The domain glossary (data in glossary.toml), shared by both sides: ingest
adds the meaning of the terms a contents title uses to what is embedded for it
(so "wants to stay with her foster carers after 18" meets "Staying Put
Policy"), and answering expands a question with the wordings manuals use and
lists terms for users who ask what one means."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from vectorstore.lexical import tokenize

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


def named_in(title: str, glossary: Optional[tuple[Term, ...]] = None) -> list[Term]:
    """Terms a title uses, by name or in one of the manuals' wordings
    ("Staying Put Policy" -> Staying Put; "Relinquished Children" -> give up for adoption)."""
    words = f" {_words(title)} "
    return [t for t, wordings in _wordings(glossary or load_glossary())
            if any(f" {w} " in words for w in wordings)]


def described(title: str, glossary: Optional[tuple[Term, ...]] = None) -> str:
    """A title's glossary meanings, as one line to embed beside it ("" when none).
    Meanings that only repeat the title's words ("A foster carer.") are left out:
    they would pull every foster carer chapter towards every foster question."""
    own = set(tokenize(title))
    meanings = dict.fromkeys(t.meaning for t in named_in(title, glossary) if not set(tokenize(t.meaning)) <= own)
    return " ".join(meanings)


def digest(path: Path = GLOSSARY_FILE) -> str:
    """A fingerprint of the glossary file (stores embedded with another one re-ingest)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=4)
def _wordings(glossary: tuple[Term, ...]) -> tuple[tuple[Term, tuple[str, ...]], ...]:
    """Each term with its name and manual wordings as plain words, worked out once per glossary."""
    return tuple((t, tuple(w for w in map(_words, (t.term, *t.also)) if w)) for t in glossary)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
