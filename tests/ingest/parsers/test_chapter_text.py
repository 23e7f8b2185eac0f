"""Text chapter pages: the Derbyshire 1.1.1 seed (004) and hand-written pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parsers.base import ParseError, SourceText
from ingest.parsers.chapter_text import PARSER
from vectorstore.models import Manual, PageKind
from vectorstore.text import clean_text

SEED = Path(__file__).resolve().parents[3] / "data" / "manuals" / "004_e6dbeeb091c2b123.txt"


def parse_text(text: str, name: str = "inline.txt"):
    page = PARSER.parse(SourceText(name, clean_text(text), "text"), Manual(id="derbyshire", name="D"))
    assert page.page_kind == PageKind.CHAPTER and len(page.chapters) == 1
    return page.chapters[0]


@pytest.fixture(scope="module")
def chapter():
    return parse_text(SEED.read_text(encoding="utf-8"), SEED.name)


def test_heading(chapter):
    assert chapter.chapter == "1.1.1"
    assert chapter.title == "Children's Services Policies, Values and Principles"
    assert chapter.manual_id == "derbyshire" and chapter.source == SEED.name


def test_labelled_blocks(chapter):
    assert chapter.scope == ("This chapter provides the context for all procedures, and contains the "
                             "overarching policy for the provision of services to children and families.")
    assert chapter.amendment_note.startswith("In June 2016 this document")
    assert chapter.amendment_note.endswith("has been revised throughout.")
    assert chapter.amended == "2016-06"
    assert chapter.related == []


def test_contents(chapter):
    assert chapter.contents == [
        "Introduction", "Our Vision and Rationale",
        "Our Operating Model - Stronger Families Safer Children®", "Key Outcomes",
        "Key Principles", "Our Strategy", "Information Sharing and Confidentiality",
    ]


def test_sections(chapter):
    assert [(s.number, s.heading) for s in chapter.sections] == [
        ("1", "1. Introduction"),
        ("2", "2. Our Vision and Rationale"),
        ("3", "3. Our Operating Model - Stronger Families Safer Children®"),
        ("4", "4. Key Outcomes"),
        ("5", "5. Key Principles"),
        ("6", "6. Our Strategy"),
        ("7", "7. Information Sharing and Confidentiality"),
    ]


def test_section_text(chapter):
    intro, _, model, outcomes, principles, _, sharing = chapter.sections
    assert intro.text.startswith("This policy sets out the framework")
    assert "not limited to:\n\n• Children Acts 1989 and 2004;\n• Children (Leaving Care) Act 2000;" in intro.text
    assert intro.text.count("\n• ") == 8
    assert "\n\nTheoretical Underpinnings\n\n" in model.text
    assert "\n\nYoung people are ready for work\n\n" in outcomes.text
    assert "within 4 months of their becoming looked after" in principles.text
    assert sharing.text.endswith("Legal Services.")
    # Labels and the contents list stay out of the sections; "End" is dropped.
    for section in chapter.sections:
        assert "SCOPE OF THIS CHAPTER" not in section.text and "In June 2016" not in section.text
        assert not section.text.rstrip().endswith("End") and "View Derbyshire" not in section.text


def test_sentence_case_labels():
    chapter = parse_text(
        "View Somewhere Procedures manual\n\n"
        "2.3.4 Sentence Case Chapter\n\n"
        "Scope of this chapter\n\nWho this is for.\n\nSecond scope paragraph.\n\n"
        "Related guidance\n\n• Guide One\nGuide Two\n\n"
        "Related chapters:\n\nChapter Three\n\n"
        "Amendment\n\nThis chapter was reviewed in March 2020, after guidance of January 2019.\n\n"
        "1. Purpose\n\nWhy.\n\n"
        "2. Steps\n\nFirst do this:\n\n  • one;\n  • two.\n\nSee also\n\nStays in the section.\n\nEnd\n"
    )
    assert (chapter.chapter, chapter.title) == ("2.3.4", "Sentence Case Chapter")
    assert chapter.scope == "Who this is for.\n\nSecond scope paragraph."
    assert chapter.related == ["Guide One", "Guide Two", "Chapter Three"]
    assert chapter.amended == "2020-03"
    assert chapter.contents == []
    assert [(s.number, s.heading, s.text) for s in chapter.sections] == [
        ("1", "1. Purpose", "Why."),
        ("2", "2. Steps", "First do this:\n\n• one;\n• two.\n\nSee also\n\nStays in the section."),
    ]


def test_no_labels_no_sections():
    chapter = parse_text("Local Contacts\n\nRing the duty desk.\n\n• Office: 01234\n\nEnd\n")
    assert (chapter.chapter, chapter.title) == (None, "Local Contacts")
    assert chapter.scope == "" and chapter.amended is None
    assert [(s.heading, s.number, s.text) for s in chapter.sections] == [
        ("Local Contacts", None, "Ring the duty desk.\n\n• Office: 01234")]


def test_numbered_list_in_prose_is_not_a_section():
    chapter = parse_text(
        "3.1 Chapter\n\n1. Intro\n\nDo these:\n\n3. not a heading but a list item.\n\n2. Next\n\nText.\n"
    )
    assert [s.heading for s in chapter.sections] == ["1. Intro", "2. Next"]
    assert "3. not a heading" in chapter.sections[0].text


def test_amendment_without_a_month():
    chapter = parse_text("4.1 Chapter\n\nAMENDMENT\n\nThis chapter was updated.\n\n1. Intro\n\nText.\n")
    assert chapter.amendment_note == "This chapter was updated." and chapter.amended is None


def test_empty_page_is_an_error():
    with pytest.raises(ParseError):
        parse_text("View Somewhere manual\n\n")


# --- score ---------------------------------------------------------------------

def test_seed_scores_highest_as_chapter():
    from ingest.parsers import amendments_text, contents_text

    source = SourceText(SEED.name, clean_text(SEED.read_text(encoding="utf-8")), "text")
    others = [contents_text.PARSER.score(source), amendments_text.PARSER.score(source)]
    assert PARSER.score(source) >= 0.8 and max(others) < 0.3, others


@pytest.mark.parametrize("name", ["000_31f6aa2f9389923a.txt", "001_75d2e11c53ff3f9d.txt",
                                  "002_f1dd044776103fa0.txt", "003_f519893ae7a510c6.txt"])
def test_other_seeds_score_low_as_chapter(name):
    path = SEED.parent / name
    assert PARSER.score(SourceText(name, clean_text(path.read_text(encoding="utf-8")), "text")) < 0.3


def test_empty_text_scores_zero():
    assert PARSER.score(SourceText("empty.txt", "", "text")) == 0.0
