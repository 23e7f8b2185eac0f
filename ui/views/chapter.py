"""Chapter: one chapter (or one amendment record) addressed by query
parameters (assistant/practice/chapters.py has the scheme).

A chapter whose page is loaded shows its text, scrolled to and highlighting
the cited passage. A contents-only chapter shows where it sits in its section
with its neighbours, its flags and amendment history. Both link to the
original online (the record's own page, else the manual's address, labelled
so) and offer "Ask about this chapter"."""
from __future__ import annotations

from typing import Optional

import streamlit as st

from assistant.practice.chapters import (AmendmentView, ChapterView, NotFound, amendment_params, entry_params,
                                         online_link, resolve)
from ui import resources
from ui.rendering import badge, is_safe_url, md_escape
from vectorstore.models import Chapter, Chunk, RecordKind
from vectorstore.text import month_label

CHAPTER_PAGE = "views/chapter.py"
CITED_ID = "pa-cited"

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)


def scroll_to_cited() -> None:
    """Bring the cited passage into view once the page has drawn it."""
    st.html(f"""<script>
(() => {{
  let tries = 0;
  const go = () => {{
    const mark = document.getElementById("{CITED_ID}");
    if (mark) {{ mark.scrollIntoView({{block: "center"}}); return; }}
    if (++tries < 40) setTimeout(go, 150);
  }};
  setTimeout(go, 200);
}})();
</script>""", unsafe_allow_javascript=True)


def cited_anchor() -> None:
    st.html(f'<span id="{CITED_ID}"></span>')


def highlighted(text: str, passage: Optional[str]) -> str:
    """Section text as safe markdown, the cited passage (when it is in the text) on a highlight."""
    if not passage or passage not in text:
        return md_escape(text)
    before, after = text.split(passage, 1)
    marked = "\n".join(f":orange-background[{md_escape(line)}]" if line.strip() else ""
                       for line in passage.split("\n"))
    return "\n\n".join(part for part in (md_escape(before.strip()), marked.replace("\n", "  \n"),
                                         md_escape(after.strip())) if part)


def flags(labels: list[str]) -> None:
    if labels:
        with st.container(horizontal=True, gap="small"):
            for flag in labels:
                label, colour = badge(flag)
                st.badge(label, color=colour)


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
            if is_cited:
                cited_anchor()
            st.markdown(highlighted(section.text, passage if is_cited else None))


def amendment_history(view: ChapterView) -> None:
    st.subheader("Amendment history")
    if not view.amendments:
        months = [p.amended for p in view.pages if p.amended]
        note = f" The chapter page itself says it was amended in {month_label(max(months))}." if months else ""
        st.caption("No amendment records for this chapter are in the amendments pages loaded." + note)
        return
    for a in view.amendments:
        label, colour = badge(a.change.value)
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.markdown(f"**{month_label(a.amended)}**")
            st.badge(label, color=colour)
            st.page_link(CHAPTER_PAGE, label="Amendment record", icon=":material/history:",
                         query_params=amendment_params(a))
        if a.details:
            st.markdown(md_escape(a.details))


def _ask(view: ChapterView) -> None:
    number = f"{view.chapter} " if view.chapter else ""
    st.session_state["pending_question"] = {
        "question": f"What does {names.get(view.manual.id, view.manual.name)} {number}{view.title} cover?",
        "manual": view.manual.id}  # this question only: the sidebar's choice stays as it was


def actions(view: ChapterView) -> None:
    link = online_link(view.url, view.manual, names.get(view.manual.id, view.manual.name))
    with st.container(horizontal=True, gap="small"):
        if st.button("Ask about this chapter", icon=":material/chat:", type="primary"):
            _ask(view)
            st.switch_page("views/chat.py")
        if link and is_safe_url(link.url):
            st.link_button(link.label, link.url, icon=":material/open_in_new:")
    if link and not link.exact:
        st.caption("This opens the manual's contents page: the chapter's own web address isn't held here.")


