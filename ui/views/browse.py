"""Browse: each manual's contents as a tree (sections → chapters), with
flags and a filter; every entry opens its Chapter page."""
from __future__ import annotations

from collections import defaultdict

import streamlit as st

from ui import resources
from ui.links import CHAPTER_PAGE, entry_params
from ui.rendering import FLAG_COLOURS, md_escape
from vectorstore.models import Chapter, ChapterEntry
from vectorstore.text import title_key

SEP = " › "

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)


def matches(entry: ChapterEntry | Chapter, query: str) -> bool:
    """Does the filter match the entry's number, title or see-also lines?"""
    if not query:
        return True
    key = title_key(query)
    number = entry.chapter or ""
    see_also = getattr(entry, "see_also", [])
    return (number.startswith(query.strip()) or bool(key) and any(
        key in title_key(text) for text in (entry.title, *see_also)))


def tree(entries: list[ChapterEntry]) -> dict[str, dict[str, list[ChapterEntry]]]:
    """top-level section -> sub-section -> entries, in contents order."""
    grouped: dict[str, dict[str, list[ChapterEntry]]] = defaultdict(lambda: defaultdict(list))
    for e in entries:
        top, _, rest = (e.section or "Other chapters").partition(SEP)
        grouped[top][rest].append(e)
    return grouped


def entry_row(entry: ChapterEntry | Chapter) -> None:
    label = f"{entry.chapter} {entry.title}" if entry.chapter else entry.title
    flags = getattr(entry, "flags", [])
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.page_link(CHAPTER_PAGE, label=md_escape(label), query_params=entry_params(catalog, entry))
        for flag in flags:
            st.badge(flag, color=FLAG_COLOURS.get(flag, "gray"))


def show_manual(manual_id: str, query: str) -> int:
    """One manual's tree; returns how many entries it showed."""
    entries = [e for e in catalog.manual_entries(manual_id) if matches(e, query)]
    numbered = {e.chapter for e in catalog.manual_entries(manual_id) if e.chapter}
    pages = [c for c in catalog.chapters if c.manual_id == manual_id and c.chapter not in numbered
             and matches(c, query)]
    if not (entries or pages):
        return 0
    st.subheader(md_escape(catalog.manuals[manual_id].name))
    for top, subs in tree(entries).items():
        count = sum(len(v) for v in subs.values())
        with st.expander(f"{md_escape(top)} ({count})", expanded=bool(query)):
            for sub, items in subs.items():
                if sub:
                    st.markdown(f"**{md_escape(sub)}**")
                for e in items:
                    entry_row(e)
    if pages:
        with st.expander(f"Chapter pages held ({len(pages)})", expanded=True):
            for page in pages:
                entry_row(page)
    return len(entries) + len(pages)


def main() -> None:
    st.title("Browse the manuals")
    options = [""] + sorted(catalog.manuals, key=lambda mid: names.get(mid, mid))
    with st.container(horizontal=True):
        manual = st.selectbox("Manual", options, format_func=lambda m: names.get(m, m) if m else "All manuals")
        query = st.text_input("Filter", placeholder="Title, number or see-also, e.g. staying put or 6.7").strip()
    summary = st.empty()
    shown = sum(show_manual(mid, query) for mid in ([manual] if manual else options[1:]))
    total = len(catalog.entries) if not manual else len(catalog.manual_entries(manual))
    if not shown:
        summary.info("Nothing matches that filter." if query else "No contents are loaded for this manual.")
    elif query:
        summary.caption(f"{shown} chapters match “{md_escape(query)}”.")
    else:
        summary.caption(f"{total} contents entries. Open a section to see its chapters.")


main()
