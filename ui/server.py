"""The app as served: `streamlit run ui/server.py` (scripts/run-app.sh does).

An `st.App` around ui/app.py whose lifespan starts the assistant's warm-up
(model, catalog, indexes) as the server starts, in a background thread, so
the first visitor finds it ready or nearly so instead of waiting for it.
"""
from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run ui/server.py` puts only ui/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402


@asynccontextmanager
async def warm_up_at_start(_app):
    from ui import resources  # imported here: the server is up before the model loads
    from vectorstore.settings import Settings

    settings = Settings.from_env()
    if not resources.store_status(settings).empty:  # an empty store has nothing to warm
        resources.start_warm_up(settings)
    yield


app = st.App("app.py", lifespan=warm_up_at_start)
