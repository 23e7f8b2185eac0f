"""Induction reading paths: for a manual and a role, the chapters a new
starter should read, topic by topic, each with one line on why it matters.

Topics and roles are data (`induction.toml` beside this module). Each topic is found in the
chosen manual by retrieval over its phrasings, so any loaded manual gets a
path; a topic the manual has nothing confident for is skipped and reported.
No Streamlit here: the page only renders what `reading_path` returns.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from assistant.question import Lookup, analyse
from vectorstore.lexical import tokenize
from vectorstore.models import Chunk, RecordKind
from vectorstore.text import title_key

CURRICULUM_FILE = Path(__file__).with_name("induction.toml")


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    why: str
    queries: tuple[str, ...]
    take: int = 1  # chapters this topic may add to a path
    exclude: tuple[str, ...] = ()  # title words that mean another sense ("supervision order")


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Curriculum:
    topics: dict[str, Topic]
    roles: dict[str, Role]


def load_curriculum(path: Path = CURRICULUM_FILE) -> Curriculum:
    """Read topics and roles from TOML; a role naming an unknown topic is an error."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    topics = {tid: Topic(id=tid, title=t["title"], why=t["why"], queries=tuple(t["queries"]),
                         take=int(t.get("take", 1)),
                         exclude=tuple(title_key(w) for w in t.get("exclude", ()))) for tid, t in data["topics"].items()}
    roles = {rid: Role(id=rid, label=r["label"], topics=tuple(r["topics"])) for rid, r in data["roles"].items()}
    for role in roles.values():
        unknown = [t for t in role.topics if t not in topics]
        if unknown:
            raise ValueError(f"role {role.id!r} names unknown topics: {', '.join(unknown)}")
    return Curriculum(topics, roles)


@dataclass(frozen=True)
class Confidence:
    """When a retrieved chapter counts for a topic: it holds most of a phrasing's
    topic words (rarity-weighted coverage) and is at least loosely similar.
    Contents entries are short titles, so similarity alone is a poor guide."""

    coverage: float = 0.5
    dense: float = 0.1
    depth: int = 8  # hits looked at per phrasing


DEFAULT_CONFIDENCE = Confidence()


@dataclass
class Step:
    """One chapter on the path."""

    manual_id: str
    chapter: str
    title: str
    section: str
    topic: Topic
    also: list[str] = field(default_factory=list)  # titles of later topics this chapter also covers
    scope: str = ""  # the chapter page's scope text, when the manual has the page
    record_id: str = ""  # for the Chapter page address when the number repeats in the manual
    found_by: str = ""  # the topic's phrasing that found this chapter ("information sharing")
    text: str = ""  # the chapter page's section text, when the manual has the page

    @property
    def key(self) -> tuple[str, str]:
        """What ticks are stored against: the chapter number and title."""
        return (self.chapter, self.title)

    @property
    def label(self) -> str:
        return f"{self.chapter} {self.title}"


@dataclass
class ReadingPath:
    manual_id: str
    role: Role
    steps: list[Step] = field(default_factory=list)
    skipped: list[Topic] = field(default_factory=list)  # nothing confident in this manual


def reading_path(assistant, manual_id: str, role_id: str, curriculum: Optional[Curriculum] = None,
                 confidence: Confidence = DEFAULT_CONFIDENCE) -> ReadingPath:
    """The ordered reading path of `manual_id` for a role, found by retrieval.

    `assistant` is a warmed-up `assistant.chain.Assistant` (its retriever and catalog are used)."""
    curriculum = curriculum or load_curriculum()
    role = curriculum.roles[role_id]
    path = ReadingPath(manual_id=manual_id, role=role)
    placed: dict[tuple[str, str], Step] = {}
    for topic in (curriculum.topics[t] for t in role.topics):
        found = topic_chapters(assistant, manual_id, topic, confidence)
        if not found:
            path.skipped.append(topic)
            continue
        new = [(chunk, phrasing) for chunk, phrasing in found if _key(chunk) not in placed][:topic.take]
        for chunk, phrasing in new:
            placed[_key(chunk)] = step = _step(assistant, chunk, topic, phrasing)
            path.steps.append(step)
        if not new:  # every confident chapter is already on the path
            placed[_key(found[0][0])].also.append(topic.title)
    return path


def topic_chapters(assistant, manual_id: str, topic: Topic,
                   confidence: Confidence = DEFAULT_CONFIDENCE) -> list[tuple[Chunk, str]]:
    """Numbered chapters of one manual that confidently cover a topic, each with
    the phrasing that found it, taking each phrasing's best in turn (the first
    phrasing is the main one)."""
    ranked = [(phrasing, _confident(assistant, manual_id, topic, phrasing, confidence))
              for phrasing in topic.queries]
    found: dict[tuple[str, str], tuple[Chunk, str]] = {}
    for depth in range(max((len(chunks) for _, chunks in ranked), default=0)):
        for phrasing, chunks in ranked:
            if depth < len(chunks):
                found.setdefault(_key(chunks[depth]), (chunks[depth], phrasing))
    return list(found.values())


def _confident(assistant, manual_id: str, topic: Topic, phrasing: str, confidence: Confidence) -> list[Chunk]:
    """One phrasing's confident numbered chapters in the manual, best first."""
    question = analyse(phrasing, assistant.catalog.manuals.values(), manual_id)
    chunks = []
    for hit in assistant.retriever.search(question, k=confidence.depth, ranked_as=Lookup.SEARCH):
        chunk = hit.chunk
        if (chunk.manual_id == manual_id and chunk.kind != RecordKind.AMENDMENT and chunk.chapter
                and hit.coverage >= confidence.coverage and hit.dense >= confidence.dense
                and _named_by(chunk, question.topic_tokens)
                and not any(word in title_key(chunk.title) for word in topic.exclude)):
            chunks.append(chunk)
    return chunks


def _named_by(chunk: Chunk, topic_tokens: tuple[str, ...]) -> bool:
    """A contents entry is only its title (its section heading says little about
    it), so the title must hold a topic word; a chapter page has its own text."""
    return chunk.kind == RecordKind.CHAPTER or bool(set(tokenize(chunk.title)) & set(topic_tokens))


def _key(chunk: Chunk) -> tuple[str, str]:
    return (chunk.chapter or "", title_key(chunk.title))


def _step(assistant, chunk: Chunk, topic: Topic, phrasing: str) -> Step:
    pages = assistant.catalog.chapter_pages(chunk.manual_id, chunk.chapter)
    text = "\n\n".join(s.text for s in pages[0].sections) if pages else ""
    return Step(manual_id=chunk.manual_id, chapter=chunk.chapter or "", title=chunk.title,
                section=chunk.section or "", topic=topic, scope=pages[0].scope if pages else "",
                record_id=chunk.record_id, found_by=phrasing, text=text)


def manuals_with_chapters(catalog) -> list[str]:
    """Ids of the manuals whose chapters (contents entries or pages) are loaded:
    the ones a reading path can be found in (an amendments-only manual has none)."""
    held = {e.manual_id for e in catalog.entries} | {c.manual_id for c in catalog.chapters}
    return [mid for mid in catalog.manuals if mid in held]
