"""Finding manuals in folders (no store, no model): which files make up which
site, and what each site's manual is called. The fixture sites and their
truth files are in tests/fixtures/sites and tests/fixtures/truth."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.manifest import MANIFEST_NAME
from ingest.manuals import manual_for_name, name_from_page, slugify
from ingest.sites import CRAWL_RECORD, discover
from vectorstore.models import Manual, PageKind
from vectorstore.settings import REPO_ROOT

SITES = REPO_ROOT / "tests" / "fixtures" / "sites"
TRUTH = REPO_ROOT / "tests" / "fixtures" / "truth"
SEEDS = REPO_ROOT / "data" / "manuals"


def truth(site: str) -> dict:
    return json.loads((TRUTH / f"{site}.json").read_text(encoding="utf-8"))


def saved_pages(site: str) -> set[str]:
    """Every page file the fixture's author saved (assets aside)."""
    root = SITES / site
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
            and p.suffix in (".html", ".htm", ".txt")}


@pytest.mark.parametrize("site", ["brackenshire", "hollinford", "wrenmouth"])
def test_a_saved_site_is_one_manual_named_from_its_contents_page(site):
    found = discover([SITES / site], {})
    assert found.errors == []
    (only,) = found.sites
    assert only.root == (SITES / site).absolute()
    assert only.manual.name == truth(site)["manual_name"]
    assert only.manual.id == site  # a short readable id from its place name
    assert {f.relative for f in only.files} == saved_pages(site)  # chapters/ sub-folders included
    assert all(f.manual == only.manual for f in only.files)


def test_a_folder_of_sites_holds_each_as_its_own_manual():
    found = discover([SITES], {})
    assert found.errors == []
    assert {s.manual.id: s.root.name for s in found.sites} == {"brackenshire": "brackenshire",
                                                                "hollinford": "hollinford",
                                                                "wrenmouth": "wrenmouth"}
    assert {f.relative for f in found.files if f.manual.id == "hollinford"} == saved_pages("hollinford")


def test_the_same_file_name_in_two_sites_is_two_sources():
    found = discover([SITES], {})
    amendments = [(f.manual.id, f.relative) for f in found.files if f.relative == "amendments.html"]
    assert sorted(amendments) == [("brackenshire", "amendments.html"), ("hollinford", "amendments.html")]


def test_the_sample_folder_keeps_its_manifest_manuals():
    found = discover([SEEDS], {})
    assert found.errors == []
    by_file = {f.relative: (f.manual.id, f.kind) for f in found.files}
    assert by_file["000_31f6aa2f9389923a.txt"] == ("derby-city", PageKind.CONTENTS)
    assert by_file["004_e6dbeeb091c2b123.txt"] == ("derbyshire", PageKind.CHAPTER)
    assert len(by_file) == 5


def test_manual_and_name_given_on_the_command_line_win(tmp_path):
    site = shutil.copytree(SITES / "hollinford", tmp_path / "site")
    found = discover([site], {}, manual_id="hollinford-csc", manual_name="Hollinford CSC Procedures")
    (only,) = found.sites
    assert (only.manual.id, only.manual.name) == ("hollinford-csc", "Hollinford CSC Procedures")
    assert {f.manual.id for f in only.files} == {"hollinford-csc"}


def test_a_manual_id_for_several_sites_is_an_error():
    found = discover([SITES], {}, manual_id="one")
    assert found.sites == []
    ((where, reason),) = found.errors
    assert "3 sites" in reason and str(SITES) in where


def test_a_site_sub_folder_that_is_a_site_itself_is_read_on_its_own(tmp_path):
    root = shutil.copytree(SITES / "brackenshire", tmp_path / "brackenshire")
    shutil.copytree(SITES / "hollinford", root / "partners" / "hollinford")
    found = discover([root], {})
    assert {s.manual.id for s in found.sites} == {"brackenshire", "hollinford"}
    brackenshire = next(s for s in found.sites if s.manual.id == "brackenshire")
    assert not any(f.relative.startswith("partners/") for f in brackenshire.files)


def test_a_manifest_names_the_manual_and_files_by_path_inside_the_folder(tmp_path):
    site = shutil.copytree(SITES / "brackenshire", tmp_path / "site")
    (site / MANIFEST_NAME).write_text(
        '[manuals.bcc]\nname = "Brackenshire Procedures"\nurl = "https://bcc.example/contents.html"\n\n'
        '[files."pages/accessibility.html"]\nmanual = "bcc"\nkind = "chapter"\n', encoding="utf-8")
    found = discover([site], {})
    (only,) = found.sites
    assert only.manual == Manual(id="bcc", name="Brackenshire Procedures", places=["Brackenshire"],
                                 url="https://bcc.example/contents.html")
    kinds = {f.relative: f.kind for f in only.files}
    assert kinds["pages/accessibility.html"] == PageKind.CHAPTER and kinds["contents.html"] is None


