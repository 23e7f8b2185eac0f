"""Every page of the two invented councils' saved sites (tests/fixtures/sites/)
and their text exports (tests/fixtures/exports/), parsed one by one and
compared with the truth file their author wrote (tests/fixtures/truth/):
kind detection, contents entries, chapter headings, sections, scope and
amendment month, and amendment rows.

Joining pages to entries is the pipeline's work (tests/ingest/), not checked here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.parsers import ParseError, detect_kind, parser_for
from ingest.reading import read_source
from vectorstore.models import Manual, PageKind
from vectorstore.text import parse_date

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SITES = ("brackenshire", "hollinford")
LIMIT = 20 * 1024 * 1024

if not (FIXTURES / "truth").is_dir():  # pragma: no cover - the sites arrive with the whole-manuals work
    pytest.skip("the fixture sites are not in this checkout", allow_module_level=True)


def truth(site: str) -> dict:
    return json.loads((FIXTURES / "truth" / f"{site}.json").read_text(encoding="utf-8"))


def read(path: Path, kind: str):
    source = read_source(path, LIMIT)
    return parser_for(PageKind(kind), source.format).parse(source, Manual(id=path.parts[-2], name="Fixture"))


def site_file(site: str, name: str) -> Path:
    return FIXTURES / "sites" / site / name


def export_file(site: str, name: str) -> Path:
    return FIXTURES / "exports" / site / name


def pages(kind: str) -> list[tuple[str, str]]:
    """(site, file) of every saved page of a kind the truth files list."""
    found = []
    for site in SITES:
        t = truth(site)
        if kind == "contents":
            found.append((site, t["contents_file"]))
        elif kind == "chapter":
            found.extend((site, c["file"]) for c in t["chapters"])
        elif kind == "amendments":
            found.extend((site, f) for f in sorted({a.get("file", "amendments.html") for a in t["amendments"]}))
    return found


def exports(kind: str) -> list[tuple[str, dict]]:
    return [(site, x) for site in SITES for x in truth(site)["exports"] if x["kind"] == kind]


# -- the shape of what is compared ---------------------------------------------------


def entry_facts(entries) -> list[tuple]:
    return [(e.chapter, e.title, e.flags, e.section_path, e.see_also, e.dated) for e in entries]


def true_entries(site: str) -> list[tuple]:
    return [(e["chapter"], e["title"], e["flags"], e["section_path"], e["see_also"],
             parse_date(e["date"]) if e.get("date") else None) for e in truth(site)["entries"]]


def chapter_facts(chapter) -> dict:
    heading = f"{chapter.chapter} {chapter.title}" if chapter.chapter else chapter.title
    # The first section is the prose under the heading when no label claims it: not a heading of the page.
    sections = [s for s in chapter.sections if s.number or s.heading != chapter.title]
    return {"h1": heading, "sections": [s.heading for s in sections], "has_scope": bool(chapter.scope),
            "amended": chapter.amended, "numbered": any(s.number for s in sections)}


def true_chapter(site: str, file: str) -> dict:
    c = next(c for c in truth(site)["chapters"] if c["file"] == file)
    numbered = c.get("numbered_sections", any(s[:1].isdigit() for s in c["sections"]))
    return {"h1": c["h1"], "sections": c["sections"], "has_scope": c["has_scope"], "amended": c["amended"],
            "numbered": numbered}


def true_rows(site: str, file: str) -> list[tuple]:
    return [(a["amended"], a["change"], a["title"]) for a in truth(site)["amendments"]
            if a.get("file", "amendments.html") == file]


def row_facts(amendments) -> list[tuple]:
    return [(a.amended, a.change.value, a.title) for a in amendments]


# -- kinds -------------------------------------------------------------------------------


def every_page() -> list[tuple[Path, str]]:
    found = [(site_file(site, f), kind) for kind in ("contents", "chapter", "amendments") for site, f in pages(kind)]
    found += [(export_file(site, x["file"]), x["kind"]) for kind in ("contents", "chapter", "amendments")
              for site, x in exports(kind)]
    return found


@pytest.mark.parametrize("path, kind", every_page(), ids=lambda v: "/".join(v.parts[-3:]) if isinstance(v, Path) else v)
def test_kind_detected(path, kind):
    assert detect_kind(read_source(path, LIMIT)) == PageKind(kind)


@pytest.mark.parametrize("site, file", [(s, o["file"]) for s in SITES for o in truth(s)["other_pages"]])
def test_pages_of_no_kind_are_refused(site, file):
    with pytest.raises(ParseError, match="could not tell what kind of page this is"):
        detect_kind(read_source(site_file(site, file), LIMIT))


# -- contents ----------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_contents_entries(site):
    page = read(site_file(site, truth(site)["contents_file"]), "contents")
    assert entry_facts(page.entries) == true_entries(site)
    assert [e.url for e in page.entries] == [e["href"] for e in truth(site)["entries"]]


@pytest.mark.parametrize("site, export", exports("contents"), ids=lambda v: v if isinstance(v, str) else v["file"])
def test_contents_export_entries(site, export):
    page = read(export_file(site, export["file"]), "contents")
    assert entry_facts(page.entries) == true_entries(site)


# -- chapters ------------------------------------------------------------------------------


@pytest.mark.parametrize("site, file", pages("chapter"))
def test_chapter_page(site, file):
    page = read(site_file(site, file), "chapter")
    assert len(page.chapters) == 1
    chapter = page.chapters[0]
    assert chapter_facts(chapter) == true_chapter(site, file)
    canonical = next(c for c in truth(site)["chapters"] if c["file"] == file).get("canonical")
    if canonical:
        assert chapter.url == canonical
    assert all(s.text for s in chapter.sections), "no section is left empty"


@pytest.mark.parametrize("site, export", exports("chapter"), ids=lambda v: v if isinstance(v, str) else v["file"])
def test_chapter_export(site, export):
    chapter = read(export_file(site, export["file"]), "chapter").chapters[0]
    assert chapter_facts(chapter) == true_chapter(site, export["of"])


# -- amendments ---------------------------------------------------------------------------


@pytest.mark.parametrize("site, file", pages("amendments"))
def test_amendment_rows(site, file):
    page = read(site_file(site, file), "amendments")
    assert row_facts(page.amendments) == true_rows(site, file)
    hrefs = [a.get("href") for a in truth(site)["amendments"] if a.get("file", "amendments.html") == file]
    if any(hrefs):
        assert [a.url for a in page.amendments] == hrefs
    assert all(a.details for a in page.amendments), "every row says what changed"


@pytest.mark.parametrize("site, export", exports("amendments"), ids=lambda v: v if isinstance(v, str) else v["file"])
def test_amendments_export_rows(site, export):
    page = read(export_file(site, export["file"]), "amendments")
    assert row_facts(page.amendments) == true_rows(site, export["of"])
    assert all(a.details for a in page.amendments)
