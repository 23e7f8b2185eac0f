"""From a question to the records an answer may cite: exact number look-up,
change history (month, year, latest, first), or hybrid search — and whether
the loaded manuals ground an answer at all."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from assistant.confidence import DEFAULT, Thresholds, citable, evidence, is_clear, outside_remit
from assistant.question import Lookup, Question
from assistant.remit import Remit, Topic
from assistant.retrieval import FoundBy, HybridRetriever, RecordHit
from assistant.routes import route_hits
from vectorstore.models import RecordKind
from vectorstore.text import title_key


YEAR_LIST = 12  # the most rows listed for "what changed in <year>?"
TIE = 0.1  # matches this close to the best are the same chapter under another name


@dataclass
class Evidence:
    question: Question
    hits: list[RecordHit] = field(default_factory=list)
    mode: Lookup = Lookup.SEARCH  # how it was found, which decides how the answer is written
    missing_numbers: tuple[str, ...] = ()
    off_remit: Optional[Topic] = None  # the out-of-remit topic a question is about (pay, IT…)
    clear: bool = True  # found plainly; False: the hits are only the closest matches
    unloaded: tuple[str, ...] = ()  # councils the question names whose manuals aren't loaded

    @property
    def grounded(self) -> bool:
        return bool(self.hits)


def gather(question: Question, retriever: HybridRetriever, t: Thresholds = DEFAULT,
           remit: Optional[Remit] = None) -> Evidence:
    """The evidence for an answer (empty hits: the manuals don't cover it).
    A question asked as a number or a change that those look-ups cannot answer
    falls through to search, ranked as a search (`question.intent` stays what was asked)."""
    if question.names_only_unloaded:  # never answered from other councils' manuals
        return Evidence(question, [], Lookup.NONE, unloaded=question.unloaded_places)
    if question.intent == Lookup.NUMBER:
        found = retriever.records_numbered(question)
        if found:
            return Evidence(question, found, Lookup.NUMBER)
        if not _has_topic_besides_number(question):
            return Evidence(question, [], Lookup.NONE, missing_numbers=question.numbers)
    if question.flag and not (question.has_topic or question.year):
        # "what's new in Rotherham?": entries flagged so, then (asked as a change) the latest amendments
        flagged = retriever.records_flagged(question)
        if question.intent == Lookup.CHANGES:
            flagged += _changes(question, retriever, t)
        if flagged:
            return Evidence(question, flagged, Lookup.FLAGS)
    if question.intent == Lookup.CHANGES:
        changes = _changes(question, retriever, t)
        if changes:
            return Evidence(question, changes, Lookup.CHANGES)
    found = one_per_chapter(retriever.search(question, k=30, ranked_as=Lookup.SEARCH))
    # harm to a child is answered from the procedures it leads to, not from a chapter sharing a word
    hits = route_hits(found, question, t) if question.safeguarding else citable(found, t)
    topic = _off_remit(question, hits, retriever, remit, t)
    if topic:
        return Evidence(question, [], Lookup.NONE, off_remit=topic)
    return Evidence(question, hits, Lookup.SEARCH if found else Lookup.NONE,
                    clear=bool(hits) and is_clear(hits[0], t))


def _off_remit(question: Question, hits: list[RecordHit], retriever: HybridRetriever,
               remit: Optional[Remit], t: Thresholds) -> Optional[Topic]:
    """The out-of-remit topic the question is about, if it overrules the search."""
    if remit is None:
        return None
    match = remit.match(retriever.query_vector(question))
    if match and outside_remit(match.similarity, hits[0] if hits else None, t):
        return match.topic
    return None


def one_per_chapter(hits: list[RecordHit]) -> list[RecordHit]:
    """Searching, several amendment rows of one chapter are one finding: keep
    the best-ranked row per chapter title (the others are its history)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for hit in hits:
        if hit.chunk.kind == RecordKind.AMENDMENT and hit.chunk.title:
            key = (hit.chunk.manual_id, title_key(hit.chunk.title))
            if key in seen:
                continue
            seen.add(key)
        kept.append(hit)
    return kept


def _has_topic_besides_number(question: Question) -> bool:
    return len(question.topic_tokens) >= 2


def _changes(question: Question, retriever: HybridRetriever, t: Thresholds) -> list[RecordHit]:
    """Amendment records answering a question about changes, in the order the
    question wants (a month's list, the latest, the first, or by relevance)."""
    # Amendment records, and chapter pages whose amendment note names a month.
    filters = {"kind": {RecordKind.AMENDMENT.value, RecordKind.CHAPTER.value}}
    if question.year:
        filters["amended"] = {f"{question.year}-{m:02d}" for m in range(1, 13)}
    if question.change:
        filters["change_type"] = {question.change}
    found = retriever.search(question, k=30, filters=filters) if question.has_topic else []
    amendments = [h for h in found if h.chunk.amended]
    if question.month:
        return _in_month(question, retriever, amendments)
    if not question.has_topic:
        newest = _all_amendment_hits(question, retriever)
        if question.year:  # "what changed in 2019?": that year's rows, newest first
            return [h for h in newest if (h.chunk.amended or "").startswith(question.year)][:YEAR_LIST]
        # "what was the most recent update?": the newest month's rows
        month = newest[0].chunk.amended if newest else None
        return [h for h in newest if h.chunk.amended == month]
    confident = _records_before_notes(citable(amendments, t, limit=8))
    if not confident:
        return []
    if question.latest:
        # the best matches and their histories (a renamed chapter keeps both titles), newest first
        tied = [h for h in confident if evidence(h) >= evidence(confident[0]) - TIE]
        related = {h.record_id: h for best in tied for h in _history_of(best, question, retriever)}
        return sorted(related.values(), key=lambda h: h.chunk.amended or "", reverse=True)[:6]
    if question.first:
        # "when was X added?": the chapter's arrival when the manual records
        # one; otherwise X is a passage, found by relevance.
        added = [h for h in _history_of(confident[0], question, retriever) if h.chunk.change_type == "new"]
        return added + [h for h in confident if h.record_id not in {a.record_id for a in added}]
    return confident


def _records_before_notes(hits: list[RecordHit]) -> list[RecordHit]:
    """A chapter page's amendment note and the amendments page's row for the
    same chapter and month are one change: the row, which says what changed,
    takes the note's place."""
    rows = {(h.chunk.manual_id, h.chunk.chapter, h.chunk.amended): h for h in hits
            if h.chunk.kind == RecordKind.AMENDMENT and h.chunk.chapter}
    ordered: list[RecordHit] = []
    for hit in hits:
        key = (hit.chunk.manual_id, hit.chunk.chapter, hit.chunk.amended)
        chosen = rows.get(key, hit) if hit.chunk.kind == RecordKind.CHAPTER else hit
        if chosen not in ordered:
            ordered.append(chosen)
    return ordered


def _in_month(question: Question, retriever: HybridRetriever, ranked: list[RecordHit]) -> list[RecordHit]:
    """Every change in the month the question names; relevant ones first when it names a topic."""
    rows = [h for h in _all_amendment_hits(question, retriever) if h.chunk.amended == question.month
            and (question.change is None or h.chunk.change_type == question.change)]
    if question.has_topic:
        order = {h.record_id: i for i, h in enumerate(ranked)}
        rows.sort(key=lambda h: order.get(h.record_id, len(order)))
    return rows


def _history_of(best: RecordHit, question: Question, retriever: HybridRetriever) -> list[RecordHit]:
    """All changes to the chapter `best` names, newest first."""
    if best.chunk.kind != RecordKind.AMENDMENT:
        return [best]  # a chapter page records only its latest amendment
    key = title_key(best.chunk.title)
    same = [h for h in _all_amendment_hits(question, retriever)
            if h.chunk.manual_id == best.chunk.manual_id and key and title_key(h.chunk.title) == key]
    return same[:6] if same else [best]


def _all_amendment_hits(question: Question, retriever: HybridRetriever) -> list[RecordHit]:
    return [RecordHit(chunk=c, chunks=[c], found_by=FoundBy.AMENDMENTS) for c in retriever.amendments(question)]
