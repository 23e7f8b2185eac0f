"""The ingest pipeline on a real store and the real model: counts, re-runs,
changed, removed and bad files, guessed manuals, encodings and HTML.

Expected counts are those established by hand from the seed files in the
parser tests: Derby City 146 numbered + 3 un-numbered entries, Leicestershire
117 + 1, Rotherham 152 (5.1.8 twice), DDSCP 149 amendments, and one Derbyshire
chapter page whose contents list names 7 sections.

A whole-sample ingest takes tens of seconds on a CPU, so it is done once per
module; the tests that change files work on small folders of one or two seeds.
"""
from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from ingest.manifest import MANIFEST_NAME
from ingest.pipeline import PIPELINE_VERSION, file_hash, ingest
from ingest.sites import discover
from vectorstore.catalog import Catalog
from vectorstore.settings import REPO_ROOT, Settings
from vectorstore.store import SourceKey, open_store

SEEDS = REPO_ROOT / "data" / "manuals"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "html"
DERBY_CITY, DDSCP, LEICS, ROTHERHAM, DERBYSHIRE = (
    "000_31f6aa2f9389923a.txt", "001_75d2e11c53ff3f9d.txt", "002_f1dd044776103fa0.txt",
    "003_f519893ae7a510c6.txt", "004_e6dbeeb091c2b123.txt")
ENTRIES = {"derby-city": 146 + 3, "leicestershire": 117 + 1, "rotherham": 152}
KEYS = {DERBY_CITY: SourceKey("derby-city", DERBY_CITY), DDSCP: SourceKey("ddscp", DDSCP),
        LEICS: SourceKey("leicestershire", LEICS), ROTHERHAM: SourceKey("rotherham", ROTHERHAM),
        DERBYSHIRE: SourceKey("derbyshire", DERBYSHIRE)}


def copy_seeds(dest: Path, *names: str) -> Path:
    """A writable copy of the seed folder (manifest included), or of some of its files."""
    keep = set(names)
    ignore = (lambda _dir, files: [f for f in files if f != MANIFEST_NAME and f not in keep]) if names else None
    shutil.copytree(SEEDS, dest, ignore=ignore)
    for path in dest.iterdir():  # the seeds are read-only; copytree keeps that
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return dest


def settings_in(root: Path) -> Settings:
    return Settings().with_(data_dir=root, store_dir=root / "store", manuals_dir=root / "manuals",
                            app_db=root / "app.sqlite3", chroma_host=None)


def run(folder, settings, embedder, paths=None):
    store = open_store(settings, embedder.name)
    return ingest(paths or [folder], settings, store, embedder), store


def snapshot(store, **where) -> dict[str, tuple]:
    """id -> what a re-ingest must not disturb."""
    return {c.id: (c.source, c.source_hash, c.text, c.record_json)
            for c in store.all_chunks(where=where or None)}


def errors_by_name(report) -> dict[str, str]:
    """File name -> reason (errors name the whole path)."""
    return {Path(path).name: reason for path, reason in report.errors}


# --- the whole sample, once ------------------------------------------------------

