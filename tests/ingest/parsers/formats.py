"""The per-format fixtures (tests/fixtures/formats/), read as the pipeline
would hand them to a parser: HTML by suffix, text otherwise."""
from pathlib import Path

from ingest.parsers import parser_for
from ingest.parsers.base import SourceText
from vectorstore.models import Manual, PageKind, ParsedPage
from vectorstore.text import clean_text

FORMATS = Path(__file__).resolve().parents[2] / "fixtures" / "formats"
MANUAL = Manual(id="formats", name="Format fixtures")


def source(name: str, url: str | None = None) -> SourceText:
    fmt = "html" if name.endswith(".html") else "text"
    return SourceText(name=name, text=clean_text((FORMATS / name).read_text(encoding="utf-8")), format=fmt, url=url)


def parse(name: str, kind: str, url: str | None = None) -> ParsedPage:
    page = source(name, url)
    return parser_for(PageKind(kind), page.format).parse(page, MANUAL)
