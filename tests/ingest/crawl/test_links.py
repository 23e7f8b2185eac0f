"""Which addresses are the manual's, and where each is saved."""
from __future__ import annotations

import pytest

from ingest.crawl.links import Scope, amendments_links, anchors, external_links

SCOPE = Scope.of("https://Council.Example:8443/manuals/cs/contents.html")


@pytest.mark.parametrize("url, inside", [
    ("https://council.example:8443/manuals/cs/chapters/a.html", True),
    ("https://COUNCIL.example:8443/manuals/cs/amendments.html", True),
    ("http://council.example:8443/manuals/cs/chapters/a.html", False),  # another scheme is another site
    ("https://council.example/manuals/cs/chapters/a.html", False),  # another port
    ("https://council.example:8443/manuals/fostering/a.html", False),  # another manual's folder
    ("https://evil.example/manuals/cs/a.html", False),
    ("mailto:duty@council.example", False),
])
def test_the_site_is_the_host_and_the_start_folder(url, inside):
    assert SCOPE.contains(url) is inside


@pytest.mark.parametrize("url, path", [
    ("https://council.example:8443/manuals/cs/chapters/a.html", "chapters/a.html"),
    ("https://council.example:8443/manuals/cs/", "index.html"),
    ("https://council.example:8443/manuals/cs/local/", "local/index.html"),
    ("https://council.example:8443/manuals/cs/my%20page.html", "my page.html"),
    ("https://council.example:8443/manuals/cs/chapters/../../x.html", None),  # climbs out
    ("https://council.example:8443/manuals/cs/.hidden.html", None),
    ("https://council.example:8443/manuals/cs/crawl.json", None),  # would overwrite the record
    ("https://other.example/manuals/cs/a.html", None),
])
def test_a_page_is_saved_at_its_path_inside_the_start_folder(url, path):
    assert SCOPE.saved_path(url) == path


def test_amendments_pages_are_found_by_link_text_or_file_name_inside_the_site():
    html = """<a href="amendments.html">Recent changes</a> <a href="history.html">Amendments archive</a>
              <a href="chapters/a.html">A chapter</a> <a href="https://other.example/amendments.html">x</a>
              <a href="#top">Amendments</a> <a href="https://www.gov.uk/guidance">Guidance</a>"""
    found = anchors(html, "https://council.example:8443/manuals/cs/contents.html")
    assert amendments_links(found, SCOPE) == ["https://council.example:8443/manuals/cs/amendments.html",
                                              "https://council.example:8443/manuals/cs/history.html"]
    assert external_links(found, SCOPE) == ["https://other.example/amendments.html", "https://www.gov.uk/guidance"]
