"""Whole saved sites through the real pipeline, store and model: each fixture
site ingests in one command with no manifest, every chapter page is joined to
its numbered contents entry, no source is lost whatever the order or the
names, and the summary's counts are what the store holds.

Expected values come from the truth files the sites' author wrote
(tests/fixtures/truth/*.json), never from the program's output.
"""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from ingest.pipeline import ingest, prune
from vectorstore.catalog import Catalog
from vectorstore.settings import REPO_ROOT, Settings
from vectorstore.store import SourceKey, open_store

SITES = REPO_ROOT / "tests" / "fixtures" / "sites"
TRUTH = REPO_ROOT / "tests" / "fixtures" / "truth"
NAMES = ("brackenshire", "hollinford", "wrenmouth")


def truth(site: str) -> dict:
    return json.loads((TRUTH / f"{site}.json").read_text(encoding="utf-8"))


def settings_in(root: Path) -> Settings:
    return Settings().with_(data_dir=root, store_dir=root / "store", manuals_dir=root / "manuals",
                            app_db=root / "app.sqlite3", chroma_host=None)


def records(store) -> set[tuple]:
    """What a store holds, independent of chunk ids: (manual, source, kind, text, record)."""
    return {(c.manual_id, c.source, c.kind.value, c.text, c.record_json, c.chapter, c.chapter_key)
            for c in store.snapshot()}


@pytest.fixture(scope="module")
def both(tmp_path_factory, embedder):
    """Both sites, ingested in one run from the folder that holds them."""
    root = tmp_path_factory.mktemp("sites")
    sites = shutil.copytree(SITES, root / "manuals")
    settings = settings_in(root)
    store = open_store(settings, embedder.name)
    report = ingest([sites], settings, store, embedder)
    return sites, settings, store, report, Catalog.from_chunks(store.snapshot())


def test_a_folder_of_sites_ingests_as_one_manual_each(both):
    _, _, _, report, catalog = both
    assert {m.id: m.name for m in catalog.manuals.values()} == {s: truth(s)["manual_name"] for s in NAMES}
    # the one page of each site that is no procedure is refused by name, not misparsed
    refused = {Path(path).name for path, _ in report.errors}
    other = {Path(p["file"]).name for s in NAMES for p in truth(s)["other_pages"] if p["kind"] == "none"}
    assert refused == other


@pytest.mark.parametrize("site", NAMES)
def test_every_chapter_page_is_joined_to_its_numbered_entry(both, site):
    catalog = both[4]
    pages = {c.source: c for c in catalog.chapters if c.manual_id == site}
    expected = truth(site)["chapters"]
    assert set(pages) == {c["file"] for c in expected}
    for want in expected:
        page = pages[want["file"]]
        assert (page.chapter, page.title) == (want["joins_to"], want["contents_title"]), want["file"]
        assert page.entry_id, want["file"]


@pytest.mark.parametrize("site", NAMES)
def test_entries_sections_and_amendments_are_what_the_site_holds(both, site):
    catalog = both[4]
    want = truth(site)
    entries = [e for e in catalog.entries if e.manual_id == site]
    assert [(e.chapter, e.title) for e in entries] == [(e["chapter"], e["title"]) for e in want["entries"]]
    assert [e.section_path for e in entries] == [e["section_path"] for e in want["entries"]]
    pages = {c.source: c for c in catalog.chapters if c.manual_id == site}
    for chapter in want["chapters"]:
        page = pages[chapter["file"]]
        # prose under the heading that no label claims is kept as a first, untitled section
        headings = [s.heading for s in page.sections if s.number or s.heading not in (page.title, page.page_title)]
        assert headings == chapter["sections"], chapter["file"]
        # the scope and the amendment note are read as such, whatever the template writes them as
        assert (bool(page.scope), page.amended) == (chapter["has_scope"], chapter["amended"]), chapter["file"]
    amendments = Counter((a.amended, a.change.value) for a in catalog.amendments if a.manual_id == site)
    assert amendments == Counter((a["amended"], a["change"]) for a in want["amendments"])


def test_a_joined_chapter_carries_its_entry_place_and_flags(both):
    catalog = both[4]
    for site in NAMES:
        entries = {e.record_id: e for e in catalog.entries}
        for page in (c for c in catalog.chapters if c.manual_id == site):
            entry = entries[page.entry_id]
            assert (page.section_path, page.flags) == (entry.section_path, entry.flags)


