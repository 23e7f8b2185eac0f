"""The parser interface and registry: one parser per (page kind, format).

A new layout is a new module that defines a parser and calls `register`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

from vectorstore.models import Manual, PageKind, ParsedPage


@dataclass(frozen=True)
class SourceText:
    """A decoded input file."""

    name: str  # file name, the record's `source`
    text: str  # cleaned text (HTML kept as markup for the HTML parsers)
    format: str  # "text" | "html"
    encoding: str = "utf-8"
    url: Optional[str] = None  # the page's address, when the ingester knows it (a crawl record)


class ParseError(ValueError):
    """The file is of a known kind but its content cannot be read as one."""


class Parser(Protocol):
    kind: PageKind
    format: str

    def score(self, source: SourceText) -> float:
        """How sure (0..1) this parser is that the file is its kind of page."""

    def parse(self, source: SourceText, manual: Manual) -> ParsedPage:
        """Records of the page; raises ParseError when it holds none."""


_PARSERS: list[Parser] = []


def register(parser: Parser) -> Parser:
    _PARSERS.append(parser)
    return parser


def parsers() -> list[Parser]:
    return list(_PARSERS)


def parser_for(kind: PageKind, fmt: str) -> Parser:
    for parser in _PARSERS:
        if parser.kind == kind and parser.format == fmt:
            return parser
    raise LookupError(f"no parser for {kind} pages in {fmt} format")


def detect_kind(source: SourceText, threshold: float = 0.3) -> PageKind:
    """The page kind whose parser is surest; ParseError, with every parser's
    score, when none is sure enough."""
    scored = sorted(((p.score(source), p.kind) for p in _PARSERS if p.format == source.format),
                    key=lambda pair: pair[0], reverse=True)
    if not scored or scored[0][0] < threshold:
        scores = ", ".join(f"{kind.value} {score:.2f}" for score, kind in scored)
        raise ParseError("not recognised as a contents, chapter or amendments page: could not tell what kind "
                         f"of page this is; set its kind in the manifest (scores: {scores or 'none'})")
    return scored[0][1]
