"""Chat: ask a question, get a cited answer, its sources once (each a link to
the chapter, with what the answer quotes from it), feedback, and a record to
save for a case file. The conversation is kept (its id in the address, its
turns in the app's SQLite), so a refresh or a shared link brings it back."""
from __future__ import annotations

from datetime import datetime
from typing import Iterator, Optional
from zoneinfo import ZoneInfo

import streamlit as st

from assistant.answer import Answer, Citation
from assistant.followup import rewrite_follow_up
from assistant.practice.case_record import build_case_record, to_docx, to_text
from assistant.practice.chapters import citation_params, url_for
from assistant.practice.conversations import Turn, new_id
from assistant.practice.privacy import find_personal_data, kinds_of, mask, warning_text
from assistant.question import analyse
from assistant.writers.base import SourceText
from ui import resources
from ui.identity import owner_key
from ui.rendering import linked_markers, md_escape, safe_answer, safe_stream
from vectorstore.models import RecordKind
from vectorstore.text import month_label

CHAT_PAGE, CHAPTER_PAGE = "views/chat.py", "views/chapter.py"
CONVERSATION = "conversation_id"  # also the address parameter "c"
TURNS = "turns"  # the conversation's turns (assistant.practice.conversations.Turn)
PENDING = "pending_question"  # {"question", "manual"}: asked on this run (a suggestion, "Ask about this chapter")
SCOPE = "chat_manual"  # the manual chosen in the sidebar ("" for all); survives page switches
SCOPE_WIDGET = "chat_manual_widget"
NOTES = "comment_notes"  # turn id -> what happened to its comment
SUGGESTIONS = ("Which chapter covers Staying Put?", "What changed in Child Protection Conferences in 2021?",
               "What is 6.7.6 in Derby City?")
CHIP_ICONS = {RecordKind.CONTENTS: ":material/menu_book:", RecordKind.CHAPTER: ":material/article:",
              RecordKind.AMENDMENT: ":material/history:"}
HISTORY = 6

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)
not_names = resources.not_names(assistant)
store = resources.conversations(settings)


# -- the conversation and its address --------------------------------------------
def start_new() -> None:
    st.session_state[CONVERSATION] = new_id()
    st.session_state[TURNS] = []
    st.query_params.pop("c", None)


def restore() -> None:
    """Bring back the conversation the address names, or keep this session's in the address."""
    wanted = st.query_params.get("c")
    if wanted and wanted != st.session_state.get(CONVERSATION):
        if store.exists(wanted):
            st.session_state[CONVERSATION] = wanted
            st.session_state[TURNS] = store.turns(wanted)
        else:
            start_new()
            st.toast("That conversation isn't stored here, so a new one has started.", icon=":material/info:")
    elif not wanted and st.session_state.get(TURNS):
        st.query_params["c"] = st.session_state[CONVERSATION]
    if CONVERSATION not in st.session_state:
        start_new()


# -- sidebar -------------------------------------------------------------------------
def _keep_scope() -> None:
    st.session_state[SCOPE] = st.session_state[SCOPE_WIDGET]


def sidebar(owner: str) -> None:
    options = [""] + sorted(catalog.manuals, key=lambda mid: names.get(mid, mid))
    if st.session_state.get(SCOPE_WIDGET) not in options:  # first run, or back from another page
        st.session_state[SCOPE_WIDGET] = st.session_state[SCOPE] if st.session_state[SCOPE] in options else ""
    with st.sidebar:
        st.selectbox("Search in", options, key=SCOPE_WIDGET, on_change=_keep_scope,
                     format_func=lambda mid: names.get(mid, mid) if mid else "All manuals",
                     help="Which manual to search. A place named in a question is searched instead "
                          "(\"what is 6.7.6 in Derby City?\").")
        if st.session_state[TURNS] and st.button("New conversation", icon=":material/add_comment:"):
            start_new()
            st.rerun()
        recent = store.recent(owner, HISTORY)
        if recent:
            st.caption("Recent conversations")
            for summary in recent:
                current = summary.id == st.session_state.get(CONVERSATION)
                st.page_link(CHAT_PAGE, label=md_escape(summary.title or "(no question)"),
                             query_params={"c": summary.id}, icon=":material/chat_bubble:",
                             disabled=current, help=f"{summary.turns} question(s), last on "
                                                    f"{_local(summary.updated_at):%d %b %Y %H:%M}")


