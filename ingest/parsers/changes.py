"""What happened to a chapter, read from the sentence describing the change,
for amendments tables with no "Updated / New / Removed Chapters" label."""
from __future__ import annotations

import re

from vectorstore.models import Change

# What a details sentence says happened to the chapter itself. A new *section*
# or *link* inside a chapter is an update, so "new"/"removed" need the chapter
# (or an equivalent noun, "it", or the chapter's own title) as the subject.
_NOUN = (r"(?:chapter|procedure|guidance|policy|protocol|document|leaflet|page|flowchart|toolkit|appendix"
         r"|guide|standards|pathway|framework|strategy|resource|factsheet|template|form|practice note)s?")
_SUBJECT = rf"(?:(?:this|the|a|an)\s+(?:new\s+)?(?:local\s+)?{_NOUN}|it|this)"
_NO_CLAUSE = r"(?:(?!\b(?:which|that|who|and|but|while)\b)[^.;]){0,60}?"
_BE = r"(?:(?:has|have|had)\s+(?:now\s+)?been|was|were|is|are)\s+(?:now\s+)?"
_REMOVED = [
    re.compile(rf"^{_SUBJECT}\b{_NO_CLAUSE}\b{_BE}(?:removed|deleted|withdrawn|archived|retired|superseded)\b"),
    re.compile(rf"^{_SUBJECT}\b{_NO_CLAUSE}\bno longer (?:available|in use|required|applies|relevant)\b"),
    re.compile(r"\b(?:removed|deleted|withdrawn)\s+from\s+(?:the\s+)?(?:manual|procedures|contents|website|site)\b"),
    re.compile(r"^(?:removed|deleted|withdrawn)\b"),
]
_NEW = [
    re.compile(rf"^(?:this|the|a|an)\s+(?:new|newly\s+written|newly\s+added)\s+(?:local\s+)?{_NOUN}\b"),
    re.compile(rf"\b(?:is|was)\s+a\s+new\s+(?:local\s+)?{_NOUN}\b"),
    re.compile(r"\b(?:a|this)\s+new\s+chapter\b"),
    re.compile(rf"^{_SUBJECT}\b{_NO_CLAUSE}\b{_BE}(?:added|introduced|published|created|written|launched)\b"),
    re.compile(r"\b(?:added|introduced)\s+to\s+(?:the\s+)?(?:manual|procedures|contents|website|site)\b"),
    re.compile(r"^new\s+(?:chapter|procedure|guidance|policy)\b"),
]


def infer_change(details: str, title: str = "") -> Change:
    """What happened to a chapter, read from the sentence(s) describing it.

    "This chapter was added …", "This new guidance …", "… has been added to the
    manual" -> NEW; "This procedure has been withdrawn" -> REMOVED; anything
    else, including "A new Section 5 has been added", -> UPDATED."""
    sentences = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", details) if s.strip()]
    own_title = title.strip().lower()
    if own_title:
        # "Staying Put has been added." names the chapter itself as the subject.
        sentences = ["this chapter" + s[len(own_title):] if s.startswith(own_title) else s for s in sentences]
    for patterns, change in ((_REMOVED, Change.REMOVED), (_NEW, Change.NEW)):
        if any(p.search(s) for p in patterns for s in sentences):
            return change
    return Change.UPDATED
