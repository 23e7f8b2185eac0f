"""Linking amendments to chapters by title: match_chapter on its own, then
link_amendments through a real ingest of a tiny synthetic manual (a contents
page and an amendments page, both text) read back with `amendments --json`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.cli import main
from ingest.linking import MIN_OVERLAP, match_chapter
from ingest.pipeline import ingest
from vectorstore.store import open_store
from vectorstore.text import title_key


def candidates(*rows):
    return {title_key(title): (number, url) for number, title, url in rows}


CANDIDATES = candidates(
    ("4.1", "Child Protection Section 47 Enquiries", "https://x.example/s47.html"),
    ("4.2", "Child Protection Conferences Guidance", None),
    ("6.7.6", "Staying Put Policy", None),
    ("3.7.5", "Safeguarding Children from Dangerous Dogs Policy", None),
    ("1.1.12", "Recording and Case Records", None),
    ("2.2", "Café Provision", None),
)


# --- match_chapter ---------------------------------------------------------------

def test_exact_title():
    assert match_chapter("Child Protection Section 47 Enquiries", CANDIDATES) == ("4.1", "https://x.example/s47.html")
    assert match_chapter("Staying Put Policy", CANDIDATES) == ("6.7.6", None)


@pytest.mark.parametrize("title", [
    "child protection – section 47 enquiries",   # case and an en dash
    "Child Protection: Section 47 Enquiries.",  # punctuation
    "  Child   Protection Section 47 Enquiries ",  # spacing
])
def test_normalised_title(title):
    assert match_chapter(title, CANDIDATES)[0] == "4.1"


def test_ampersand_and_accents_are_folded():
    assert match_chapter("Recording & Case Records", CANDIDATES)[0] == "1.1.12"
    assert match_chapter("Cafe Provision", CANDIDATES)[0] == "2.2"


def test_near_match_above_the_threshold():
    # 5 of 6 words shared: 0.83 >= 0.8
    assert match_chapter("Safeguarding Children from Dangerous Dogs", CANDIDATES)[0] == "3.7.5"
    assert match_chapter("Staying Put Policy (revised)", CANDIDATES) is None  # 3 of 4: below


def test_near_match_picks_the_best_candidate():
    cands = candidates(("1", "Alpha Beta Gamma Delta Epsilon", None),
                       ("2", "Alpha Beta Gamma Delta Epsilon Zeta", None))
    assert match_chapter("Alpha Beta Gamma Delta Epsilon Zeta Eta", cands)[0] == "2"


@pytest.mark.parametrize("title", [
    "Child Protection Conferences",  # 3 of 4 words of "…Conferences Guidance": 0.75
    "Domestic Abuse",
    "Child Protection",  # a fragment of several titles
    "",
    " – ",  # nothing but punctuation
])
def test_refusals(title):
    assert match_chapter(title, CANDIDATES) is None


def test_threshold_is_the_documented_one():
    assert MIN_OVERLAP == 0.8


def test_no_candidates():
    assert match_chapter("Staying Put Policy", {}) is None


# --- link_amendments through ingest ---------------------------------------------------

MANIFEST = """\
[manuals.testshire]
name = "Testshire Children's Services Procedures"
places = ["Testshire"]

[files."contents.txt"]
manual = "testshire"
kind = "contents"

[files."amendments.txt"]
manual = "testshire"
kind = "amendments"
"""

CONTENTS = """\
Contents

Quick Links:

1. All Children

1.1

Policies

