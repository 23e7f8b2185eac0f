"""Property-based tests: every parser (contents, chapter, amendments × text,
HTML), on random text, random HTML fragments and mutated copies of real
fixture pages, only ever fails with ParseError; the reader only with BadInput.
Nothing else may escape `score()`, `parse()`, `detect_kind()` or `read_source()`."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.parsers import ParseError, detect_kind, parsers
from ingest.parsers.amendments_rows import TITLE_MAX
from ingest.parsers.base import SourceText
from ingest.reading import BadInput, read_source
from vectorstore.models import Manual

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEEDS = Path(__file__).resolve().parents[3] / "data" / "manuals"
MANUAL = Manual(id="prop", name="Property manual")
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pages() -> list[Path]:
    found = sorted(FIXTURES.glob("formats/*")) + sorted(FIXTURES.glob("html/*.html")) + sorted(SEEDS.glob("*.txt"))
    found += sorted(FIXTURES.glob("sites/*/*.html"))[:6] + sorted(FIXTURES.glob("sites/*/chapters/*.html"))[:6]
    found += sorted(FIXTURES.glob("exports/*/*.txt"))[:6]
    return [p for p in found if p.is_file()]


PAGES = _pages()
TEXTS = {p: p.read_text(encoding="utf-8") for p in PAGES}


def run_every_parser(text: str, fmt: str) -> None:
    """Score, parse and detect with every parser; only ParseError may come out."""
    source = SourceText(name="prop/page." + ("html" if fmt == "html" else "txt"), text=text, format=fmt)
    for parser in parsers():
        score = parser.score(source)
        assert 0.0 <= score <= 1.0
        try:
            page = parser.parse(source, MANUAL)
        except ParseError:
            continue
        assert all(len(a.title) <= TITLE_MAX for a in page.amendments if parser.format == "text")
        assert all(c.title for c in page.chapters)
    try:
        detect_kind(source)
    except ParseError:
        pass


# -- strategies ----------------------------------------------------------------------------

# Lines that steer the parsers down their many paths: headings, labels, table rows, dates, furniture.
PAGE_LINES = st.sampled_from([
    "", "June 2021", "2024", "March", "Updated Chapters | |", "New Chapters and Features", "Removed Chapters",
    "Chapter Name | Details |", "Chapter Title Details", "|", "||", "Contacts and Referrals |",
    "This chapter has been refreshed. |", "Contacts and Referrals This chapter has been refreshed.",
    "1.1.1 Capacity and Consent", "- 1.1.1Capacity and Consent October 31, 2024", "1. All Children", "1.1",
    "| 1.1.2 | Statement of Purpose | New | |", "See also: Staying Put", "SCOPE OF THIS CHAPTER", "Amendment",
    "Related chapters", "Contents", "In this chapter", "1. Introduction", "2. Next Steps", "• a bullet;",
    "Skip to main content", "Company Logo", "View Regional Procedures", "Home > Contents", "End",
    "Top of page", "Next update: August 2022 |", "Archive", "Caption: June 2021", "N.B. a note",
    "In June 2016 this chapter was reviewed.", "Section 3, Timescales has been updated.",
])
TEXT_PAGES = st.lists(st.one_of(PAGE_LINES, st.text(max_size=60)), max_size=40).map("\n".join)

TAGS = ["div", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "tr", "td", "th", "a", "strong", "b", "span",
        "details", "summary", "button", "caption", "thead", "tbody", "dl", "dt", "dd", "header", "nav", "main",
        "section", "br", "img", "script", "form", "base", "link", "meta", "title"]
ATTRIBUTES = st.sampled_from(["", ' href="#s1"', ' href="chapters/p_x.html"', ' href="javascript:alert(1)"',
                              ' class="accordion-header"', ' class="nav"', ' alt="New"', ' rel="canonical" href="x"',
                              ' property="og:url" content=""', ' start="x"', ' href=""'])


def _element(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(TAGS), ATTRIBUTES, st.lists(children, max_size=4), st.booleans()).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}" + (f"</{t[0]}>" if t[3] else ""))


HTML_FRAGMENTS = st.recursive(st.one_of(PAGE_LINES, st.text(max_size=30)), _element, max_leaves=40)


@st.composite
def mutated(draw) -> tuple[str, str]:
    """A real fixture page with lines deleted, duplicated or shuffled, cut
    short, or with tags injected; and the format it came in."""
    path = draw(st.sampled_from(PAGES))
    lines = TEXTS[path].split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(i, min(len(lines), i + 12)))
        op = draw(st.sampled_from(["delete", "duplicate", "shuffle", "truncate", "inject"]))
        if op == "delete":
            del lines[i:j]
        elif op == "duplicate":
            lines[i:i] = lines[i:j]
        elif op == "shuffle":
            lines[i:j] = draw(st.permutations(lines[i:j]))
        elif op == "truncate":
            cut = draw(st.integers(0, len(lines[i])))
            lines = lines[:i] + [lines[i][:cut]]
        else:
            lines.insert(i, draw(st.sampled_from(["<div>", "</td>", "<table><tr><td>", "<h1>", "</html>",
                                                  "<summary>", "<details>", "<button>", "<li>", "<!--", "]]>"])))
    return "\n".join(lines), "html" if path.suffix == ".html" else "text"


# -- properties ------------------------------------------------------------------------------


@QUICK
@given(TEXT_PAGES)
def test_random_text_pages(text):
    run_every_parser(text, "text")


@QUICK
@given(st.text(max_size=400))
def test_random_characters(text):
    run_every_parser(text, "text")
    run_every_parser(text, "html")


@QUICK
@given(HTML_FRAGMENTS)
def test_random_html_fragments(fragment):
    run_every_parser(f"<html><body>{fragment}</body></html>", "html")
    run_every_parser(fragment, "html")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_fixture_pages(page):
    text, fmt = page
    run_every_parser(text, fmt)


@QUICK
@given(st.binary(max_size=600), st.sampled_from(["p.txt", "p.html", "p.htm", "p"]))
def test_reader_refuses_only_with_bad_input(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("reader") / name
    path.write_bytes(data)
    try:
        source = read_source(path, 10_000)
    except BadInput:
        return
    run_every_parser(source.text, source.format)