@pytest.mark.parametrize("manifest, says", [
    ("[manuals.x\nname = 'broken'", "not valid TOML"),
    ('[manuals.x]\nname = "X"\n[files."a.html"]\nmanual = "y"\n', "names manual 'y', which is not defined"),
    ('[manuals.x]\nname = "X"\n[files."a.html"]\nmanual = "x"\nkind = "leaflet"\n', "not a valid PageKind"),
    ('[manuals.x]\nplaces = ["X"]\n', "needs a name"),
])
def test_a_bad_manifest_is_reported_with_its_path_and_the_folder_left_alone(tmp_path, manifest, says):
    site = shutil.copytree(SITES / "brackenshire", tmp_path / "site")
    (site / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    found = discover([site], {})
    assert found.sites == [] and found.protected == [site.absolute()]
    ((where, reason),) = found.errors
    assert where == str(site.absolute() / MANIFEST_NAME) and says in reason


def test_an_unreadable_folder_is_reported_and_protected(tmp_path, monkeypatch):
    outer = tmp_path / "outer"
    shutil.copytree(SITES / "brackenshire", outer / "ok")
    locked = outer / "locked"
    locked.mkdir()
    locked.chmod(0)
    real_iterdir = Path.iterdir

    def iterdir(self):  # root reads any folder: refuse this one as a permission error would
        if self == locked.absolute():
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    try:
        found = discover([outer], {})
    finally:
        locked.chmod(0o755)
    assert [s.manual.id for s in found.sites] == ["brackenshire"]
    assert found.protected == [locked.absolute()]
    assert any(where == str(locked.absolute()) and "cannot be read" in reason for where, reason in found.errors)


def test_a_crawl_record_names_the_manual_and_gives_each_page_its_address(tmp_path):
    site = shutil.copytree(SITES / "brackenshire", tmp_path / "site")
    (site / CRAWL_RECORD).write_text(json.dumps({
        "manual": "brack", "name": "Brackenshire Procedures", "start_url": "http://127.0.0.1:9/contents.html",
        "pages": {"chapters/p_missing.html": {"url": "http://127.0.0.1:9/chapters/p_missing.html",
                                              "kind": "chapter"}}}), encoding="utf-8")
    found = discover([site], {})
    (only,) = found.sites
    assert (only.manual.id, only.manual.url) == ("brack", "http://127.0.0.1:9/contents.html")
    missing = next(f for f in only.files if f.relative == "chapters/p_missing.html")
    assert (missing.url, missing.kind) == ("http://127.0.0.1:9/chapters/p_missing.html", PageKind.CHAPTER)
    assert CRAWL_RECORD not in {f.relative for f in only.files}


def test_loose_pages_in_a_folder_without_a_contents_page_are_read_one_by_one(tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    shutil.copy(SITES / "brackenshire" / "chapters" / "p_missing.html", loose)
    found = discover([loose], {})
    (only,) = found.sites
    assert only.manual is None and [f.manual for f in only.files] == [None]  # guessed when read


def test_assets_of_a_saved_site_are_not_pages(tmp_path):
    site = shutil.copytree(SITES / "brackenshire", tmp_path / "site")
    (site / "css").mkdir()
    (site / "css" / "site.css").write_text("body { color: black }")
    (site / "logo.png").write_bytes(b"\x89PNG\r\n")
    found = discover([site], {})
    assert not {"css/site.css", "logo.png"} & {f.relative for f in found.files}


# --- naming ------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("Brackenshire County Council Children's Services Procedures Manual", "brackenshire"),
    ("Hollinford City Council Children's Social Care Procedures", "hollinford"),
    ("Derby and Derbyshire Safeguarding Children Partnership Procedures", "derby-derbyshire"),
    ("Children's Services Procedures", "children-services-procedures"),
    ("Wrenmouth Children and Families Procedures", "wrenmouth"),
])
def test_manual_ids_are_short_readable_slugs(name, expected):
    assert manual_for_name(name, []).id == expected


def test_a_taken_id_is_lengthened_not_numbered_first():
    council = Manual(id="brackenshire", name="Brackenshire County Council Children's Services Procedures Manual")
    partnership = manual_for_name("Brackenshire Safeguarding Children Partnership Procedures", [council])
    assert partnership.id == "brackenshire-safeguarding-children"
    assert manual_for_name(council.name, [council]) is council  # the same name is the same manual


def test_slugs_are_never_cut_mid_word():
    slug = slugify("Leicester Leicestershire and Rutland Safeguarding Children Partnership Procedures")
    assert len(slug) <= 40 and slug.split("-")[-1] in {"safeguarding", "children", "rutland"}


def test_a_name_from_the_page_title_skips_banners_and_the_page_part():
    assert name_from_page("Contents | Northshire Children's Social Care Procedures Manual", []) == \
        "Northshire Children's Social Care Procedures Manual"
    lines = ["Skip to main content", "View Brackenshire Safeguarding Children Partnership Procedures",
             "Brackenshire County Council Children's Services Procedures Manual", "Contents"]
    assert name_from_page("", lines) == "Brackenshire County Council Children's Services Procedures Manual"
    assert name_from_page("", ["Derby CityChildren's Social Care Procedures"]) == \
        "Derby City Children's Social Care Procedures"