{staying_put} Staying Put Policy
1.1.2 Child Protection Section 47 Enquiries
1.1.3 Recording and Case Records Updated
1.1.4 Safeguarding Children from Dangerous Dogs Policy
1.1.5 Child Protection Conferences Guidance
"""

AMENDMENTS = """\
June 2021
Updated Chapters | |
Chapter Name | Details |
Staying Put Policy |
This chapter was updated throughout. |
CHILD PROTECTION – SECTION 47 ENQUIRIES |
Section 3 was revised. |
Recording & Case Records |
A link was added. |
Safeguarding Children from Dangerous Dogs |
This guidance was reviewed. |
Child Protection Conferences |
Timescales were corrected. |
Unknown Chapter Elsewhere |
This is not in the contents. |
March 2020
New Chapters and Features | |
Chapter Name | Details |
This chapter lost its name in the export. |
"""

# (month, title, chapter) in the order `amendments --json` lists them: newest first, page order
LINKED = [
    ("2021-06", "Staying Put Policy", "1.1.1"),
    ("2021-06", "CHILD PROTECTION – SECTION 47 ENQUIRIES", "1.1.2"),
    ("2021-06", "Recording & Case Records", "1.1.3"),
    ("2021-06", "Safeguarding Children from Dangerous Dogs", "1.1.4"),
    ("2021-06", "Child Protection Conferences", None),
    ("2021-06", "Unknown Chapter Elsewhere", None),
    ("2020-03", "", None),
]


def write_manual(folder: Path, staying_put: str = "1.1.1") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "contents.txt").write_text(CONTENTS.format(staying_put=staying_put), encoding="utf-8")
    (folder / "amendments.txt").write_text(AMENDMENTS, encoding="utf-8")
    return folder


def run_ingest(folder, settings, embedder):
    report = ingest([folder], settings, open_store(settings, embedder.name), embedder, progress=False)
    assert not report.errors, report.errors
    return report


def amendments_json(settings, capsys, *args) -> list[dict]:
    capsys.readouterr()
    assert main(["amendments", "--json", *args], settings=settings) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.fixture
def manual(tmp_path, fresh_settings, embedder):
    folder = write_manual(tmp_path / "manuals")
    report = run_ingest(folder, fresh_settings, embedder)
    assert (report.entries, report.amendments) == (5, 7)
    return folder


def test_amendments_are_linked_by_title(manual, fresh_settings, capsys):
    rows = amendments_json(fresh_settings, capsys)
    assert [(r["amended"], r["title"], r["chapter"]) for r in rows] == LINKED
    assert {r["manual_id"] for r in rows} == {"testshire"}
    assert rows[0]["change"] == "updated" and rows[-1]["change"] == "new"
    assert rows[-1]["details"] == "This chapter lost its name in the export."


def test_manual_filter(manual, fresh_settings, capsys):
    assert len(amendments_json(fresh_settings, capsys, "--manual", "testshire")) == 7
    assert amendments_json(fresh_settings, capsys, "--manual", "elsewhere") == []


def test_links_are_stored_in_the_chunks_and_records(manual, fresh_settings, embedder):
    chunks = open_store(fresh_settings, embedder.name).all_chunks(where={"kind": "amendment"})
    for chunk in chunks:
        assert chunk.record().chapter == chunk.chapter
    assert sorted(c.chapter for c in chunks if c.chapter) == ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]


def test_renumbered_chapter_relinks_without_reingesting_amendments(manual, fresh_settings, embedder, capsys):
    write_manual(manual, staying_put="2.4")
    report = run_ingest(manual, fresh_settings, embedder)
    assert (report.ingested, report.skipped) == (1, 1)  # only the contents page changed
    rows = amendments_json(fresh_settings, capsys)
    assert rows[0]["title"] == "Staying Put Policy" and rows[0]["chapter"] == "2.4"
    assert [r["chapter"] for r in rows[1:]] == [c for _, _, c in LINKED[1:]]


def test_removed_contents_unlinks_every_amendment(manual, fresh_settings, embedder, capsys):
    (manual / "contents.txt").unlink()
    report = run_ingest(manual, fresh_settings, embedder)
    assert (report.removed, report.skipped) == (1, 1)
    rows = amendments_json(fresh_settings, capsys)
    assert len(rows) == 7 and all(r["chapter"] is None for r in rows)


def test_amendments_of_another_manual_are_not_linked(tmp_path, fresh_settings, embedder, capsys):
    folder = write_manual(tmp_path / "manuals")
    manifest = MANIFEST.replace('[files."amendments.txt"]\nmanual = "testshire"',
                                '[files."amendments.txt"]\nmanual = "otherton"')
    manifest += '\n[manuals.otherton]\nname = "Otherton Procedures"\n'
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    run_ingest(folder, fresh_settings, embedder)
    rows = amendments_json(fresh_settings, capsys)
    assert {r["manual_id"] for r in rows} == {"otherton"}
    assert all(r["chapter"] is None for r in rows)


CONTENTS_HTML = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Contents | Testshire Children's Services Procedures</title>
<base href="https://testshire.example/chapters/"></head>
<body><h1>Contents</h1>
<h2>1. All Children</h2>
<table>
<tr><td>1.1</td><td colspan="2"><strong>Policies</strong></td></tr>
<tr><td>{number}</td><td><a href="{page}">Staying Put Policy</a></td><td></td></tr>
<tr><td>1.1.2</td><td><a href="ch_s47.html">Child Protection Section 47 Enquiries</a></td><td></td></tr>
</table></body></html>
"""


def test_relinked_amendment_follows_its_chapter_url(tmp_path, fresh_settings, embedder):
    folder = write_manual(tmp_path / "manuals")
    (folder / "contents.txt").unlink()
    (folder / "manifest.toml").write_text(MANIFEST.replace("contents.txt", "contents.html"), encoding="utf-8")
    html = folder / "contents.html"
    html.write_text(CONTENTS_HTML.format(number="1.1.1", page="ch_staying_put.html"), encoding="utf-8")
    run_ingest(folder, fresh_settings, embedder)
    store = open_store(fresh_settings, embedder.name)

    def staying_put():
        return next(c for c in store.all_chunks(where={"kind": "amendment"}) if c.title == "Staying Put Policy")

    assert (staying_put().chapter, staying_put().url) == ("1.1.1", "https://testshire.example/chapters/ch_staying_put.html")
    html.write_text(CONTENTS_HTML.format(number="2.4", page="ch_staying_put_v2.html"), encoding="utf-8")
    run_ingest(folder, fresh_settings, embedder)
    assert staying_put().chapter == "2.4"
    assert staying_put().url == "https://testshire.example/chapters/ch_staying_put_v2.html"