# -- one turn ------------------------------------------------------------------------
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.time_zone)


def _local(when: datetime) -> datetime:
    return when.astimezone(_zone())


def source_url(citation: Citation) -> str:
    return url_for(citation_params(catalog, citation))


def scope_note(answer: Answer, turn: Turn) -> str:
    searched = sorted(names.get(m, m) for m in answer.searched)
    if answer.scope == "all" or len(searched) == len(catalog.manuals) > 1:
        return "Searched all the manuals loaded"
    listed = ", ".join(searched)
    why = {"named": "named in your question", "chosen": "chosen for this question" if turn.manual
           and turn.manual != st.session_state.get(SCOPE) else "chosen in the sidebar"}.get(answer.scope, "")
    return f"Searched {listed}" + (f" ({why})" if why else "")


def sources(answer: Answer) -> None:
    """Each citation once: a link to it (the whole label, wrapped), where it sits, and what the answer quotes."""
    for i, c in enumerate(answer.citations, 1):
        with st.container(gap=None):
            st.page_link(CHAPTER_PAGE, label=md_escape(f"[{i}] {c.label(names.get(c.manual_id))}"),
                         icon=CHIP_ICONS.get(c.kind), query_params=citation_params(catalog, c))
            amended = _latest(c)
            details = " · ".join(p for p in (md_escape(c.section or ""), f"last amended {month_label(amended)}"
                                             if amended else "") if p)
            if details:
                st.caption(details)
            if c.quote:
                st.markdown("\n".join(f"> {md_escape(line)}" for line in c.quote.split("\n") if line))


def _latest(c: Citation) -> Optional[str]:
    if c.kind == RecordKind.AMENDMENT:
        return c.amended
    return max(filter(None, [c.amended, catalog.latest_amendment(c.manual_id, c.chapter)]), default=None)


def pointers(answer: Answer) -> None:
    for p in answer.pointers:
        st.page_link(CHAPTER_PAGE, label=md_escape(f"Open {p.label(names.get(p.manual_id))}"),
                     icon=":material/contact_phone:", query_params=citation_params(catalog, p))


def case_record(turn: Turn):
    return build_case_record(turn.answer, catalog, turn.asked, names, base_url=settings.public_base_url,
                             time_zone=settings.time_zone, question=turn.question)


def _rated(turn: Turn) -> None:
    turn.rating = st.session_state[f"thumbs_{turn.id}"]
    store.update(st.session_state[CONVERSATION], turn)
    _feedback(turn, rating=turn.rating)


def _feedback(turn: Turn, **change) -> None:
    resources.feedback(settings).save(
        turn.id, question=turn.question, answer=turn.answer.answer, grounded=turn.answer.grounded,
        citations=turn.answer.citations, manual=turn.manual, personal=bool(turn.personal), **change)


def _commented(turn: Turn) -> None:
    key = f"comment_{turn.id}"
    text = (st.session_state.get(key) or "").strip()
    if not text:
        return
    findings = find_personal_data(text, not_names)
    saved = mask(text, findings) if findings else text
    _feedback(turn, comment=saved)
    st.session_state[key] = ""
    st.session_state.setdefault(NOTES, {})[turn.id] = (kinds_of(findings), saved)


def actions(turn: Turn) -> None:
    """Thumbs, comment and the case-record downloads under an answer."""
    thumbs = f"thumbs_{turn.id}"
    if thumbs not in st.session_state and turn.rating is not None:
        st.session_state[thumbs] = turn.rating
    note = st.session_state.get(NOTES, {}).get(turn.id)
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.feedback("thumbs", key=thumbs, on_change=_rated, args=(turn,))
        with st.popover("Comment", icon=":material/edit_note:"):
            st.text_area("What was wrong or missing?", key=f"comment_{turn.id}",
                         help="Goes to whoever maintains the procedures. No personal details, please.")
            st.button("Send comment", key=f"send_{turn.id}", on_click=_commented, args=(turn,))
            if note and note[0]:
                st.warning("Your comment looked like it held personal details "
                           f"({', '.join(note[0])}), so it was saved masked: “{md_escape(note[1])}”",
                           icon=":material/privacy_tip:")
            elif note:
                st.caption(":material/check: Thanks, your comment was saved.")
        with st.popover("Save for a case record", icon=":material/download:"):
            record = case_record(turn)
            st.caption(f"What the procedures said on {record.date_label}: the question, the answer, the "
                       "chapters cited with links, and the latest amendment known for each.")
            st.download_button("Word document", lambda: to_docx(case_record(turn)), f"{record.file_stem}.docx",
                               "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               key=f"docx_{turn.id}", on_click="ignore", icon=":material/description:")
            st.download_button("Text to copy into the case notes", lambda: to_text(case_record(turn)),
                               f"{record.file_stem}.txt", "text/plain", key=f"txt_{turn.id}", on_click="ignore",
                               icon=":material/notes:")
    if note:
        st.caption(":material/check: Comment saved" + (" (masked)." if note[0] else "."))


def show_question(question: str, asked_as: str, personal: list[str]) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(question))
        if asked_as and asked_as != question:
            st.caption(f"Asked as: {md_escape(asked_as)}")
        if personal:
            st.warning(warning_text(personal), icon=":material/privacy_tip:")


