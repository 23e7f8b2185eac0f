"""Direct answers from chapter text: of all the chunks of the chapters an
answer cites, the sentence (or bullet, list, or table row) that answers a
question about what a chapter says.

A chapter's text is cut into quotable units: sentences; bullet items (and the
whole list, lead-in included, for questions that ask for a list of people or
things); table rows (matched with their header row, quoted alone). A unit is
scored by meaning (the loaded embedding model; unit vectors are cached per
unit, and only the units a cheap word score puts in front are embedded), by
the question's rare topic words, and by the kind of answer the question asks
for ("how long" wants a duration, "how often" a frequency, "what age" an age,
"who" a role).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

import numpy as np

from vectorstore.embeddings import Embedder
from vectorstore.lexical import tokenize
from vectorstore.models import Chunk, RecordKind, StrEnum


class Cue(StrEnum):
    """The kind of answer a question asks for."""

    FREQUENCY = "frequency"
    DURATION = "duration"
    AGE = "age"
    TIME = "time"  # a time of day or opening hours
    WHO = "who"
    COUNT = "count"
    CONDITION = "condition"  # "what happens if…": a rule for that case
    GENERAL = "general"  # a question about content, of no particular answer type


_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
# question wording -> the cue (first match wins: "how often" before "how many")
_QUESTION_CUES = [(cue, re.compile(p, re.IGNORECASE)) for cue, p in (
    (Cue.FREQUENCY, r"\bhow (?:often|regularly|frequently)\b|\bfrequency\b|\bhow many times\b"),
    (Cue.AGE, r"\b(?:what|which) age\b|\bhow old\b|\bage (?:limit|range)\b|\buntil (?:what|which) age\b"),
    (Cue.TIME, r"\bwhat time\b|\bwhat hours\b|\bopening hours\b|\buntil what time\b|\bwhen (?:is|are) .{0,40}\bopen\b"),
    (Cue.DURATION, r"\bhow (?:long|soon|quickly|fast)\b|\bwithin (?:what|how)\b|\btimescales?\b|\btime ?limit\b|"
                   r"\bdeadline\b|\bby when\b|\bby what (?:working )?day\b|\bafter how long\b|"
                   rf"\bhow many (?:working )?(?:hours|days|weeks|months|years)\b"),
    (Cue.WHO, r"\bwho(?:m|se)?\b|\bwhich (?:person|people|team|manager|officer|role|professional)s?\b"),
    (Cue.COUNT, r"\bhow many\b|\bwhat (?:score|number|level)\b"),
    (Cue.CONDITION, r"\bwhat (?:happens|if|do (?:i|we) do)\b.{0,20}\b(?:if|when|where)\b|\bwhat if\b"),
    (Cue.GENERAL, r"^\s*(?:when|what|how|can|could|do|does|did|is|are|must|should|will|would|if|at what|by what|"
                  r"after|until|from what|within)\b|\?\s*$|\bwhat happens\b"),
)]
# Questions that look for a chapter, not for what it says.
_FINDING = re.compile(r"\bwhich (?:chapter|procedure|policy|section|guidance)\b|\bwhere(?:'s| is| are| can i find)\b|"
                      r"\bis there (?:a|an|any) (?:chapter|procedure|policy|guidance)\b", re.IGNORECASE)
# unit wording that gives each kind of answer
_ANSWER_CUES = {cue: re.compile(p, re.IGNORECASE) for cue, p in {
    Cue.FREQUENCY: rf"\bevery\b|\bat least (?:once|twice|one|{_NUM})\b|\b(?:weekly|fortnightly|monthly|annually|"
                   r"yearly|daily|quarterly)\b|\bonce an?\b|\btimes an?\b|\beach (?:week|month|year)\b|\bmeets\b",
    Cue.AGE: r"\baged?\b|\bbirthday\b|\b(?:under|over) (?:the age of )?\d+\b|\b\d+ (?:years? old|and over)\b|"
             r"\byears? of age\b|\b\d+(?:st|nd|rd|th)\b|\b\d+ years and \d+ months\b|\byears? old\b",
    Cue.TIME: r"\b\d{1,2}(?:[.:]\d\d)?\s*(?:am|pm)\b|\bmidnight\b|\bmidday\b|\bweekends?\b|\b(?:monday|friday)\b",
    Cue.DURATION: rf"\bwithin\b|\b{_NUM}\s+(?:working\s+)?(?:hours?|days?|weeks?|months?|years?)\b|"
                  r"\bsame (?:working )?day\b|\bimmediately\b|\bby (?:working )?day \d+|\bno later than\b|"
                  r"\bbefore\b|\bat once\b|\bnext working day\b",
    Cue.WHO: r"\b(?:manager|social worker|officer|head of|director|lado|adviser|advisor|co-?ordinator|"
             r"practitioner|paediatrician|police|designated|(?:chaired|convened|led|made|taken|held|agreed) by|"
             r"responsible|must (?:tell|inform|notify)|notified|informed)\b",
    Cue.CONDITION: r"^(?:if|where|when|unless|in an emergency)\b",
    Cue.COUNT: rf"\b{_NUM}\b|\bor more\b",
}.items()}

LEXICAL_WEIGHT = 0.6  # rare topic-word coverage, against cosine similarity
CUE_WEIGHT = 0.4  # a unit of the kind the question asks for (a duration for "how long")
CHUNK_WEIGHT = 0.5  # the similarity of the unit's whole chunk (its context) to the question
RANK_WEIGHT = 0.1  # units of a later citation count this much less per place
SHORTLIST = 12  # units embedded per question, at most (the rest are cached or too weak in words)
SECOND = 0.04  # a second unit is quoted too when it scores this close to the best
MAX_QUOTE = 420  # characters: a second unit is added only while the quote stays this short
LIST_ITEMS = 8  # a list longer than this is quoted by its answering item, not whole
MAX_LIST = 600  # characters: … and so is a list longer than this


def answer_cue(text: str) -> Optional[Cue]:
    """What a question asks a chapter's text for; None when it is looking for a chapter."""
    if _FINDING.search(text):
        return None
    return next((cue for cue, pattern in _QUESTION_CUES if pattern.search(text)), None)


