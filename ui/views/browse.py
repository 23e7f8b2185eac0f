"""Browse: each manual's contents as a tree (sections → chapters), with flags
and a filter kept in the address; every entry opens its Chapter page. A
manual holding only its amendments points to What's changed."""
from __future__ import annotations

from collections import defaultdict
from typing import Union

import streamlit as st

from assistant.practice.chapters import entry_params
from assistant.practice.filtering import matches
from ui import resources
from ui.rendering import badge, md_escape
from vectorstore.models import Chapter, ChapterEntry

CHAPTER_PAGE = "views/chapter.py"

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)

Record = Union[ChapterEntry, Chapter]


def hit(record: Record, query: str) -> bool:
    return matches(query, record.chapter, [record.title, *getattr(record, "see_also", [])])


def tree(entries: list[ChapterEntry]) -> dict[str, dict[str, list[ChapterEntry]]]:
    """top-level section -> the rest of its path -> entries, in contents order."""
    grouped: dict[str, dict[str, list[ChapterEntry]]] = defaultdict(lambda: defaultdict(list))
    for e in entries:
        path = e.section_path or ["Other chapters"]
        grouped[path[0]][" › ".join(path[1:])].append(e)
    return grouped


def entry_row(record: Record) -> None:
    label = f"{record.chapter} {record.title}" if record.chapter else record.title
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.page_link(CHAPTER_PAGE, label=md_escape(label), query_params=entry_params(catalog, record))
        for flag in record.flags:
            text, colour = badge(flag)
            st.badge(text, color=colour)


def chapters_of(manual_id: str) -> tuple[list[ChapterEntry], list[Chapter]]:
    """A manual's contents entries, and its chapter pages that no entry stands for."""
    entries = catalog.manual_entries(manual_id)
    numbered = {e.chapter for e in entries if e.chapter}
    joined = {e.record_id for e in entries}
    pages = [c for c in catalog.chapters if c.manual_id == manual_id and c.entry_id not in joined
             and (c.chapter is None or c.chapter not in numbered)]
    return entries, pages


def show_manual(manual_id: str, query: str, single: bool) -> int:
    """One manual's tree; returns how many chapters it showed."""
    all_entries, all_pages = chapters_of(manual_id)
    name = catalog.manuals[manual_id].name
    if not (all_entries or all_pages):
        if single or not query:
            st.subheader(md_escape(name))
            st.info("Only this manual's amendments list is loaded here, not its contents.",
                    icon=":material/history:")
            st.page_link("views/changes.py", label=f"See what's changed in {names.get(manual_id, manual_id)}",
                         query_params={"manual": manual_id}, icon=":material/history:")
        return 0
    entries = [e for e in all_entries if hit(e, query)]
    pages = [c for c in all_pages if hit(c, query)]
    if not (entries or pages):
        return 0
    st.subheader(md_escape(name))
    for top, subs in tree(entries).items():
        count = sum(len(v) for v in subs.values())
        with st.expander(f"{md_escape(top)} ({count})", expanded=bool(query)):
            for sub, items in subs.items():
                if sub:
                    st.markdown(f"**{md_escape(sub)}**")
                for e in items:
                    entry_row(e)
    if pages:
        label = "Chapters" if not all_entries else "Chapter pages without a contents entry"
        with st.expander(f"{label} ({len(pages)})", expanded=True):
            for page in pages:
                entry_row(page)
    return len(entries) + len(pages)


def main() -> None:
    st.title("Browse the manuals")
    options = [""] + sorted(catalog.manuals, key=lambda mid: names.get(mid, mid))
    with st.container(horizontal=True):
        manual = st.selectbox("Manual", options, key="manual", bind="query-params",
                              format_func=lambda m: names.get(m, m) if m else "All manuals")
        query = (st.text_input("Filter", key="q", bind="query-params",
                               placeholder="Words or a number: staying put, LAC, 6.7") or "").strip()
    summary = st.empty()
    chosen = [manual] if manual else options[1:]
    shown = sum(show_manual(mid, query, single=bool(manual)) for mid in chosen)
    held = sum(len(chapters_of(mid)[0]) + len(chapters_of(mid)[1]) for mid in chosen)
    if query and not shown and held:
        summary.info(f"No chapter matches “{md_escape(query)}”.")
    elif query:
        summary.caption(f"{shown} chapters match “{md_escape(query)}”.")
    elif held:
        summary.caption(f"{held} chapters. Open a section to see its chapters.")


main()
