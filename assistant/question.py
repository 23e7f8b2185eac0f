"""What a question asks for, read once: chapter numbers, manual scope, whether
it is about changes (and which month, year, latest or first), and the words
left to search with."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from vectorstore.glossary import expand, terms_in
from assistant.safeguarding import CaseReading, read_case
from assistant.scoping import find_scope
from vectorstore.models import Manual, StrEnum
from vectorstore.lexical import tokenize
from vectorstore.text import MONTH_NUMBERS as _MONTHS


class Lookup(StrEnum):
    """One vocabulary for what a question asks for (`Question.intent`: the
    first three) and for how its evidence was found (`Evidence.mode`)."""

    NUMBER = "number"  # "what is 6.7.6 in Derby City?": exact look-up of a chapter number
    CHANGES = "changes"  # "what changed in … in 2021?", "when was … added?": amendment records
    SEARCH = "search"  # finding a chapter, or an answer in chapter text: hybrid search
    FLAGS = "flags"  # contents entries carrying a status flag ("what's new?")
    NONE = "none"  # evidence only: nothing to go on


# A chapter number may end a sentence ("about 7.10."), but not run on into more digits.
_NUMBER = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d{1,3}){1,3}[a-z]?)(?!\w|\.\w)", re.IGNORECASE)
# -- is the question about changes? ------------------------------------------
# Read from the question's frame, never from one word: "how often must a pet
# risk assessment be reviewed?" and "who updates the care plan?" ask what a
# chapter says; "when was the LADO chapter last updated?", "what changed in
# March 2024?" and "which chapters are new?" ask what changed.
_VERB = (r"(?:chang(?:ed|es)|updated|amended|revised|added|introduced|removed|withdrawn|deleted|"
         r"replaced|renamed|rewritten|published|created|brought in|broadened|extended|merged|split|"
         r"taken out|dropped)")
_DOC = (r"(?:chapters?|procedures?|sections?|pages?|guidance|polic(?:y|ies)|protocols?|manuals?|handbooks?|documents?|"
        r"appendix|appendices|advice|guides?|leaflets?|flowcharts?|templates?|paragraphs?|wording|links?|factsheets?|"
        r"forms?|bit about)")
# a person as the subject makes "when was … added" a case question ("when was the child added to the plan?")
_NOT_DOC_SUBJECT = r"(?:should|must|will|would|can|child|children|young|person|baby|he|she|mum|dad|parents?|carers?)"
_CHANGE_FRAMES = [re.compile(p, re.IGNORECASE) for p in (
    # when was / did / has … changed ("when was the LADO chapter last updated?", "when did X get broadened?")
    rf"\bwhen (?:was|were|did|has|have|had)\b[^?]*?\b{_DOC}\b[^?]*?\b(?:{_VERB}|reviewed|get|come|go|first|last|start)",
    rf"\bwhen (?:was|were|did|has|have|had)\b(?:(?!\b{_NOT_DOC_SUBJECT}\b).)*?\b{_VERB}\b",
    # what (has) changed / what was added / what's new / what got updated
    r"\bwhat (?:just |recently |actually )?changed\b",
    rf"\bwhat(?:'s|s| has| have| was| were| got| had)(?: been| just| recently| actually| all)? {_VERB}\b",
    rf"\bwhen did\b[^?]*?\b(?:change|update|amend|revise|add|introduce|remove|withdraw|replace|rename|publish)\b"
    rf"[^?]*?\b{_DOC}\b",
    r"\bwhen (?:was|were|did|is) (?:the )?(?:first|last|latest|current|previous) (?:version|update|edition)\b",
    # "when did Hollinford rename contact to family time?": a council or a document changing its text
    r"\bwhen did\b(?:(?!\b" + _NOT_DOC_SUBJECT + r"\b).)*?\b(?:change|update|amend|revise|add|introduce|remove|"
    r"withdraw|replace|rename|publish|bring in|broaden|extend|merge|drop|take out)\b",
    rf"\b{_DOC} (?:changes|updates|amendments|revisions|history)\b",
    # "has the LADO timescale been updated?", "X was added when?", "which month was X added?"
    rf"^\W*(?:has|have|was|were)\b(?:(?!\b{_NOT_DOC_SUBJECT}\b)[^?])*?\bbeen (?:\w+ )?{_VERB}\b",
    rf"\b{_VERB} when\W*$",
    rf"^\W*(?:has|have|was|were)\b(?:(?!\b{_NOT_DOC_SUBJECT}\b)[^?])*?\bever (?:been )?{_VERB}\b",
    rf"\b(?:which|what) (?:month|year|date)\b[^?]*?\b(?:{_VERB}|change|update|add|amend|revise|introduce)\b",
    rf"\bdate (?:of|that|when|it was|the)\b[^?]*?\b{_VERB}\b",
    r"\b(?:what's|what is|whats) the latest (?:on|with|about)\b", r"\bany news (?:on|about)\b",
    r"\bis there (?:an?|any) (?:new )?(?:updates?|changes?|amendments?|revisions?)\b",
    r"\bhow (?:long ago|recently) (?:was|were|did)\b",
    rf"\b{_DOC} (?:{_VERB}) (?:lately|recently|this (?:year|month)|last (?:year|month))\b",
    r"\bwhat(?:'s|s| is| was) (?:been )?new\b",
    r"\bwhat (?:chang(?:es|ed)|updates|amendments|additions) (?:were|was|have|has|did|got|came|went)\b",
    r"\bwhat happened (?:to|in|with)\b[^?]*?(?:\b(?:19|20)\d\d\b|\b" + _DOC + r"\b)",
    # which / what / any chapters … new, changed, added
    rf"\b(?:which|what|any|how many) (?:of the )?(?:new )?{_DOC}\b[^?]*?\b(?:were|was|have|has|got|had)\b"
    rf"[^?]*?\b(?:new|{_VERB}|reviewed)\b",
    rf"\b(?:which|what|any|how many) (?:of the )?{_DOC} (?:are |is )?(?:marked |flagged |listed |shown )?(?:as )?"
    r"(?:new|updated)\b",
    rf"\b(?:which|what|any|how many) new {_DOC}\b",
    rf"\bnew {_DOC} (?:were |have been |has been )?(?:added|introduced|published|came|come)\b",
    # has / was … (been) changed, with a document or "any/anything" as the subject
    rf"^\W*(?:has|have|was|were|did)\b[^?]*?\b(?:{_DOC}|any|anything|something)\b[^?]*?\b(?:{_VERB}|reviewed)\b",
    r"^\W*(?:has|have|was|were|did)\b[^?]*?\b(?:amended|revised|withdrawn)\b",
    # has anything changed / is there anything new / anything new
    r"\b(?:anything|something|nothing) (?:new|(?:been )?" + _VERB + r")\b",
    r"\bany(?:thing)? (?:chang(?:es|ed)|updates?|amendments?|additions|revisions)\b(?! of\b)",
    # latest / recent changes, updates, amendments, news
    r"\b(?:latest|most recent|recent|last|newest) (?:\w+ ){0,3}?"
    r"(?:chang(?:es?|ed)\b(?! of\b)|(?:updates?|amendments?|revisions?|additions?|news|version)\b)",
    r"\b(?:recently|lately|last) (?:chang|updat|amend|revis|add)\w*",
    # changes / updates / amendments to a document
    r"\b(?:chang(?:es?|ed)|updates?|amendments?|revisions?|additions?) (?:to|in|on|for) "
    rf"(?:the |this |that |our |a )?(?:[\w'-]+ ){{0,6}}?{_DOC}\b",
    r"\bamendments?\b", r"\bamended\b",
    r"^\W*(?:any )?(?:chang(?:es|ed)|updates|what's new|what is new|whats new|new)\W*$",
    r"\b(?:changes|updates) (?:page|list|log|history)\b",
    r"\b(?:version|revision) history\b",
)]
_DATED_CHANGE = re.compile(rf"\b(?:chang(?:es?|ed)|updates?|{_VERB}|new|happened|came in|came out|brought in)\b",
                           re.IGNORECASE)


def asks_about_changes(text: str, month: Optional[str] = None, year: Optional[str] = None) -> bool:
    """Whether a question asks when something changed or what changed: a
    change frame, a month as the asked-about date, or a year with a change
    word ("forced marriage changes in 2018?"). Never one word alone."""
    text = text.replace("\u2019", "'")
    if month:
        return True
    if any(frame.search(text) for frame in _CHANGE_FRAMES):
        return True
    return bool(year and _DATED_CHANGE.search(text) and re.search(rf"\b(?:in|since|during|from|of) {year}\b", text))


_LATEST = re.compile(r"\b(latest|most recent|last|newest|recent(?:ly)?)\b", re.IGNORECASE)
_NEW = re.compile(r"\bnew (?:chapters?|procedures?|guidance|sections?|features?|polic(?:y|ies))\b", re.IGNORECASE)
_REMOVED = re.compile(r"\b(?:removed|deleted|withdrawn)\b", re.IGNORECASE)
# Contents-page status flags a question may ask about ("which chapters are under review?").
# "New" and "Updated" are flags only in a question about changes ("what's new?"),
# never in "new foster carer support" or "who updates the care plan?".
_FLAGS = [(flag, re.compile(pattern, re.IGNORECASE), needs_change) for flag, pattern, needs_change in (
    ("under review", r"\bunder review\b", False), ("to follow", r"\bto follow\b", False),
    ("draft", r"\b(?:in|marked|as|still|are|is) drafts?\b|\bdraft (?:chapters?|procedures?|guidance|polic(?:y|ies))\b",
     False),
    ("Updated", r"\bupdated\b", True),
    ("New", r"\bnew\b(?!\s+(?:chapters?|procedures?|guidance|sections?|features?))", True),
)]
_FIRST = re.compile(r"\b(first|originally|introduc\w*|added|new chapters?)\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+((?:19|20)\d\d)\b",
                         re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# Words that say what kind of question it is, not what it is about.
_FRAME = set(tokenize(
    "which chapter chapters section covers cover covered procedure procedures policy guidance manual "
    "anything something where find look need tell know please help want latest recent most last first "
    "change changes changed update updates updated amend amended amendment added new revised reviewed "
    "get got thing bit info information doc document stuff say says said talk talks about "
    "ask asking actually they them his her him she he am up re s t want wants need needs going like allowed "
    "can could would should we us our there here any some one ll ve d m please thanks else whats "
    "go goes going happen happens happened often much many per make made do does done who whose been being"
))


@dataclass(frozen=True)
class Question:
    text: str
    intent: Lookup  # NUMBER, CHANGES or SEARCH
    numbers: tuple[str, ...] = ()
    manual_ids: Optional[frozenset[str]] = None  # None: search every manual
    named_places: tuple[str, ...] = ()
    unloaded_places: tuple[str, ...] = ()  # councils named that no loaded manual covers ("Bolton")
    scope: str = "all"  # where manual_ids came from: "named" in the question, "chosen" (UI/--manual) or "all"
    month: Optional[str] = None  # YYYY-MM named in the question
    year: Optional[str] = None
    latest: bool = False
    first: bool = False
    change: Optional[str] = None  # "new" or "removed" when the question asks only for those
    flag: Optional[str] = None  # a contents status flag the question names ("New", "under review"…)
    search_text: str = ""  # place names removed, glossary (and child protection) wordings added
    safeguarding: bool = False  # it describes harm, or a risk of harm, to a child (see assistant/safeguarding.py)
    immediate_risk: bool = False  # … and a child reads as in danger now: the answer starts with the signpost
    harms: tuple[str, ...] = ()  # the kinds of harm it shows ("physical abuse", "neglect", …)
    topic_tokens: tuple[str, ...] = ()  # content words: what the question is about
    # for a topic word that is a glossary term, the manuals' wordings of it (as token tuples)
    alternatives: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def has_topic(self) -> bool:
        return bool(self.topic_tokens)

    @property
    def names_only_unloaded(self) -> bool:
        """It names a council that isn't loaded and none that is: it must not be
        answered from the other councils' manuals (a chosen manual doesn't overrule it)."""
        return bool(self.unloaded_places) and self.scope != "named"


def analyse(text: str, manuals: Iterable[Manual], manual: Optional[str] = None,
            harm_by_meaning: Optional[Callable[[str], Optional[str]]] = None) -> Question:
    """Read a question. A place named in it wins over `manual` (chosen in the UI
    or with --manual); where the place is ambiguous ("Derby") and the chosen
    manual is one it means, the chosen one stays. `harm_by_meaning` reads a
    case description that the safeguarding patterns miss (see read_case)."""
    manuals = list(manuals)
    scope = find_scope(text, manuals)
    manual_ids, where = _searched(scope.manual_ids, manual)
    numbers = tuple(dict.fromkeys(n.lower() for n in _NUMBER.findall(scope.rest)))
    month, year = _dates(text)
    changes = asks_about_changes(text, month, year)
    intent = Lookup.NUMBER if numbers else Lookup.CHANGES if changes else Lookup.SEARCH
    rest = _NUMBER.sub(" ", scope.rest)
    rest = _MONTH_YEAR.sub(" ", rest)
    rest = _YEAR.sub(" ", rest)
    flag = _flag(rest, changes)
    words = next((p for name, p, _ in _FLAGS if name == flag)).sub(" ", rest) if flag else rest
    topic = tuple(dict.fromkeys(t for t in tokenize(words) if t not in _FRAME))
    # a safeguarding reading only for questions that search (not "when was the bruising chapter added?")
    case = read_case(scope.rest, by_meaning=harm_by_meaning) if intent == Lookup.SEARCH else CaseReading()
    return Question(
        text=text, intent=intent, numbers=numbers, manual_ids=manual_ids, named_places=scope.named, scope=where,
        unloaded_places=scope.unloaded,
        month=month, year=year, latest=bool(_LATEST.search(text)), first=bool(_FIRST.search(text)),
        change="new" if _NEW.search(text) else "removed" if _REMOVED.search(text) else None,
        search_text=_with_routes(expand(rest), case), topic_tokens=topic, alternatives=_alternatives(rest), flag=flag,
        safeguarding=case.safeguarding, immediate_risk=case.immediate_risk, harms=case.harms,
    )


def _with_routes(search_text: str, case: CaseReading) -> str:
    """The search text plus the child protection wordings of the harm a question
    describes ("dad hit him with a belt" also searches "physical abuse; section 47 enquiries…")."""
    return f"{search_text} ({'; '.join(case.search)})" if case.search else search_text


def _flag(text: str, changes: bool) -> Optional[str]:
    """The contents status flag the question asks about, if any."""
    return next((name for name, pattern, needs_change in _FLAGS
                 if (changes or not needs_change) and pattern.search(text)), None)


def _searched(named: Optional[frozenset[str]], chosen: Optional[str]) -> tuple[Optional[frozenset[str]], str]:
    """The manuals to search and why: named in the question, chosen, or all."""
    if named and chosen in named:
        return frozenset([chosen]), "chosen"
    if named:
        return named, "named"
    if chosen:
        return frozenset([chosen]), "chosen"
    return None, "all"


def _alternatives(text: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """topic token -> the glossary's wordings of it, tokenised ("s47" -> ("section", "47", "enquiri"), …)."""
    found: dict[str, tuple[tuple[str, ...], ...]] = {}
    for term in terms_in(text):
        wordings = tuple(tuple(tokenize(phrase)) for phrase in term.also)
        for token in tokenize(term.term):
            found[token] = found.get(token, ()) + wordings
    return found


def _dates(text: str) -> tuple[Optional[str], Optional[str]]:
    match = _MONTH_YEAR.search(text)
    if match:
        month = _MONTHS[match.group(1).lower()]
        return f"{match.group(2)}-{month:02d}", match.group(2)
    year = _YEAR.search(text)
    return None, (year.group(1) if year else None)
