"""Chapter pages in the templates councils publish beyond the seed: furniture
before the heading, a chapter's own contents list, the newer template with
sentence-case labels and un-numbered sections, and accordion sections.
Expected values were read off the fixtures."""
import pytest

from formats import parse


def chapter(name: str, url: str | None = None):
    page = parse(name, "chapter", url)
    assert len(page.chapters) == 1
    return page.chapters[0]


def headings(found) -> list[tuple]:
    return [(s.number, s.heading) for s in found.sections]


def everything(found) -> str:
    return " ".join([found.title, found.scope, found.amendment_note, *found.related, *found.contents,
                     *(s.heading + " " + s.text for s in found.sections)])


# -- furniture before the heading --------------------------------------------------------


@pytest.mark.parametrize("name", ["chapter_furniture.txt", "chapter_furniture.html"])
def test_furniture_before_the_heading_is_not_the_title(name):
    found = chapter(name)
    assert (found.chapter, found.title) == ("1.3.2", "Capacity and Consent")
    assert found.scope.startswith("This chapter explains how practitioners decide")
    assert found.amended == "2023-11"
    assert headings(found) == [("1", "1. Introduction"), ("2", "2. Assessing Capacity"),
                               ("3", "3. When a Young Person Lacks Capacity")]
    text = everything(found)
    for furniture in ("Skip to", "logo", "View Regional", "Text size", "cookies", "Top of page", "Home >"):
        assert furniture not in text
    assert found.sections[-1].text.endswith("legal advice is sought within two working days.")


# -- a chapter's own list of its sections -------------------------------------------------


@pytest.mark.parametrize("name", ["chapter_own_contents.txt", "chapter_own_contents.html"])
def test_own_contents_list_is_contents_not_empty_sections(name):
    found = chapter(name)
    assert (found.chapter, found.title) == ("2.4.1", "Strategy Discussions")
    assert found.contents == ["Introduction", "Who Takes Part", "Timescales", "Recording the Discussion"]
    assert headings(found) == [("1", "1. Introduction"), ("2", "2. Who Takes Part"), ("3", "3. Timescales"),
                               ("4", "4. Recording the Discussion")]
    assert all(s.text for s in found.sections)
    assert "within one working day of the concern" in found.sections[2].text
    assert found.amended == "2024-05"


# -- the newer template ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["chapter_newer.html", "chapter_newer.txt"])
def test_newer_template_labels_and_unnumbered_sections(name):
    found = chapter(name)
    assert (found.chapter, found.title) == (None, "Staying Put")
    assert found.scope.startswith("This chapter describes how a young person in foster care")
    assert found.amendment_note == "In February 2024 this chapter was updated to reflect the new allowance rates."
    assert found.amended == "2024-02"
    assert found.related == ["Leaving Care and Transition", "Pathway Plans",
                             "Staying Put: Arrangements for Care Leavers (DfE)"]
    assert [s.heading for s in found.sections] == ["Introduction", "Eligibility", "The Staying Put agreement"]
    assert all(s.number is None for s in found.sections)
    assert found.sections[0].text.startswith("Staying Put lets a young person move to independence")
    assert "• It sets out house rules and contributions." in found.sections[2].text


def test_newer_template_h3_stays_inside_its_h2_section():
    found = chapter("chapter_newer.html")
    eligibility = found.sections[1].text
    assert "Young people in residential care" in eligibility
    assert "Staying Put does not apply to children's homes" in eligibility
    assert found.url == "https://fernbrook.trixonline.example/chapter/staying-put"


# -- accordions ----------------------------------------------------------------------------


def test_details_summary_accordion_sections():
    found = chapter("chapter_accordion_details.html")
    assert (found.chapter, found.title) == (None, "Private Fostering")
    assert found.amended == "2024-06"
    assert [s.heading for s in found.sections] == ["What private fostering is", "Notifying the local authority",
                                                  "Visits"]
    assert "• Schools and health staff who learn of an arrangement tell the authority." in found.sections[1].text
    visits = found.sections[2].text
    assert "Later visits" in visits and "every twelve weeks after that" in visits
    assert "Expand all" not in everything(found) and "Collapse all" not in everything(found)


def test_bootstrap_accordion_sections_keep_their_button_titles():
    found = chapter("chapter_accordion_bootstrap.html")
    assert (found.chapter, found.title) == ("3.2.4", "Visits to Children in Children's Homes")
    assert found.scope.startswith("This chapter covers statutory visits")
    assert found.related == ["Care Planning"]
    assert headings(found) == [("1", "1. Purpose of Visits"), ("2", "2. Frequency"), ("3", "3. Recording")]
    assert "Unplanned visits" in found.sections[1].text and "within three working days" in found.sections[1].text
    assert "Expand all" not in everything(found)


def test_own_contents_list_without_a_label_is_still_contents():
    from formats import MANUAL, source
    from ingest.parsers.chapter_text import PARSER
    from ingest.parsers.base import SourceText

    page = source("chapter_own_contents.txt")
    unlabelled = SourceText(page.name, page.text.replace("In this chapter\n", ""), "text")
    found = PARSER.parse(unlabelled, MANUAL).chapters[0]
    assert found.contents == ["Introduction", "Who Takes Part", "Timescales", "Recording the Discussion"]
    assert [s.number for s in found.sections] == ["1", "2", "3", "4"] and all(s.text for s in found.sections)
