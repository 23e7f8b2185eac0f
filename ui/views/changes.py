"""What's changed: amendment records by month, newest first, filtered by
manual, change type and text; each opens its record and its chapter."""
from __future__ import annotations

from itertools import groupby

import streamlit as st

from ui import resources
from ui.links import CHAPTER_PAGE, amendment_params, record_params
from ui.rendering import CHANGE_COLOURS, md_escape
from vectorstore.models import Amendment, Change
from vectorstore.text import month_label, title_key

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)


def matches(a: Amendment, manual: str, changes: list[str], query: str) -> bool:
    """Does an amendment pass the manual, change-type and text filters?"""
    if manual and a.manual_id != manual:
        return False
    if changes and a.change.value not in changes:
        return False
    key = title_key(query)
    return not key or key in title_key(f"{a.title} {a.details} {a.chapter or ''}")


def show(a: Amendment) -> None:
    title = a.title or "A chapter not named on the amendments page"
    with st.container(border=True):
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.badge(a.change.value, color=CHANGE_COLOURS.get(a.change.value, "gray"))
            st.markdown(f"**{md_escape(title)}** · {md_escape(names.get(a.manual_id, a.manual_id))}")
        if a.details:
            st.markdown(md_escape(a.details))
        with st.container(horizontal=True, gap="small"):
            if a.chapter:
                linked = catalog.entries_numbered(a.chapter, {a.manual_id})
                params = (record_params(catalog, a.manual_id, a.chapter, linked[0].record_id) if linked
                          else {"manual": a.manual_id, "chapter": a.chapter})
                st.page_link(CHAPTER_PAGE, label=md_escape(f"Chapter {a.chapter}"), query_params=params,
                             icon=":material/article:")
            st.page_link(CHAPTER_PAGE, label="Amendment record", query_params=amendment_params(a),
                         icon=":material/history:")


def main() -> None:
    st.title("What's changed")
    with_changes = sorted({a.manual_id for a in catalog.amendments}, key=lambda m: names.get(m, m))
    if not with_changes:
        st.info("No amendments pages are loaded.")
        return
    with st.container(horizontal=True):
        manual = st.selectbox("Manual", [""] + with_changes,
                              format_func=lambda m: names.get(m, m) if m else "All manuals")
        query = st.text_input("Filter", placeholder="e.g. conferences, exploitation")
    changes = st.pills("Change", [c.value for c in Change], selection_mode="multi",
                       format_func=str.capitalize) or []
    found = [a for a in catalog.amendments if matches(a, manual, changes, query)]
    st.caption(f"{len(found)} of {len(catalog.amendments)} changes, newest first.")
    for month, items in groupby(found, key=lambda a: a.amended):
        st.subheader(month_label(month))
        for a in items:
            show(a)


main()