def neighbours(view: ChapterView) -> None:
    """Where a contents-only chapter sits: its section, with the entries around it."""
    entry = view.entry
    st.subheader("Where it sits in the manual")
    if view.section_path:
        st.markdown(" › ".join(f"**{md_escape(p)}**" if i == len(view.section_path) - 1 else md_escape(p)
                               for i, p in enumerate(view.section_path)))
    shown = view.neighbours()
    if len(shown) < len(view.siblings):
        st.caption(f"{len(shown)} of the {len(view.siblings)} chapters in this section, around this one:")
    for other in shown:
        label = md_escape(f"{other.chapter or ''} {other.title}".strip())
        if other.record_id == entry.record_id:
            cited = view.cited is not None and view.cited.kind == RecordKind.CONTENTS
            if cited:
                cited_anchor()
            st.markdown(f":material/arrow_right: :orange-background[**{label}**]" + (" · *cited*" if cited else ""))
        else:
            st.page_link(CHAPTER_PAGE, label=label, query_params=entry_params(catalog, other))
    if entry.see_also:
        st.markdown("**See also**\n" + "\n".join(f"- {md_escape(s)}" for s in entry.see_also))


def show_chapter(view: ChapterView) -> None:
    st.caption(md_escape(view.manual.name))
    st.title(md_escape(f"{view.chapter} {view.title}" if view.chapter else view.title))
    flags(view.flags)
    if view.others:
        st.warning(f"Number {md_escape(view.chapter or '')} is used for more than one chapter in this manual. "
                   "The others:")
        for other in view.others:
            st.page_link(CHAPTER_PAGE, label=md_escape(f"{other.chapter} {other.title}"),
                         query_params=entry_params(catalog, other))
    actions(view)
    if view.has_text:
        if view.cited is not None and view.cited.kind == RecordKind.CHAPTER:
            where = f" ({md_escape(view.cited.section)})" if view.cited.section else ""
            st.info(f"The answer cited the highlighted passage{where}, below.", icon=":material/format_quote:")
        for page in view.pages:
            page_sections(page, view.cited)
    else:
        st.info("The contents entry for this chapter is loaded here, not its text: open it online to read it.",
                icon=":material/menu_book:")
    if view.entry:
        neighbours(view)
    amendment_history(view)
    if view.cited is not None:
        scroll_to_cited()


def show_amendment(view: AmendmentView) -> None:
    a = view.amendment
    st.caption(md_escape(view.manual.name) + " · amendment record")
    st.title(md_escape(f"{month_label(a.amended)}: {a.title or 'a chapter not named on the amendments page'}"))
    label, colour = badge(a.change.value)
    st.badge(label, color=colour)
    if a.details:
        st.markdown(md_escape(a.details))
    if view.chapter is not None:
        number = f"{view.chapter.chapter} " if view.chapter.chapter else ""
        st.page_link(CHAPTER_PAGE, label=md_escape(f"Open the chapter: {number}{view.chapter.title}"),
                     query_params=entry_params(catalog, view.chapter), icon=":material/article:")
    else:
        st.caption("The chapter this amendment changed isn't among the contents and chapters loaded here.")
    link = online_link(a.url, view.manual, names.get(view.manual.id, view.manual.name))
    if link and is_safe_url(link.url):
        st.link_button(link.label if link.exact else f"{link.label} (contents page)", link.url,
                       icon=":material/open_in_new:")
    st.page_link("views/changes.py", label="All changes", icon=":material/history:",
                 query_params={"manual": view.manual.id})


def not_found(reason: str) -> None:
    st.title("Chapter not found")
    st.warning(md_escape(reason) + " The link may be out of date, or the manual not loaded.")
    st.page_link("views/browse.py", label="Browse the manuals", icon=":material/account_tree:")


def main() -> None:
    params = st.query_params.to_dict()
    if not params:
        st.title("Chapter")
        st.info("Open a chapter from Browse, from What's changed, or from an answer's sources.")
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
