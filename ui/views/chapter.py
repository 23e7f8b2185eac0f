"""Chapter: one chapter (or one amendment record) addressed by query
parameters (see ui/links.py for the scheme), with the cited passage highlighted."""
from __future__ import annotations

from typing import Optional

import streamlit as st

from ui import resources
from ui.links import AmendmentView, ChapterView, NotFound, amendment_params, entry_params, resolve
from ui.rendering import CHANGE_COLOURS, FLAG_COLOURS, is_safe_url, md_escape
from vectorstore.models import Chapter, Chunk, RecordKind
from vectorstore.text import month_label

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)


def highlighted(text: str, passage: Optional[str]) -> str:
    """Section text as safe markdown, the cited passage (when it is in the text) on a highlight."""
    if not passage or passage not in text:
        return md_escape(text)
    before, after = text.split(passage, 1)
    marked = "\n".join(f":orange-background[{md_escape(line)}]" if line.strip() else ""
                       for line in passage.split("\n"))
    return "\n\n".join(part for part in (md_escape(before.strip()), marked.replace("\n", "  \n"),
                                         md_escape(after.strip())) if part)


def cited_box(chunk: Optional[Chunk]) -> None:
    """The cited passage of a chapter page, on top (a cited contents line is marked where it stands)."""
    if chunk is None or chunk.kind != RecordKind.CHAPTER:
        return
    where = f" ({md_escape(chunk.section)})" if chunk.section else ""
    st.info(f"**The passage the answer cited**{where}\n\n{md_escape(chunk.text)}", icon=":material/format_quote:")


def flags(labels: list[str]) -> None:
    if labels:
        with st.container(horizontal=True, gap="small"):
            for flag in labels:
                st.badge(flag, color=FLAG_COLOURS.get(flag, "gray"))


def page_sections(page: Chapter, cited: Optional[Chunk]) -> None:
    """A chapter page as held: labelled blocks, then its numbered sections."""
    for label, text in (("Scope of this chapter", page.scope), ("Amendment", page.amendment_note)):
        if text:
            st.markdown(f"**{label}**\n\n{md_escape(text)}")
    if page.related:
        st.markdown("**Related chapters**\n\n" + "\n".join(f"- {md_escape(r)}" for r in page.related))
    passage = cited.text if cited and cited.record_id == page.record_id else None
    for section in page.sections:
        is_cited = bool(passage) and (passage in section.text or cited.section == section.heading)
        with st.expander(md_escape(section.heading) + (" · cited" if is_cited else ""), expanded=is_cited):
            st.markdown(highlighted(section.text, passage if is_cited else None))


def amendment_history(view: ChapterView) -> None:
    st.subheader("Amendment history")
    if not view.amendments:
        months = [p.amended for p in view.pages if p.amended]
        note = f" The chapter page itself says it was amended in {month_label(max(months))}." if months else ""
        st.caption("No amendment records are linked to this chapter in the loaded amendments pages." + note)
        return
    for a in view.amendments:
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.markdown(f"**{month_label(a.amended)}** · {a.change.value}")
            st.page_link("views/chapter.py", label="Amendment record", icon=":material/history:",
                         query_params=amendment_params(a))
        if a.details:
            st.markdown(md_escape(a.details))


def ask_button(view: ChapterView) -> None:
    if st.button("Ask about this chapter", icon=":material/chat:", type="primary"):
        number = f"{view.chapter} " if view.chapter else ""
        st.session_state["chat_manual"] = view.manual.id
        st.session_state.pop("chat_manual_widget", None)
        st.session_state["pending_question"] = (
            f"What does {names.get(view.manual.id, view.manual.name)} {number}{view.title} cover?")
        st.switch_page("views/chat.py")


def contents_entry(view: ChapterView) -> None:
    """The chapter's line on the contents page, and its see-also lines."""
    st.subheader("On the contents page")
    line = md_escape(f"{view.entry.chapter or ''} {view.entry.title}".strip())
    if view.cited and view.cited.kind == RecordKind.CONTENTS:
        line = f":orange-background[{line}] · *cited*"
    see_also = "".join(f"\n- See also: {md_escape(s)}" for s in view.entry.see_also)
    st.markdown(line + see_also)


def show_chapter(view: ChapterView) -> None:
    st.caption(md_escape(view.manual.name))
    st.title(md_escape(f"{view.chapter} {view.title}" if view.chapter else view.title))
    if view.entry and view.entry.section:
        st.markdown(f":material/account_tree: {md_escape(view.entry.section)}")
    flags(view.flags)
    if view.others:
        st.warning(f"Number {md_escape(view.chapter or '')} is used for more than one chapter in this manual. "
                   "The others:")
        for other in view.others:
            st.page_link("views/chapter.py", label=md_escape(f"{other.chapter} {other.title}"),
                         query_params=entry_params(catalog, other))
    cited_box(view.cited)
    with st.container(horizontal=True, gap="small"):
        ask_button(view)
        if is_safe_url(view.url):
            st.link_button("Open the original page", view.url, icon=":material/open_in_new:")
    if view.entry:
        contents_entry(view)
    for page in view.pages:
        st.subheader("The chapter")
        page_sections(page, view.cited)
    if not view.pages:
        st.caption("Only the contents entry for this chapter is loaded, not the chapter itself"
                   + (": open the original page for its text." if is_safe_url(view.url) else "."))
    amendment_history(view)


def show_amendment(view: AmendmentView) -> None:
    a = view.amendment
    st.caption(md_escape(view.manual.name) + " · amendment record")
    st.title(md_escape(f"{month_label(a.amended)}: {a.title or 'a chapter (not named on the amendments page)'}"))
    st.badge(a.change.value, color=CHANGE_COLOURS.get(a.change.value, "gray"))
    if a.details:
        st.markdown(md_escape(a.details))
    if view.chapter:
        st.page_link("views/chapter.py", label=md_escape(f"Chapter {view.chapter.chapter} {view.chapter.title}"),
                     query_params=entry_params(catalog, view.chapter), icon=":material/article:")
    else:
        st.caption("This amendment isn't linked to a chapter in the contents loaded here.")
    if is_safe_url(a.url):
        st.link_button("Open the original page", a.url, icon=":material/open_in_new:")
    st.page_link("views/changes.py", label="All changes", icon=":material/history:")


def not_found(reason: str) -> None:
    st.title("Chapter not found")
    st.warning(md_escape(reason) + " The link may be out of date, or the manual not loaded.")
    st.page_link("views/browse.py", label="Browse the manuals", icon=":material/account_tree:")


def main() -> None:
    params = st.query_params.to_dict()
    if not params:
        st.title("Chapter")
        st.info("Open a chapter from Browse, from What's changed, or from an answer's citations.")
        st.page_link("views/browse.py", label="Browse the manuals", icon=":material/account_tree:")
        return
    view = resolve(catalog, params)
    if isinstance(view, NotFound):
        not_found(view.reason)
    elif isinstance(view, AmendmentView):
        show_amendment(view)
    else:
        show_chapter(view)


main()
