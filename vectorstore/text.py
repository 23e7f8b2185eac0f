"""Text normalisation shared by every stage: cleaning exported page text and
the tolerant title key used to match a name to a chapter."""
from __future__ import annotations

import calendar
import re
import unicodedata

import ftfy

# Web exports leave a mangled non-breaking space as a stray Latin Extended-A
# letter glued to a word ("AdoptersĀ and"); English titles never end so.
_STRAY_AFTER_WORD = re.compile(r"(?<=[A-Za-z])[\u0100-\u017f](?=[\s\u00a0]|$)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TITLE_NOISE = re.compile(r"[^a-z0-9]+")


def clean_text(text: str) -> str:
    """Repair mojibake, drop stray and control characters, fold odd spaces.
    Line breaks are kept: parsers read layout from them."""
    text = ftfy.fix_text(text, normalization="NFC")
    text = _STRAY_AFTER_WORD.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C" or ch == "\t")
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


def title_key(title: str) -> str:
    """A matching key for titles: case, punctuation, '&' and accents folded.

    "Child Protection Section 47 Enquiries" and "child protection – section 47
    enquiries" get the same key."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    return _TITLE_NOISE.sub(" ", text).strip()


def month_label(amended: str) -> str:
    """'2021-06' -> 'June 2021'."""
    year, month = amended.split("-")
    return f"{calendar.month_name[int(month)]} {year}"
