"""Text normalisation shared by every stage: cleaning exported page text, the
tolerant title key used to match a name to a chapter, and the one month and
date vocabulary every stage reads months with."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from typing import Optional

import ftfy

# Web exports leave a mangled non-breaking space as a stray Latin Extended-A
# letter glued to a word ("AdoptersĀ and"); English titles never end so.
_STRAY_AFTER_WORD = re.compile(r"(?<=[A-Za-z])[\u0100-\u017f](?=[\s\u00a0]|$)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TITLE_NOISE = re.compile(r"[^a-z0-9]+")


def clean_text(text: str) -> str:
    """Repair mojibake, drop stray and control characters, fold odd spaces.
    Line breaks are kept: parsers read layout from them. Works a line at a
    time, so a large file is never copied a character at a time."""
    text = ftfy.fix_text(text, normalization="NFC")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_clean_line(line) for line in text.split("\n"))


def _clean_line(line: str) -> str:
    """One line: a stray letter after a word dropped, control characters (but
    tabs) dropped, runs of odd spaces folded to one, trailing space cut."""
    line = _STRAY_AFTER_WORD.sub("", line)
    if not line.isprintable():  # only then can it hold a control character
        line = "".join(ch for ch in line if ch == "\t" or unicodedata.category(ch)[0] != "C")
    return _SPACES.sub(" ", line).rstrip()


def title_key(title: str) -> str:
    """A matching key for titles: case, punctuation, '&' and accents folded.

    "Child Protection Section 47 Enquiries" and "child protection – section 47
    enquiries" get the same key."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    return _TITLE_NOISE.sub(" ", text).strip()


# -- months and dates ------------------------------------------------------------

MONTH_NAMES = tuple(calendar.month_name[1:])  # "January" … "December"
# Every spelling pages and questions use for a month, lower case: the full
# name, the three-letter abbreviation and the UK "Sept".
MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
# A regex fragment for one month word, no groups; use it with re.IGNORECASE and
# word boundaries of your own. Longest spelling first, so "Sept" is not cut to "Sep".
MONTH_PATTERN = "(?:" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + ")"
YEAR_PATTERN = r"(?:19|20)\d\d"
_MONTH_YEAR = rf"\b({MONTH_PATTERN})\.?,?\s+({YEAR_PATTERN})\b"
_WHOLE_MONTH_YEAR = re.compile(rf"^\s*{_MONTH_YEAR}\s*$", re.IGNORECASE)
_ANY_MONTH_YEAR = re.compile(_MONTH_YEAR, re.IGNORECASE)
_ORDINAL = r"(?:st|nd|rd|th)?"
# "October 31, 2024", "31 October 2024", "31st Oct. 2024", "31/10/2024", "2024-10-31".
DATE_PATTERN = (rf"(?:{MONTH_PATTERN}\.?\s+\d{{1,2}}{_ORDINAL},?\s+{YEAR_PATTERN}"
                rf"|\d{{1,2}}{_ORDINAL}\s+{MONTH_PATTERN}\.?,?\s+{YEAR_PATTERN}"
                rf"|\d{{1,2}}/\d{{1,2}}/{YEAR_PATTERN}|{YEAR_PATTERN}-\d{{2}}-\d{{2}})")
_WHOLE_DATE = re.compile(rf"^\s*({DATE_PATTERN})\s*$", re.IGNORECASE)
_DATE_PARTS = (
    re.compile(rf"^({MONTH_PATTERN})\.?\s+(\d{{1,2}}){_ORDINAL},?\s+({YEAR_PATTERN})$", re.IGNORECASE),  # M D Y
    re.compile(rf"^(\d{{1,2}}){_ORDINAL}\s+({MONTH_PATTERN})\.?,?\s+({YEAR_PATTERN})$", re.IGNORECASE),  # D M Y
    re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/({YEAR_PATTERN})$"),  # D/M/Y, the UK order
    re.compile(rf"^({YEAR_PATTERN})-(\d{{2}})-(\d{{2}})$"),  # ISO
)


def month_number(name: str) -> Optional[int]:
    """1-12 for a month name or abbreviation ("Sept", "sept.", "September"), else None."""
    return MONTH_NUMBERS.get(name.strip().rstrip(".").lower())


def parse_month_year(text: str) -> Optional[str]:
    """'June 2021', 'Sept. 2021', 'June, 2021' -> '2021-06'; None unless the
    whole text is a month and a year."""
    match = _WHOLE_MONTH_YEAR.match(text)
    return _month_key(match.group(1), match.group(2)) if match else None


def find_month_year(text: str) -> Optional[str]:
    """The first month and year named anywhere in prose ("In June 2016 this
    chapter…" -> '2016-06'), else None."""
    match = _ANY_MONTH_YEAR.search(text)
    return _month_key(match.group(1), match.group(2)) if match else None


def parse_date(text: str) -> Optional[str]:
    """A whole date as 'YYYY-MM-DD' ('October 31, 2024', '31 October 2024',
    '31/10/2024'); None for anything else, including impossible days."""
    if not _WHOLE_DATE.match(text):
        return None
    text = " ".join(text.split())
    for order, pattern in zip(("mdy", "dmy", "dmy", "ymd"), _DATE_PARTS):
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, match.groups()))
            month = month_number(parts["m"]) if not parts["m"].isdigit() else int(parts["m"])
            return _iso_date(int(parts["y"]), month, int(parts["d"]))
    return None


def month_label(amended: str) -> str:
    """'2021-06' -> 'June 2021'."""
    year, month = amended.split("-")[:2]
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def _month_key(name: str, year: str) -> Optional[str]:
    number = month_number(name)
    return f"{year}-{number:02d}" if number else None


def _iso_date(year: int, month: Optional[int], day: int) -> Optional[str]:
    try:
        return date(year, month or 0, day).isoformat()
    except ValueError:
        return None
