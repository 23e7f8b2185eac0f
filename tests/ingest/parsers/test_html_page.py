"""Reading saved HTML into lines: deep nesting, the page's address, in-page
links, accordion titles and furniture."""
from ingest.parsers import detect_kind, parsers
from ingest.parsers.base import ParseError, SourceText
from ingest.parsers.html_page import page_of, read_html
from vectorstore.models import Manual

MANUAL = Manual(id="t", name="T")


def deep(depth: int, inner: str) -> str:
    return "<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>"


def test_five_thousand_nested_divs_are_read_without_recursion_error():
    html = deep(5000, "<h1>1.2.3 Deep Chapter</h1><p>" + "Words of the chapter. " * 30 + "</p>")
    lines = read_html(html).lines
    assert [line.text for line in lines][:1] == ["1.2.3 Deep Chapter"]
    source = SourceText("deep.html", html, "html")
    for parser in parsers():
        if parser.format == "html":
            parser.score(source)  # no RecursionError
    chapter = [p for p in parsers() if p.format == "html" and p.kind.value == "chapter"][0]
    assert chapter.parse(source, MANUAL).chapters[0].chapter == "1.2.3"


def test_deep_nesting_of_nothing_is_a_clear_parse_error():
    source = SourceText("empty_deep.html", deep(5000, ""), "html")
    try:
        detect_kind(source)
    except ParseError as error:
        assert "kind of page" in str(error)
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("a page of empty divs has no kind")


def test_url_comes_from_canonical_then_from_the_source():
    canonical = '<html><head><link rel="canonical" href="https://x.example/c/p_a.html"></head><body><p>a</p></body></html>'
    plain = "<html><body><p>a <a href='chapters/p_b.html'>b</a></p></body></html>"
    assert page_of(SourceText("a.html", canonical, "html", url="https://elsewhere.example/a.html")).url == \
        "https://x.example/c/p_a.html"
    known = page_of(SourceText("contents.html", plain, "html", url="https://x.example/contents.html"))
    assert known.url == "https://x.example/contents.html"
    assert known.lines[0].links[0].href == "https://x.example/chapters/p_b.html"
    unknown = page_of(SourceText("contents.html", plain, "html"))
    assert unknown.url is None
    assert unknown.lines[0].links[0].href == "chapters/p_b.html"  # kept as written: the pipeline joins on it


def test_links_to_the_page_itself_with_a_fragment_are_in_page():
    html = ("<html><body><ul><li><a href='p_cap.html#s1'>1. Introduction</a></li>"
            "<li><a href='p_other.html#s1'>Other</a></li></ul></body></html>")
    lines = page_of(SourceText("chapters/p_cap.html", html, "html")).lines
    assert lines[0].anchors_only
    assert not lines[1].anchors_only


def test_accordion_titles_are_headings_and_controls_are_furniture():
    html = """<html><body><h1>Staying Put</h1>
    <p><a href="#">Expand all</a> <span>|</span> <a href="#">Collapse all</a></p>
    <button type="button">Expand all</button>
    <details><summary>Eligibility</summary><p>Who can stay.</p>
      <details><summary>Exceptions</summary><p>Rare cases.</p></details></details>
    <div class="accordion-item"><h2 class="accordion-header"><button class="accordion-button">Payments</button></h2>
    <div class="accordion-collapse collapse"><div class="accordion-body"><p>Allowances.</p></div></div></div>
    </body></html>"""
    lines = read_html(html).lines
    assert [(line.text, line.heading_level) for line in lines] == [
        ("Staying Put", 1), ("Eligibility", 2), ("Who can stay.", 0), ("Exceptions", 3), ("Rare cases.", 0),
        ("Payments", 2), ("Allowances.", 0)]


def test_furniture_lines_are_dropped():
    html = """<html><body><p><a href="#main">Skip to main content</a></p><p><img alt="x"> Brackenshire Council logo</p>
    <p>View Regional Safeguarding Children Procedures</p><p>Text size: <a href="#">A</a> <a href="#">A</a></p>
    <h1>Capacity and Consent</h1><p>Top of page</p><p>Print this page</p></body></html>"""
    assert [line.text for line in read_html(html).lines] == ["Capacity and Consent"]
