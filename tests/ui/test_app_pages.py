"""Chapter, amendment, Browse and What's changed pages, the empty-store
screen, and escaping of document text, through the real app with AppTest."""
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answer import Citation
from ingest.pipeline import ingest
from assistant.practice.chapters import citation_params
from ui import resources
from ui.rendering import badge, is_safe_url, linked_markers, md_escape, safe_answer, safe_stream
from vectorstore.settings import REPO_ROOT
from vectorstore.store import open_store
from vectorstore.text import month_label

APP = str(REPO_ROOT / "ui" / "app.py")
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
MANIFEST = """
[manuals.testshire]
name = "Testshire Children's Services Procedures"
places = ["Testshire"]

[files."contents.txt"]
manual = "testshire"
kind = "contents"

[files."chapter.txt"]
manual = "testshire"
kind = "chapter"
"""
CONTENTS = f"""Testshire Children's Services Procedures

Contents

1. All Children

1.1

Policies

1.1.1 {XSS_SCRIPT} Safety Policy New
1.1.2 {XSS_IMG} Leaflet Procedure
See also: <b>bold</b> [click](javascript:alert(1))
1.1.3 Staying Put Policy
"""
CHAPTER = f"""1.1.3 Staying Put Policy

SCOPE OF THIS CHAPTER

This chapter covers {XSS_SCRIPT} staying put arrangements.

1. Introduction

Staying Put lets a young person remain with former foster carers {XSS_IMG} after 18.
"""


def use_settings(monkeypatch, settings):
    """Point the app at `settings` through the environment it reads."""
    env = {"PA_DATA_DIR": settings.data_dir, "PA_MANUALS_DIR": settings.manuals_dir,
           "PA_STORE_DIR": settings.store_dir, "PA_APP_DB": settings.app_db}
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    for name in ("CHROMA_HOST", "CHROMA_PORT", "PA_COLLECTION", "PA_EMBEDDER", "PA_EMBEDDER_PATH", "PA_WRITER",
                 "PA_ADMIN_PASSWORD_HASH"):
        monkeypatch.delenv(name, raising=False)
    resources.get_settings.clear()


@pytest.fixture(autouse=True)
def _fresh_settings_cache():
    yield
    resources.get_settings.clear()


@pytest.fixture
def sample_app(sample_settings, tmp_path, monkeypatch):
    use_settings(monkeypatch, sample_settings.with_(app_db=tmp_path / "app.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not at.exception, at.exception
    return at


def open_page(at, page, **params):
    at.query_params.clear()
    at.query_params.update(params)
    at.switch_page(page).run(timeout=60)
    assert not at.exception, at.exception
    return at


def texts(at):
    """Every piece of text the page shows."""
    values = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                                   "error", "success") for e in getattr(at, kind)]
    values += [link.value for link in at.page_link] + [e.label for e in at.expander]
    return values


def unescape(text):
    return text.replace("\\", "")


def shown(at):
    return unescape("\n".join(texts(at)))


def write_manuals(folder: Path, contents=CONTENTS, chapter=CHAPTER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "contents.txt").write_text(contents, encoding="utf-8")
    (folder / "chapter.txt").write_text(chapter, encoding="utf-8")
    return folder


# -- Chapter page --------------------------------------------------------------
def test_a_contents_only_chapter_shows_where_it_sits_among_its_neighbours(sample_app):
    at = open_page(sample_app, "views/chapter.py", manual="derby-city", chapter="6.7.6")
    assert unescape(at.title[0].value) == "6.7.6 Staying Put Policy"
    page = shown(at)
    assert "6. Children in Care › 6.7 Leaving Care" in page.replace("**", "")
    assert "Derby City Children's Social Care Procedures" in page
    assert "Where it sits in the manual" in page and "Amendment history" in page
    assert "Only the contents entry" not in page and "not its text: open it online" in page
    # data/manuals/000_*.txt: 6.7.5 sits just before 6.7.6 under "6.7 Leaving Care"
    neighbours = [unescape(link.value) for link in at.main.page_link if link.proto.page == "chapter"]
    assert any(label.startswith("6.7.5 ") for label in neighbours)
    assert all(label.startswith("6.7.") for label in neighbours)
    assert any("Staying Put Policy" in m.value and "orange-background" in m.value for m in at.markdown)
    assert [b.label for b in at.button] == ["Ask about this chapter"]
    # data/manuals/manifest.toml gives Derby City's public contents page; no chapter URL is held
    links = [(b.proto.label, b.proto.url) for b in at.get("link_button")]
    assert links == [("Open the Derby City procedures online", "https://derbycsc.proceduresonline.com/contents.html")]


