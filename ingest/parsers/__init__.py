"""Page parsers. Importing this package registers every parser."""
from ingest.parsers.base import ParseError, Parser, SourceText, detect_kind, parser_for, parsers, register

from ingest.parsers import (  # noqa: F401,E402  (registration side effects)
    amendments_html, amendments_text, chapter_html, chapter_text, contents_html, contents_text,
)

__all__ = ["ParseError", "Parser", "SourceText", "detect_kind", "parser_for", "parsers", "register"]