@pytest.fixture(scope="module")
def full(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("pipeline_full")
    folder = copy_seeds(root / "manuals")
    settings = settings_in(root)
    report, store = run(folder, settings, embedder)
    return folder, settings, report, store


def test_first_ingest_counts(full):
    _, _, report, store = full
    assert report.errors == []
    assert (report.files, report.ingested, report.skipped, report.removed) == (5, 5, 0, 0)
    assert report.entries == sum(ENTRIES.values()) == 419
    assert report.amendments == 149
    assert report.sections == 7
    assert report.chunks == store.count()
    assert not [n for n in report.notes if "not in a manifest" in n]


def test_first_ingest_store_contents(full):
    _, _, report, store = full
    catalog = Catalog.from_chunks(store.all_chunks())
    per_manual = {m: len(catalog.manual_entries(m)) for m in ENTRIES}
    assert per_manual == ENTRIES
    assert {a.manual_id for a in catalog.amendments} == {"ddscp"} and len(catalog.amendments) == 149
    assert [(c.manual_id, c.chapter) for c in catalog.chapters] == [("derbyshire", "1.1.1")]
    assert set(store.sources()) == set(KEYS.values())


def test_second_run_is_idempotent(full, embedder):
    folder, settings, _, store = full
    before, hashes = snapshot(store), store.sources()
    report, store = run(folder, settings, embedder)
    assert (report.files, report.ingested, report.skipped, report.removed) == (5, 0, 5, 0)
    assert report.errors == [] and report.chunks == 0
    assert snapshot(store) == before
    assert store.sources() == hashes


def test_the_store_answers_a_query(full, embedder):
    _, _, _, store = full
    hits = store.query(embedder.embed_query("Staying Put Policy"), k=5, where={"manual_id": "derby-city"})
    assert (hits[0][0].chapter, hits[0][0].title) == ("6.7.6", "Staying Put Policy")


def test_report_summary(full):
    _, _, report, _ = full
    text = report.summary()
    assert text.startswith("files 5: ingested 5, unchanged 0, removed 0, errors 0")
    assert "entries 419, chapters 1 (0 joined to their contents entry), sections 7, amendments 149" in text


# --- helpers of the pipeline ----------------------------------------------------------

def test_file_hash_is_of_content_pipeline_version_and_glossary(tmp_path, monkeypatch):
    import ingest.pipeline as pipeline

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("same"), b.write_text("same")
    assert file_hash(a) == file_hash(b)  # the name is not part of it
    before = file_hash(a)
    b.write_text("changed")
    assert file_hash(b) != before
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", PIPELINE_VERSION + "-next")
    assert file_hash(a) != before  # newer parsing or chunking re-ingests
    monkeypatch.undo()
    # glossary meanings are embedded with contents entries: another glossary re-ingests
    monkeypatch.setattr(pipeline, "glossary_digest", lambda: "another glossary")
    assert file_hash(a) != before


def test_discover_skips_the_manifest_and_hidden_files(tmp_path):
    folder = copy_seeds(tmp_path / "manuals", LEICS)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    found = discover([folder], {})
    assert [f.relative for f in found.files] == [LEICS] and found.folders == [folder.absolute()]
    assert found.files[0].manual.id == "leicestershire"
    found = discover([folder / LEICS], {})  # a file: its folder's manifest, but no folder
    assert [f.relative for f in found.files] == [LEICS] and found.folders == []
    assert found.files[0].manual.id == "leicestershire"


# --- changes to an ingested folder -----------------------------------------------------

@pytest.fixture
def small(tmp_path, fresh_settings, embedder):
    """Leicestershire contents and the Derbyshire chapter page, ingested."""
    folder = copy_seeds(tmp_path / "manuals", LEICS, DERBYSHIRE)
    report, store = run(folder, fresh_settings, embedder)
    assert report.errors == [] and report.ingested == 2
    return folder, fresh_settings, store


def test_changed_file_replaces_exactly_its_own_records(small, embedder):
    folder, settings, store = small
    other = snapshot(store, source=DERBYSHIRE)
    leics_before = snapshot(store, source=LEICS)
    path = folder / LEICS
    text = path.read_text(encoding="utf-8")
    old_row = "| 1.1.5 | Information Sharing Policy | ||"
    assert text.count(old_row) == 1
    path.write_text(text.replace(old_row, "| 1.1.5 | Information Sharing and Consent Protocol | ||"),
                    encoding="utf-8")

    report, store = run(folder, settings, embedder)
    assert (report.ingested, report.skipped, report.removed, report.errors) == (1, 1, 0, [])
    assert report.entries == 118
    titles = {c.title: c.chapter for c in store.all_chunks(where={"source": LEICS})}
    (leics_file,) = discover([path], {}).files
    assert titles["Information Sharing and Consent Protocol"] == "1.1.5"
    assert "Information Sharing Policy" not in titles
    assert snapshot(store, source=DERBYSHIRE) == other
    leics_after = snapshot(store, source=LEICS)
    assert len(leics_after) == len(leics_before) == 118
    # record ids come from content and position: only the edited entry has a new one
    records_before = {v[3] for v in leics_before.values()}
    records_after = {v[3] for v in leics_after.values()}
    assert len(records_before - records_after) == 1
    assert len(records_after - records_before) == 1
    assert store.sources()[KEYS[LEICS]].source_hash == file_hash(path, leics_file.described)


def test_removed_file_has_its_records_deleted(small, embedder):
    folder, settings, store = small
    leics = snapshot(store, source=LEICS)
    (folder / DERBYSHIRE).unlink()
    report, store = run(folder, settings, embedder)
    assert (report.files, report.ingested, report.skipped, report.removed) == (1, 0, 1, 1)
    assert store.all_chunks(where={"source": DERBYSHIRE}) == []
    assert store.all_chunks(where={"manual_id": "derbyshire"}) == []
    assert snapshot(store) == leics
    assert set(store.sources()) == {KEYS[LEICS]}


def test_ingesting_one_file_leaves_the_rest_of_the_folder_alone(small, embedder):
    folder, settings, store = small
    before = snapshot(store)
    report, store = run(folder, settings, embedder, paths=[folder / LEICS])
    assert (report.files, report.skipped, report.removed) == (1, 1, 0)
    assert snapshot(store) == before


def test_bad_inputs_are_reported_by_name_and_reason(tmp_path, fresh_settings, embedder):
    folder = copy_seeds(tmp_path / "manuals", LEICS, DERBYSHIRE)
    largest = max((folder / n).stat().st_size for n in (LEICS, DERBYSHIRE))
    limit = largest + 1000
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.txt").write_bytes(b"Contents\x00\x00\x01\x02\x00" * 50)
    (folder / "manual.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (folder / "shopping.txt").write_text("Shopping list\n\nEggs\nMilk\nBread\nTea bags\n- apples\n- pears\n")
    (folder / "huge.txt").write_text("1.1.1 A Chapter Title\n" * (limit // 10))
    settings = fresh_settings.with_(max_file_bytes=limit)

    report, store = run(folder, settings, embedder)
    assert (report.files, report.ingested) == (7, 2)
    errors = errors_by_name(report)
    assert set(errors) == {"empty.txt", "notes.txt", "manual.pdf", "shopping.txt", "huge.txt"}
    assert errors["empty.txt"] == "file is empty"
    assert "binary" in errors["notes.txt"]
    assert "binary" in errors["manual.pdf"]
    assert "not recognised" in errors["shopping.txt"]
    assert "limit" in errors["huge.txt"] and "PA_MAX_FILE_MB" in errors["huge.txt"]
    assert f"error: {folder.absolute() / 'empty.txt'}: file is empty" in report.summary()
    # the good files are in, and the store answers
    assert report.entries == 118 and set(store.sources()) == {KEYS[LEICS], KEYS[DERBYSHIRE]}
    hits = store.query(embedder.embed_query("priority codes"), k=3)
    assert hits and hits[0][0].manual_id == "leicestershire"
    assert (hits[0][0].chapter, hits[0][0].title) == ("1.2.1a", "Priority Codes")


@pytest.mark.parametrize("bad", [b"", b"\x00\x01\x02\x03binary" * 100, b"Shopping list\nEggs\nMilk\n"],
                         ids=["empty", "binary", "not-a-page"])
def test_file_that_turns_bad_keeps_its_previous_records(bad, tmp_path, fresh_settings, embedder):
    folder = copy_seeds(tmp_path / "manuals", LEICS)
    path = folder / LEICS
    good = path.read_bytes()
    report, store = run(folder, fresh_settings, embedder)
    before, hashes = snapshot(store), store.sources()

    path.write_bytes(bad)
    report, store = run(folder, fresh_settings, embedder)
    assert list(errors_by_name(report)) == [LEICS]
    assert (report.ingested, report.removed) == (0, 0)
    assert snapshot(store) == before and store.sources() == hashes

    path.write_bytes(good)  # put back as it was: nothing to do
    report, store = run(folder, fresh_settings, embedder)
    assert (report.skipped, report.errors) == (1, [])


def test_file_not_in_the_manifest_is_ingested_with_a_guessed_manual(tmp_path, fresh_settings, embedder):
    folder = copy_seeds(tmp_path / "manuals")
    for name in (DERBY_CITY, DDSCP, ROTHERHAM, DERBYSHIRE, LEICS):
        (folder / name).unlink()
    shutil.copyfile(SEEDS / LEICS, folder / "leics_contents.txt")
    report, store = run(folder, fresh_settings, embedder)
    assert report.errors == [] and report.entries == 118
    (note,) = [n for n in report.notes if "not in a manifest" in n]
    assert note.startswith("leics_contents.txt: ")
    assert "contents page" in note and "'leicestershire'" in note and "guessed" in note
    assert {c.manual_id for c in store.all_chunks()} == {"leicestershire"}
    (chunk, *_) = store.all_chunks()
    assert chunk.manual == "Leicestershire County Children's Social Care Operational Manual (March 2012)"


def test_utf16_and_cp1252_copies_give_the_same_entries(tmp_path, fresh_settings, embedder):
    # Rotherham's contents has a non-breaking space, en dashes and a curly apostrophe:
    # all three exist in Windows-1252, so the same text can be saved in each encoding.
    text = (SEEDS / ROTHERHAM).read_text(encoding="utf-8")
    assert "’" in text and "–" in text and "\u00a0" in text
    folder = tmp_path / "manuals"
    folder.mkdir()
    files = {"utf8.txt": "utf-8", "utf16.txt": "utf-16", "cp1252.txt": "cp1252"}
    manifest = '[manuals.rotherham]\nname = "Rotherham Children\'s Services Procedures"\n'
    for name, encoding in files.items():
        (folder / name).write_bytes(text.encode(encoding))
        manifest += f'\n[files."{name}"]\nmanual = "rotherham"\nkind = "contents"\n'
    (folder / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    assert (folder / "utf16.txt").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")

    report, store = run(folder, fresh_settings, embedder)
    assert report.errors == [] and report.entries == 3 * 152
    entries = Catalog.from_chunks(store.all_chunks()).entries

    def of(source):
        return [(e.chapter, e.title, e.flags, e.section, e.see_also, e.position)
                for e in entries if e.source == source]

    assert len(of("utf8.txt")) == 152
    assert of("utf16.txt") == of("utf8.txt")
    assert of("cp1252.txt") == of("utf8.txt")
    titles = {e.title for e in entries if e.source == "cp1252.txt"}
    # 0x92 in the cp1252 copy decoded as ’ (which cleaning straightens), not dropped as a control code
    assert "Children and Young People's Continuing Care National Framework" in titles
    assert any(t.startswith("South Yorkshire Practice Guide – The use of Section 20") for t in titles)


def test_html_contents_page_ingests_with_urls(tmp_path, fresh_settings, embedder):
    folder = tmp_path / "manuals"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "contents_tables.html", folder / "contents_tables.html")
    report, store = run(folder, fresh_settings, embedder)
    assert report.errors == [] and report.entries == 11
    assert not any("not in a manifest" in n for n in report.notes)  # a site: named from its contents page
    assert any("northshire" in n and "named from its contents page" in n for n in report.notes)
    entries = Catalog.from_chunks(store.all_chunks()).entries
    assert len(entries) == 11
    base = "https://northshire.proceduresonline.example/"
    without = [e.title for e in entries if not e.url]
    assert without == ["Induction for New Staff"]  # "to follow": no link yet
    assert all(e.url.startswith(base) for e in entries if e.url)
    staying_put = next(e for e in entries if e.title == "Staying Put Policy")
    assert (staying_put.chapter, staying_put.url) == ("6.7.2", base + "chapters/ch_staying_put.html")
    (chunk,) = store.all_chunks(where={"chapter": "6.7.2"})
    assert chunk.url == staying_put.url
    # the guessed manual is named after the site, not the page ("Contents | …")
    assert chunk.manual == "Northshire Children's Social Care Procedures Manual"
    assert chunk.manual_places == ["Northshire"]


def test_a_site_named_by_the_caller_gets_no_note_telling_them_to_name_it(tmp_path, fresh_settings, embedder):
    folder = tmp_path / "manuals"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "contents_tables.html", folder / "contents_tables.html")
    store = open_store(fresh_settings, embedder.name)
    report = ingest([folder], fresh_settings, store, embedder, manual_id="northshire-csc")
    assert report.errors == [] and report.entries == 11
    assert not any("give --manual/--name" in n for n in report.notes)
    assert {c.manual_id for c in store.all_chunks()} == {"northshire-csc"}


def test_editing_the_manifest_reingests_the_files_it_describes(tmp_path, fresh_settings, embedder):
    """A manual's places are stored with its records: changing them must not be skipped as 'unchanged'."""
    manuals = tmp_path / "manuals"
    manuals.mkdir()
    shutil.copy(SEEDS / "003_f519893ae7a510c6.txt", manuals / "r.txt")
    manifest = manuals / "manifest.toml"
    manifest.write_text('[manuals.rotherham]\nname = "Rotherham Procedures"\nplaces = ["Rotherham"]\n\n'
                        '[files."r.txt"]\nmanual = "rotherham"\nkind = "contents"\n', encoding="utf-8")
    store = open_store(fresh_settings, embedder.name)
    ingest([manuals], fresh_settings, store, embedder)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('["Rotherham"]', '["Rotherham", "RMBC"]'),
                        encoding="utf-8")
    again = ingest([manuals], fresh_settings, store, embedder)
    assert (again.ingested, again.skipped) == (1, 0)
    assert all(c.manual_places == ["Rotherham", "RMBC"] for c in store.all_chunks())