def test_chapter_page_flags_as_badges(sample_app):
    at = open_page(sample_app, "views/chapter.py", manual="derby-city", chapter="1.1.3")
    assert ":green-badge[New]" in [m.value for m in at.markdown]


def test_a_cited_contents_line_is_marked_and_scrolled_to(sample_app, sample_assistant):
    answer = sample_assistant.ask("Which chapter covers Staying Put?")
    derby = next(c for c in answer.citations if c.manual_id == "derby-city")
    at = open_page(sample_app, "views/chapter.py", **citation_params(sample_assistant.catalog, derby))
    assert any("Staying Put Policy" in m.value and "cited" in m.value for m in at.markdown)
    assert any('id="pa-cited"' in h.proto.body for h in at.get("html"))
    assert any("scrollIntoView" in h.proto.body for h in at.get("html"))


def test_chapter_page_sections_and_highlighted_passage(sample_app, sample_assistant):
    catalog = sample_assistant.catalog
    [page] = catalog.chapter_pages("derbyshire", "1.1.1")
    chunk = next(c for c in catalog.chunks_by_record[page.record_id] if "(Staying Put)" in c.text)
    params = citation_params(catalog, Citation.from_chunk(chunk, 1.0))
    at = open_page(sample_app, "views/chapter.py", **params)
    assert "Children's Services Policies, Values and Principles" in at.title[0].value
    assert "highlighted passage" in at.info[0].value
    [section] = [e for e in at.expander if e.label.endswith("· cited")]
    assert section.proto.expanded
    assert ":orange-background[" in section.markdown[0].value
    assert len(at.expander) == 7  # every numbered section of the chapter page


def test_shared_number_lists_the_others(sample_app):
    at = open_page(sample_app, "views/chapter.py", manual="rotherham", chapter="5.1.8")
    assert "more than one chapter" in at.warning[0].value
    assert any("record=" in link.proto.query_string for link in at.page_link)


def test_amendment_record_page(sample_app, sample_assistant):
    amendment = next(a for a in sample_assistant.catalog.amendments if a.title == "Child Protection Conferences")
    at = open_page(sample_app, "views/chapter.py", manual="ddscp", amendment=amendment.record_id)
    assert unescape(at.title[0].value) == "June 2021: Child Protection Conferences"
    page = shown(at)
    assert ":blue-badge[Updated]" in page and "extensively updated" in page
    assert any(link.proto.page == "changes" for link in at.page_link)


@pytest.mark.parametrize("params", [{"manual": "nowhere", "chapter": "1.1"},
                                    {"manual": "derby-city", "chapter": "99.99"},
                                    {"manual": "ddscp", "amendment": "0000"}])
def test_unknown_chapter_is_a_friendly_not_found(sample_app, params):
    at = open_page(sample_app, "views/chapter.py", **params)
    assert at.title[0].value == "Chapter not found"
    assert [link.proto.page for link in at.main.page_link] == ["browse"]


def test_ask_about_this_chapter_scopes_that_one_question_only(sample_app):
    at = open_page(sample_app, "views/chat.py")
    at.sidebar.selectbox[0].set_value("rotherham").run()
    at = open_page(at, "views/chapter.py", manual="derby-city", chapter="6.7.6")
    at.button[0].click().run(timeout=60)
    assert not at.exception, at.exception
    [turn] = at.session_state["turns"]
    assert turn.question == "What does Derby City 6.7.6 Staying Put Policy cover?"
    assert turn.manual == "derby-city" and {c.manual_id for c in turn.answer.citations} == {"derby-city"}
    assert any("6.7.6" in link.value for link in at.main.page_link)
    assert at.session_state["chat_manual"] == "rotherham"  # the sidebar's choice is unchanged
    at.switch_page("views/chat.py").run(timeout=60)  # AppTest follows st.switch_page only for that run
    at.chat_input[0].set_value("staying put").run(timeout=60)
    assert {c.manual_id for c in at.session_state["turns"][1].answer.citations} == {"rotherham"}


# -- Browse and What's changed ----------------------------------------------------
def entry_links(at):
    return [link for link in at.main.page_link if link.proto.page == "chapter"]


