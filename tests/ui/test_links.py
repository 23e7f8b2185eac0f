"""Chapter page addresses: building them from records and citations, and
resolving them back, over the real sample store."""
import pytest

from ui.links import (AmendmentView, ChapterView, NotFound, amendment_params, citation_params, entry_params,
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
