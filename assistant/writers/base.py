"""The answer-writer interface and its registry. A writer turns evidence into
markdown, piece by piece (so the app can stream it). A new writer (a local
LLM, say) is a new module that calls `register`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional, Protocol

from assistant.answer import Citation
from assistant.evidence import Evidence
from assistant.sentences import DirectAnswer
from vectorstore.registry import Registry
from vectorstore.settings import Settings


@dataclass
class WriteContext:
    """Everything a writer may use: the evidence, its citations (numbered in
    order), short manual names, and where to send staff when nothing fits."""

    evidence: Evidence
    citations: list[Citation]
    short_names: dict[str, str] = field(default_factory=dict)
    # contents entries to point to when nothing fits: the Local Contacts of the manuals asked about
    next_steps: list[Citation] = field(default_factory=list)
    # for a question about what a chapter says: the unit of chapter text that answers it
    direct: Optional[DirectAnswer] = None

    def label(self, citation: Citation) -> str:
        return citation.label(self.short_names.get(citation.manual_id))


class SourceText(str):
    """A piece of answer text that presents one citation (its number, label and
    quote). Joined with the other pieces it makes the whole answer; an app that
    shows each citation with its quote leaves these out of the answer's body."""

    number: int
    quote: str

    def __new__(cls, text: str, number: int, quote: str = "") -> "SourceText":
        piece = super().__new__(cls, text)
        piece.number, piece.quote = number, quote
        return piece


class Writer(Protocol):
    name: str

    def warm_up(self) -> None: ...

    def write(self, context: WriteContext) -> Iterator[str]: ...


WRITERS: Registry[Writer] = Registry("writer", "PA_WRITER")
register = WRITERS.register
available = WRITERS.available


def make_writer(settings: Settings) -> Writer:
    """The writer the settings name (PA_WRITER); the error lists the valid names."""
    return WRITERS.make(settings.writer, settings)