def show_turn(turn: Turn) -> None:
    answer = turn.answer
    show_question(turn.question, turn.asked_as, turn.personal)
    with st.chat_message("assistant"):
        st.caption(f":material/travel_explore: {md_escape(scope_note(answer, turn))}")
        if answer.grounded:
            urls = {i: source_url(c) for i, c in enumerate(answer.citations, 1)}
            st.markdown(linked_markers(safe_answer(answer.lead or answer.answer), urls))
            sources(answer)
        else:
            st.info(safe_answer(answer.answer), icon=":material/info:")
            pointers(answer)
        actions(turn)


# -- asking ------------------------------------------------------------------------
def ask(typed: str, manual: Optional[str], owner: str) -> None:
    """Answer a new question (masked first where it holds personal details), then keep it."""
    findings = find_personal_data(typed, not_names)
    shown = mask(typed, findings) if findings else typed
    turns: list[Turn] = st.session_state[TURNS]
    previous = analyse(turns[-1].asked_as or turns[-1].question, catalog.manuals.values()) if turns else None
    asked = rewrite_follow_up(shown, previous, catalog.manuals.values()) or shown
    show_question(shown, asked, kinds_of(findings))
    result: dict = {}
    with st.chat_message("assistant"):
        def lead() -> Iterator[str]:
            for piece in assistant.stream(asked, manual=manual):
                if isinstance(piece, Answer):
                    result["answer"] = piece
                elif not isinstance(piece, SourceText):
                    yield piece
        try:
            with st.spinner("Searching the procedures…"):
                st.write_stream(safe_stream(lead()))
        except Exception as exc:  # an answer that fails is reported, never a crash
            st.error(f"Sorry, something went wrong answering that ({type(exc).__name__}: {exc}).")
            return
    turn = Turn(question=shown, answer=result["answer"], asked=datetime.now(_zone()), manual=manual,
                asked_as=asked if asked != shown else "", personal=kinds_of(findings))
    store.add(st.session_state[CONVERSATION], owner, turn)
    turns.append(turn)
    st.query_params["c"] = st.session_state[CONVERSATION]
    st.rerun()  # draw it as history: sources, feedback, downloads


def _ask_later(question: str) -> None:
    st.session_state[PENDING] = {"question": question, "manual": None}


def intro() -> None:
    st.title("Procedures Assistant")
    st.caption(":material/info: Answers come only from the procedures loaded here, with the chapter they come "
               "from: check the chapter itself before you act. :material/lock: Don't type children's or "
               "families' names or details; ask about the procedure.")


def suggestions() -> None:
    st.markdown("Ask which chapter covers something, what a chapter number is, or what changed. Try:")
    with st.container(horizontal=True, gap="small"):
        for i, question in enumerate(SUGGESTIONS):
            st.button(question, key=f"suggest_{i}", on_click=_ask_later, args=(question,))


def main() -> None:
    st.session_state.setdefault(SCOPE, "")
    owner = owner_key()
    restore()
    sidebar(owner)
    intro()
    typed = st.chat_input("Ask about the procedures…")
    pending = st.session_state.pop(PENDING, None)
    if typed and typed.strip():
        question, manual = typed.strip(), st.session_state.get(SCOPE) or None
    elif pending:
        question, manual = pending["question"], pending.get("manual") or st.session_state.get(SCOPE) or None
    else:
        question, manual = None, None
    if not st.session_state[TURNS] and not question:
        suggestions()
    for turn in st.session_state[TURNS]:
        show_turn(turn)
    if question:
        ask(question, manual, owner)


main()
