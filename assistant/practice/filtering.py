"""The Browse filter: whole words (as search reads them, so "placement"
matches "placements"), a glossary term matched by the manuals' own wordings
("LAC" finds "Looked After Children", never "Placement"), and a chapter
number by its prefix ("6.7" finds 6.7 and 6.7.1 … 6.7.9, not 6.70; "6.7." only those under it)."""
from __future__ import annotations

import re
from typing import Iterable, Optional

from vectorstore.glossary import terms_in
from vectorstore.lexical import tokenize

_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,3}){0,3}[a-z]?\.?$", re.IGNORECASE)


def _words(texts: Iterable[str]) -> set[str]:
    return set(tokenize(" ".join(t for t in texts if t)))


def _plain_words(text: str) -> list[str]:
    """Every word, small ones included, plurals folded: "Children in Care" -> children, in, care."""
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in re.findall(r"[a-z0-9]+", text.lower())]


def _has_phrase(texts: list[str], phrase: str) -> bool:
    """The phrase's words in a row in one of the texts ("child in care", not "children to care")."""
    wanted = _plain_words(phrase)
    for text in texts:
        tokens = _plain_words(text)
        if any(tokens[i:i + len(wanted)] == wanted for i in range(len(tokens) - len(wanted) + 1)):
            return True
    return False


def matches(query: str, number: Optional[str], texts: Iterable[str]) -> bool:
    """Does the filter `query` match a chapter with this number and these texts (title, see-also lines)?"""
    query = (query or "").strip()
    if not query:
        return True
    if _NUMBER.match(query):
        prefix = query.rstrip(".").lower()  # "6.7" is 6.7 and what is under it; "6.7." only what is under it
        exact = not query.endswith(".") and bool(number) and number.lower() == prefix
        return exact or bool(number) and number.lower().startswith(prefix + ".")
    texts = [t for t in texts if t]
    words = _words(texts)
    wanted = tokenize(query)
    if wanted and all(w in words for w in wanted):
        return True
    for term in terms_in(query):  # the term's tokens may be met by any of its wordings
        own = set(tokenize(term.term))
        rest = [w for w in wanted if w not in own]
        if all(w in words for w in rest) and any(_has_phrase(texts, w) for w in (term.term, *term.also)):
            return True
    return False
