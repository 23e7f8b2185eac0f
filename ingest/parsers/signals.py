"""What marks a page as one kind or another, shared by the text and HTML
parsers' scores so that both formats weigh the same evidence.

An amendments page has month headings and at least one of: change-block labels
("Updated Chapters"), a table header ("Chapter Name | Details"), several
"has been updated" sentences, or an "Amendments" title. A chapter page has a
numbered heading, chapter labels ("Scope of this chapter") or numbered
sections; a heading over prose alone is weak evidence, and none when the
heading names a site page (an accessibility statement, a cookie policy).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ingest.parsers.furniture import is_site_page
from ingest.parsers.labels import change_label, is_header_line
from vectorstore.text import MONTH_PATTERN, YEAR_PATTERN, parse_month_year

_CHANGE_SENTENCE = re.compile(r"\b(?:has|have) been (?:\w+ and )?(?:updated|reviewed|revised|added|refreshed|"
                              r"amended|removed|replaced|rewritten|introduced|renamed)\b"
                              r"|^this is a new (?:chapter|procedure|policy|guidance)\b", re.IGNORECASE)
_AMENDMENTS_TITLE = re.compile(r"^(?:recent |latest |manual |previous |past |older )?(?:amendments?|updates?|changes)"
                               r"(?: (?:to|in) (?:the|this) (?:manual|procedures))?(?: and (?:updates|additions))?"
                               r"(?: archive| \(archive\))?$|^(?:archive(?:d)? (?:of )?amendments)$", re.IGNORECASE)
_MONTH_ONLY = re.compile(rf"^{MONTH_PATTERN}\.?$", re.IGNORECASE)
_YEAR_ONLY = re.compile(rf"^{YEAR_PATTERN}$")


@dataclass(frozen=True)
class AmendmentSignals:
    months: int  # month headings ("June 2021"; or a year heading over month names)
    change_labels: int  # "Updated Chapters", "New Chapters and Features"
    table_headers: int  # "Chapter Name | Details", "Chapter Title Details"
    change_sentences: int  # "… has been updated", "… has been added"
    titled: bool  # the page calls itself "Amendments"

    @property
    def score(self) -> float:
        """0..1: months are required; each other kind of evidence adds to them."""
        if not self.months:
            return min(0.2, 0.1 * (self.change_labels > 0) + 0.1 * (self.table_headers > 0))
        score = 0.3 + min(0.15, 0.05 * (self.months - 1))
        score += 0.2 * (self.change_labels > 0) + 0.2 * (self.table_headers > 0)
        score += 0.1 * (self.change_sentences >= 2) + 0.15 * self.titled
        return round(min(1.0, score), 3)

    @property
    def likely(self) -> bool:
        """Enough to rule out a chapter or contents page that merely mentions a month."""
        return self.score >= 0.5


def amendment_signals(texts: Iterable[str], title: str = "", header_rows: int = 0) -> AmendmentSignals:
    """Count the evidence in a page's lines. `title` is the page's heading or
    <title>; `header_rows` adds table header rows the caller found in cells."""
    texts = [t.strip() for t in texts if t and t.strip()]
    month_years = sum(parse_month_year(t.rstrip(" |")) is not None for t in texts)
    years = sum(bool(_YEAR_ONLY.match(t)) for t in texts)
    months = sum(bool(_MONTH_ONLY.match(t)) for t in texts) if years else 0
    return AmendmentSignals(
        months=month_years or months,
        change_labels=sum(change_label(t) is not None for t in texts),
        table_headers=header_rows + sum(is_header_line(t) for t in texts),
        change_sentences=sum(bool(_CHANGE_SENTENCE.search(t)) for t in texts),
        titled=any(_is_amendments_title(t) for t in [title, *texts[:8]] if t),
    )


def _is_amendments_title(text: str) -> bool:
    name = re.split(r"\s+[|–—-]\s+", text.strip())[0].strip(" |:")
    return bool(_AMENDMENTS_TITLE.match(name))


def chapter_score(numbered_heading: bool, labels: int, numbered_sections: int, sections: int,
                  prose_chars: int, heading: str = "") -> float:
    """0..1 for a chapter page, from its heading, labels and sections. Strong
    evidence is a numbered heading, a label or numbered sections; a heading over
    prose alone is weak evidence (an un-numbered chapter without labels), and
    none at all when the heading names one of the site's own pages."""
    if is_site_page(heading):
        return 0.0
    evidence = 0.4 * numbered_heading + min(0.4, 0.25 * (labels > 0) + 0.15 * (labels > 1))
    evidence += 0.2 * (numbered_sections >= 2)
    if evidence == 0:
        return 0.4 if heading and prose_chars >= 500 else min(0.2, 0.1 * (sections >= 2))
    score = evidence + 0.1 * (sections >= 2) + 0.2 * (prose_chars >= 500)
    return round(min(1.0, score), 3)
