"""The answer-writer interface and its registry. A writer turns evidence into
markdown, piece by piece (so the app can stream it). A new writer (a local
LLM, say) is a new module that calls `register`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol

from assistant.answer import Citation
from assistant.evidence import Evidence
from vectorstore.registry import Registry
from vectorstore.settings import Settings


@dataclass
class WriteContext:
    """Everything a writer may use: the evidence, its citations (numbered in
    order), short manual names, and where to send staff when nothing fits."""

    evidence: Evidence
    citations: list[Citation]
    short_names: dict[str, str] = field(default_factory=dict)
    next_steps: list[str] = field(default_factory=list)  # e.g. "Rotherham 6.1 Local Contacts"

    def label(self, citation: Citation) -> str:
        return citation.label(self.short_names.get(citation.manual_id))


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