def test_the_summary_counts_are_what_the_store_holds(both):
    _, _, store, report, catalog = both
    assert report.chunks == store.count() == len(store.snapshot())
    assert report.entries == len(catalog.entries)
    assert report.amendments == len(catalog.amendments)
    assert report.chapters == len(catalog.chapters) == report.joined
    assert report.sections == sum(len(c.sections) for c in catalog.chapters)
    assert report.ingested + len(report.errors) == report.files
    assert sum(r.chunks for r in store.sources().values()) == store.count()


def test_amendments_link_to_the_same_chapter_as_the_pages(both):
    catalog = both[4]
    for site in NAMES:
        expected = [a["joins_to"] for a in truth(site)["amendments"]]
        got = [a.chapter for a in catalog.amendments if a.manual_id == site]
        assert Counter(got) == Counter(expected)


def test_a_chapter_is_cited_once_with_its_number(both, embedder):
    from assistant.chain import Assistant

    _, settings, store, _, _ = both
    assistant = Assistant(settings, store=store, embedder=embedder)
    for question in ("how soon after a child returns from being missing should they be offered an interview?",
                     "staying put arrangements with former foster carers", "private fostering notification"):
        answer = assistant.ask(question)
        keys = [(c.manual_id, c.chapter, c.title) for c in answer.citations if c.kind.value != "amendment"]
        assert keys and len(keys) == len(set(keys)), question
        assert all(c.chapter for c in answer.citations if c.kind.value == "chapter"), question


@pytest.mark.parametrize("site, question, page", [
    ("brackenshire", "within how many working days must a private fostering visit be made in Brackenshire?",
     "chapters/p_private_fostering.html"),
    ("hollinford", "in Hollinford, how often must a child in care be visited after the first visit?",
     "chapters/cic_visits.html"),
])
def test_a_question_about_chapter_text_cites_the_numbered_chapter(both, embedder, site, question, page):
    from assistant.chain import Assistant

    _, settings, store, _, _ = both
    number = next(c["joins_to"] for c in truth(site)["chapters"] if c["file"] == page)
    answer = Assistant(settings, store=store, embedder=embedder).ask(question)
    first = answer.citations[0]
    assert (first.manual_id, first.chapter, first.source) == (site, number, page)


def test_a_second_run_changes_nothing(both, embedder):
    sites, settings, store, first, _ = both
    before = records(store)
    again = ingest([sites], settings, store, embedder)
    assert (again.ingested, again.removed, again.chunks) == (0, 0, 0)
    assert again.skipped == first.ingested
    assert records(store) == before


def test_order_and_grouping_of_runs_do_not_matter(both, tmp_path, embedder):
    sites, _, store, _, _ = both
    settings = settings_in(tmp_path)
    other = open_store(settings, embedder.name)
    for name in reversed(NAMES):  # one site per run, the other way round
        ingest([sites / name], settings, other, embedder)
    assert records(other) == records(store)


# --- no source is lost --------------------------------------------------------------


@pytest.fixture
def two_small_sites(tmp_path):
    """Two small copies of the sites (contents, amendments and two chapters each), in separate folders."""
    made = {}
    for name, chapters in (("brackenshire", ["p_values.html", "p_missing.html"]),
                           ("hollinford", ["values.html", "missing.html"])):
        folder = tmp_path / "in" / name
        (folder / "chapters").mkdir(parents=True)
        for page in ("contents.html", "amendments.html"):
            shutil.copy(SITES / name / page, folder / page)
        for page in chapters:
            shutil.copy(SITES / name / "chapters" / page, folder / "chapters" / page)
        made[name] = folder
    return made


def test_ingesting_folder_b_leaves_folder_a_alone(two_small_sites, tmp_path, embedder):
    settings = settings_in(tmp_path)
    store = open_store(settings, embedder.name)
    first = ingest([two_small_sites["brackenshire"]], settings, store, embedder)
    a = records(store)
    second = ingest([two_small_sites["hollinford"]], settings, store, embedder)
    assert second.removed == 0 and second.errors == []
    assert a <= records(store)
    assert store.count() == first.chunks + second.chunks  # nothing overwrote anything


