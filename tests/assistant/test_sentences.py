"""The sentence chooser on hand-written chapter chunks: what a chunk is cut
into, what kind of answer a question asks for, and which unit answers.
The chunks are invented here; the expected units are read off them."""
from __future__ import annotations

import math

import pytest

from assistant.sentences import Cue, SentenceFinder, answer_cue, direct_answer, split_units
from vectorstore.lexical import tokenize
from vectorstore.models import Chunk, RecordKind

VISITS = Chunk(
    id="c1", embed_text="", manual_id="testshire", manual="Testshire", kind=RecordKind.CHAPTER, chapter="4.2",
    title="Visits to Children in Care", section="3. Frequency of Visits", record_id="r1", chapter_key="k1",
    text=("The social worker visits the child in their placement and sees them alone where the child agrees.\n\n"
          "Visits must take place at least every 6 weeks during the first year of a placement. After the first "
          "year, visits may be reduced to every 3 months where the placement is stable.\n\n"
          "The first visit must happen within 1 week of the child moving in."))
PEOPLE = Chunk(
    id="c2", embed_text="", manual_id="testshire", manual="Testshire", kind=RecordKind.CHAPTER, chapter="4.2",
    title="Visits to Children in Care", section="5. Who Must Be Told", record_id="r1", chapter_key="k1",
    text=("When a visit cannot take place, the following people must be told:\n\n"
          "• The Team Manager;\n• The Independent Reviewing Officer;\n• The child's carer.\n\n"
          "A missed visit is recorded on the case file the same day."))
TABLE = Chunk(
    id="c3", embed_text="", manual_id="testshire", manual="Testshire", kind=RecordKind.CHAPTER, chapter="4.2",
    title="Visits to Children in Care", section="6. Leaving Care", record_id="r1", chapter_key="k1",
    text=("Support for care leavers continues as follows:\n\n"
          "Service | Until\n"
          "Personal adviser | The young person's 25th birthday\n"
          "Staying Put arrangement | The young person's 21st birthday"))
ENTRY = Chunk(id="e1", embed_text="", manual_id="testshire", manual="Testshire", kind=RecordKind.CONTENTS,
              chapter="4.2", title="Visits to Children in Care", record_id="r0", chapter_key="k1",
              text="4.2 Visits to Children in Care")


def test_a_chunk_is_cut_into_sentences_list_items_lists_and_table_rows():
    texts = [u.text for u in split_units(PEOPLE)]
    # the lead-in is quoted only with its list; each item may also be quoted alone
    assert texts == ["When a visit cannot take place, the following people must be told: • The Team Manager; "
                     "• The Independent Reviewing Officer; • The child's carer.",
                     "The Team Manager;", "The Independent Reviewing Officer;", "The child's carer.",
                     "A missed visit is recorded on the case file the same day."]
    rows = split_units(TABLE)
    # a table's lead-in is not quoted alone; each row is matched with it and the header row, quoted alone
    assert [u.text for u in rows] == ["Personal adviser | The young person's 25th birthday",
                                      "Staying Put arrangement | The young person's 21st birthday"]
    assert rows[1].context == "Support for care leavers continues as follows: Service | Until"
    assert [u.text for u in split_units(VISITS)][1:3] == [
        "Visits must take place at least every 6 weeks during the first year of a placement.",
        "After the first year, visits may be reduced to every 3 months where the placement is stable."]


@pytest.mark.parametrize("question, cue", [
    ("how often must a child in care be visited?", Cue.FREQUENCY),
    ("within how many days is the first visit?", Cue.DURATION),
    ("how soon after moving in is the first visit", Cue.DURATION),
    ("until what age can a Staying Put arrangement continue?", Cue.AGE),
    ("what time does the out of hours team open?", Cue.TIME),
    ("who must be told when a visit is missed?", Cue.WHO),
    ("can a visit be done by video?", Cue.GENERAL),
    ("which chapter covers visits to children in care?", None),
    ("where's the visits procedure", None),
    ("visits to children in care", None),
    ("child told me their carer smacks them when they're naughty", None),  # a case description
])
def test_what_kind_of_answer_a_question_asks_for(question, cue):
    assert answer_cue(question) == cue


@pytest.fixture(scope="module")
def finder(embedder):
    found = SentenceFinder(embedder)
    found.load([VISITS, PEOPLE, TABLE, ENTRY])
    return found


def _idf(token: str) -> float:
    return math.log(10)  # every word equally rare: the test is about meaning and cues


def _similarity(embedder, vector):
    """Chunks' similarity to the question, as the store would give it (their texts embedded here)."""
    def similarity(chunks):
        return [float(sum(a * b for a, b in zip(v, vector))) for v in embedder.embed_documents([c.text for c in chunks])]
    return similarity


def _answer(finder, embedder, question: str, cited=(ENTRY,)):
    topic = tuple(tokenize(question))
    vector = embedder.embed_query(question)
    return direct_answer(question, topic, vector, list(cited), finder, _idf, _similarity(embedder, vector))


def test_every_chunk_of_the_chapter_is_searched_from_its_contents_entry(finder):
    assert {c.id for c in finder.chapter_chunks(ENTRY)} == {"c1", "c2", "c3"}


def test_how_often_gets_the_frequency(finder, embedder):
    found = _answer(finder, embedder, "how often should the social worker visit in the first year of a placement?")
    assert found.number == 1 and found.answers
    assert "Visits must take place at least every 6 weeks during the first year of a placement." in found.quote.text


def test_how_soon_gets_the_timescale(finder, embedder):
    found = _answer(finder, embedder, "how soon must the first visit happen after the child moves in?")
    assert found.quote.text.startswith("The first visit must happen within 1 week of the child moving in.")


def test_until_what_age_gets_the_table_row(finder, embedder):
    found = _answer(finder, embedder, "until what age can a Staying Put arrangement continue?")
    assert "Staying Put arrangement | The young person's 21st birthday" in found.quote.text
    assert found.quote.chunk.id == "c3"  # not the chunk retrieval happened to see


def test_who_gets_the_list_as_one_unit(finder, embedder):
    found = _answer(finder, embedder, "who must be told when a visit cannot take place?")
    assert "• The Team Manager; • The Independent Reviewing Officer; • The child's carer." in found.quote.text


def test_a_chapter_finding_question_gets_no_direct_answer(finder, embedder):
    assert _answer(finder, embedder, "which chapter covers visits?") is None


def test_an_amendment_or_a_chapter_without_text_has_nothing_to_quote(finder, embedder):
    amendment = ENTRY.model_copy(update={"kind": RecordKind.AMENDMENT, "id": "a1"})
    assert _answer(finder, embedder, "how often are visits?", cited=[amendment]) is None
