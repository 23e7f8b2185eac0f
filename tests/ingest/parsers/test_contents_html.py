"""The HTML contents parser, on table and list layouts saved from procedures sites."""

import pytest

from ingest.parsers.base import ParseError, SourceText
from ingest.parsers.contents_html import PARSER
from html_fixtures import source
from vectorstore.models import Manual, PageKind

MANUAL = Manual(id="northshire", name="Northshire Children's Social Care Procedures")
BASE = "https://northshire.proceduresonline.example/chapters/"


def entries(name: str):
    page = PARSER.parse(source(name), MANUAL)
    assert page.page_kind == PageKind.CONTENTS
    return page.entries


def by_title(items, title):
    return next(e for e in items if e.title == title)


# -- table layout ----------------------------------------------------------------


def test_tables_entries_in_order_with_running_positions():
    found = entries("contents_tables.html")
    assert [e.chapter for e in found] == [
        "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.2.1", "1.2.1",
        None, "6.7.1", "6.7.2", "6.7.3"]
    assert [e.position for e in found] == list(range(11))
    assert {e.source for e in found} == {"contents_tables.html"}
    assert {e.manual_id for e in found} == {"northshire"}


def test_tables_urls_resolve_against_base_href():
    found = entries("contents_tables.html")
    assert found[0].url == BASE + "ch_policies_values.html"
    charter = by_title(found, "Charter for Care Leavers (DfE)")
    assert charter.url == "https://northshire.proceduresonline.example/resources/care_leavers_charter.pdf"


def test_tables_flags_are_split_from_titles():
    found = entries("contents_tables.html")
    assert (found[1].title, found[1].flags) == ("A Strengths Based Approach", ["New"])
    assert (found[3].title, found[3].flags) == ("Kinship Care Policy", ["under review"])
    # A chapter still to be written has no link, but is an entry all the same.
    assert (found[4].title, found[4].flags, found[4].url) == ("Induction for New Staff", ["to follow"], None)
    assert found[0].flags == []


def test_tables_section_paths():
    found = entries("contents_tables.html")
    assert found[0].section == "1. All Children › 1.1 Policies, Values and Principles"
    assert found[5].section == "1. All Children › 1.2 Complaints and Whistleblowing"
    assert found[-1].section == "6. Children in Care › 6.7 Leaving Care"


def test_tables_duplicate_numbers_are_both_kept():
    first, second = [e for e in entries("contents_tables.html") if e.chapter == "1.2.1"]
    assert first.title == "Complaints and Representations"
    assert second.title == "Confidential Reporting Code (Whistleblowing)"
    assert first.position != second.position
    assert first.record_id != second.record_id
    assert second.url == BASE + "ch_whistleblowing.html"


def test_tables_see_also_rows_attach_to_the_entry_above():
    found = entries("contents_tables.html")
    assert by_title(found, "A Strengths Based Approach").see_also == ["Practice Standards"]
    assert by_title(found, "Staying Put Policy").see_also == ["Staying Close", "Personal Advisers"]
    titles = {e.title for e in found}
    assert not titles & {"Practice Standards", "Staying Close", "Personal Advisers"}
    assert not any("See also" in e.title for e in found)


def test_tables_unnumbered_entry():
    charter = by_title(entries("contents_tables.html"), "Charter for Care Leavers (DfE)")
    assert charter.chapter is None
    assert charter.section == "6. Children in Care › 6.7 Leaving Care"


def test_tables_chrome_is_not_an_entry():
    titles = {e.title for e in entries("contents_tables.html")}
    for chrome in ("Home", "Contents", "Amendments", "Local Resources", "Privacy", "Accessibility",
                   "Back to top", "All Children", "Children in Care", "Skip to content"):
        assert chrome not in titles


# -- list layout -------------------------------------------------------------------


def test_lists_entries_sections_and_flat_links():
    found = entries("contents_lists.html")
    assert [e.chapter for e in found] == ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2",
                                          "4.2.1", "4.2.2", "4.2.3", None]
    assert found[0].title == "Contacts and Referrals"
    assert found[0].url == "p_contacts_referrals.html"  # no base: kept as given
    assert found[0].section == "1. Case Management › 1.1 Assessment and Planning"
    assert found[3].section == "1. Case Management › 1.2 Recording"
    assert found[5].section == "4. Looked After Children › 4.2 Placements"


def test_lists_flags_from_text_and_icons():
    found = entries("contents_lists.html")
    assert by_title(found, "Single Assessment").flags == ["Updated"]
    assert by_title(found, "Chronologies").flags == ["Updated"]  # <img alt="Updated">
    assert by_title(found, "Out of Area Placements").flags == ["under review"]
    assert by_title(found, "Staying Put").flags == ["New"]
    assert by_title(found, "Staying Put").url == "p_staying_put.html"