@dataclass(frozen=True)
class Unit:
    """One quotable piece of a chunk."""

    text: str  # quoted verbatim
    chunk: Chunk
    context: str = ""  # matched with it but not quoted: a table's header row, a list's lead-in
    items: tuple[str, ...] = ()  # a whole list: its items (text holds the lead-in and items)
    whole: str = ""  # a list item: its whole short list, lead-in included, which is quoted instead

    @property
    def key(self) -> tuple[str, str]:
        return (self.chunk.id, self.text)

    @property
    def match_text(self) -> str:
        return f"{self.context} {self.text}".strip()


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘'\"(])")
_BULLET = re.compile(r"^\s*(?:[•·▪◦*-]|\(?[a-z0-9]{1,2}[.)])\s+")


_PRONOUN = re.compile(r"^(?:it|its|they|their|this|these|those|he|she|such|the same)\b", re.IGNORECASE)


def split_units(chunk: Chunk) -> list[Unit]:
    """A chunk's text as quotable units, in reading order. A lead-in ending
    with a colon is never a unit alone: a short list is quoted with it, a
    table row or list item is matched with it. A sentence that opens with a
    pronoun ("It should normally…") is quoted with the sentence before it."""
    units: list[Unit] = []
    lead = ""
    for block in (b.strip() for b in chunk.text.split("\n\n")):
        if not block:
            continue
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) >= 2 and sum(" | " in line for line in lines) >= len(lines) - 1:
            header = lines[0]
            units += [Unit(row, chunk, context=f"{lead} {header}".strip()) for row in lines[1:]]
            lead = ""
        elif all(_BULLET.match(line) for line in lines):
            items = tuple(_BULLET.sub("", line) for line in lines)
            whole = " ".join([lead, *lines]) if lead and len(items) <= LIST_ITEMS else ""
            if whole and len(whole) <= MAX_LIST:
                units.append(Unit(whole, chunk, items=items))
            else:
                whole = ""
            units += [Unit(item, chunk, context=lead, whole=whole) for item in items]
            lead = ""
        else:
            sentences = [s.strip() for line in lines for s in _SENTENCE.split(line) if s.strip()]
            lead = sentences.pop() if sentences and sentences[-1].endswith(":") else ""
            for i, sentence in enumerate(sentences):
                text = f"{sentences[i - 1]} {sentence}" if i and _PRONOUN.match(sentence) else sentence
                units.append(Unit(text, chunk))
    return units


