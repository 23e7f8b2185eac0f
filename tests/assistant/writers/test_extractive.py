"""The extractive writer on hand-built evidence: plain statements for clear
matches, 'closest match' for weak ones, and nothing invented."""
from assistant.answer import Citation
from assistant.confidence import is_clear
from assistant.evidence import Evidence
from assistant.question import Lookup, Question
from assistant.remit import Topic
from assistant.retrieval import RecordHit
from assistant.writers.base import WriteContext
from assistant.writers.extractive import NOT_COVERED, ExtractiveWriter
from vectorstore.models import ChapterEntry, Chunk, RecordKind


def entry_hit(chapter: str, title: str, dense: float, coverage: float) -> RecordHit:
    entry = ChapterEntry(manual_id="derby-city", chapter=chapter, title=title, section_path=["6. Children in Care"])
    chunk = Chunk(id=chapter, text=f"{chapter} {title}", embed_text=title, manual_id="derby-city",
                  manual="Derby City Children's Social Care Procedures", kind=RecordKind.CONTENTS,
                  chapter=chapter, title=title, section=entry.section, record_id=entry.record_id,
                  record_json=entry.model_dump_json())
    return RecordHit(chunk=chunk, score=1.0, dense=dense, coverage=coverage, chunks=[chunk])


def write(hits: list[RecordHit]) -> str:
    question = Question(text="q", intent=Lookup.SEARCH, topic_tokens=("stay",))
    clear = bool(hits) and is_clear(hits[0])  # as gather() decides it
    ctx = WriteContext(Evidence(question, hits, "search" if hits else "none", clear=clear),
                       [Citation.from_chunk(h.chunk, h.score) for h in hits], {"derby-city": "Derby City"})
    return "".join(ExtractiveWriter().write(ctx))


def test_a_clear_match_is_stated_plainly():
    text = write([entry_hit("6.7.6", "Staying Put Policy", 0.5, 1.0)])
    assert text.startswith("This is covered by **Derby City 6.7.6 Staying Put Policy** [1].")


def test_a_weak_match_is_offered_as_the_closest_only():
    text = write([entry_hit("3.4.1", "Short Breaks", 0.37, 0.4)])
    assert text.startswith("The closest match is **Derby City 3.4.1 Short Breaks** [1]: check that it covers your question.")


def test_nothing_found_says_so_and_names_no_chapter():
    text = write([])
    assert text.startswith(NOT_COVERED)
    assert "**" not in text


def not_covered(topic: tuple[str, ...], off_remit=None) -> str:
    question = Question(text="q", intent=Lookup.SEARCH, topic_tokens=topic)
    return "".join(ExtractiveWriter().write(WriteContext(Evidence(question, [], "none", off_remit=off_remit), [])))


def test_a_long_case_description_is_told_to_name_the_topic():
    text = not_covered(("yp", "turn", "18", "next", "month", "live", "foster", "carer", "colleg"))
    assert text.startswith(NOT_COVERED) and "few words" in text


def test_a_short_question_gets_no_rephrasing_tip():
    assert "few words" not in not_covered(("mileag", "rate"))


def test_an_out_of_remit_question_names_where_to_ask_instead():
    topic = Topic("pay, pensions and allowances for staff", "HR or payroll", ("payslip",))
    text = not_covered(("pension",), off_remit=topic)
    assert text.startswith(NOT_COVERED)
    assert "pay, pensions and allowances for staff" in text and "ask HR or payroll" in text
    assert "Local Contacts" not in text and "**" not in text
