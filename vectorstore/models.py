"""The document model, defined once: manuals, chapter entries, chapter sections,
amendments, and the chunks that carry them into the store.

Every stage speaks these types. A chunk keeps its parent record as JSON in the
store's metadata so no later stage ever re-parses display strings. A chapter
is the exception in one respect: its section texts are its chunks, so they are
never copied onto every chunk (a chapter of N chunks would store its text N
times over). Its first chunk carries the chapter's outline (every field, the
sections' headings without their text), the others its header (no sections,
no contents list), and `chapter_from_chunks` puts the whole chapter back
together from them.
"""
from __future__ import annotations

import hashlib
import json
from enum import Enum
from typing import Optional, Sequence, Union

from pydantic import BaseModel, Field


class StrEnum(str, Enum):
    """A string enum whose lookup error lists the valid values."""

    @classmethod
    def parse(cls, value: str) -> "StrEnum":
        try:
            return cls(value)
        except ValueError:
            valid = ", ".join(m.value for m in cls)
            raise ValueError(f"{value!r} is not a valid {cls.__name__}; choose one of: {valid}") from None

    def __str__(self) -> str:
        return self.value


class PageKind(StrEnum):
    """What a source file is: it decides which parser reads it."""

    CONTENTS = "contents"
    AMENDMENTS = "amendments"
    CHAPTER = "chapter"


class RecordKind(StrEnum):
    """What a stored record is (the `kind` of a citation)."""

    CONTENTS = "contents"
    CHAPTER = "chapter"
    AMENDMENT = "amendment"


class Change(StrEnum):
    UPDATED = "updated"
    NEW = "new"
    REMOVED = "removed"


# Status words that contents pages put after a title; never part of the title.
STATUS_FLAGS = ("New", "Updated", "under review", "to follow", "draft")


class Manual(BaseModel):
    """A procedures manual: its public id, display name and the place names
    a question may use to mean it ("Derby" means several)."""

    id: str
    name: str
    places: list[str] = Field(default_factory=list)
    url: Optional[str] = None  # the manual's public address (its contents page), when known


class ChapterEntry(BaseModel):
    """One line of a manual's contents page."""

    manual_id: str
    chapter: Optional[str] = None  # "6.7.6", "1.2.1a"; None for un-numbered entries
    title: str
    flags: list[str] = Field(default_factory=list)
    section_path: list[str] = Field(default_factory=list)  # ["6. Children in Care", "6.7 Leaving Care"]
    see_also: list[str] = Field(default_factory=list)
    dated: Optional[str] = None  # a date the contents page prints beside the entry (YYYY-MM-DD)
    url: Optional[str] = None
    source: str = ""
    position: int = 0  # order within its source file; keeps duplicate numbers apart

    @property
    def section(self) -> str:
        """The section path for display: "6. Children in Care › 6.7 Leaving Care"."""
        return section_label(self.section_path)

    @property
    def record_id(self) -> str:
        return stable_id(self.manual_id, "entry", self.source, self.position, self.chapter or "", self.title)


class ChapterSection(BaseModel):
    """A part of a chapter page: a labelled block (Scope, Amendment…) or a numbered section."""

    heading: str  # "1. Introduction", "Scope of this chapter"
    number: Optional[str] = None  # "1" for "1. Introduction"
    text: str


class Chapter(BaseModel):
    """A chapter page: heading, labelled blocks and numbered sections.

    Once joined to its contents entry (`entry_id`), it carries that entry's
    number, title, section path and flags: the chapter is then one thing,
    cited once, with its number."""

    manual_id: str
    chapter: Optional[str] = None
    title: str
    page_number: Optional[str] = None  # the page's own number and heading, kept when a join
    page_title: str = ""  # gives the chapter its contents entry's number and title instead
    entry_id: str = ""  # record id of the contents entry this page is joined to
    section_path: list[str] = Field(default_factory=list)  # the joined entry's place in the contents
    flags: list[str] = Field(default_factory=list)  # the joined entry's status flags
    scope: str = ""
    amendment_note: str = ""
    amended: Optional[str] = None  # YYYY-MM, from the amendment note when it names a month
    related: list[str] = Field(default_factory=list)
    contents: list[str] = Field(default_factory=list)
    sections: list[ChapterSection] = Field(default_factory=list)
    url: Optional[str] = None
    source: str = ""

    @property
    def record_id(self) -> str:
        # One page is one chapter: its id must not change when a join gives it a number.
        return stable_id(self.manual_id, "chapter", self.source)

    @property
    def section(self) -> str:
        return section_label(self.section_path)


class Amendment(BaseModel):
    """One row of an amendments page: in a month, a chapter changed."""

    manual_id: str
    amended: str  # YYYY-MM
    change: Change
    title: str = ""  # may be "" where the page lost the chapter name
    details: str = ""
    chapter: Optional[str] = None  # linked contents entry number, when known
    url: Optional[str] = None
    source: str = ""
    position: int = 0

    @property
    def record_id(self) -> str:
        return stable_id(self.manual_id, "amendment", self.source, self.position, self.amended, self.title)


Record = Union[ChapterEntry, Chapter, Amendment]

SECTION_SEPARATOR = " › "


def section_label(path: list[str]) -> str:
    """A section path for display: ["6. Children in Care", "6.7 Leaving Care"] -> "6. … › 6.7 …"."""
    return SECTION_SEPARATOR.join(p for p in path if p)


