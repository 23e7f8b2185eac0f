"""A personal-data detector for questions and comments.

It looks for what identifies a child or family: a name with a date of birth,
an NHS number, a UK phone number, an email address, or an address (a house
number with a street or a postcode). It errs towards warning: a false alarm
costs a sentence, a miss puts someone's details in a feedback log.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from vectorstore.text import MONTH_PATTERN as _MONTHS

_DATE = (rf"(?:\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})\b"
         rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?\s+\d{{2,4}}\b"
         rf"|\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)")
_DOB_WORD = r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bborn(?:\s+on)?\b|\bb\.)"
DOB = re.compile(rf"{_DOB_WORD}\s*[:\-]?\s*(?:on\s+)?{_DATE}|{_DATE}\s*\(?\s*{_DOB_WORD}", re.IGNORECASE)
DATE = re.compile(_DATE, re.IGNORECASE)
NHS = re.compile(r"(?<![\d+])(?:\d{3}[ \-]\d{3}[ \-]\d{4}|\d{10})(?![\d])")
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?!\d)")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET = (r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|place|"
           r"grove|gardens|terrace|walk|row|square|hill|mews|view|rise|green|park)")
HOUSE_STREET = re.compile(rf"\b\d{{1,4}}[a-z]?,?\s+(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}\b", re.IGNORECASE)
HOUSE_NUMBER = re.compile(r"\b(?:flat\s+)?\d{1,4}[a-z]?\b", re.IGNORECASE)
# Two or three capitalised words: a possible full name.
NAME = re.compile(r"\b([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})\b")
_NOT_NAMES = {
    "what", "which", "when", "where", "who", "how", "does", "is", "are", "can", "should", "the", "and", "in",
    "child", "children", "protection", "social", "care", "conference", "conferences", "plan", "team", "court",
    "policy", "procedure", "procedures", "chapter", "staying", "put", "looked", "after", "leaving", "council",
    "city", "county", "derby", "derbyshire", "rotherham", "leicestershire", "nhs", "dob", "date", "birth",
    "section", "order", "family", "families", "foster", "fostering", "adoption", "review", "meeting",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # "date of birth", "NHS number", "phone number", "email address", "address", "name and date"
    text: str


def find_personal_data(text: str, not_names: Optional[Iterable[str]] = None) -> list[Finding]:
    """What in `text` looks like a child's or family's personal details.

    `not_names` adds words (lower case) that make no name on their own, such as
    the words of chapter titles: "Child Protection 01/02/2021" is no name, but
    "Jane Young 01/02/2021" still is."""
    text = text or ""
    found: list[Finding] = []
    rest = text
    for pattern, kind in ((EMAIL, "email address"), (DOB, "date of birth")):
        for m in pattern.finditer(rest):
            found.append(Finding(kind, m.group(0)))
        rest = pattern.sub(" ", rest)
    for m in NHS.finditer(rest):
        if m.group(0).startswith("0"):  # a landline written without spaces, not an NHS number
            continue
        found.append(Finding("NHS number", m.group(0)))
        rest = rest.replace(m.group(0), " ")
    found += [Finding("phone number", m.group(0)) for m in PHONE.finditer(rest)]
    rest = PHONE.sub(" ", rest)
    found += _addresses(rest)
    if not any(f.kind == "date of birth" for f in found):
        found += _name_with_date(text, set(not_names or ()) | _NOT_NAMES)
    return found


def _addresses(text: str) -> list[Finding]:
    found = [Finding("address", m.group(0)) for m in HOUSE_STREET.finditer(text)]
    postcode = POSTCODE.search(text)
    if postcode and not found and HOUSE_NUMBER.search(POSTCODE.sub(" ", text)):
        found.append(Finding("address", postcode.group(0)))
    return found


def _name_with_date(text: str, not_names: set[str]) -> list[Finding]:
    if not DATE.search(text):
        return []
    names = [m.group(1) for m in NAME.finditer(text)
             if not all(word.lower().strip("'’") in not_names for word in m.group(1).split())]
    return [Finding("name and date", f"{names[0]} … {DATE.search(text).group(0)}")] if names else []


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Lower-case words of `texts` (chapter titles, place names), for `not_names`."""
    return frozenset(w.lower() for t in texts for w in re.findall(r"[A-Za-z'’-]+", t))


def warning_text(kinds: Iterable[str]) -> str:
    """The warning shown above an answer whose question looked personal (`kinds` from findings)."""
    return ("This looks like it contains personal details (" + ", ".join(sorted(set(kinds), key=str.lower)) + "). "
            "Please don't enter children's or families' details here: ask about the procedure "
            "in general terms. Your question was still answered, but it is not kept with feedback.")
