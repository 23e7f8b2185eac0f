"""The HTML amendments parser, on the table layout and the year/month/heading layout."""

import pytest

from ingest.parsers.amendments_html import PARSER, infer_change
from ingest.parsers.base import ParseError, SourceText
from html_fixtures import source
from vectorstore.models import Change, Manual, PageKind

MANUAL = Manual(id="dpscp", name="Derwent and Peak Safeguarding Children Partnership Procedures")


def amendments(name: str):
    page = PARSER.parse(source(name), MANUAL)
    assert page.page_kind == PageKind.AMENDMENTS
    return page.amendments


# -- (a) month heading, labelled blocks, "Chapter Name | Details" tables ----------------


def test_table_rows_months_and_changes():
    found = amendments("amendments_table.html")
    assert [(a.amended, a.change) for a in found] == [
        ("2022-01", Change.UPDATED), ("2022-01", Change.UPDATED), ("2022-01", Change.UPDATED),
        ("2022-01", Change.NEW), ("2021-10", Change.UPDATED), ("2021-10", Change.REMOVED)]
    assert [a.position for a in found] == list(range(6))
    assert {a.source for a in found} == {"amendments_table.html"}


def test_table_titles_details_and_urls():
    found = amendments("amendments_table.html")
    first = found[0]
    assert first.title == "Making a Referral to Social Care"
    assert first.details == "This chapter has been refreshed throughout in line with local guidance."
    assert first.url == "https://derwentpeakscp.proceduresonline.example/chapters/p_referrals.html"
    assert found[3].title == "Honour Based Abuse and Violence"
    removed = found[5]
    assert (removed.title, removed.url) == ("Safeguarding Children in Whom Illness is Fabricated or Induced", None)


def test_table_nameless_row_keeps_its_details():
    nameless = amendments("amendments_table.html")[1]
    assert nameless.title == ""
    assert nameless.details == "This chapter has been updated to add a link to Domestic Abuse Act Factsheets."
    assert nameless.url is None


def test_table_block_label_decides_the_change():
    # "A new Section 5 … has been added" sits under "Updated Chapters": still an update.
    fgm = amendments("amendments_table.html")[2]
    assert "has been added" in fgm.details
    assert fgm.change == Change.UPDATED


def test_table_empty_removed_block_and_footers_give_nothing():
    found = amendments("amendments_table.html")
    assert not [a for a in found if a.amended == "2022-01" and a.change == Change.REMOVED]
    text = " ".join(a.title + " " + a.details for a in found)
    for footer in ("Next update", "Archive", "Back to top", "Chapter Name"):
        assert footer not in text


# -- (b) year, month, title heading and a sentence ----------------------------------------


def test_headings_months_titles_and_changes_read_from_sentences():
    found = amendments("amendments_headings.html")
    assert [(a.amended, a.title, a.change) for a in found] == [
        ("2024-03", "Kinship Care Policy", Change.NEW),
        ("2024-03", "Child Protection Conferences", Change.UPDATED),
        ("2024-03", "Private Fostering", Change.REMOVED),
        ("2024-01", "Staying Close", Change.NEW),
        ("2024-01", "Children Missing from Care, Home and Education", Change.UPDATED),
        ("2023-11", "Secure Accommodation (Criteria) Regulations", Change.REMOVED),
        ("2023-11", "Family Time (Contact) with Parents", Change.NEW),
    ]


def test_headings_urls_resolve_against_canonical_and_details_are_the_sentence():
    found = amendments("amendments_headings.html")
    assert found[0].url == "https://lowfield.proceduresonline.example/chapter/kinship-care"
    assert found[0].details.startswith("This chapter was added to the manual")
    assert found[2].url is None  # an unlinked title
    assert found[3].details == "Staying Close has been added."


def test_headings_footers_and_intro_are_skipped():
    found = amendments("amendments_headings.html")
    titles = {a.title for a in found}
    assert not titles & {"Archive", "Back to top", "Amendments", "Next update: June 2024"}
    assert not any("changes made to the manual" in a.details for a in found)
    assert not any("Next update" in a.details for a in found)


