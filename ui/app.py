"""Procedures Assistant: the Streamlit entry point.

    streamlit run ui/server.py     (warms the assistant as the server starts)
    streamlit run ui/app.py        (the same app; the first visitor waits for the warm-up)

Pages: Chat (default), Chapter, Browse, What's changed, Induction; Admin for
a signed-in admin only. When the store is empty or can't be opened, every
page shows how to load the procedures instead, with a button that does it.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run ui/app.py` puts only ui/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import access, resources  # noqa: E402
from ui.layout import page_furniture  # noqa: E402

st.set_page_config(page_title="Procedures Assistant", page_icon=":material/menu_book:")

PAGES = [
    st.Page("views/chat.py", title="Chat", icon=":material/chat:", url_path="chat", default=True),
    st.Page("views/chapter.py", title="Chapter", icon=":material/article:", url_path="chapter"),
    st.Page("views/browse.py", title="Browse", icon=":material/account_tree:", url_path="browse"),
    st.Page("views/changes.py", title="What's changed", icon=":material/history:", url_path="changes"),
    st.Page("views/induction.py", title="Induction", icon=":material/school:", url_path="induction"),
    st.Page("views/sign_in.py", title="Admin sign-in", icon=":material/lock:", url_path="sign-in",
            visibility="hidden"),
]
ADMIN = st.Page("views/admin.py", title="Admin", icon=":material/admin_panel_settings:", url_path="admin")


def empty_store(settings, status: resources.StoreStatus) -> None:
    """The screen shown instead of a page when there is nothing to answer from."""
    st.title("Procedures Assistant")
    if status.error:
        st.error(f"The procedures store can't be opened ({status.error}).")
    else:
        st.warning("No procedures are loaded yet, so there is nothing to answer from.")
    st.markdown("To load them, run this in the project folder:")
    st.code("python -m ingest", language="bash")
    st.caption(f"It reads the manuals folder, `{settings.manuals_dir}`, into the store at `{settings.store_dir}`.")
    files = resources.manual_files(settings)
    if not files:
        st.info(f"There are no files in `{settings.manuals_dir}` yet. Put the manuals' contents, chapter "
                "and amendments pages there (text or HTML), with a manifest.toml naming each manual.")
        return
    if st.button(f"Load the procedures now ({len(files)} files)", type="primary", icon=":material/download:"):
        load_now(settings)


def load_now(settings) -> None:
    """Run the ingest with a progress bar, then reload the app."""
    bar = st.progress(0.0, text="Starting…")

    def on_file(done: int, total: int, name: str) -> None:
        text = f"Reading {name} ({done + 1} of {total})" if name else "Linking amendments to chapters…"
        bar.progress(done / max(total, 1), text=text)

    try:
        report = resources.run_ingest(settings, on_file)
    except Exception as exc:  # never crash: say what failed
        st.error(f"Loading failed: {type(exc).__name__}: {exc}")
        return
    bar.progress(1.0, text="Done")
    if resources.store_status(settings).empty:
        st.error("Nothing could be loaded from those files.")
        st.code(report.summary())
        return
    st.session_state["ingest_report"] = report.summary()
    st.rerun()


def wait_for_the_assistant(settings) -> bool:
    """A friendly loading screen while the assistant warms up; False if it can't load."""
    if resources.assistant_ready(settings):
        return True
    screen = st.empty()
    with screen.container():
        st.title("Procedures Assistant")
        with st.spinner("Getting the procedures ready… this takes a few seconds after the app starts."):
            try:
                resources.load_assistant(settings)
            except Exception as exc:  # shown, never a traceback
                st.error(f"The procedures couldn't be loaded ({type(exc).__name__}: {exc}).")
                return False
    screen.empty()
    return True


def admin_footer() -> None:
    with st.sidebar:
        st.divider()
        if access.is_admin():
            if st.button("Sign out of admin", icon=":material/logout:", type="tertiary"):
                access.sign_out()
                st.rerun()
        else:
            st.page_link("views/sign_in.py", label="Admin sign-in", icon=":material/lock:")


def main() -> None:
    settings = resources.get_settings()
    page = st.navigation(PAGES + ([ADMIN] if access.is_admin() else []))
    page_furniture(page.url_path)
    status = resources.store_status(settings)
    if status.empty and page.url_path != "sign-in":
        empty_store(settings, status)
        return
    if "ingest_report" in st.session_state:
        report = st.session_state.pop("ingest_report")
        st.toast("The procedures are loaded.", icon=":material/check_circle:")
        with st.sidebar.expander("Load report"):
            st.code(report)
    if page.url_path == "sign-in" or wait_for_the_assistant(settings):
        page.run()
    admin_footer()


main()