def test_lists_see_also_item_and_unnumbered_local_entry():
    found = entries("contents_lists.html")
    assert by_title(found, "Pre-Birth Assessment Procedure").see_also == ["Unborn Baby Protocol"]
    assert "Unborn Baby Protocol" not in {e.title for e in found}
    local = found[-1]
    assert (local.chapter, local.title) == (None, "Westvale Local Contacts")
    assert local.section == "4. Looked After Children › Local Resources"
    assert "Home" not in {e.title for e in found}


def test_page_without_entries_is_a_parse_error():
    empty = SourceText(name="blank.html", text="<html><body><h1>Contents</h1><p>Coming soon.</p></body></html>",
                       format="html")
    with pytest.raises(ParseError):
        PARSER.parse(empty, MANUAL)



def test_no_markup_or_script_text_in_entries():
    for name in ("contents_tables.html", "contents_lists.html"):
        for entry in entries(name):
            dumped = entry.model_dump_json()
            assert "<" not in dumped and "trackPage" not in dumped


def test_unclosed_rows_cells_and_items_of_old_pages():
    sloppy = SourceText(name="old.html", format="html", text=(
        "<html><body><h2>1. All Children</h2><table>"
        "<tr><td>1.1.1<td><a href=p_values.html>Policies, Values and Principles</a><td>Updated"
        "<tr><td>1.1.2<td><a href=p_consent.html>Capacity and Consent</a>"
        "</table><h2>2. Fostering</h2><ul>"
        "<li><a href=p_panel.html>2.1 Fostering Panel</a> New"
        "<li><a href=p_reviews.html>2.2 Review of Foster Carers</a>"
        "</ul></body></html>"))
    found = PARSER.parse(sloppy, MANUAL).entries
    assert [(e.chapter, e.title, e.flags, e.url) for e in found] == [
        ("1.1.1", "Policies, Values and Principles", ["Updated"], "p_values.html"),
        ("1.1.2", "Capacity and Consent", [], "p_consent.html"),
        ("2.1", "Fostering Panel", ["New"], "p_panel.html"),
        ("2.2", "Review of Foster Carers", [], "p_reviews.html"),
    ]
    assert found[2].section == "2. Fostering"


def test_subsection_sharing_its_sections_name_and_see_also_after_a_line_break():
    page = SourceText(name="derby.html", format="html", text=(
        '<h1>Contents</h1><h2><a name="section1"></a>1. All Children</h2>'
        "<table><caption>All Children</caption>"
        "<tr><td><strong>1.1</strong></td><td colspan=2><strong>All Children</strong></td></tr>"
        '<tr><td>1.1.1</td><td><a href="p_ch_serv_pol.html">Children\'s Services Policies</a></td>'
        "<td>&nbsp;</td></tr>"
        "<tr><td>1.2</td><td><strong>Complaints and Whistleblowing</strong></td></tr>"
        '<tr><td>1.2.1</td><td><a href="p_complaints.html">Complaints and Representations</a><br>'
        'See also: <a href="p_advocacy.html">Advocacy</a></td></tr></table>'))
    first, second = PARSER.parse(page, MANUAL).entries
    assert first.section == "1. All Children › 1.1 All Children"
    assert second.section == "1. All Children › 1.2 Complaints and Whistleblowing"
    assert (second.title, second.url, second.see_also) == (
        "Complaints and Representations", "p_complaints.html", ["Advocacy"])


def test_script_links_never_become_urls():
    page = SourceText(name="js.html", format="html", text=(
        "<h2>1. All Children</h2><ul>"
        "<li><a href=\"javascript:openChapter('values')\">1.1.1 Policies, Values and Principles</a></li>"
        '<li><a href="JavaScript:alert(1)">1.1.2 Capacity and Consent</a> New</li></ul>'))
    found = PARSER.parse(page, MANUAL).entries
    assert [(e.chapter, e.title, e.flags, e.url) for e in found] == [
        ("1.1.1", "Policies, Values and Principles", [], None),
        ("1.1.2", "Capacity and Consent", ["New"], None),
    ]


SIDEBAR = """<html><head><title>Contents | Fenwold Children's Procedures</title></head><body>
<main><h1>Contents</h1>
<h2>1. All Children</h2>
<ul><li><a href="/ch/q1.html">1.1.1 Contacts and Referrals</a></li>
<li><a href="/ch/q2.html">1.1.2 Strategy Discussions</a></li></ul>
<h2>Local Resources</h2>
<ul><li><a href="/local/contacts.html">Fenwold Local Contacts</a></li></ul>
<aside class="sidebar"><h2>What's new</h2>
<p>Updated in May 2025, with changes to the <a href="/ch/q2.html">strategy</a> chapter.</p>
<p><a href="/amendments.html">See all amendments</a></p></aside>
</main></body></html>"""


def test_a_sidebar_beside_the_contents_is_not_entries():
    page = PARSER.parse(SourceText(name="index.html", text=SIDEBAR, format="html"), Manual(id="fenwold", name="F"))
    assert [(e.chapter, e.title) for e in page.entries] == [
        ("1.1.1", "Contacts and Referrals"), ("1.1.2", "Strategy Discussions"), (None, "Fenwold Local Contacts")]