# -- reading the change from a sentence -----------------------------------------------------


@pytest.mark.parametrize("details, title, change", [
    ("This chapter was added in March 2024.", "", Change.NEW),
    ("This is a new chapter.", "", Change.NEW),
    ("This new guidance is intended to help staff recognise the signs.", "", Change.NEW),
    ("This procedure has been added to the manual.", "", Change.NEW),
    ("Staying Close has been added.", "Staying Close", Change.NEW),
    ("This chapter has been removed.", "", Change.REMOVED),
    ("This guidance was withdrawn as it is covered nationally.", "", Change.REMOVED),
    ("Deleted, as the service no longer exists.", "", Change.REMOVED),
    ("This chapter has been reviewed and updated throughout.", "", Change.UPDATED),
    ("A new Section 5, Care Leavers has been added.", "", Change.UPDATED),
    ("A link has been added in Relevant Guidance.", "", Change.UPDATED),
    ("Section 4 has been removed as it duplicated Section 2.", "", Change.UPDATED),
    ("This chapter has been updated and a new section has been added.", "", Change.UPDATED),
    ("This new chapter replaces Private Fostering, which has been removed.", "", Change.NEW),
])
def test_infer_change(details, title, change):
    assert infer_change(details, title) == change


def test_page_without_amendments_is_a_parse_error():
    empty = SourceText(name="blank.html", text="<html><body><h1>Amendments</h1><p>None yet.</p></body></html>",
                       format="html")
    with pytest.raises(ParseError):
        PARSER.parse(empty, MANUAL)



def test_list_in_a_details_cell_stays_in_its_row():
    page = SourceText(name="a.html", format="html", text=(
        "<h2>June 2021</h2><table><caption>Updated Chapters</caption>"
        "<tr><th>Chapter Name</th><th>Details</th></tr>"
        '<tr><td><a href="p_referral.html">Making a Referral to Social Care</a></td>'
        "<td><p>The following points of clarification were added:</p>"
        "<ul><li>consent;</li><li>timescales.</li></ul></td></tr>"
        "<tr><td>Local Contacts</td><td>Local contact information has been reviewed.</td></tr></table>"))
    first, second = PARSER.parse(page, MANUAL).amendments
    assert first.details == "The following points of clarification were added: • consent; • timescales."
    assert (second.title, second.amended, second.change) == ("Local Contacts", "2021-06", Change.UPDATED)


# -- (c) one table per year with its own Date and Change columns ------------------------

DATED_TABLE = """<html><head><title>Amendments</title></head><body><h1>Amendments</h1>
<h2>2025</h2>
<table><thead><tr><th>Date</th><th>Chapter</th><th>Change</th><th>Details</th></tr></thead><tbody>
<tr><td rowspan="2">October 2025</td><td><a href="/c/a1.html">Young Carers</a></td><td>Updated</td>
    <td>The young carers assessment is now offered within 10 working days.</td></tr>
<tr><td><a href="/c/b2.html">Secure Accommodation</a></td><td>New chapter</td>
    <td>Sets out how the council applies for a secure accommodation order.</td></tr>
<tr><td>12 August 2025</td><td>Children Missing Education</td><td>Removed</td>
    <td>Guidance now sits in the education procedures.</td></tr>
</tbody></table></body></html>"""


def test_a_date_column_gives_each_row_its_month_and_a_spanning_month_cell_carries_down():
    page = PARSER.parse(SourceText(name="amendments.html", text=DATED_TABLE, format="html"), MANUAL)
    rows = [(a.amended, a.change, a.title) for a in page.amendments]
    assert rows == [("2025-10", Change.UPDATED, "Young Carers"),
                    ("2025-10", Change.NEW, "Secure Accommodation"),
                    ("2025-08", Change.REMOVED, "Children Missing Education")]
    # the change column names the kind of change; the details column stays the details
    assert page.amendments[1].details == "Sets out how the council applies for a secure accommodation order."


def test_a_dated_table_reads_as_an_amendments_page():
    assert PARSER.score(SourceText(name="amendments.html", text=DATED_TABLE, format="html")) >= 0.5
