"""Chat: ask a question, get a cited answer streamed, with citation chips,
feedback and a "what the procedures said" record to download."""
from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Iterator, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from assistant.answer import Answer
from assistant.scoping import find_scope
from ui import resources
from ui.case_record import build_case_record, to_csv, to_markdown
from ui.feedback import FeedbackStore
from ui.links import CHAPTER_PAGE, citation_params
from ui.privacy import find_personal_data, vocabulary, warning_text
from ui.rendering import md_escape, plain, safe_answer, safe_stream
from vectorstore.models import RecordKind
from vectorstore.text import month_label

CHAT = "chat"  # the conversation: a list of turns (dicts)
PENDING = "pending_question"  # a question to ask on this run (suggestions, "Ask about this chapter")
SCOPE = "chat_manual"  # the manual the chat is scoped to ("" for all); survives page switches
SCOPE_WIDGET = "chat_manual_widget"
SUGGESTIONS = ("Which chapter covers Staying Put?", "What changed in Child Protection Conferences in 2021?",
               "What is 6.7.6 in Derby City?")
FILLER = {"and", "in", "for", "what", "about", "how", "the", "same", "there", "then", "please", "ok"}
CHIP_ICONS = {RecordKind.CONTENTS: ":material/menu_book:", RecordKind.CHAPTER: ":material/article:",
              RecordKind.AMENDMENT: ":material/history:"}

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)
not_names = vocabulary([e.title for e in catalog.entries] + [c.title for c in catalog.chapters]
                       + [p for m in catalog.manuals.values() for p in m.places])


# -- sidebar ------------------------------------------------------------------
def _keep_scope() -> None:
    st.session_state[SCOPE] = st.session_state[SCOPE_WIDGET]


def sidebar() -> None:
    options = [""] + sorted(catalog.manuals, key=lambda mid: names.get(mid, mid))
    if st.session_state.get(SCOPE_WIDGET) not in options:  # first run, or back from another page
        st.session_state[SCOPE_WIDGET] = st.session_state[SCOPE] if st.session_state[SCOPE] in options else ""
    with st.sidebar:
        st.selectbox("Search in", options, key=SCOPE_WIDGET, on_change=_keep_scope,
                     format_func=lambda mid: names.get(mid, mid) if mid else "All manuals",
                     help="Scope the chat to one manual. A question that names a place is searched there.")
        st.caption(":material/lock: Don't enter children's or families' personal details "
                   "(names, dates of birth, NHS numbers, addresses, phone numbers).")
        if st.session_state.get(CHAT) and st.button("New conversation", icon=":material/add_comment:"):
            st.session_state[CHAT] = []
            st.rerun()
        st.divider()
        st.download_button("Download feedback (CSV)", FeedbackStore(settings.app_db).export_csv(),
                           file_name="procedures-assistant-feedback.csv", mime="text/csv", on_click="ignore",
                           icon=":material/download:", help="Every rating and comment, for whoever maintains the procedures.")


# -- one turn ------------------------------------------------------------------
def _now() -> datetime:
    """Now, in the browser's time zone when it says which (else the server's)."""
    try:
        return datetime.now(ZoneInfo(st.context.timezone)) if st.context.timezone else datetime.now().astimezone()
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.now().astimezone()


def new_turn(question: str, manual: Optional[str], answer: Answer, findings: list) -> dict:
    asked = _now()
    return {"id": uuid.uuid4().hex[:12], "question": question, "manual": manual, "answer": answer,
            "personal": [f.kind for f in findings], "asked": asked, "rating": None, "comment_note": "",
            "record": build_case_record(answer, catalog, asked, names, names.get(manual) if manual else None)}


def _store_feedback(turn: dict, **change) -> None:
    answer: Answer = turn["answer"]
    FeedbackStore(settings.app_db).save(
        turn["id"], question=turn["question"], answer=answer.answer, grounded=answer.grounded,
        citations=answer.citations, manual=turn["manual"], personal=bool(turn["personal"]), **change)


def _rated(turn: dict) -> None:
    turn["rating"] = st.session_state[f"thumbs_{turn['id']}"]
    _store_feedback(turn, rating=turn["rating"])


def _commented(turn: dict) -> None:
    key = f"comment_{turn['id']}"
    text = (st.session_state.get(key) or "").strip()
    if not text:
        return
    if find_personal_data(text, not_names):
        turn["comment_note"] = "warn"
        return  # left in the box for the user to edit; not stored
    _store_feedback(turn, comment=text)
    st.session_state[key] = ""
    turn["comment_note"] = "saved"


def chips(turn: dict) -> None:
    """The citations as numbered links to their Chapter page (or amendment record),
    the section and latest amendment known in the tooltip."""
    with st.container(horizontal=True, gap="small"):
        for i, (c, cited) in enumerate(zip(turn["answer"].citations, turn["record"].cited), 1):
            label = plain(f"[{i}] {c.label(names.get(c.manual_id))}", 70)
            amended = f" · last amended {month_label(cited.latest_amendment)}" if cited.latest_amendment else ""
            st.page_link(CHAPTER_PAGE, label=md_escape(label), icon=CHIP_ICONS.get(c.kind),
                         query_params=citation_params(catalog, c), help=plain(c.section or c.manual) + amended)


