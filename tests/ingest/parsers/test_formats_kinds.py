"""Kind detection on every per-format fixture, and a clear refusal for pages
that are no kind of procedures page (accessibility statement, cookie policy)."""
import pytest

from ingest.parsers import ParseError, detect_kind
from formats import FORMATS, source
from vectorstore.models import PageKind

KINDS = {
    "amendments_borderless.txt": "amendments", "amendments_chapter_title_piped.txt": "amendments",
    "amendments_wrapped_piped.txt": "amendments", "amendments_one_month.txt": "amendments",
    "amendments_one_month.html": "amendments", "amendments_chapter_title.html": "amendments",
    "chapter_furniture.txt": "chapter", "chapter_furniture.html": "chapter",
    "chapter_own_contents.txt": "chapter", "chapter_own_contents.html": "chapter",
    "chapter_newer.txt": "chapter", "chapter_newer.html": "chapter",
    "chapter_accordion_details.html": "chapter", "chapter_accordion_bootstrap.html": "chapter",
    "contents_dated.txt": "contents", "contents_dated.html": "contents",
}
NO_KIND = ["accessibility_statement.html", "accessibility_statement.txt", "cookie_policy.html"]


def test_every_fixture_is_listed_here():
    assert {p.name for p in FORMATS.iterdir()} == set(KINDS) | set(NO_KIND)


@pytest.mark.parametrize("name, kind", sorted(KINDS.items()))
def test_kind_detected(name, kind):
    assert detect_kind(source(name)) == PageKind(kind)


@pytest.mark.parametrize("name", NO_KIND)
def test_a_page_of_no_kind_is_refused_clearly(name):
    with pytest.raises(ParseError) as refused:
        detect_kind(source(name))
    message = str(refused.value)
    assert "could not tell what kind of page this is" in message
    assert "set its kind in the manifest" in message
