"""Chapter page addresses: building them from records and citations, and
resolving them back, over the real sample store."""
import pytest

from assistant.practice.chapters import (AmendmentView, ChapterView, NotFound, amendment_params, citation_params, entry_params,
                      passage_hash, resolve, url_for)


@pytest.fixture(scope="module")
def catalog(sample_assistant):
    return sample_assistant.catalog


def entry(catalog, manual_id, number):
    return next(e for e in catalog.entries if e.manual_id == manual_id and e.chapter == number)


def test_unique_number_links_by_number(catalog):
    params = entry_params(catalog, entry(catalog, "derby-city", "6.7.6"))
    assert params == {"manual": "derby-city", "chapter": "6.7.6"}
    assert url_for(params) == "chapter?manual=derby-city&chapter=6.7.6"


def test_resolves_number_to_entry_and_section(catalog):
    view = resolve(catalog, {"manual": "derby-city", "chapter": "6.7.6"})
    assert isinstance(view, ChapterView)
    assert view.title == "Staying Put Policy" and view.entry.section.endswith("6.7 Leaving Care")
    assert view.others == []


def test_shared_number_links_by_record(catalog):
    first, second = catalog.entries_numbered("5.1.8", {"rotherham"})
    params = entry_params(catalog, second)
    assert params == {"manual": "rotherham", "chapter": "5.1.8", "record": second.record_id}
    view = resolve(catalog, params)
    assert view.entry == second and view.others == [first]


def test_unnumbered_entry_links_by_record(catalog):
    unnumbered = next(e for e in catalog.entries if not e.chapter)
    params = entry_params(catalog, unnumbered)
    assert set(params) == {"manual", "record"}
    assert resolve(catalog, params).entry == unnumbered


def test_chapter_page_without_contents_entry(catalog):
    view = resolve(catalog, {"manual": "derbyshire", "chapter": "1.1.1"})
    assert view.entry is None and view.pages[0].title == "Children's Services Policies, Values and Principles"


def test_amendment_record_and_its_linked_chapter(catalog):
    amendment = next(a for a in catalog.amendments if a.title == "Child Protection Conferences")
    view = resolve(catalog, amendment_params(amendment))
    assert isinstance(view, AmendmentView) and view.amendment == amendment


def test_citation_carries_the_passage(sample_assistant, catalog):
    answer = sample_assistant.ask("Which chapter covers Staying Put?")
    derby = next(c for c in answer.citations if c.manual_id == "derby-city" and c.chapter == "6.7.6")
    params = citation_params(catalog, derby)
    assert params["cite"] == passage_hash(derby.passage)
    assert resolve(catalog, params).cited.text == derby.passage


def test_amendment_citation_links_to_record(sample_assistant, catalog):
    answer = sample_assistant.ask("What changed in Child Protection Conferences in 2021?")
    cited = answer.citations[0]
    params = citation_params(catalog, cited)
    assert params["amendment"] == cited.record_id
    assert isinstance(resolve(catalog, params), AmendmentView)


@pytest.mark.parametrize("params", [
    {}, {"manual": "nowhere", "chapter": "1.1"}, {"manual": "derby-city"},
    {"manual": "derby-city", "chapter": "99.9"}, {"manual": "derby-city", "record": "nope"},
    {"manual": "ddscp", "amendment": "nope"},
])
def test_unknown_addresses_are_not_found(catalog, params):
    assert isinstance(resolve(catalog, params), NotFound)


def test_a_contents_only_chapter_shows_its_place_among_its_neighbours(catalog):
    view = resolve(catalog, {"manual": "derby-city", "chapter": "6.7.6"})
    assert not view.has_text and view.section_path == ["6. Children in Care", "6.7 Leaving Care"]
    # data/manuals/000_*.txt lists 6.7.1 … 6.7.6 and more under "6.7 Leaving Care"
    neighbours = [e.chapter for e in view.neighbours()]
    assert "6.7.6" in neighbours and "6.7.5" in neighbours
    assert all(e.section_path == view.section_path for e in view.neighbours())
    assert len(view.neighbours()) <= 7


def test_flags_of_a_contents_entry(catalog):
    assert resolve(catalog, {"manual": "derby-city", "chapter": "1.1.3"}).flags == ["New"]


def test_online_link_is_the_record_s_own_or_the_manual_s_labelled_honestly():
    from assistant.practice.chapters import online_link
    from vectorstore.models import Manual

    manual = Manual(id="derby-city", name="Derby City Children's Social Care Procedures",
                    url="https://derby.example.org/contents.html")
    own = online_link("https://derby.example.org/p_staying_put.html", manual, "Derby City")
    assert (own.url, own.exact) == ("https://derby.example.org/p_staying_put.html", True)
    fallback = online_link(None, manual, "Derby City")
    assert (fallback.url, fallback.label, fallback.exact) == (
        "https://derby.example.org/contents.html", "Open the Derby City procedures online", False)
    assert online_link(None, manual.model_copy(update={"url": None}), "Derby City") is None


def test_absolute_addresses_under_a_base_url():
    assert url_for({"manual": "derby-city", "chapter": "6.7.6"}, "https://pa.example.org/") == (
        "https://pa.example.org/chapter?manual=derby-city&chapter=6.7.6")


def test_amendment_history_includes_records_naming_the_chapter(catalog):
    from assistant.practice.chapters import amendments_of

    # data/manuals/001_*.txt: "Child Protection Conferences" updated in June 2021 (ddscp, no contents loaded)
    found = amendments_of(catalog, "ddscp", None, "Child Protection Conferences")
    assert found and all(a.title == "Child Protection Conferences" for a in found)
    assert [a.amended for a in found] == sorted((a.amended for a in found), reverse=True)
