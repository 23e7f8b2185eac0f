"""The HTML chapter parser: heading, labelled blocks, numbered sections, and no markup out."""

import pytest

from ingest.parsers.base import ParseError, SourceText
from ingest.parsers.chapter_html import PARSER
from html_fixtures import source
from vectorstore.models import Manual, PageKind

MANUAL = Manual(id="eastmoor", name="Eastmoor Children's Services Procedures")


def chapter(name: str):
    page = PARSER.parse(source(name), MANUAL)
    assert page.page_kind == PageKind.CHAPTER
    assert len(page.chapters) == 1
    return page.chapters[0]


def all_strings(model) -> list[str]:
    """Every string anywhere in a parsed record."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(model.model_dump())
    return found


# -- capital labels, headings --------------------------------------------------------


def test_caps_heading_and_url():
    found = chapter("chapter_caps.html")
    assert (found.chapter, found.title) == ("1.4.7", "Child Protection Enquiries (Section 47)")
    assert found.url == "https://eastmoor.proceduresonline.example/chapters/p_ch_prot_enq.html"
    assert (found.manual_id, found.source) == ("eastmoor", "chapter_caps.html")


def test_caps_labelled_blocks():
    found = chapter("chapter_caps.html")
    assert found.scope.startswith("This chapter sets out how Children's Social Care")
    assert found.scope.endswith("significant harm.")
    assert found.amendment_note.startswith("In March 2024, this chapter was reviewed")
    assert found.amended == "2024-03"  # the first month the note names
    assert found.related == ["Working Together to Safeguard Children (DfE)", "Strategy Discussions"]
    assert found.contents == ["Introduction", "Conducting Section 47 Enquiries", "Outcome of Enquiries"]


def test_caps_numbered_sections():
    sections = chapter("chapter_caps.html").sections
    assert [(s.number, s.heading) for s in sections] == [
        ("1", "1. Introduction"), ("2", "2. Conducting Section 47 Enquiries"), ("3", "3. Outcome of Enquiries")]
    intro = sections[0].text
    assert intro.startswith("Where a strategy discussion decides")
    assert "welfare.\n\nEnquiries should always involve" in intro  # paragraphs apart by a blank line


def test_caps_lists_subheadings_and_tables_in_section_text():
    text = chapter("chapter_caps.html").sections[1].text
    assert ("should:\n\n• Speak to the child alone, in a way suited to their age and understanding;\n"
            "• Seek the views of other agencies that know the family;\n") in text
    assert "\n\nMedical Assessments\n\n" in text
    table = chapter("chapter_caps.html").sections[2].text
    assert "Outcome | Next step\nConcerns not substantiated | Consider a Child in Need assessment" in table


def test_caps_scripts_and_markup_never_come_out():
    found = chapter("chapter_caps.html")
    for text in all_strings(found):
        lowered = text.lower()
        for bad in ("<script", "onerror", "alert(1)", "alert(2)", "<img", "javascript:", "_paq", "border:"):
            assert bad not in lowered, (bad, text)


def test_caps_page_chrome_is_left_out():
    strings = " ".join(all_strings(chapter("chapter_caps.html")))
    assert "View Eastmoor Safeguarding" not in strings
    assert "Back to top" not in strings
    assert "Eastmoor Council ©" not in strings


# -- sentence-case labels as bold paragraphs ------------------------------------------


def test_sentence_case_labels_from_bold_paragraphs():
    found = chapter("chapter_sentence_case.html")
    assert (found.chapter, found.title) == ("6.7.6", "Staying Put Policy")
    assert found.scope.startswith("This policy applies to young people in foster care")
    assert found.related == [
        "Staying Put: Arrangements for Care Leavers aged 18 Years and Above (DfE)",
        "Care Leavers (England) Regulations 2010",  # an unlinked line counts whole
    ]
    assert found.contents == ["Introduction", "Eligibility"]
    assert found.url == "https://riverton.proceduresonline.example/chapter/staying-put"  # og:url


def test_sentence_case_inline_amendment_label():
    found = chapter("chapter_sentence_case.html")
    assert found.amendment_note == ("This chapter was updated in Sept 2022 to reflect the increase "
                                    "in Staying Put allowances.")
    assert found.amended == "2022-09"


def test_sentence_case_sections_from_bold_numbered_paragraphs():
    sections = chapter("chapter_sentence_case.html").sections
    assert [(s.number, s.heading) for s in sections] == [("1", "1. Introduction"), ("2", "2. Eligibility")]
    # A "See also" inside a section is part of that section, not the chapter's related list.
    assert sections[0].text.endswith("See also: Leaving Care and Transition")
    assert sections[1].text.endswith(
        "1. The young person asks to stay;\n2. The foster carers agree;\n"
        "3. The Staying Put agreement is signed before the 18th birthday.")


# -- no labels, no numbers --------------------------------------------------------------


def test_no_labels_gives_one_section_of_all_prose():
    found = chapter("chapter_no_labels.html")
    assert (found.chapter, found.title) == (None, "Local Contacts and Out of Hours Arrangements")
    assert (found.scope, found.amendment_note, found.amended) == ("", "", None)
    assert found.related == [] and found.contents == []
    assert len(found.sections) == 1
    only = found.sections[0]
    assert (only.heading, only.number) == ("Local Contacts and Out of Hours Arrangements", None)
    assert only.text.startswith("This page lists the teams")
    assert "\n\nEmergency Duty Team\n\nTelephone the Emergency Duty Team" in only.text
    assert only.text.endswith("In an emergency always dial 999.")
    assert found.url is None


def test_page_without_heading_or_text_is_a_parse_error():
    blank = SourceText(name="blank.html", text="<html><body><script>x()</script></body></html>", format="html")
    with pytest.raises(ParseError):
        PARSER.parse(blank, MANUAL)



INFO_TABLE = """<html><head><title>Young Carers</title></head><body><main><h1>Young Carers</h1>
<table class="info"><caption>Caption: chapter information</caption>
<tr><th>SCOPE OF THIS CHAPTER</th><td>How young carers are identified and assessed.</td></tr>
<tr><th>RELATED CHAPTERS</th><td><a href="/c/x.html">Child and Family Assessments</a></td></tr>
<tr><th>AMENDMENT</th><td>This chapter was updated in March 2025 to add the Young Carers Card.</td></tr>
</table>
<h2>Identifying Young Carers</h2><p>Schools and GPs should ask whether a child looks after someone at home.</p>
</main></body></html>"""


def test_a_chapter_information_table_gives_the_scope_and_amendment_note():
    page = PARSER.parse(SourceText(name="yc.html", text=INFO_TABLE, format="html"),
                        Manual(id="fenwold", name="Fenwold Procedures"))
    (chapter,) = page.chapters
    assert chapter.scope == "How young carers are identified and assessed."
    assert chapter.amended == "2025-03"
    assert [s.heading for s in chapter.sections if s.heading != chapter.title] == ["Identifying Young Carers"]
    assert "SCOPE" not in " ".join(s.text for s in chapter.sections)
