"""The case-record export: plain text and Word, absolute links, local UK time,
one row per citation with the answer once."""
import io
from datetime import datetime, timezone

import pytest
from docx import Document

from assistant.practice.case_record import build_case_record, plain_text, to_docx, to_text

BASE = "https://procedures.example.org"
WHEN = datetime(2025, 7, 3, 9, 30, tzinfo=timezone.utc)  # 10:30 in London (BST)


@pytest.fixture(scope="module")
def staying_put(sample_assistant):
    answer = sample_assistant.ask("Which chapter covers Staying Put?")
    return build_case_record(answer, sample_assistant.catalog, WHEN, {"derby-city": "Derby City",
                                                                      "rotherham": "Rotherham"}, base_url=BASE)


def docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    tables = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    return paragraphs, tables


def test_times_are_local_uk_time(staying_put):
    assert staying_put.time_label == "3 July 2025 at 10:30 BST"
    winter = staying_put.retrieved.replace(month=1, day=3).astimezone(timezone.utc)
    assert f"{winter.astimezone(staying_put.retrieved.tzinfo):%H:%M %Z}".endswith("GMT")


def test_plain_text_has_no_markdown_and_absolute_links(staying_put):
    text = to_text(staying_put)
    assert "**" not in text and "_Check" not in text and "> " not in text
    assert text.startswith("What the procedures said on 3 July 2025")
    assert "Retrieved: 3 July 2025 at 10:30 BST" in text
    assert f"{BASE}/chapter?manual=derby-city&chapter=6.7.6&cite=" in text
    assert "chapter?manual" not in text.replace(f"{BASE}/chapter?manual", "")  # no relative app links
    assert "[1] Derby City 6.7.6 Staying Put Policy" in text or "[2] Derby City 6.7.6 Staying Put Policy" in text


def test_the_answer_appears_once_and_each_citation_once(staying_put):
    text = to_text(staying_put)
    assert text.count("This is covered by") == 1
    for c in staying_put.cited:
        assert text.count(f"[{c.number}] {c.label}") == 1


def test_each_chapter_has_its_latest_amendment_month(sample_assistant):
    answer = sample_assistant.ask("What changed in Child Protection Conferences in 2021?")
    record = build_case_record(answer, sample_assistant.catalog, WHEN, {}, base_url=BASE)
    assert record.cited[0].latest_amendment == "2021-06"
    assert "Latest amendment known: June 2021" in to_text(record)


def test_word_document_holds_the_same_record(staying_put):
    paragraphs, rows = docx_text(to_docx(staying_put))
    assert "What the procedures said on 3 July 2025" in paragraphs
    assert paragraphs.count("This is covered by") == 1
    assert rows[0] == ["No.", "Chapter", "Latest amendment", "Links"]
    assert len(rows) == 1 + len(staying_put.cited)  # one row per citation
    derby = next(r for r in rows[1:] if "Derby City 6.7.6 Staying Put Policy" in r[1])
    assert f"{BASE}/chapter?manual=derby-city&chapter=6.7.6" in derby[3]
    assert "**" not in paragraphs + "".join(c for r in rows for c in r)


def test_a_masked_question_stays_masked(sample_assistant):
    answer = sample_assistant.ask("[name] DOB [date of birth] staying put")
    record = build_case_record(answer, sample_assistant.catalog, WHEN, {}, base_url=BASE,
                               question="[name] DOB [date of birth] staying put")
    assert "[name] DOB [date of birth] staying put" in to_text(record)
    paragraphs, _ = docx_text(to_docx(record))
    assert "[name] DOB [date of birth]" in paragraphs


def test_an_uncovered_question(sample_assistant):
    answer = sample_assistant.ask("what is the mileage rate?")
    record = build_case_record(answer, sample_assistant.catalog, WHEN, {}, base_url=BASE)
    assert "did not cover" in to_text(record)
    assert "did not cover" in docx_text(to_docx(record))[0]


def test_plain_text_of_answer_markdown():
    assert plain_text("This is covered by **A** [1].\n\n> quoted line\n\n_Check it._") == (
        "This is covered by A [1].\n\n“quoted line”\n\nCheck it.")
