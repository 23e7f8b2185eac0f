"""Pipe-table rows of text contents pages (Leicestershire layout).

The export flattens an HTML table into lines such as

    | 1.1.2 | Statement of Purpose for Children's Social Care | New | |
    1.1 |
    Values and Principles |
    ||

This module only splits such lines into cells; `contents_text` gives the
cells meaning, so both layouts share one grammar.
"""
from __future__ import annotations

from typing import Optional

from vectorstore.models import STATUS_FLAGS

_FLAG_BY_KEY = {flag.lower(): flag for flag in STATUS_FLAGS}


def looks_piped(text: str, share: float = 0.3) -> bool:
    """True when at least `share` of the non-blank lines hold a "|" cell border."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    return sum("|" in line for line in lines) / len(lines) >= share


def pipe_cells(line: str) -> Optional[list[str]]:
    """The non-empty cells of a table line; None when the line has no "|".

    "| 1.1.2 | Statement of Purpose | New | |" -> ["1.1.2", "Statement of Purpose", "New"]
    "||" -> []"""
    if "|" not in line:
        return None
    return [cell.strip() for cell in line.split("|") if cell.strip()]


def status_flag(cell: str) -> Optional[str]:
    """The canonical status word a cell holds ("updated" -> "Updated"), else None."""
    return _FLAG_BY_KEY.get(cell.strip().lower())
