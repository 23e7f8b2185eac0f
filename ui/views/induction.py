"""Induction: for a new starter's manual and role, an ordered reading path of
chapters (one line each on why it matters), ticks kept per user name, and a
"Quiz me" on what the chapters cover."""
from __future__ import annotations

import itertools
import zlib

import streamlit as st

from assistant.practice.chapters import record_params
from assistant.practice.induction import ReadingPath, Step, load_curriculum, manuals_with_chapters, reading_path
from assistant.practice.quiz import check, make_quiz
from assistant.practice.ticks import user_key
from ui import resources
from ui.rendering import md_escape, plain

CHAPTER_PAGE = "views/chapter.py"

MANUAL, ROLE, USER = "induction_manual", "induction_role", "induction_user"
QUIZ = "induction_quiz"  # {"path": (manual, role), "round": n, "questions": [...], "score": Score | None}
QUESTIONS = 5

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog
names = resources.short_names(assistant)
curriculum = load_curriculum()
ticks = resources.ticks(settings)


@st.cache_data(show_spinner="Finding the chapters for this role…", max_entries=64)
def _path(_assistant, assistant_key: int, manual_id: str, role_id: str) -> ReadingPath:
    return reading_path(_assistant, manual_id, role_id, curriculum)


def tick_key(user: str, step: Step) -> str:
    return f"tick|{user_key(user)}|{step.manual_id}|{step.chapter}|{step.title}"


def _ticked(user: str, step: Step) -> None:
    ticks.set(user, step.manual_id, step.chapter, step.title, bool(st.session_state[tick_key(user, step)]))


def choose() -> tuple[str, str, str]:
    """The manual, role and user name pickers."""
    manuals = sorted(manuals_with_chapters(catalog), key=lambda mid: names.get(mid, mid))
    with st.container(horizontal=True, gap="small"):
        manual_id = st.selectbox("Manual", manuals, key=MANUAL, format_func=lambda mid: names.get(mid, mid))
        role_id = st.selectbox("Your role", list(curriculum.roles), key=ROLE,
                               format_func=lambda rid: curriculum.roles[rid].label)
        user = st.text_input("Your name", key=USER, placeholder="e.g. Sam Patel",
                             help="Ticks are kept on this computer under this name.")
    return manual_id, role_id, (user or "").strip()


def show_step(step: Step, user: str, done: set) -> None:
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.checkbox("Read", key=tick_key(user, step), value=step.key in done, disabled=not user,
                    on_change=_ticked, args=(user, step), label_visibility="collapsed",
                    help="Tick when you have read it" if user else "Enter your name to tick chapters off")
        st.page_link(CHAPTER_PAGE, label=md_escape(plain(step.label, 90)), icon=":material/article:",
                     query_params=record_params(catalog, step.manual_id, step.chapter, step.record_id),
                     help=plain(step.section or step.title))
    if step.also:
        st.caption(f"Also covers: {md_escape(', '.join(step.also))}")


def show_path(path: ReadingPath, user: str) -> None:
    name = names.get(path.manual_id, path.manual_id)
    if not path.steps:
        st.info(f"None of the {name} chapters loaded here clearly covers the induction topics, so there is "
                "no reading path for it yet. Ask your manager which chapters to read first.")
        return
    done = ticks.ticked(user, path.manual_id) if user else set()
    read = sum(step.key in done for step in path.steps)
    st.progress(read / len(path.steps), text=f"{read} of {len(path.steps)} chapters read")
    if not user:
        st.caption(":material/info: Enter your name above to tick chapters off as you read them.")
    for number, (_, group) in enumerate(itertools.groupby(path.steps, key=lambda s: s.topic.id), 1):
        group = list(group)
        st.markdown(f"**{number}. {md_escape(group[0].topic.title)}**  \n{md_escape(group[0].topic.why)}")
        for step in group:
            show_step(step, user, done)
    if path.skipped:
        topics = ", ".join(t.title for t in path.skipped)
        st.info(f"{name} has nothing that clearly covers: {md_escape(topics)}. "
                "Ask your manager where these are set out locally.", icon=":material/search_off:")


def new_quiz(path: ReadingPath) -> None:
    state = st.session_state.get(QUIZ) or {"round": 0}
    round_ = state["round"] + 1
    seed = zlib.crc32(f"{path.manual_id}|{path.role.id}|{round_}".encode())
    questions = make_quiz(path.steps, names.get(path.manual_id, path.manual_id), QUESTIONS, seed)
    st.session_state[QUIZ] = {"path": (path.manual_id, path.role.id), "round": round_,
                              "questions": questions, "score": None}


def show_quiz(path: ReadingPath) -> None:
    st.subheader("Quiz me")
    state = st.session_state.get(QUIZ)
    current = state if state and state.get("path") == (path.manual_id, path.role.id) else None
    st.button("New quiz" if current else "Quiz me", icon=":material/quiz:", on_click=new_quiz, args=(path,))
    if not current:
        return
    questions = current["questions"]
    if not questions:
        st.info("This reading path has too few chapters to make a quiz from.")
        return
    keys = {q.id: f"quiz|{current['round']}|{q.id}" for q in questions}
    with st.form(f"quiz_{current['round']}"):
        for number, q in enumerate(questions, 1):
            st.radio(f"{number}. {md_escape(q.prompt)}", q.options, index=None, key=keys[q.id],
                     format_func=md_escape)
        if st.form_submit_button("Check answers", type="primary"):
            current["score"] = check(questions, {qid: st.session_state.get(key) for qid, key in keys.items()})
    score = current["score"]
    if score:
        with st.container(border=True):
            st.markdown(f":material/grading: **You answered {score.label} correctly.** "
                        "The answers, and why each chapter matters, are below.")
        for number, (q, right) in enumerate(zip(questions, score.marks), 1):
            if right:
                st.markdown(f":green[:material/check:] {number}. Correct: {md_escape(q.explanation)}")
            else:
                st.markdown(f":red[:material/close:] {number}. The answer is **{md_escape(q.correct)}** "
                            f"({md_escape(q.explanation)})")


def main() -> None:
    st.title("Induction")
    st.caption("Choose your manual and role to get the chapters a new starter should read first, in order, "
               "found by searching the manual for each topic. Tick them off as you go, then quiz yourself.")
    manual_id, role_id, user = choose()
    path = _path(assistant, id(assistant), manual_id, role_id)
    show_path(path, user)
    if path.steps:
        st.divider()
        show_quiz(path)


main()