STEM_PREFIX = 5  # words this long match a longer word they begin ("complain" ~ "complaint")


def word_coverage(tokens: frozenset[str], weights: dict[str, float], total: float) -> float:
    """Share of the question's topic words (rarity-weighted) found among a unit's tokens."""
    found = 0.0
    for token, weight in weights.items():
        if token in tokens or (len(token) >= STEM_PREFIX and any(
                t.startswith(token) or (len(t) >= STEM_PREFIX and token.startswith(t)) for t in tokens)):
            found += weight
    return found / total


def cue_match(text: str, cue: Cue) -> float:
    """1 when a unit's wording gives the kind of answer the question asks for."""
    pattern = _ANSWER_CUES.get(cue)
    return 1.0 if pattern is not None and pattern.search(text) else 0.0


@dataclass(frozen=True)
class Quote:
    """The units that answer, from one chunk, and how well they do."""

    text: str
    chunk: Chunk
    score: float
    coverage: float  # rare topic-word coverage of the best unit
    similarity: float  # its cosine similarity to the question


class SentenceFinder:
    """Chooses the answering units of a store's chapters; caches units and their vectors."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._chapters: dict[str, list[Chunk]] = {}
        self._units: dict[str, list[Unit]] = {}
        self._vectors: dict[tuple[str, str], np.ndarray] = {}
        self._unit_tokens: dict[tuple[str, str], frozenset[str]] = {}
        self.loaded = False

    def load(self, chunks: Iterable[Chunk]) -> None:
        """Know each chapter's chunks (by the key its contents entry shares)."""
        chapters: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            if chunk.kind == RecordKind.CHAPTER:
                chapters.setdefault(chunk.chapter_key or chunk.record_id, []).append(chunk)
        self._chapters = chapters
        self.loaded = True

    def chapter_chunks(self, chunk: Chunk) -> list[Chunk]:
        """All chunks of the chapter a chunk (a contents entry or a page) belongs to."""
        if chunk.kind == RecordKind.AMENDMENT:
            return []
        return self._chapters.get(chunk.chapter_key or chunk.record_id, [])

    def units(self, chunk: Chunk) -> list[Unit]:
        found = self._units.get(chunk.id)
        if found is None:
            found = self._units[chunk.id] = split_units(chunk)
        return found

    def best(self, question_vector: list[float], topic: tuple[str, ...], cue: Cue,
             candidates: list[tuple[Chunk, float]], idf: Callable[[str], float]) -> Optional[Quote]:
        """The best answering unit among the candidate chunks, each with a prior
        (how much its chunk, and its citation's place, already count), and a
        close second from the same chunk; None when they hold no text."""
        units, priors = [], []
        for chunk, prior in candidates:
            for unit in self.units(chunk):
                units.append(unit)
                priors.append(prior)
        if not units:
            return None
        weights = {t: idf(t) for t in topic}
        total = sum(weights.values()) or 1.0
        words = [self._coverage(u, weights, total) for u in units]
        cheap = [LEXICAL_WEIGHT * w + CUE_WEIGHT * self._cue(u, cue) + p for u, w, p in zip(units, words, priors)]
        # Only the shortlist is embedded and scored (not every unit that happens
        # to be cached), so a question gets the same quote whatever came before it.
        shortlist = sorted(range(len(units)), key=lambda i: (-cheap[i], i))[:SHORTLIST]
        self._embed([units[i] for i in shortlist])
        query = np.asarray(question_vector, dtype=np.float32)
        scored = []
        for i in shortlist:
            similarity = float(self._vectors[units[i].key] @ query)
            scored.append((similarity + cheap[i], i, similarity))
        scored.sort(key=lambda s: (-s[0], s[1]))
        top, i, similarity = scored[0]
        best = units[i]
        if best.whole:  # lists are quoted as units
            return Quote(best.whole, best.chunk, top, words[i], similarity)
        text = best.text
        for score, j, _ in scored[1:3]:
            other = units[j]
            if score >= top - SECOND and other.chunk.id == best.chunk.id and not other.whole \
                    and other.text not in text and text not in other.text and len(text) + len(other.text) < MAX_QUOTE:
                text = self._in_order(best, other)
                break
        return Quote(text, best.chunk, top, words[i], similarity)

    def _in_order(self, a: Unit, b: Unit) -> str:
        units = self.units(a.chunk)
        first, second = (a, b) if units.index(a) < units.index(b) else (b, a)
        return f"{first.text} … {second.text}"

    def _coverage(self, unit: Unit, weights: dict[str, float], total: float) -> float:
        return word_coverage(self._tokens(unit), weights, total)

    def _tokens(self, unit: Unit) -> frozenset[str]:
        found = self._unit_tokens.get(unit.key)
        if found is None:
            found = self._unit_tokens[unit.key] = frozenset(tokenize(unit.match_text))
        return found

    @staticmethod
    def _cue(unit: Unit, cue: Cue) -> float:
        return cue_match(unit.text, cue)

    def _embed(self, units: list[Unit]) -> None:
        todo = [u for u in units if u.key not in self._vectors]
        if not todo:
            return
        vectors = self.embedder.embed_documents([u.match_text for u in todo])
        for unit, vector in zip(todo, vectors):
            v = np.asarray(vector, dtype=np.float32)
            self._vectors[unit.key] = v / (math.sqrt(float(v @ v)) or 1.0)


