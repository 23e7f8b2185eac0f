"""What's changed: amendment records by month, newest first, a page at a
time, filtered by manual, change type and text. Each card links to the
chapter it changed (or its own record where that chapter isn't loaded);
changes whose chapter the amendments page doesn't name come last. Manuals
fetched from their websites show when they were last refreshed and what that
refresh changed (read from their crawl records; the app never crawls)."""
from __future__ import annotations

from datetime import datetime
from itertools import groupby
from zoneinfo import ZoneInfo

import streamlit as st

from assistant.practice.chapters import amendment_params, chapter_of_amendment, entry_params
from assistant.practice.filtering import matches as filter_matches
from ui import resources
from ui.rendering import badge, md_escape
from vectorstore.crawl_record import Refresh, latest_refreshes
from vectorstore.models import Amendment, Change
from vectorstore.text import month_label

CHAPTER_PAGE = "views/chapter.py"
PER_PAGE = 12

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
    return filter_matches(query, a.chapter, [a.title, a.details])


def card(a: Amendment) -> None:
    chapter = chapter_of_amendment(catalog, a)
    with st.container(border=True):
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            label, colour = badge(a.change.value)
            st.badge(label, color=colour)
            place = md_escape(names.get(a.manual_id, a.manual_id))
            if chapter is not None:
                number = f"{chapter.chapter} " if chapter.chapter else ""
                st.page_link(CHAPTER_PAGE, label=md_escape(f"{number}{chapter.title}"),
                             query_params=entry_params(catalog, chapter), icon=":material/article:")
            elif a.title:
                st.page_link(CHAPTER_PAGE, label=md_escape(a.title), query_params=amendment_params(a),
                             icon=":material/history:", help="This chapter isn't loaded here: opens the amendment "
                                                              "record, with the manual's online link")
            else:
                st.page_link(CHAPTER_PAGE, label="Amendment record", query_params=amendment_params(a),
                             icon=":material/history:")
            st.caption(f"{place} · {month_label(a.amended)}")
        if a.details:
            st.markdown(md_escape(a.details))


def ordered(found: list[Amendment]) -> list[Amendment]:
    """Newest month first; within it, page order; changes to unnamed chapters after all the rest."""
    return [a for a in found if a.title] + [a for a in found if not a.title]


def local_time(stamp: str) -> str:
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return when.astimezone(ZoneInfo(settings.time_zone)).strftime("%d %b %Y, %H:%M")


def refresh_card(r: Refresh) -> None:
    """One crawled manual: its last refresh, and the pages that refresh added, changed and removed."""
    run = r.run
    when = f"refreshed {local_time(r.refreshed)}" if r.refreshed else "not yet fully refreshed"
    counts = (f"{len(run.added)} added, {len(run.changed)} changed, {len(run.removed)} removed, "
              f"{len(run.failed)} failed" if run else "no refresh recorded")
    with st.expander(f"{names.get(r.manual, r.name)} · {when} · {counts}"):
        st.caption(f"From {md_escape(r.start_url)}")
        for label, paths in (("Added", run.added if run else []), ("Changed", run.changed if run else []),
                             ("Removed", run.removed if run else [])):
            if paths:
                st.markdown(f"**{label}:** " + ", ".join(md_escape(p) for p in paths))
        if run and run.failed:
            st.markdown("**Could not be fetched** (the last good copy, if any, is kept):\n"
                        + "\n".join(f"- {md_escape(f.url)}: {md_escape(f.reason)}" for f in run.failed[:20]))
        if run and not (run.added or run.changed or run.removed):
            st.markdown("Nothing changed in this refresh.")


def main() -> None:
    st.title("What's changed")
    refreshes = latest_refreshes(settings.manuals_dir)
    if refreshes:
        st.caption("Manuals fetched from their websites (refreshed by an administrator, never while you ask):")
        for r in refreshes:
            refresh_card(r)
    with_changes = sorted({a.manual_id for a in catalog.amendments}, key=lambda m: names.get(m, m))
    if not with_changes:
        st.info("No amendments pages are loaded.")
        return
    with st.container(horizontal=True):
        manual = st.selectbox("Manual", [""] + with_changes, key="manual", bind="query-params",
                              format_func=lambda m: names.get(m, m) if m else "All manuals")
        query = st.text_input("Filter", key="q", bind="query-params", placeholder="e.g. conferences, exploitation")
    changes = st.pills("Change", [c.value for c in Change], selection_mode="multi", key="change",
                       format_func=lambda v: badge(v)[0]) or []
    found = ordered([a for a in catalog.amendments if matches(a, manual, changes, query or "")])
    pages = max(1, -(-len(found) // PER_PAGE))
    st.caption(f"{len(found)} of {len(catalog.amendments)} changes, newest first"
               + (f", {PER_PAGE} a page." if pages > 1 else "."))
    if not found:
        st.info("No change matches those filters.")
        return
    page_key = f"page|{manual}|{','.join(changes)}|{query}"  # new filters start again at page 1
    page = min(max(int(st.session_state.get(page_key) or 1), 1), pages)
    shown = found[(page - 1) * PER_PAGE: page * PER_PAGE]
    for (named, month), items in groupby(shown, key=lambda a: (bool(a.title), a.amended)):
        st.subheader(month_label(month) if named else
                     f"Chapters the amendments page doesn't name · {month_label(month)}")
        for a in items:
            card(a)
    if pages > 1:
        st.pagination(pages, key=page_key)


main()