def actions(turn: dict) -> None:
    """Thumbs, comment and the downloads under an answer."""
    tid, record = turn["id"], turn["record"]
    thumbs = f"thumbs_{tid}"
    if thumbs not in st.session_state and turn["rating"] is not None:
        st.session_state[thumbs] = turn["rating"]
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.feedback("thumbs", key=thumbs, on_change=_rated, args=(turn,))
        with st.popover("Comment", icon=":material/edit_note:"):
            st.text_area("What was wrong or missing?", key=f"comment_{tid}",
                         help="Goes to whoever maintains the procedures. No personal details, please.")
            st.button("Send comment", key=f"send_{tid}", on_click=_commented, args=(turn,))
        with st.popover("Save for a case record", icon=":material/download:"):
            st.caption(f"What the procedures said on {record.date_label}: the question, answer, cited "
                       "chapters and the latest amendment known for each.")
            st.download_button("CSV", to_csv(record), f"{record.file_stem}.csv", "text/csv",
                               key=f"csv_{tid}", on_click="ignore")
            st.download_button("Markdown", to_markdown(record), f"{record.file_stem}.md", "text/markdown",
                               key=f"md_{tid}", on_click="ignore")
    if turn["comment_note"] == "saved":
        st.caption(":material/check: Thanks, your comment was saved.")
    elif turn["comment_note"] == "warn":
        st.warning("Your comment looks like it contains personal details, so it was not saved. "
                   "Please remove them and send it again.")


def show_turn(turn: dict) -> None:
    answer: Answer = turn["answer"]
    with st.chat_message("user"):
        st.markdown(md_escape(turn["question"]))
        if answer.question != turn["question"]:
            st.caption(f"Asked as: {md_escape(answer.question)}")
        if turn["manual"]:
            st.caption(f"Searched in {names.get(turn['manual'], turn['manual'])} only")
    with st.chat_message("assistant"):
        if turn["personal"]:
            st.warning(warning_text(turn["personal"]), icon=":material/privacy_tip:")
        if answer.grounded:
            st.markdown(safe_answer(answer.answer))
            chips(turn)
        else:
            st.info(safe_answer(answer.answer), icon=":material/info:")
        actions(turn)


# -- asking ----------------------------------------------------------------------
def follow_up(question: str) -> Optional[str]:
    """A place-only follow-up ("and in Rotherham?") asked as the previous
    question about that place; None for any other question."""
    turns = st.session_state[CHAT]
    scope = find_scope(question, catalog.manuals.values())
    words = set(re.findall(r"[a-z']+", scope.rest.lower()))
    if not turns or scope.manual_ids is None or words - FILLER:
        return None
    previous = find_scope(turns[-1]["answer"].question, catalog.manuals.values()).rest
    previous = re.sub(r"\s+(?:in|for)\s*\??$", "", previous.strip()).rstrip(" ?")
    place = re.sub(r"^\s*(?:(?:and|what|how)\s+)?(?:about\s+)?(?:in|for)?\s*", "", question, flags=re.I)
    return f"{previous} in {place.strip(' ?.!')}?"


def ask(question: str) -> None:
    """Answer a new question, streaming, then keep it in the conversation."""
    manual = st.session_state.get(SCOPE) or None
    findings = find_personal_data(question, not_names)
    asked = follow_up(question) or question
    with st.chat_message("user"):
        st.markdown(md_escape(question))
        if asked != question:
            st.caption(f"Asked as: {md_escape(asked)}")
    with st.chat_message("assistant"):
        if findings:
            st.warning(warning_text(f.kind for f in findings), icon=":material/privacy_tip:")
        result: dict = {}

        def pieces() -> Iterator[str]:
            for piece in assistant.stream(asked, manual=manual):
                if isinstance(piece, Answer):
                    result["answer"] = piece
                else:
                    yield piece
        try:
            with st.spinner("Searching the procedures…"):
                st.write_stream(safe_stream(pieces()))
        except Exception as exc:  # an answer that fails is reported, never a crash
            st.error(f"Sorry, something went wrong answering that ({type(exc).__name__}: {exc}).")
            return
    st.session_state[CHAT].append(new_turn(question, manual, result["answer"], findings))
    st.rerun()  # draw it as history: chips, feedback, downloads


def _ask_later(question: str) -> None:
    st.session_state[PENDING] = question


def intro() -> None:
    st.title("Procedures Assistant")
    st.caption(":material/info: Answers come only from the procedures loaded here, with the chapter they "
               "come from. Always check the chapter itself before you act.")


def suggestions() -> None:
    st.markdown("Ask which chapter covers something, what a chapter number is, or what changed. Try:")
    with st.container(horizontal=True, gap="small"):
        for i, question in enumerate(SUGGESTIONS):
            st.button(question, key=f"suggest_{i}", on_click=_ask_later, args=(question,))


def main() -> None:
    st.session_state.setdefault(CHAT, [])
    st.session_state.setdefault(SCOPE, "")
    sidebar()
    intro()
    question = st.chat_input("Ask about the procedures…")
    question = question or st.session_state.pop(PENDING, None)
    if not st.session_state[CHAT] and not question:
        suggestions()
    for turn in st.session_state[CHAT]:
        show_turn(turn)
    if question and question.strip():
        ask(question.strip())


main()
