"""Page parsers. Importing this package imports every module in it, and each
parser module registers itself: a new layout is a new file here."""
import importlib
import pkgutil

from ingest.parsers.base import ParseError, Parser, SourceText, detect_kind, parser_for, parsers, register

_HELPERS = {"base", "common", "changes", "amendments_rows", "amendments_tables", "furniture", "labels", "signals", "html_lines", "html_walk", "html_page", "chapter_blocks"}  # shared pieces, not parsers
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _HELPERS:
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["ParseError", "Parser", "SourceText", "detect_kind", "parser_for", "parsers", "register"]
