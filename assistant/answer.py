"""What the assistant returns: an answer, whether the manuals ground it, and
its citations. The JSON shape is a public contract (`ask --json`)."""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from vectorstore.models import Chunk, RecordKind
from vectorstore.text import month_label


class Citation(BaseModel):
    manual_id: str
    manual: str
    kind: RecordKind
    chapter: Optional[str] = None
    title: str
    section: Optional[str] = None
    amended: Optional[str] = None
    url: Optional[str] = None
    source: str
    score: float
    record_id: str = Field(default="", exclude=True)  # for the app's links; not in the JSON
    passage: str = Field(default="", exclude=True)  # the cited text, for quoting and highlighting
    quote: str = Field(default="", exclude=True)  # what the answer quotes from it (markdown), set by the writer

    @classmethod
    def from_chunk(cls, chunk: Chunk, score: float) -> "Citation":
        return cls(manual_id=chunk.manual_id, manual=chunk.manual, kind=chunk.kind, chapter=chunk.chapter,
                   title=chunk.title, section=chunk.section, amended=chunk.amended, url=chunk.url,
                   source=chunk.source, score=round(float(score), 4), record_id=chunk.record_id,
                   passage=chunk.text)

    def label(self, short_manual: Optional[str] = None) -> str:
        """"Derby City 6.7.6 Staying Put Policy" (or "June 2021: Child Protection Conferences")."""
        place = short_manual or self.manual
        if self.kind == RecordKind.AMENDMENT:
            name = self.title or "update (chapter not named)"
            return f"{place} amendment, {month_label(self.amended)}: {name}"
        number = f"{self.chapter} " if self.chapter else ""
        return f"{place} {number}{self.title}"


class Answer(BaseModel):
    question: str
    answer: str
    grounded: bool
    citations: list[Citation] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    # Not in the JSON contract (`ask --json` keys stay as they are):
    # stated plainly ("This is covered by…"), not offered as the closest match
    plain: bool = Field(default=False, exclude=True)
    # the answer without the per-citation quotes, which an app shows with each citation instead
    lead: str = Field(default="", exclude=True)
    searched: list[str] = Field(default_factory=list, exclude=True)  # ids of the manuals searched
    scope: str = Field(default="all", exclude=True)  # why those: "named" in the question, "chosen", or "all"
    # contents entries to look at when the manuals don't cover it (the searched manuals' Local Contacts)
    pointers: list[Citation] = Field(default_factory=list, exclude=True)

    def to_json(self) -> str:
        return self.model_dump_json()
