"""The DDSCP amendments page (seed 001). Rows per month were counted by hand
from the seed: one row per "Chapter Name" cell (a line ending " |" after a
table header, not a details sentence), plus the five nameless January 2022 rows."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.parsers.amendments_text import PARSER
from ingest.parsers.base import ParseError, SourceText
from vectorstore.models import Change, Manual, PageKind
from vectorstore.text import clean_text

SEED = Path(__file__).resolve().parents[3] / "data" / "manuals" / "001_75d2e11c53ff3f9d.txt"

ROWS_PER_MONTH = {
    "2022-01": 5, "2021-10": 1, "2021-08": 1, "2021-06": 4, "2021-04": 1, "2021-01": 5,
    "2020-09": 1, "2020-07": 2, "2020-05": 2, "2020-04": 1, "2020-03": 3, "2020-01": 2,
    "2019-11": 1, "2019-09": 1, "2019-07": 6, "2019-05": 4, "2019-02": 1, "2019-01": 6,
    "2018-11": 1, "2018-07": 4, "2018-04": 1, "2018-01": 5, "2017-12": 2, "2017-09": 1,
    "2017-07": 14, "2017-03": 2, "2017-01": 8, "2016-11": 1, "2016-07": 5, "2016-06": 5,
    "2015-12": 21, "2015-10": 1, "2015-09": 3, "2015-06": 10, "2014-12": 18,
}


@pytest.fixture(scope="module")
def page():
    source = SourceText(SEED.name, clean_text(SEED.read_text(encoding="utf-8")), "text")
    return PARSER.parse(source, Manual(id="ddscp", name="DDSCP"))


def inline(text: str):
    return PARSER.parse(SourceText("inline.txt", clean_text(text), "text"), Manual(id="t", name="T"))


def rows(page, month, change=None):
    return [a for a in page.amendments if a.amended == month and (change is None or a.change == change)]


def test_shape(page):
    assert page.page_kind == PageKind.AMENDMENTS
    assert [a.position for a in page.amendments] == list(range(len(page.amendments)))
    assert len({a.record_id for a in page.amendments}) == len(page.amendments)
    assert all(a.manual_id == "ddscp" and a.source == SEED.name for a in page.amendments)


def test_months_and_rows(page):
    assert len(ROWS_PER_MONTH) == 35
    assert dict(Counter(a.amended for a in page.amendments)) == ROWS_PER_MONTH
    assert len(page.amendments) == sum(ROWS_PER_MONTH.values()) == 149


def test_change_kinds(page):
    # New chapters: Jan 2021 (1), Jan 2019 (1), Jul 2018 (1), Dec 2015 (1), Jun 2015 (1), Dec 2014 (3).
    assert Counter(a.change for a in page.amendments) == {Change.UPDATED: 141, Change.NEW: 8}


def test_removed_blocks_give_nothing(page):
    assert not [a for a in page.amendments if a.change == Change.REMOVED]
    assert len(rows(page, "2021-01")) == 5 and len(rows(page, "2018-07")) == 4


def test_june_2021(page):
    assert [(a.title, a.change) for a in rows(page, "2021-06")] == [
        ("Making a Referral to Social Care", Change.UPDATED),
        ("Child Protection Section 47 Enquiries", Change.UPDATED),
        ("Child Protection Conferences", Change.UPDATED),
        ("Child Abuse Linked to Faith or Beliefs", Change.UPDATED),
    ]
    assert rows(page, "2021-06")[0].details.startswith("This chapter has been reviewed and updated")


def test_january_2022_rows_lost_their_names(page):
    january = rows(page, "2022-01")
    assert [a.title for a in january] == [""] * 5
    assert [a.details for a in january] == [
        "This chapter has been refreshed throughout in line with local guidance .",
        "This chapter has been refreshed throughout in line with local guidance.",
        "This chapter has been updated to add a link to Domestic Abuse Act Factsheets.",
        "A link has been added in Relevant Guidance to Guidance: Parents with Alcohol and Drug "
        "Problems: Support Resources (GOV.UK).",
        "Section 2, Assessment of the Child's Needs has been updated to include information in "
        "relation to pre-birth assessments and planning.",
    ]
    assert page.amendments[0].amended == "2022-01"


def test_footer_is_not_data(page):
    for record in page.amendments:
        text = f"{record.title} {record.details}"
        assert "Next update" not in text and "Archive" not in text
        assert "|" not in text and "Chapter Name" not in record.title
        assert record.title not in ("Updated Chapters", "New Chapters and Features", "Removed Chapters")


def test_throughout_manual_row(page):
    (row,) = rows(page, "2019-09")
    assert row.title == "Throughout manual"
    assert row.details.startswith("References to Derby and Derbyshire Safeguarding Children Boards")
    assert row.details.endswith("Derby and Derbyshire Safeguarding Children Partnership.")


def test_december_2014_one_line_rows(page):
    new = rows(page, "2014-12", Change.NEW)
    assert [a.title for a in new] == [
        "Safeguarding Children Who May Have Been Trafficked",
        "Guidance to Support Safe Sleeping Practices in Babies and Infants",
        "Prevention of Non-Accidental Head Injury in Infancy Guidance",
    ]
    assert new[0].details == ("This chapter outlines the key points in relation to concerns that a "
                              "child or young person under 18 has been trafficked.")
    assert len(rows(page, "2014-12", Change.UPDATED)) == 15


def test_details_whose_bullets_were_lost(page):
    (april,) = rows(page, "2020-04")
    assert april.title == "Allegations Against Staff, Carers and Volunteers"
    assert april.details == ("This guidance has been reviewed locally and the following points of "
                             "clarification added:")
    # A details cell over two lines, closed by a lone "|".
    referral = rows(page, "2020-03")[0]
    assert referral.title == "Making a Referral to Social Care"
    assert referral.details.startswith("Amendments have been made")
    assert referral.details.endswith("each with rotational responsibility for:")
    assert rows(page, "2020-03")[1].title == "Child Protection Section 47 Enquiries"


def test_reviewed_suffix_is_stripped(page):
    assert rows(page, "2018-01")[0].title == "Children who Present a Risk of Harm to Others"
    assert not [a for a in page.amendments if a.title.endswith("reviewed")]


def test_every_named_row_has_details(page):
    assert all(a.details for a in page.amendments)


def test_inline_layouts():
    page = inline(
        "March 2023\nNew Chapters and Features | |\nChapter Name | Details |\n"
        "Alpha | Alpha details. |\nBeta |\nFirst line:\nsecond line\n|\n"
        "Removed Chapters | |\n|\n"
        "Updated Chapters | |\nChapter Name | Details |\nGamma |\n|\nA lost name.\n|\n"
        "Next update: May 2023 |\nArchive\n"
    )
    assert [(a.amended, a.change, a.title, a.details) for a in page.amendments] == [
        ("2023-03", Change.NEW, "Alpha", "Alpha details."),
        ("2023-03", Change.NEW, "Beta", "First line:\nsecond line"),
        ("2023-03", Change.UPDATED, "Gamma", ""),
        ("2023-03", Change.UPDATED, "", "A lost name."),
    ]


def test_page_without_rows_is_an_error():
    with pytest.raises(ParseError):
        inline("June 2021\nRemoved Chapters | |\n|\n")


# --- score ---------------------------------------------------------------------

def test_seed_scores_highest_as_amendments():
    from ingest.parsers import chapter_text, contents_text

    source = SourceText(SEED.name, clean_text(SEED.read_text(encoding="utf-8")), "text")
    others = [contents_text.PARSER.score(source), chapter_text.PARSER.score(source)]
    assert PARSER.score(source) >= 0.8 and max(others) < 0.3, others


@pytest.mark.parametrize("name", ["000_31f6aa2f9389923a.txt", "002_f1dd044776103fa0.txt",
                                  "003_f519893ae7a510c6.txt", "004_e6dbeeb091c2b123.txt"])
def test_other_seeds_score_low_as_amendments(name):
    path = SEED.parent / name
    assert PARSER.score(SourceText(name, clean_text(path.read_text(encoding="utf-8")), "text")) < 0.3


def test_empty_text_scores_zero():
    assert PARSER.score(SourceText("empty.txt", "", "text")) == 0.0
