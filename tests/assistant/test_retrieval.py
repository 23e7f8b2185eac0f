"""Hybrid retrieval over the real store of the five sample manuals.

Expected records were read off the seeds: Derby City (000) 6.7.6 and
Rotherham (003) 4.8.2 are both "Staying Put Policy"; 1.1.1 exists in Derby
City, Leicestershire (002), Rotherham and the Derbyshire chapter page (004),
not in the DDSCP amendments page (001); Rotherham lists two 5.1.8 entries,
"Matching Matrix" and "Supervision and Support of Foster Carers"."""
from __future__ import annotations

from collections import Counter

import pytest

from assistant.question import Question, analyse
from assistant.retrieval import HybridRetriever, RecordHit, citation_key
from vectorstore.models import Chunk, RecordKind


@pytest.fixture(scope="module")
def retriever(sample_assistant) -> HybridRetriever:
    return sample_assistant.retriever


@pytest.fixture(scope="module")
def catalog(sample_assistant):
    return sample_assistant.catalog


@pytest.fixture(scope="module")
def question(sample_assistant):
    manuals = list(sample_assistant.catalog.manuals.values())

    def make(text: str, manual: str | None = None) -> Question:
        return analyse(text, manuals, manual)

    return make


def entry_chunk(catalog, manual_id: str, chapter: str, title: str | None = None) -> Chunk:
    entries = [e for e in catalog.entries_numbered(chapter, {manual_id}) if title is None or e.title == title]
    assert len(entries) == 1, entries
    return catalog.chunks_by_record[entries[0].record_id][0]


def where(hit: RecordHit) -> tuple:
    return hit.chunk.manual_id, hit.chunk.chapter


# -- exact number look-up --------------------------------------------------------

def test_number_in_one_manual(retriever, question):
    hits = retriever.records_numbered(question("what is 6.7.6 in Derby City?"))
    assert [where(h) for h in hits] == [("derby-city", "6.7.6")]
    assert hits[0].chunk.title == "Staying Put Policy"
    assert hits[0].chunk.kind == RecordKind.CONTENTS


def test_ambiguous_number_returns_every_manuals_record(retriever, question):
    hits = retriever.records_numbered(question("chapter 1.1.1"))
    assert sorted(h.chunk.manual_id for h in hits) == ["derby-city", "derbyshire", "leicestershire", "rotherham"]
    assert all(h.chunk.chapter == "1.1.1" for h in hits)
    titles = {h.chunk.manual_id: h.chunk.title for h in hits}
    assert titles["leicestershire"] == "Children and Families Policies, Values and Principles"
    assert titles["rotherham"] == "Children's Services Policies, Values and Principles"


def test_a_chapter_page_is_one_record_however_many_chunks(retriever, question, catalog):
    (hit,) = retriever.records_numbered(question("derbyshire 1.1.1"))
    assert hit.chunk.kind == RecordKind.CHAPTER
    record_chunks = catalog.chunks_by_record[hit.record_id]
    assert len(record_chunks) > 1  # the Derbyshire chapter is split into many chunks
    assert {c.id for c in hit.chunks} == {c.id for c in record_chunks}


def test_repeated_number_in_one_manual_gives_separate_records(retriever, question):
    hits = retriever.records_numbered(question("rotherham 5.1.8"))
    assert [where(h) for h in hits] == [("rotherham", "5.1.8")] * 2
    assert {h.chunk.title for h in hits} == {"Matching Matrix", "Supervision and Support of Foster Carers"}
    assert len({h.record_id for h in hits}) == 2
    assert len({citation_key(h.chunk) for h in hits}) == 2


def test_number_look_up_keeps_to_scope(retriever, question):
    assert [where(h) for h in retriever.records_numbered(question("1.2.1a", manual="leicestershire"))] == [
        ("leicestershire", "1.2.1a")]
    assert retriever.records_numbered(question("what is chapter 9.9.9 in Rotherham?")) == []
    assert retriever.records_numbered(question("rotherham 7.10")) == []  # 7.10 is Derby City's only
    assert [where(h) for h in retriever.records_numbered(question("what's chapter 7.10?"))] == [("derby-city", "7.10")]


def test_number_look_up_never_returns_amendments(retriever, question):
    for text in ("chapter 1.1.1", "what's 2.6", "which chapter is 1.5.2?"):
        assert all(h.chunk.kind != RecordKind.AMENDMENT for h in retriever.records_numbered(question(text)))


def test_numbers_keep_the_questions_order(retriever, question):
    hits = retriever.records_numbered(question("compare 7.10 and 6.7.6"))
    assert [h.chunk.chapter for h in hits] == ["7.10", "6.7.6"]


# -- fused search ----------------------------------------------------------------

def test_title_words_rank_both_staying_put_entries_first(retriever, question):
    hits = retriever.search(question("Staying Put"))
    assert {where(h) for h in hits[:2]} == {("derby-city", "6.7.6"), ("rotherham", "4.8.2")}
    assert min(h.score for h in hits[:2]) > max(h.score for h in hits[2:])


def test_results_are_best_first_and_at_most_k(retriever, question):
    hits = retriever.search(question("foster carers who own dogs"), k=7)
    assert len(hits) == 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert where(hits[0]) == ("derby-city", "7.10")


def test_acronym_query_finds_the_written_out_title(retriever, question):
    hits = retriever.search(question("S47 enquiries rotherham"))
    assert where(hits[0]) == ("rotherham", "1.4.7")  # "Child Protection Enquiries (Section 47)"
    assert hits[0].coverage == pytest.approx(1.0)