def test_a_re_ingest_of_a_folder_removes_only_what_left_that_folder(two_small_sites, tmp_path, embedder):
    settings = settings_in(tmp_path)
    store = open_store(settings, embedder.name)
    ingest(list(two_small_sites.values()), settings, store, embedder)
    hollinford = {r for r in records(store) if r[0] == "hollinford"}
    (two_small_sites["brackenshire"] / "chapters" / "p_missing.html").unlink()
    report = ingest([two_small_sites["brackenshire"]], settings, store, embedder)
    assert report.removed == 1
    assert SourceKey("brackenshire", "chapters/p_missing.html") not in store.sources()
    assert {r for r in records(store) if r[0] == "hollinford"} == hollinford
    # the contents entry stays, now a contents-only chapter
    entries = Catalog.from_chunks(store.snapshot()).entries
    assert any(e.manual_id == "brackenshire" and e.title.startswith("Children Missing") for e in entries)


def test_a_moved_site_folder_is_the_same_manual(two_small_sites, tmp_path, embedder):
    settings = settings_in(tmp_path)
    store = open_store(settings, embedder.name)
    ingest([two_small_sites["hollinford"]], settings, store, embedder)
    before = records(store)
    moved = shutil.move(str(two_small_sites["hollinford"]), str(tmp_path / "elsewhere"))
    report = ingest([Path(moved)], settings, store, embedder)
    assert (report.ingested, report.removed) == (0, 0)
    assert records(store) == before


def test_prune_removes_a_manual_and_nothing_else(two_small_sites, tmp_path, embedder):
    settings = settings_in(tmp_path)
    store = open_store(settings, embedder.name)
    ingest(list(two_small_sites.values()), settings, store, embedder)
    brackenshire = {r for r in records(store) if r[0] == "brackenshire"}
    report = prune(["hollinford", "nowhere"], store)
    assert report.removed == 4
    assert report.errors == [("nowhere", "no manual with this id is loaded")]
    assert records(store) == brackenshire


def test_a_chapter_page_ingested_before_its_contents_page_is_joined_when_it_arrives(two_small_sites, tmp_path,
                                                                                   embedder):
    settings = settings_in(tmp_path)
    store = open_store(settings, embedder.name)
    site = two_small_sites["brackenshire"]
    ingest([site], settings, store, embedder)
    page = site / "chapters" / "p_missing.html"
    number = next(c["joins_to"] for c in truth("brackenshire")["chapters"] if c["file"] == "chapters/p_missing.html")
    # The contents page renumbers the chapter: only the join pass can tell the page.
    contents = site / "contents.html"
    contents.write_text(contents.read_text(encoding="utf-8").replace(f">{number} ", ">9.9.9 "), encoding="utf-8")
    report = ingest([site], settings, store, embedder)
    assert report.ingested == 1  # only the contents page changed
    (chapter,) = [c for c in Catalog.from_chunks(store.snapshot()).chapters if c.source == "chapters/p_missing.html"]
    assert chapter.chapter == "9.9.9" and page.exists()


EXPORTS = REPO_ROOT / "tests" / "fixtures" / "exports"


@pytest.mark.parametrize("site", [s for s in NAMES if truth(s)["exports"]])
def test_a_text_export_of_a_site_is_the_same_manual_with_its_chapters_joined_by_number(site, tmp_path, embedder):
    settings = settings_in(tmp_path)
    store = open_store(settings, embedder.name)
    report = ingest([EXPORTS / site], settings, store, embedder)
    assert report.errors == []
    catalog = Catalog.from_chunks(store.snapshot())
    assert list(catalog.manuals) == [site]  # named from the exported contents page, as the site is
    want = truth(site)
    assert len(catalog.entries) == len(want["entries"])
    numbers = {Path(c["file"]).stem: c["joins_to"] for c in want["chapters"]}
    exported = [x["file"] for x in want["exports"] if x["kind"] == "chapter"]
    assert sorted(c.source for c in catalog.chapters) == sorted(exported)
    for page in catalog.chapters:  # text exports carry no links: joined by number or title
        assert page.entry_id and page.chapter == numbers[Path(page.source).stem], page.source


@pytest.mark.parametrize("question, chapter", [
    ("wrenmouth chronologies", "2.1.4"),  # a contents-only entry; Neglect and FII pages mention chronologies
    ("staying close in wrenmouth", "5.1.3"),  # a contents-only entry; the Staying Put page mentions it
])
def test_the_chapter_named_what_was_asked_comes_before_pages_that_mention_it(both, embedder, question, chapter):
    from assistant.chain import Assistant

    _, settings, store, _, _ = both
    first = Assistant(settings, store=store, embedder=embedder).ask(question).citations[0]
    assert (first.manual_id, first.chapter) == ("wrenmouth", chapter)
