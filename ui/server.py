"""The app as served: `streamlit run ui/server.py` (scripts/run-app.sh does).

An `st.App` around ui/app.py whose lifespan warms the assistant (model,
catalog, indexes, and the one-off costs of a first question) before the
server accepts connections, so when /_stcore/health says "ok" a question
costs only retrieval. Warming in the background while the server already
answered "ok" left the first visitor's page and question competing with it
(about 7 s from "ok" to the first answer in the browser test, under load).
A warm-up that fails does not stop the server: its pages say what failed.
"""
from __future__ import annotations

import asyncio
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
        warm = resources.start_warm_up(settings)
        await asyncio.to_thread(warm.wait)  # the server listens (and says "ok") once it is done
    yield


app = st.App("app.py", lifespan=warm_up_at_start)