class ParsedPage(BaseModel):
    """What a parser returns for one file."""

    source: str
    manual: Manual
    page_kind: PageKind
    entries: list[ChapterEntry] = Field(default_factory=list)
    chapters: list[Chapter] = Field(default_factory=list)
    amendments: list[Amendment] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # e.g. "manual guessed from text"


class Chunk(BaseModel):
    """The unit stored and searched. `text` is what users see; `embed_text`
    carries the manual, chapter and section prefix that retrieval needs."""

    id: str
    text: str
    embed_text: str
    manual_id: str
    manual: str
    manual_places: list[str] = Field(default_factory=list)
    manual_url: Optional[str] = None  # the manual's public address, for "open … online" where a record has none
    kind: RecordKind
    chapter: Optional[str] = None
    title: str = ""
    section: Optional[str] = None
    flags: list[str] = Field(default_factory=list)
    amended: Optional[str] = None
    change_type: str = ""  # an amendment's change ("updated", "new", "removed"); "" otherwise
    url: Optional[str] = None
    source: str = ""  # the file's path inside its manual's folder ("chapters/p_staying_put.html")
    source_root: str = ""  # the folder that path is relative to (absolute), for removals
    source_hash: str = ""
    record_id: str = ""  # chunks of one record share it (one citation per record)
    # A contents entry and the chapter page joined to it share this key, so a
    # chapter is cited once however it was found ("" for amendments).
    chapter_key: str = ""
    record_json: str = ""  # the parent record (a chapter's outline or header: see the module docstring)
    part: int = 0  # this chunk's place among its record's chunks, in reading order
    section_index: int = -1  # a chapter chunk: which of the chapter's sections it is a piece of (-1: none)

    def to_metadata(self) -> dict[str, Union[str, int, float, bool]]:
        """Chroma metadata: scalars only, "" standing for None."""
        meta = self.model_dump(exclude={"id", "text", *_LIST_FIELDS})
        meta["kind"] = self.kind.value
        meta.update({name: "|".join(getattr(self, name)) for name in _LIST_FIELDS})
        meta[_FIRST_PART] = self.part == 0  # for FIRST_PARTS
        return {k: ("" if v is None else v) for k, v in meta.items()}

    @classmethod
    def from_stored(cls, chunk_id: str, document: str, metadata: dict) -> "Chunk":
        """Rebuild a chunk from what the store returns."""
        meta = dict(metadata)
        meta.pop(_FIRST_PART, None)
        for key in ("chapter", "section", "amended", "url", "manual_url"):
            meta[key] = meta.get(key) or None
        for name in _LIST_FIELDS:
            meta[name] = [part for part in meta.get(name, "").split("|") if part]
        return cls(id=chunk_id, text=document, **meta)

    def record(self) -> Record:
        """The parent record (entry, chapter or amendment) this chunk came from."""
        model = {RecordKind.CONTENTS: ChapterEntry, RecordKind.CHAPTER: Chapter,
                 RecordKind.AMENDMENT: Amendment}[self.kind]
        return model.model_validate_json(self.record_json)


_LIST_FIELDS = ("flags", "manual_places")  # stored "|"-joined: Chroma metadata holds scalars
_FIRST_PART = "first_part"
# A store filter: each record's first chunk, one per record however long a chapter
# is. `$ne` also matches rows stored before chunks were numbered (all of them, then).
FIRST_PARTS = {_FIRST_PART: {"$ne": False}}


# -- a chapter carried by its chunks ------------------------------------------------


def chapter_outline(chapter: Chapter) -> Chapter:
    """What a chapter's first chunk carries: every field, its sections without their text."""
    return chapter.model_copy(update={"sections": [s.model_copy(update={"text": ""}) for s in chapter.sections]})


def chapter_header(chapter: Chapter) -> Chapter:
    """What a chapter's other chunks carry: bounded by the chapter's heading and
    labelled blocks, never by its length (no sections, no contents list)."""
    return chapter.model_copy(update={"sections": [], "contents": []})


def chapter_from_chunks(chunks: Sequence["Chunk"]) -> Chapter:
    """The whole chapter from its chunks (any order): the first chunk's outline
    with each section's text rejoined from its pieces. Without the first chunk,
    the header of the earliest one, with sections named by the chunks' headings."""
    ordered = sorted(chunks, key=lambda c: c.part)
    base = ordered[0].record()
    pieces: dict[int, list[str]] = {}
    headings: dict[int, str] = {}
    for chunk in ordered:
        if chunk.section_index >= 0:
            pieces.setdefault(chunk.section_index, []).append(chunk.text)
            headings.setdefault(chunk.section_index, chunk.section or "")
    if not pieces:  # labelled blocks only, or a store written before chunks knew their section
        return base
    if ordered[0].part == 0 and base.sections:
        sections = [s.model_copy(update={"text": "\n\n".join(pieces.get(i, []))}) for i, s in enumerate(base.sections)]
    else:
        sections = [ChapterSection(heading=headings[i], text="\n\n".join(pieces[i])) for i in sorted(pieces)]
    return base.model_copy(update={"sections": sections})


def stable_id(*parts: object) -> str:
    """An id from content and position: the same input gives the same id on every run."""
    raw = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]