def test_browse_tree_and_filter(sample_app):
    at = open_page(sample_app, "views/browse.py")
    everything = len(entry_links(at))
    assert everything >= 400
    assert "6. Children in Care (38)" in [unescape(e.label) for e in at.expander]
    at.text_input(key="q").input("staying put").run()
    labels = [unescape(link.value) for link in entry_links(at)]
    assert labels == ["6.7.6 Staying Put Policy", "4.8.2 Staying Put Policy"]
    at.text_input(key="q").input("6.7.").run()
    assert [unescape(link.value) for link in entry_links(at) if not unescape(link.value).startswith("6.7.")] == []
    at.selectbox(key="manual").set_value("rotherham").run()
    assert entry_links(at) == [] and "No chapter matches" in at.info[0].value


def test_browse_filter_is_whole_words_and_knows_the_glossary(sample_app):
    at = open_page(sample_app, "views/browse.py")
    at.text_input(key="q").input("LAC").run()
    labels = [unescape(link.value).lower() for link in entry_links(at)]
    assert labels and not any("placement" in label and "looked after" not in label and "in care" not in label
                              for label in labels)
    assert any("looked after" in label for label in labels)



def test_an_amendments_only_manual_routes_to_what_s_changed(sample_app):
    at = open_page(sample_app, "views/browse.py")
    at.selectbox(key="manual").set_value("ddscp").run()
    assert "amendments list is loaded" in at.info[0].value
    [link] = [link for link in at.main.page_link if link.proto.page == "changes"]
    assert link.proto.query_string == "manual=ddscp"
    assert not any(" 0 " in f" {c.value} " for c in at.caption)


def test_a_one_chapter_manual_shows_its_chapter_and_no_zero_counts(sample_app):
    at = open_page(sample_app, "views/browse.py")
    at.selectbox(key="manual").set_value("derbyshire").run()
    assert [unescape(link.value) for link in entry_links(at)] == [
        "1.1.1 Children's Services Policies, Values and Principles"]
    assert "1 chapters" in at.caption[0].value or "1 chapter" in at.caption[0].value
    assert "0 contents" not in shown(at)


def test_browse_matches_see_also(sample_app, sample_assistant):
    with_see_also = next(e for e in sample_assistant.catalog.entries if e.see_also)
    at = open_page(sample_app, "views/browse.py")
    at.text_input(key="q").input(with_see_also.see_also[0]).run()
    assert any(with_see_also.title in unescape(link.value) for link in entry_links(at))


