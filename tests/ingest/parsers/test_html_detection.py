"""Each HTML fixture scores highest for the parser of its own page kind."""
import pytest

from ingest.parsers.amendments_html import PARSER as AMENDMENTS
from ingest.parsers.chapter_html import PARSER as CHAPTER
from ingest.parsers.contents_html import PARSER as CONTENTS
from html_fixtures import source

PARSERS = {"contents": CONTENTS, "chapter": CHAPTER, "amendments": AMENDMENTS}


@pytest.mark.parametrize("name, kind, floor", [
    ("contents_tables.html", "contents", 0.5),
    ("contents_lists.html", "contents", 0.5),
    ("chapter_caps.html", "chapter", 0.4),
    ("chapter_sentence_case.html", "chapter", 0.4),
    ("chapter_no_labels.html", "chapter", 0.4),
    ("amendments_table.html", "amendments", 0.5),
    ("amendments_headings.html", "amendments", 0.5),
])
def test_fixture_scores_highest_for_its_own_kind(name, kind, floor):
    page = source(name)
    mine = PARSERS[kind].score(page)
    assert mine >= floor
    assert all(mine > other.score(page) for k, other in PARSERS.items() if k != kind)