ANSWERS = 0.85  # score (similarity + word and cue terms) from which a unit is taken to answer
# Below this, no sentence of the chapters found comes near answering a question
# about what they say: unless the chapter itself was found plainly, the manuals
# don't cover it (calibrated on sites_dev: every content question's best unit
# scores 0.89 or more; "how do I apply for a secure accommodation order?" 0.77).
NO_ANSWER = 0.8
# A description of a case ("child told me their carer smacks them when…") is not
# a question about what a chapter says: from this many topic words, never declined for want of a sentence.
DESCRIPTION = 7
LEAD = 3  # the leading citations whose chapters are searched for the answering unit


@dataclass(frozen=True)
class DirectAnswer:
    """What the first line of a content answer quotes, and which citation it is."""

    number: int  # 1-based, in the answer's citations
    quote: Quote
    answers: bool  # False: the best unit found is too weak to be stated as the answer
    unanswered: bool = False  # True: nothing comes near answering (below NO_ANSWER)


def direct_answer(question_text: str, topic: tuple[str, ...], question_vector: list[float],
                  cited: list[Chunk], finder: SentenceFinder, idf: Callable[[str], float],
                  similarity: Callable[[list[Chunk]], list[float]], bar: float = ANSWERS,
                  no_answer: float = NO_ANSWER) -> Optional[DirectAnswer]:
    """For a question about what a chapter says: the unit of the leading cited
    chapters that answers it best (None for a chapter-finding question, or
    when no cited chapter has text). `similarity` gives chunks' stored
    similarity to the question: units of the chunk that matches best are
    looked at first."""
    cue = answer_cue(question_text)
    if cue is None:
        return None
    candidates, number_of = [], {}
    for number, chunk in enumerate(cited[:LEAD], 1):
        chunks = [c for c in finder.chapter_chunks(chunk) if c.id not in number_of]
        for c, sim in zip(chunks, similarity(chunks)):
            number_of[c.id] = number
            candidates.append((c, CHUNK_WEIGHT * sim - RANK_WEIGHT * (number - 1)))
    quote = finder.best(question_vector, topic, cue, candidates, idf)
    if quote is None:
        return None
    unanswered = quote.score < no_answer and len(topic) < DESCRIPTION
    return DirectAnswer(number_of[quote.chunk.id], quote, quote.score >= bar, unanswered)
