"""Text contents pages: Derby City (000) and Rotherham (003) indented text,
Leicestershire (002) pipe table. Expected values were counted by hand in the
seed files (grep for numbered lines, then section by section)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.parsers.base import ParseError, SourceText
from ingest.parsers.contents_text import PARSER
from vectorstore.models import Manual, PageKind
from vectorstore.text import clean_text

SEEDS = Path(__file__).resolve().parents[3] / "data" / "manuals"
DERBY_CITY, LEICS, ROTHERHAM = "000_31f6aa2f9389923a.txt", "002_f1dd044776103fa0.txt", "003_f519893ae7a510c6.txt"


def seed(name: str) -> SourceText:
    return SourceText(name, clean_text((SEEDS / name).read_text(encoding="utf-8")), "text")


def parse(name: str, manual_id: str = "m"):
    return PARSER.parse(seed(name), Manual(id=manual_id, name=manual_id))


def inline(text: str):
    return PARSER.parse(SourceText("inline.txt", clean_text(text), "text"), Manual(id="t", name="T"))


@pytest.fixture(scope="module")
def derby():
    return parse(DERBY_CITY, "derby-city")


@pytest.fixture(scope="module")
def rotherham():
    return parse(ROTHERHAM, "rotherham")


@pytest.fixture(scope="module")
def leics():
    return parse(LEICS, "leicestershire")


def by_number(page, number):
    found = [e for e in page.entries if e.chapter == number]
    assert len(found) == 1, f"{number}: {len(found)} entries"
    return found[0]


def numbered(page):
    return [e for e in page.entries if e.chapter]


def unnumbered(page):
    return [e for e in page.entries if e.chapter is None]


def see_also_items(page):
    return sum(len(e.see_also) for e in page.entries)


# --- shared properties ---------------------------------------------------------

@pytest.mark.parametrize("name", [DERBY_CITY, LEICS, ROTHERHAM])
def test_page_shape(name):
    page = parse(name, "x")
    assert page.page_kind == PageKind.CONTENTS
    assert [e.position for e in page.entries] == list(range(len(page.entries)))
    assert all(e.manual_id == "x" and e.source == name for e in page.entries)
    assert len({e.record_id for e in page.entries}) == len(page.entries)


@pytest.mark.parametrize("name", [DERBY_CITY, LEICS, ROTHERHAM])
def test_no_furniture_becomes_an_entry(name):
    for entry in parse(name).entries:
        title = entry.title.lower()
        assert not title.startswith(("see also", "for residential", "for out of area", "caption",
                                     "please note", "in an emergency", "quick links", "contents"))
        assert title not in ("end", "derby logo", "second operational manual, march 2012")
        assert "|" not in entry.title and entry.title == entry.title.strip() and entry.title


@pytest.mark.parametrize("name", [DERBY_CITY, LEICS, ROTHERHAM])
def test_status_words_never_stay_in_titles(name):
    for entry in parse(name).entries:
        assert not entry.title.endswith((" New", " Updated", "under review", "to follow", " draft"))


@pytest.mark.parametrize("name,duplicates", [(DERBY_CITY, {}), (LEICS, {}), (ROTHERHAM, {"5.1.8": 2})])
def test_numbers_are_unique_except_rotherham_5_1_8(name, duplicates):
    counts = Counter(e.chapter for e in parse(name).entries if e.chapter)
    assert {n: c for n, c in counts.items() if c > 1} == duplicates


# --- Derby City ------------------------------------------------------------------

def test_derby_counts(derby):
    assert len(numbered(derby)) == 146
    assert [(e.title, e.section) for e in unnumbered(derby)] == [
        ("Our Pledge to Children in Care", "6. Children in Care"),
        ("Fostering Services National Minimum Standards", "7. Fostering Services"),
        ("Adoption National Minimum Standards", "8. Adoption"),
    ]


def test_derby_quick_links_are_not_entries_but_sections(derby):
    sections = {e.section.split(" › ")[0] for e in derby.entries}
    assert sections == {
        "1. All Children", "2. Prevention and Early Intervention", "3. Children in Need",
        "4. Significant Harm", "5. Children Away from Home with Friends and Family",
        "6. Children in Care", "7. Fostering Services", "8. Adoption", "9. Permanence",
        "10. Appendices",
    }
    assert derby.entries[0].chapter == "1.1.1"


def test_derby_entries(derby):
    supervision = by_number(derby, "1.1.18")
    assert (supervision.title, supervision.flags) == ("Supervision Policy", ["Updated"])
    staying_put = by_number(derby, "6.7.6")
    assert staying_put.title == "Staying Put Policy"
    assert staying_put.section == "6. Children in Care › 6.7 Leaving Care"
    assert by_number(derby, "1.2.1").section == "1. All Children › 1.2 Complaints and Whistleblowing"
    assert by_number(derby, "2.1").section == "2. Prevention and Early Intervention"
    assert by_number(derby, "6.1.1").section == "6. Children in Care › 6.1 Care Planning and Contact"
    assert by_number(derby, "6.1.2").flags == []
    assert by_number(derby, "8.8").title == (
        "Allegations Against Prospective Adopters and in Relation to Children Placed for Adoption")
    assert by_number(derby, "10.2").title == "Amendments"


def test_derby_flags(derby):
    flags = Counter(f for e in derby.entries for f in e.flags)
    assert flags == {"Updated": 10, "New": 2}
    assert by_number(derby, "1.1.3").flags == ["New"]


def test_derby_see_also(derby):
    assert by_number(derby, "3.3.8").see_also == ["Short Breaks and Derby SEND Local Offer"]
    assert by_number(derby, "6.2.5").see_also == [
        "Responsibilities of the Local Authority to Former Looked After Children and Young People in Custody"]
    # "See also" without a colon, and its closing full stop dropped.
    assert by_number(derby, "6.7.7").see_also == [
        "Transfer of Cases Protocol - Localities, Reception, IDCS and Children in Care"]
    assert by_number(derby, "8.18").see_also == ["Placement with Dog Owning Families (Foster Carers)"]
    # The bare "See also:" after 7.10 names nothing: dropped, not attached as "".
    assert by_number(derby, "7.10").see_also == []
    assert see_also_items(derby) == 4
    assert any("7.10" in note for note in derby.notes)


# --- Rotherham -------------------------------------------------------------------

def test_rotherham_counts(rotherham):
    assert len(numbered(rotherham)) == 152
    assert unnumbered(rotherham) == []


def test_rotherham_duplicate_5_1_8(rotherham):
    both = [e for e in rotherham.entries if e.chapter == "5.1.8"]
    assert [(e.title, e.flags) for e in both] == [
        ("Matching Matrix", ["New"]), ("Supervision and Support of Foster Carers", [])]
    assert both[1].position == both[0].position + 1
    assert both[0].record_id != both[1].record_id
    assert {e.section for e in both} == {"5. Fostering and Adoption › 5.1 Fostering Services"}


def test_rotherham_entries(rotherham):
    staying_put = by_number(rotherham, "4.8.2")
    assert staying_put.title == "Staying Put Policy"
    assert staying_put.section == "4. Looked After Children › 4.8 Leaving Care and Transition"
    assert by_number(rotherham, "2.1").section == "2. Case Management and Recording"
    assert by_number(rotherham, "6.5").section == "6. Contacts, List of Agency Decision Makers and Appendices"


@pytest.mark.parametrize("number,title", [
    ("1.2.1", "Early Help Guidance: Integrated Working With Children, Young People and Families "
              "With Vulnerable or Complex Needs (Rotherham Safeguarding Children Partnership Procedures)"),
    ("3.7.1", "Allegations Against Staff, Carers and Volunteers (Rotherham Safeguarding Children Partnership Procedures)"),
    ("3.7.2", "LADO Referral Process and Threshold (Rotherham Safeguarding Children Partnership Procedures)"),
    ("3.7.4", "Safeguarding Children and Young People from Sexual Exploitation "
              "(Rotherham Safeguarding Children Partnership Procedures)"),
    ("3.7.5", "Safeguarding Children From Dangerous Dogs (Rotherham Safeguarding Children Partnership Procedures)"),
])
def test_rotherham_titles_continue_on_next_line(rotherham, number, title):
    assert by_number(rotherham, number).title == title


@pytest.mark.parametrize("number,title,flags", [
    ("3.3.1", "Joint Housing Protocol for 16 and 17 Year Olds", ["under review"]),
    ("3.3.3", "Prevention of homelessness and provision of accommodation for 16 and 17-year-old young "
              "people, who may be homeless and/or require accommodation", ["under review", "New"]),
    ("1.5.2", "Section 17 Policy", ["draft"]),
    ("4.9.1", "Rotherham Looked After Team and Rotherham Youth Offending Team Draft Joint Protocol", []),
])
def test_rotherham_status_words(rotherham, number, title, flags):
    entry = by_number(rotherham, number)
    assert (entry.title, entry.flags) == (title, flags)


def test_rotherham_flag_totals(rotherham):
    flags = Counter(f for e in rotherham.entries for f in e.flags)
    assert flags == {"Updated": 5, "New": 3, "under review": 6, "draft": 1}


def test_rotherham_see_also(rotherham):
    assert by_number(rotherham, "1.1.1").see_also == ["Practice Standards"]
    assert by_number(rotherham, "1.6.7").see_also == [
        "Cross-border child protection cases: the 1996 Hague Convention (DfE)",
        "Family Justice Resource Hub (ADCS) - This hosts a series of practical resources, such as "
        "templates, tools and practice guidance, which will be of interest to those working in the "
        "family justice system",
    ]
    assert by_number(rotherham, "3.7.6").see_also == [
        "Persons Who Pose a Risk to Children (Rotherham Safeguarding Children Partnership Procedures Manual)"]
    assert by_number(rotherham, "4.2.2").see_also == [
        "For Residential Care, see the: Placements Manual for Commissioned Placements"]
    assert by_number(rotherham, "4.2.3").see_also == [
        "For Out of Area, see the: Placements Manual for Commissioned Placements (intranet access required)"]
    # 19 "See also" lines under an entry, the "and Family Justice…" line, 2 "For …, see the:" lines.
    assert see_also_items(rotherham) == 22


def test_rotherham_see_also_before_first_entry_is_dropped(rotherham):
    # 3.7, 4.4 and 4.5 open with a see-also line: it must not go to 3.6.1, 4.3.9 or 4.4.2.
    for number in ("3.6.1", "3.7.1", "4.3.9", "4.4.1", "4.4.2", "4.5.1"):
        assert by_number(rotherham, number).see_also == [], number
    dropped = [n for n in rotherham.notes if "before any entry" in n]
    assert len(dropped) == 3
    assert all("Child Protection Planning" not in s for e in rotherham.entries for s in e.see_also)


def test_rotherham_please_note_is_not_an_entry(rotherham):
    section = [e for e in rotherham.entries if e.section.endswith("5.2 Adoption and Permanence Services")]
    assert [e.chapter for e in section] == [f"5.2.{i}" for i in range(1, 18)]


# --- Leicestershire (pipe table) -------------------------------------------------------

def test_leics_counts(leics):
    assert len(numbered(leics)) == 117
    assert [(e.title, e.section) for e in unnumbered(leics)] == [
        ("Adoption National Minimum Standards", "4. Adoption and other Permanence Options › 4.1 Adoption")]


@pytest.mark.parametrize("number,title,flags", [
    ("1.1.1", "Children and Families Policies, Values and Principles", []),
    ("1.1.2", "Statement of Purpose for Children's Social Care", ["New"]),
    ("1.1.10", "Induction", ["to follow"]),
    ("1.1.12", "Family and Friends Policy", ["to follow"]),
    ("1.2.1a", "Priority Codes", ["Updated"]),
    ("1.2.1b", "Child in Need Codes", []),
    ("2.5.1", "Short Breaks", []),
    ("7.6", "Sexual Health and Pregnancy Pathway", ["New"]),
])
def test_leics_rows(leics, number, title, flags):
    entry = by_number(leics, number)
    assert (entry.title, entry.flags) == (title, flags)


def test_leics_sections(leics):
    assert by_number(leics, "1.1.1").section == "1. All Children / Policies › 1.1 Values and Principles"
    assert by_number(leics, "1.2.1a").section == "1. All Children / Policies › 1.2 Assessment and Planning"
    assert by_number(leics, "6.1").section == "6. Protocols"
    assert by_number(leics, "7.1").section == "7. Flowcharts"
    tops = {e.section.split(" › ")[0] for e in leics.entries}
    assert tops == {"1. All Children / Policies", "2. Preventive Services",
                    "4. Adoption and other Permanence Options", "6. Protocols", "7. Flowcharts"}


def test_leics_flag_totals(leics):
    assert Counter(f for e in leics.entries for f in e.flags) == {"Updated": 6, "New": 5, "to follow": 2}


def test_leics_see_also(leics):
    assert by_number(leics, "4.1.17").see_also == ["Adoption Contact"]
    assert by_number(leics, "1.3.8").see_also == []  # the 1.4 see-also row comes before 1.4.1
    assert by_number(leics, "1.4.1").see_also == []
    assert see_also_items(leics) == 1
    assert any("1.4" in note for note in leics.notes)


# --- hand-written pages ----------------------------------------------------------

def test_inline_see_also_before_any_entry():
    page = inline(
        "Contents\n\n1. First\n\n1.1\n\nAlpha\n\n1.1.1 One\n\n1.2\n\nBeta\n\n"
        " See also: Something Elsewhere\n"
        "1.2.1 Two New\n"
        " See also: Related Chapter.\n"
    )
    one, two = page.entries
    assert (one.chapter, one.see_also) == ("1.1.1", [])
    assert (two.chapter, two.title, two.flags, two.section) == ("1.2.1", "Two", ["New"], "1. First › 1.2 Beta")
    assert two.see_also == ["Related Chapter"]
    assert len(page.notes) == 1 and "Something Elsewhere" in page.notes[0]


def test_inline_pipe_table():
    page = inline(
        "Somewhere Contents |\nQuick Links:\n1. Section\n1.1 |\nSub |\n||\n"
        "| See also Before | |||\n| 1.1.1 | Alpha - to follow | ||\n| 1.1.2 | Beta | Updated | |\n"
        "| Unnumbered Thing | ||\n| See also Gamma | ||\n2. Empty\n3. Last\n| 3.1 | Delta |\nEnd\n"
    )
    assert [(e.chapter, e.title, e.flags, e.section, e.see_also) for e in page.entries] == [
        ("1.1.1", "Alpha", ["to follow"], "1. Section › 1.1 Sub", []),
        ("1.1.2", "Beta", ["Updated"], "1. Section › 1.1 Sub", []),
        (None, "Unnumbered Thing", [], "1. Section › 1.1 Sub", ["Gamma"]),
        ("3.1", "Delta", [], "3. Last", []),
    ]


def test_page_without_entries_is_an_error():
    with pytest.raises(ParseError):
        inline("Contents\n\nQuick Links:\n\n 1. Nothing\n")


# --- score ---------------------------------------------------------------------

@pytest.mark.parametrize("name", [DERBY_CITY, LEICS, ROTHERHAM])
def test_contents_seeds_score_highest_as_contents(name):
    from ingest.parsers import amendments_text, chapter_text

    source = seed(name)
    mine = PARSER.score(source)
    others = [amendments_text.PARSER.score(source), chapter_text.PARSER.score(source)]
    assert mine >= 0.8 and max(others) < 0.3, (mine, others)


@pytest.mark.parametrize("name", ["001_75d2e11c53ff3f9d.txt", "004_e6dbeeb091c2b123.txt"])
def test_other_seeds_score_low_as_contents(name):
    assert PARSER.score(seed(name)) < 0.3


def test_empty_text_scores_zero():
    assert PARSER.score(SourceText("empty.txt", "", "text")) == 0.0