def test_manual_scope_keeps_results_inside_it(retriever, question):
    hits = retriever.search(question("staying put", manual="rotherham"), k=30)
    assert hits and all(h.chunk.manual_id == "rotherham" for h in hits)
    assert where(hits[0]) == ("rotherham", "4.8.2")


def test_place_named_in_the_question_scopes_too(retriever, question):
    hits = retriever.search(question("Derby values and principles policy"), k=30)
    assert hits and {h.chunk.manual_id for h in hits} <= {"derby-city", "ddscp", "derbyshire"}


def test_filters_limit_metadata(retriever, question):
    hits = retriever.search(question("upskirting"), k=20, filters={"kind": {RecordKind.AMENDMENT.value}})
    assert hits and all(h.chunk.kind == RecordKind.AMENDMENT for h in hits)
    assert hits[0].chunk.title == "Online Safety and Internet Abuse"
    assert hits[0].chunk.amended == "2020-07"


def test_each_record_is_cited_once(retriever, question):
    for text in ("Staying Put", "permanence plans Derbyshire", "child protection conferences", "foster carers"):
        hits = retriever.search(question(text), k=40)
        keys = Counter(citation_key(h.chunk) for h in hits)
        assert max(keys.values()) == 1, keys.most_common(3)
        assert len({h.record_id for h in hits}) == len(hits)


def test_a_record_gathers_its_chunks(retriever, question):
    hits = retriever.search(question("permanence plans within 4 months Derbyshire"), k=40)
    derbyshire = [h for h in hits if h.chunk.manual_id == "derbyshire"]
    assert len(derbyshire) == 1  # one chapter, many chunks, one hit
    assert all(c.record_id == derbyshire[0].record_id for c in derbyshire[0].chunks)


def test_similarity_is_filled_for_every_candidate(retriever, question):
    hits = retriever.search(question("Staying Put"), k=40)
    assert all(0.0 < h.dense <= 1.0 for h in hits)


# -- coverage ----------------------------------------------------------------------

def test_coverage_is_higher_for_the_matching_title(retriever, question, catalog):
    q = question("Staying Put")
    matching = entry_chunk(catalog, "derby-city", "6.7.6")
    unrelated = entry_chunk(catalog, "rotherham", "5.1.8", "Matching Matrix")
    assert retriever.coverage(q, matching) == pytest.approx(1.0)
    assert retriever.coverage(q, unrelated) == pytest.approx(0.0)


def test_coverage_counts_a_glossary_wording(retriever, question, catalog):
    q = question("S47 enquiries")
    assert retriever.coverage(q, entry_chunk(catalog, "rotherham", "1.4.7")) == pytest.approx(1.0)


def test_coverage_counts_title_initials(retriever, question, catalog):
    q = question("IRT flowchart")
    flowchart = entry_chunk(catalog, "derby-city", "3.1.2")  # Derby City Initial Response Team Flowchart
    assert retriever.coverage(q, flowchart) == pytest.approx(1.0)


def test_coverage_weighs_rare_words_more(retriever, question, catalog):
    # "dogs" is rare across the manuals, "foster" common: a title with only the rare word covers more
    q = question("foster dogs")
    dogs = entry_chunk(catalog, "derby-city", "7.10")  # Placement with Dog Owning Families (Foster Carers)
    foster_only = entry_chunk(catalog, "rotherham", "5.1.2")  # Foster Carers Charter
    assert retriever.coverage(q, dogs) == pytest.approx(1.0)
    assert 0.0 < retriever.coverage(q, foster_only) < 0.5


def test_unused_shorthand_weighs_as_its_wording_in_a_title(retriever, question, catalog):
    # No sample manual says "strat" (the glossary: "strategy discussion", "strategy meeting"). Weighed
    # as the rarest a word can be, it would make a title spelling it out cover most of "strat
    # bruising" without naming bruising; weighed as its wordings' words, bruising counts as much.
    q = question("strat bruising")
    strategy = entry_chunk(catalog, "leicestershire", "1.2.7", "Strategy Discussions")
    wording = min(max(retriever.idf(w) for w in alt) for alt in q.alternatives["strat"])
    expected = wording / (wording + retriever.idf("bruis"))
    assert retriever.idf("strat") > wording  # the unknown word's maximum is not what is used
    assert retriever.title_coverage(q, strategy) == pytest.approx(expected)
    # the record's text coverage keeps the unknown-word weight: there, a covered shorthand is evidence
    assert retriever.coverage(q, strategy) > retriever.title_coverage(q, strategy)


def test_coverage_without_topic_words_is_zero(retriever, question, catalog):
    assert retriever.coverage(question("what is 6.7.6?"), entry_chunk(catalog, "derby-city", "6.7.6")) == 0.0


# -- amendments --------------------------------------------------------------------

def test_amendments_newest_first(retriever, question):
    rows = retriever.amendments(question("what was the latest change?"))
    months = [c.amended for c in rows]
    assert months == sorted(months, reverse=True)
    assert months[0] == "2022-01"  # the seed's first block
    assert {c.manual_id for c in rows} == {"ddscp"}
    assert all(c.kind == RecordKind.AMENDMENT for c in rows)


def test_amendments_keep_page_order_within_a_month(retriever, question):
    july_2020 = [c.title for c in retriever.amendments(question("changes")) if c.amended == "2020-07"]
    assert july_2020 == ["Online Safety and Internet Abuse",
                         "Safeguarding Children Who May be Victims of Modern Slavery (have been Trafficked)"]


def test_amendments_keep_to_scope(retriever, question):
    assert retriever.amendments(question("changes", manual="rotherham")) == []
