"""The label vocabulary of procedures pages, defined once for the text and HTML
parsers: the labelled blocks of a chapter page ("SCOPE OF THIS CHAPTER",
"Related guidance"), the block labels of an amendments page ("Updated
Chapters") and the column names of its table ("Chapter Title | Details").

Sites write labels in capitals or sentence case, with or without a colon; every
look-up here folds case, spacing and a trailing colon.
"""
from __future__ import annotations

import re
from typing import Optional

from vectorstore.models import Change

# Chapter-page labels, keyed by the field their block fills. "note" blocks are
# body prose: the label only ends the block before it.
CHAPTER_LABELS: dict[str, tuple[str, ...]] = {
    "scope": ("scope of this chapter", "scope of this procedure", "scope of this guidance",
              "scope of this policy", "scope of the chapter", "scope"),
    "amendment": ("amendment", "amendments", "amendment note", "latest amendment", "recent amendments",
                  "recent amendment", "amendments to this chapter", "latest update", "last updated",
                  "recent updates", "recent changes"),
    "related": ("related chapters", "related chapter", "related guidance", "relevant guidance",
                "relevant chapters", "related procedures", "related information", "see also",
                "related guidance and information", "relevant information", "related chapters and guidance",
                "relevant chapters and guidance", "related documents", "related resources"),
    "contents": ("contents", "in this chapter", "chapter contents", "contents of this chapter", "on this page"),
    "note": ("note", "notes", "please note", "important note"),
}
_LABEL_OF = {words: label for label, options in CHAPTER_LABELS.items() for words in options}
_LEADING = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,40}?)\s*:")


def _key(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).rstrip(":").strip().lower()


def chapter_label(text: str) -> Optional[str]:
    """The field a whole label line names ("Related Chapters:" -> "related"), else None."""
    return _LABEL_OF.get(_key(text))


def is_label_words(words: str) -> bool:
    """True when `words` are one of the label wordings (any case)."""
    return _key(words) in _LABEL_OF


def leading_label(text: str) -> Optional[tuple[str, str]]:
    """(field, label words) for a line that opens with a label and a colon
    ("See also: Staying Put" -> ("related", "see also")), else None."""
    match = _LEADING.match(text)
    if match and _key(match.group(1)) in _LABEL_OF:
        words = _key(match.group(1))
        return _LABEL_OF[words], words
    return None


# -- amendments pages ----------------------------------------------------------

# "Updated Chapters", "New Chapters and Features", "Removed Chapters", "Amended procedures:".
_CHANGE_LABEL = re.compile(r"^(updated|amended|new|removed|deleted|withdrawn|archived)\b[\w\s&]{0,30}?"
                           r"\b(chapters?|features|procedures|guidance|documents)\s*:?$", re.IGNORECASE)
_LABEL_CHANGE = {"updated": Change.UPDATED, "amended": Change.UPDATED, "new": Change.NEW}

# The columns of an amendments table, as headers name them.
TITLE_COLUMNS = ("chapter name", "chapter title", "chapter", "title", "name", "procedure", "procedure name",
                 "procedure title", "document", "document name", "title of chapter", "chapter/procedure")
DETAILS_COLUMNS = ("details", "detail", "description", "details of amendment", "details of amendments",
                   "details of change", "details of changes", "summary of change", "summary of changes",
                   "summary", "changes", "change", "amendment", "amendments", "what has changed")
NUMBER_COLUMNS = ("no", "no.", "number", "chapter number", "chapter no", "chapter no.", "ref", "ref.")
DATE_COLUMNS = ("date", "date updated", "date of change", "date amended", "month", "updated", "when")
# The kind of change ("Updated", "New chapter", "Removed"), when a table gives it a column of its own.
CHANGE_COLUMNS = ("change", "type", "type of change", "change type", "status", "action")
# Columns some tables add before or after those.
OTHER_COLUMNS = NUMBER_COLUMNS + DATE_COLUMNS + CHANGE_COLUMNS + ("section", "link")
_COLUMNS = set(TITLE_COLUMNS) | set(DETAILS_COLUMNS) | set(OTHER_COLUMNS)
_HEADER_WORDS = re.compile(
    r"^(" + "|".join(re.escape(c) for c in sorted(TITLE_COLUMNS, key=len, reverse=True)) + r")\s*[:|]?\s+"
    r"(" + "|".join(re.escape(c) for c in sorted(DETAILS_COLUMNS, key=len, reverse=True)) + r")\s*[:|]?$",
    re.IGNORECASE)


# What closes a month's table: "Next update: August 2022 |", the "Archive" heading.
_AMENDMENTS_FOOTER = re.compile(r"^(?:next (?:scheduled )?update\b.*|archive\b[^.]{0,40})\s*\|?$", re.IGNORECASE)


def is_amendments_footer(text: str) -> bool:
    """True for the lines that end an amendments page's current month."""
    return bool(_AMENDMENTS_FOOTER.match(text.strip()))


def change_label(text: str) -> Optional[Change]:
    """The change a block label announces ("Updated Chapters" -> UPDATED), else None.
    A text export's trailing empty cells ("Updated Chapters | |") are ignored."""
    match = _CHANGE_LABEL.match(text.split("|", 1)[0].strip())
    if not match:
        return None
    return _LABEL_CHANGE.get(match.group(1).lower(), Change.REMOVED)


def is_header_cells(cells: list[str]) -> bool:
    """True for the header row of an amendments table: every filled cell a
    column name, one of them the title column ("Chapter Title", "Details")."""
    filled = [_key(c) for c in cells if c.strip()]
    return (len(filled) >= 2 and all(c in _COLUMNS for c in filled)
            and any(c in TITLE_COLUMNS for c in filled))


def column_roles(cells: list[str]) -> dict[str, int]:
    """Where a header row puts the title, details, number, date and change
    columns: ["No.", "Chapter Title", "Details"] -> {"number": 0, "title": 1,
    "details": 2}; ["Date", "Chapter", "Change", "Details"] -> {"date": 0,
    "title": 1, "change": 2, "details": 3}. "Change" is the details column
    unless the table has another one, when it is the kind of change."""
    keys = [_key(cell) for cell in cells]
    roles: dict[str, int] = {}
    for index, key in enumerate(keys):
        role = ("title" if key in TITLE_COLUMNS else "number" if key in NUMBER_COLUMNS
                else "date" if key in DATE_COLUMNS else None)
        if role and role not in roles:
            roles[role] = index
    details = [i for i, k in enumerate(keys) if k in DETAILS_COLUMNS and i not in roles.values()]
    plain = [i for i in details if keys[i] not in CHANGE_COLUMNS]
    if plain or details:
        roles["details"] = (plain or details)[0]
    kinds = [i for i, k in enumerate(keys) if k in CHANGE_COLUMNS and i not in roles.values()]
    if kinds:
        roles["change"] = kinds[0]
    return roles


def is_header_line(text: str) -> bool:
    """True for a table header exported as one line, with or without cell
    borders: "Chapter Name | Details |", "Chapter Title Details"."""
    if "|" in text:
        return is_header_cells(text.split("|"))
    return bool(_HEADER_WORDS.match(" ".join(text.split())))
