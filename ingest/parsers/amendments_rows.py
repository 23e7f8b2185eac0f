"""Telling a chapter's name from the details of its change, when a table was
exported without cell borders and each row is one line of text:

    Contacts and Referrals This chapter has been refreshed.
    Aftercare under Section 117 of the Mental Health Act 1983 Section 2, Who is Entitled has been amended …

Details are sentences, and they open in a few recognisable ways ("This
chapter …", "Section 3, …", "A link …", "New section …", "The …"). Names are
Title Case runs with no verb. A row is split where an opener begins details
whose lead-in reads as a name: strong openers ("This chapter") before weak ones
("The", "Information"), earliest first. Where the manual's own titles are
known, a known title at the start of the row wins. Where nothing fits, the
row keeps no name rather than an absurd one (`TITLE_MAX`), and says so.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from vectorstore.text import title_key

TITLE_MAX = 150  # characters; a longer "name" is details the export ran together
_TITLE_WORDS = 20

_NOUNS = (r"(?:chapter|procedure|guidance|policy|protocol|document|section|page|flowchart|guide|appendix"
          r"|leaflet|toolkit|framework|pathway|standards?|form|template|resource|information)s?")
# Case matters: details open a sentence with a capital letter.
_STRONG = re.compile("|".join((
    rf"This (?:new |local |revised |updated |whole |entire )?{_NOUNS}\b",
    rf"These (?:new )?{_NOUNS}\b",
    r"(?:A |The )?(?:[Nn]ew )?Sections? \d+(?:\.\d+)*[a-z]?(?:,| and | & | has\b| have\b| was\b| were\b| is\b"
    r"| now\b| \(| -)",
    r"(?:A |An )?[Nn]ew (?:section|sections|paragraph|paragraphs|appendix|appendices|link|links|flowchart"
    r"|chapter|subsection|sub-section|annex)\b",
    r"(?:A |An )(?:link|links|reference|hyperlink|flowchart|paragraph|appendix|note)\b",
    r"(?:Links?|References?|Hyperlinks?) (?:to|have|has|were|was|in|within)\b",
    r"Minor (?:amendments?|changes?|updates?|corrections?|edits?|revisions?)\b",
    r"(?:Amended|Updated|Revised|Reviewed|Refreshed|Rewritten|Added|Removed|Replaced) (?:throughout|in line"
    r"|to |and |following|with)\b",
    r"It (?:has|now|was|is)\b",
    r"Paragraphs? \d",
)))
_WEAK = re.compile(r"(?:The|Information|Additional|Further|Details?|In (?:line|Section|light|addition)|Following"
                   r"|Please|Note|Text|Clarification|Amendments?|Changes?|Reference|Contact details|Guidance on"
                   r"|Local|National)\b")
_VERB = re.compile(r"\b(?:has|have|had|was|were|is|are|been|must|should|will|now|can|may|added|updated|amended"
                   r"|revised|reviewed|refreshed|removed|replaced|included|includes|clarified|changed|reflects?"
                   r"|explains?|sets out|provides?|contains?|made)\b")
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
          "who", "whom", "under", "within", "without", "between", "after", "before", "about", "over", "their",
          "its", "via", "vs", "is", "are", "be"}
_WORD_START = re.compile(r"(?:(?<=\s)|^)\S")


def split_row(text: str, known_titles: Iterable[str] = ()) -> tuple[str, str]:
    """(title, details) of one borderless row; ("", text) when it opens with
    details or no split reads right."""
    text = " ".join(text.split())
    known = _known_split(text, known_titles)
    if known:
        return known
    cut = _cut(text)
    if cut is None:
        return "", text
    return text[:cut].rstrip(" -–—:|"), text[cut:]


def opens_details(text: str) -> bool:
    """True when a line starts the way details sentences do."""
    text = text.strip()
    return bool(_STRONG.match(text) or (_WEAK.match(text) and reads_as_details(text)))


def reads_as_details(text: str) -> bool:
    """A sentence about a change: it has a verb, or ends like a sentence."""
    return bool(_VERB.search(text)) or text.rstrip().endswith((".", ";", "!", ")"))


def reads_as_title(text: str) -> bool:
    """A chapter name: short, Title Case, no verb, no sentence inside."""
    text = text.strip(" -–—:|")
    words = text.split()
    if not words or len(text) > TITLE_MAX or len(words) > _TITLE_WORDS:
        return False
    if re.search(r"[.!?;](?:\s|$)", text) or re.search(r"\b(?:has|have) been\b|\b(?:was|were)\b", text):
        return False
    if not (words[0][0].isupper() or words[0][0].isdigit() or words[0][0] in "('\"‘“"):
        return False
    content = [w for w in words if w.lower().strip("(),'’") not in _SMALL and w[0].isalpha()]
    capitalised = sum(1 for w in content if w[0].isupper())
    return not content or capitalised / len(content) >= 0.6


def _cut(text: str) -> Optional[int]:
    """Where the details begin: a strong opener after a name, else a weak one."""
    for pattern in (_STRONG, _WEAK):
        for start in (m.start() for m in _WORD_START.finditer(text)):
            if start and pattern.match(text, start) and reads_as_title(text[:start]) \
                    and reads_as_details(text[start:]):
                return start
    return None


def _known_split(text: str, known_titles: Iterable[str]) -> Optional[tuple[str, str]]:
    """The longest known title the row starts with, when details follow it."""
    keys = {title_key(t) for t in known_titles if t.strip()}
    if not keys:
        return None
    best = None
    for start in (m.start() for m in _WORD_START.finditer(text)):
        if start and title_key(text[:start]) in keys and reads_as_details(text[start:]):
            best = start
    return (text[:best].rstrip(" -–—:|"), text[best:]) if best else None