def test_whats_changed_pages_by_month_with_unnamed_chapters_last(sample_app, sample_assistant):
    at = open_page(sample_app, "views/changes.py")
    total = len(sample_assistant.catalog.amendments)
    cards = [link for link in at.main.page_link if link.proto.page == "chapter"]
    assert 0 < len(cards) <= 12 < total  # a page at a time
    newest_named = max(a.amended for a in sample_assistant.catalog.amendments if a.title)
    assert at.subheader[0].value == month_label(newest_named)  # newest first; unnamed chapters' changes last
    assert not any("doesn't name" in h.value for h in at.subheader)
    assert at.get("pagination")
    unnamed = [a for a in sample_assistant.catalog.amendments if not a.title]
    assert unnamed  # data/manuals/001_*.txt: January 2022 rows lost their chapter names
    last_page = -(-total // 12)
    at.get("pagination")[0].set_value(last_page).run()
    assert "doesn't name" in at.subheader[-1].value


def test_whats_changed_filters_and_badges(sample_app):
    at = open_page(sample_app, "views/changes.py")
    at.button_group[0].set_value(["new"]).run()
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges and set(badges) == {":green-badge[New]"}  # written as on Browse
    at.button_group[0].set_value([]).run()
    at.text_input(key="q").input("conferences").run()
    page = shown(at)
    assert "Child Protection Conferences" in page and "June 2021" in page


# -- Empty store -----------------------------------------------------------------------
def test_empty_store_says_how_to_ingest_and_loads(fresh_settings, monkeypatch):
    write_manuals(fresh_settings.manuals_dir, contents=CONTENTS.replace(XSS_SCRIPT, "Home"),
                  chapter=CHAPTER.replace(XSS_SCRIPT, "").replace(XSS_IMG, ""))
    use_settings(monkeypatch, fresh_settings)
    at = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not at.exception, at.exception
    assert "No procedures are loaded" in at.warning[0].value
    assert at.code[0].value == "python -m ingest"
    assert not at.chat_input
    at.button[0].click().run(timeout=120)
    assert not at.exception, at.exception
    assert at.title[0].value == "Procedures Assistant" and at.chat_input
    assert open_store(fresh_settings, "all-MiniLM-L6-v2").count() > 0


def test_no_manuals_folder_is_explained(fresh_settings, monkeypatch):
    use_settings(monkeypatch, fresh_settings)
    at = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not at.exception and not at.button
    assert "There are no files" in at.info[0].value


def test_unreachable_store_is_an_error_not_a_crash(fresh_settings, monkeypatch):
    use_settings(monkeypatch, fresh_settings)
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", "1")
    at = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not at.exception
    assert "can't be opened" in at.error[0].value


# -- Escaping ------------------------------------------------------------------------------
@pytest.fixture
def hostile_app(fresh_settings, embedder, monkeypatch):
    write_manuals(fresh_settings.manuals_dir)
    report = ingest([fresh_settings.manuals_dir], fresh_settings, open_store(fresh_settings, embedder.name),
                    embedder, progress=False)
    assert not report.errors, report.errors
    use_settings(monkeypatch, fresh_settings)
    at = AppTest.from_file(APP, default_timeout=120).run(timeout=120)
    assert not at.exception, at.exception
    return at


RAW_TAG = re.compile(r"(?<!\\)<(script|img|b>)")  # a tag whose "<" is not backslash-escaped


def assert_no_raw_tags(at):
    values = texts(at)
    assert values
    for value in values:
        assert not RAW_TAG.search(value), value


def test_document_text_is_escaped_on_chapter_pages(hostile_app):
    at = open_page(hostile_app, "views/chapter.py", manual="testshire", chapter="1.1.1")
    assert at.title[0].value == "1.1.1 \\<script\\>alert(1)\\</script\\> Safety Policy"
    assert_no_raw_tags(at)
    at = open_page(at, "views/chapter.py", manual="testshire", chapter="1.1.2")
    assert "\\<img src=x onerror=alert(1)\\>" in at.title[0].value
    assert any("- \\<b\\>bold\\</b\\> \\[click\\](javascript:alert(1))" in m.value and "See also" in m.value
               for m in at.markdown)
    assert_no_raw_tags(at)
    at = open_page(at, "views/chapter.py", manual="testshire", chapter="1.1.3")
    assert any("\\<script\\>alert(1)\\</script\\>" in m.value for m in at.markdown)
    assert_no_raw_tags(at)


def test_document_text_is_escaped_in_browse_and_answers(hostile_app):
    at = open_page(hostile_app, "views/browse.py")
    at.text_input[0].input("policy").run()
    assert any("\\<script\\>" in link.value for link in at.page_link)
    assert_no_raw_tags(at)
    at = open_page(at, "views/chat.py")
    at.chat_input[0].set_value("Which chapter covers the leaflet procedure?").run(timeout=60)
    assert not at.exception, at.exception
    assert any("\\<img" in m.value for m in at.markdown)
    assert_no_raw_tags(at)


# -- the helpers themselves --------------------------------------------------------------
def test_md_escape_makes_markup_literal():
    assert md_escape(XSS_SCRIPT) == "\\<script\\>alert(1)\\</script\\>"
    assert md_escape("**x** [a](b) $5") == "\\*\\*x\\*\\* \\[a\\](b) \\$5"
    assert md_escape("1. First\n- item\n# head") == "1\\. First  \n\\- item  \n\\# head"


def test_safe_answer_keeps_bold_and_quotes_but_not_html():
    text = "**Derby City 6.7.6** [1]\n> quote <img src=x> ![i](u) [l](javascript:x) $5 \\<b>"
    assert safe_answer(text) == ("**Derby City 6.7.6** [1]\n> quote \\<img src=x> \\![i\\](u) [l\\](javascript:x) "
                                 "\\$5 \\\\\\<b>")
    assert "".join(safe_stream(["a ![", "x](y) !", "[z](w)"])) == safe_answer("a ![x](y) ![z](w)")


def test_urls_badges_and_linked_markers():
    assert is_safe_url("https://example.org/p") and not is_safe_url("javascript:alert(1)")
    assert not is_safe_url("data:text/html,x") and not is_safe_url(None)
    assert badge("updated") == ("Updated", "blue") and badge("Updated") == ("Updated", "blue")
    assert badge("under review") == ("Under review", "orange")
    assert linked_markers("A [1] and [3].", {1: "chapter?x=1"}) == "A [\\[1\\]](chapter?x=1) and [3]."
