"""The hand-written HTML fixtures, read as the pipeline would hand them to a parser."""
from pathlib import Path

from ingest.parsers.base import SourceText

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"


def source(name: str) -> SourceText:
    return SourceText(name=name, text=(FIXTURES / name).read_text(encoding="utf-8"), format="html")
