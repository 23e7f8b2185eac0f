"""Admin: feedback export, the questions the manuals didn't answer (grouped
by topic, masked), and loading the manuals again. Only registered for an
admin's session, and checking again here."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from assistant.practice.unanswered import report
from ui import access, resources
from ui.rendering import md_escape

access.require_admin()  # before anything else is read or drawn

settings = resources.get_settings()
assistant = resources.load_assistant(settings)
catalog = assistant.catalog


def feedback_export() -> None:
    st.subheader("Feedback")
    store = resources.feedback(settings)
    rows = store.rows()
    rated = sum(r["rating"] is not None for r in rows)
    commented = sum(bool(r["comment"]) for r in rows)
    st.caption(f"{len(rows)} answers with feedback: {rated} rated, {commented} with a comment. "
               "Questions and comments are kept masked where they held personal details.")
    st.download_button("Download feedback (spreadsheet, CSV)", lambda: store.export_csv(settings.time_zone),
                       file_name="procedures-assistant-feedback.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:", disabled=not rows)


def gaps() -> None:
    st.subheader("Questions the manuals didn't answer")
    st.caption("What staff asked that the loaded procedures don't cover, grouped by topic, most asked first. "
               "Personal details are masked.")
    found = report(resources.conversations(settings).not_covered(), resources.not_names(assistant),
                   embed=assistant.embedder.embed_documents, manuals=list(catalog.manuals.values()))
    if not found:
        st.info("Nothing unanswered yet.")
        return
    for gap in found:
        when = gap.last_asked.astimezone(ZoneInfo(settings.time_zone)).strftime("%d %b %Y") if gap.last_asked else ""
        with st.expander(f"{md_escape(gap.label)} · asked {gap.asked} time{'s' if gap.asked != 1 else ''}"
                         + (f" · last {when}" if when else "")):
            for question in gap.questions:
                st.markdown(f"- {md_escape(question)}")


def loading() -> None:
    st.subheader("Manuals")
    st.caption(f"{len(catalog.manuals)} manuals, {len(catalog.entries)} contents entries, "
               f"{len(catalog.chapters)} chapter pages and {len(catalog.amendments)} amendment records loaded "
               f"from `{settings.manuals_dir}`.")
    if st.button("Load the manuals folder again", icon=":material/sync:"):
        bar = st.progress(0.0, text="Starting…")

        def on_file(done: int, total: int, name: str) -> None:
            bar.progress(done / max(total, 1), text=f"Reading {name}" if name else "Linking amendments…")
        try:
            st.code(resources.run_ingest(settings, on_file).summary())
            st.success("Loaded. Pages now use the new contents.", icon=":material/check_circle:")
        except Exception as exc:  # reported, never a traceback
            st.error(f"Loading failed: {type(exc).__name__}: {exc}")
    refresh = resources.REFRESH_FROM_WEB
    if st.button("Refresh from the manuals' websites", icon=":material/cloud_sync:", disabled=refresh is None):
        with st.spinner("Fetching the manuals' pages…"):
            st.code(refresh(settings, lambda message: None))
    if refresh is None:
        st.caption("Fetching the manuals' pages from their websites isn't set up in this version "
                   "(ui/resources.py: REFRESH_FROM_WEB).")


st.title("Admin")
feedback_export()
gaps()
loading()
