"""Amendments pages in the formats councils publish beyond the seed: tables
exported without cell borders, a "Chapter Title" header, details cells wrapped
over two lines, one-month pages. Expected rows were read off the fixtures."""
import pytest

from ingest.parsers import detect_kind
from ingest.parsers.amendments_rows import TITLE_MAX, split_row
from ingest.parsers.amendments_text import PARSER as TEXT
from ingest.parsers.base import SourceText
from formats import MANUAL, parse, source
from vectorstore.models import Change, PageKind

UPDATED, NEW, REMOVED = Change.UPDATED, Change.NEW, Change.REMOVED


def rows(name: str):
    return [(a.amended, a.change, a.title, " ".join(a.details.split()))
            for a in parse(name, "amendments").amendments]


# -- borderless text export ------------------------------------------------------------


def test_borderless_table_rows_split_into_title_and_details():
    found = rows("amendments_borderless.txt")
    assert [(month, change, title) for month, change, title, _ in found] == [
        ("2024-03", UPDATED, "Contacts and Referrals"),
        ("2024-03", UPDATED, "Child in Need Plans and Reviews"),
        ("2024-03", UPDATED, "Aftercare under Section 117 of the Mental Health Act 1983"),
        ("2024-03", UPDATED, "Working with The Police and Other Agencies"),
        ("2024-03", UPDATED, "Placements with Parents"),
        ("2024-03", UPDATED, "Family Group Conferences"),
        ("2024-03", UPDATED, "Missing from Home or Care"),
        ("2024-03", UPDATED, "Short Breaks"),
        ("2024-03", NEW, "Kinship Care Assessments"),
        ("2024-03", REMOVED, "Private Fostering Notifications"),
        ("2024-01", UPDATED, ""),
        ("2024-01", UPDATED, "Strategy Discussions"),
        ("2024-01", UPDATED, "The Child's Plan for Permanence"),
        ("2024-01", UPDATED, ""),
    ]


def test_borderless_details_keep_their_own_words():
    details = [d for *_, d in rows("amendments_borderless.txt")]
    assert details[0] == "This chapter has been refreshed."
    assert details[2] == "Section 2, Who is Entitled has been amended in line with recent case law."
    assert details[5] == "Information about how a child can ask for an advocate has been added."
    # A paragraph under a row carries on that row's details.
    assert details[6].startswith("The return interview must now be offered within 72 hours")
    assert details[6].endswith("(see Section 2, Definitions).")
    assert "This chapter has also been refreshed." in details[6]
    assert details[7] == "This chapter has been refreshed throughout."  # title and details on two lines
    assert details[10] == "This chapter has been refreshed in line with the revised local threshold document."
    assert details[11] == "New section 4, Recording the Discussion has been added."
    # No opener to split on and too long for a title: kept as details, and reported.
    assert details[13].startswith("Safeguarding Children from Abuse Linked to Faith or Belief revised")


def test_borderless_page_reports_what_it_could_not_split():
    notes = " ".join(parse("amendments_borderless.txt", "amendments").notes)
    assert "without a chapter name" in notes
    assert "could not tell the chapter name" in notes


def test_borderless_furniture_and_captions_are_not_rows():
    titles = [title for _, _, title, _ in rows("amendments_borderless.txt")]
    assert not any("Caption" in t or "logo" in t or "Next update" in t for t in titles)


@pytest.mark.parametrize("line, title, details", [
    ("Contacts and Referrals This chapter has been refreshed.", "Contacts and Referrals", "This chapter has been refreshed."),
    ("Information Sharing and Confidentiality This chapter has been updated.",
     "Information Sharing and Confidentiality", "This chapter has been updated."),
    ("Adoption Panels Sections 4 and 5 have been merged.", "Adoption Panels", "Sections 4 and 5 have been merged."),
    ("Fostering Panels The panel membership section has been updated. This chapter has also been refreshed.",
     "Fostering Panels", "The panel membership section has been updated. This chapter has also been refreshed."),
    ("This chapter has been refreshed throughout.", "", "This chapter has been refreshed throughout."),
    ("Disabled Children Minor amendments were made throughout.", "Disabled Children",
     "Minor amendments were made throughout."),
])
def test_split_row(line, title, details):
    assert split_row(line) == (title, details)


