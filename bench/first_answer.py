"""The app's first answer, timed by phase in Debian's headless chromium: a fresh
server (`streamlit run ui/server.py`) on the sample store, then, from the
moment /_stcore/health says "ok": the page's load event, the chat box, and
the first question's answer on screen. The browser test
(tests/ui/test_browser_e2e.py) records the same headline figure once per run;
this repeats it, and with `--compare DIR` alternates with the server run from
another checkout (say, `git worktree add /tmp/before COMMIT`), so a change is
measured against what it changed under the same load.

Run: `.venv/bin/python bench/first_answer.py [--runs 3] [--compare DIR] [--store DIR]`
(without --store, the sample manuals are ingested into a temporary store first).
Prints one JSON line per run and the medians; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from browser import AppServer, launch_chromium  # noqa: E402  (tests/ui/browser.py)

QUESTION = "which chapter covers Staying Put?"
ANSWER = re.compile(r"\[\d\] Derby City 6\.7\.6 Staying Put Policy")
PHASES = ("start_to_ok", "ok_to_page_load", "page_load_to_chat_box", "enter_to_answer", "ok_to_answer",
          "start_to_answer")


def sample_store(folder: Path) -> Path:
    """The sample manuals ingested into `folder` (the store directory)."""
    from ingest.pipeline import ingest
    from vectorstore.embeddings import make_embedder
    from vectorstore.settings import Settings
    from vectorstore.store import open_store

    settings = Settings.from_env().with_(data_dir=folder.parent, store_dir=folder, chroma_host=None)
    embedder = make_embedder(settings)
    embedder.warm_up()
    ingest([ROOT / "data" / "manuals"], settings, open_store(settings, embedder.name), embedder, progress=False)
    return folder


def one_run(chromium, repo: Path, store: Path, work: Path) -> dict:
    """A fresh server from `repo`, one desktop page, one question: seconds per phase."""
    from playwright.sync_api import expect

    env = {"PA_STORE_DIR": str(store), "PA_APP_DB": str(work / f"app-{time.time_ns()}.sqlite3"),
           "CHROMA_HOST": "", "PA_ADMIN_PASSWORD_HASH": ""}
    started = time.monotonic()
    server = AppServer(env, work / "server.log", cwd=repo).start(timeout=120)
    try:
        context = chromium.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.goto(server.url, wait_until="load")
        loaded = time.monotonic()
        box = page.get_by_test_id("stChatInputTextArea")
        expect(box).to_be_visible(timeout=120_000)
        usable = time.monotonic()
        box.fill(QUESTION)
        asked = time.monotonic()
        box.press("Enter")
        expect(page.get_by_role("link", name=ANSWER)).to_be_visible(timeout=120_000)
        answered = time.monotonic()
        context.close()
    finally:
        server.stop()
    ok = server.healthy_at
    return {"repo": str(repo), "start_to_ok": ok - started, "ok_to_page_load": loaded - ok,
            "page_load_to_chat_box": usable - loaded, "enter_to_answer": answered - asked,
            "ok_to_answer": answered - ok, "start_to_answer": answered - started, "load": os.getloadavg()[0]}


def main() -> int:
    p = argparse.ArgumentParser(description="Time the app's first answer in headless chromium.")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--compare", type=Path, help="another checkout to alternate with")
    p.add_argument("--store", type=Path, help="a store holding the sample manuals (default: ingest them now)")
    args = p.parse_args()
    from playwright.sync_api import sync_playwright

    repos = [ROOT] + ([args.compare.resolve()] if args.compare else [])
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="first-answer-") as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        store = args.store or sample_store(work / "store")
        chromium = launch_chromium(playwright)
        for _ in range(args.runs):
            for repo in repos:  # alternating: both see the same load
                rows.append(one_run(chromium, repo, store, work))
                print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in rows[-1].items()}),
                      flush=True)
        chromium.close()
    for repo in repos:
        mine = [r for r in rows if r["repo"] == str(repo)]
        print(f"{repo}: median of {len(mine)} -> " + ", ".join(
            f"{k} {statistics.median(r[k] for r in mine):.2f} s" for k in PHASES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
