"""Contents lines with a bullet, no space after the number and a date glued on:
`- 1.1.1Capacity and Consent October 31, 2024`, in text and HTML."""
import pytest

from formats import parse

ENTRIES = [
    ("1.1.1", "Capacity and Consent", [], "2024-10-31"),
    ("1.1.2", "Children's Consultation and Participation", [], "2024-03-04"),
    ("1.1.3", "Equality and Diversity", [], None),
    ("1.1.4", "Information Sharing", ["New"], "2025-01-15"),
    ("2.1.1", "Assessment of Children in Need", [], "2024-10-31"),
    ("2.1.2", "Child in Need Plans and Reviews", ["Updated"], "2024-11-02"),
    ("2.1.3", "Short Breaks", [], None),
    ("2.1.4", "Young Carers", [], "2024-09-09"),
]


def entries(name: str):
    return parse(name, "contents").entries


def test_dated_text_lines():
    found = entries("contents_dated.txt")
    assert [(e.chapter, e.title, e.flags, e.dated) for e in found] == ENTRIES
    assert [e.section_path for e in found] == [["1. All Children"]] * 4 + [["2. Children in Need"]] * 4


def test_dated_html_items_keep_the_date_out_of_the_title():
    found = entries("contents_dated.html")
    expected = [entry if entry[0] != "2.1.2" else ("2.1.2", "Child in Need Plans and Reviews", [], "2024-11-02")
                for entry in ENTRIES]
    assert [(e.chapter, e.title, e.flags, e.dated) for e in found] == expected
    assert [e.section_path for e in found] == [["1. All Children"]] * 4 + [["2. Children in Need"]] * 4
    assert found[0].url == "chapters/capacity_consent.html"  # no base known: kept as written


def test_dated_html_links_resolve_when_the_page_url_is_known():
    found = parse("contents_dated.html", "contents", url="https://tamsworth.example/contents.html").entries
    assert found[0].url == "https://tamsworth.example/chapters/capacity_consent.html"


@pytest.mark.parametrize("line, expected", [
    ("1.1.1Capacity and Consent", ("1.1.1", "Capacity and Consent")),
    ("1.2.1a Priority Codes", ("1.2.1a", "Priority Codes")),
    ("1.1.10 Storage of Data", ("1.1.10", "Storage of Data")),
    ("6.7.6. Staying Put Policy", ("6.7.6", "Staying Put Policy")),
    ("1.1.1and more", ("1.1.1", "and more")),
])
def test_chapter_number_with_or_without_a_space(line, expected):
    from ingest.parsers.common import CHAPTER_NUMBER
    match = CHAPTER_NUMBER.match(line)
    assert (match.group(1), match.group(2)) == expected