def test_split_row_prefers_a_title_the_manual_knows():
    line = "Child Protection Conferences The Conference Report section has been updated."
    assert split_row(line, known_titles=["Child Protection Conferences"]) == (
        "Child Protection Conferences", "The Conference Report section has been updated.")
    # No opener to split on: only the manual's own title tells where the name ends.
    assert split_row("Staying Put Staying Put allowances have been increased.", known_titles=["Staying Put"]) == (
        "Staying Put", "Staying Put allowances have been increased.")


def test_a_whole_table_forced_onto_one_line_never_makes_an_absurd_title():
    row = "Contacts and Referrals This chapter has been refreshed. " * 40
    text = f"June 2024\nUpdated Chapters\nChapter Name Details\n{row}\n"
    page = TEXT.parse(SourceText("forced.txt", text, "text"), MANUAL)
    assert all(len(a.title) <= TITLE_MAX for a in page.amendments)
    assert page.amendments[0].title == "Contacts and Referrals"


def test_a_piped_row_with_a_huge_title_cell_is_capped_and_reported():
    cell = "Contacts and Referrals and more words " * 30
    text = f"June 2024\nUpdated Chapters | |\nChapter Name | Details |\n{cell} |\nThis chapter has been refreshed. |\n"
    page = TEXT.parse(SourceText("huge.txt", text, "text"), MANUAL)
    assert all(len(a.title) <= TITLE_MAX for a in page.amendments)
    assert any("could not tell the chapter name" in note for note in page.notes)


# -- "Chapter Title | Details" and wrapped cells ----------------------------------------


def test_chapter_title_header_is_a_header_not_a_row_in_text():
    found = rows("amendments_chapter_title_piped.txt")
    assert [(change, title) for _, change, title, _ in found] == [
        (UPDATED, "Contacts and Referrals"), (UPDATED, "Assessment of Children in Need"),
        (UPDATED, "Care Planning"), (NEW, "Young Carers")]
    assert found[1][3] == ("Section 4, Timescales has been updated: the assessment must be completed "
                           "within 45 working days.")


def test_chapter_title_header_is_a_header_not_a_row_in_html():
    found = parse("amendments_chapter_title.html", "amendments").amendments
    assert [(a.amended, a.change, a.title) for a in found] == [
        ("2023-10", UPDATED, "Contacts and Referrals"), ("2023-10", UPDATED, "Assessment of Children in Need"),
        ("2023-10", NEW, "Young Carers")]
    assert found[2].chapter == "3.4.2"  # from the table's "No." column
    assert found[2].details == "This new chapter explains how young carers' needs are assessed."
    assert found[2].url == "chapters/p_young_carers.html"


def test_details_cell_wrapped_over_two_lines_stays_with_its_title():
    found = rows("amendments_wrapped_piped.txt")
    assert [(title, details) for _, _, title, details in found] == [
        ("Contacts and Referrals",
         "This chapter has been refreshed and now includes a link to the local threshold document."),
        ("Allegations Against Staff and Volunteers",
         "Section 2, Roles and Responsibilities has been updated to name the designated officer."),
        ("Children's Homes", "This chapter has been reviewed."),
    ]


# -- a page with one month ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["amendments_one_month.txt", "amendments_one_month.html"])
def test_one_month_page_is_an_amendments_page(name):
    assert detect_kind(source(name)) == PageKind.AMENDMENTS


def test_one_month_text_page_rows():
    found = rows("amendments_one_month.txt")
    assert [(m, c, t) for m, c, t, _ in found] == [("2024-09", UPDATED, t) for t in (
        "Contacts and Referrals", "Child Protection Conferences", "Private Fostering", "Children Missing Education",
        "Secure Accommodation", "Life Story Work")]


def test_one_month_html_page_rows():
    found = parse("amendments_one_month.html", "amendments").amendments
    assert [(a.amended, a.change, a.title) for a in found] == [
        ("2024-09", UPDATED, "Contacts and Referrals"), ("2024-09", UPDATED, "Child Protection Conferences"),
        ("2024-09", NEW, "Kinship Care Assessments")]
