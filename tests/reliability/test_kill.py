"""SIGKILL an ingest at chosen points of a write, then check two things:
right after the kill, a reader sees each file whole in its old or its new
version (never a mix, never a file gone); and the next ordinary ingest
recovers, leaving a store equal to a clean ingest of the new version, with
no leftover rebuild collection and no orphaned segment folder.

The points are hit exactly: a small hook (run in the killed process only)
wraps one `ChromaStore` method and sends the process SIGKILL before or after
its n-th call. Production code carries no test hook."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import uuid

import pytest

from vectorstore.settings import REPO_ROOT

from reliability_helpers import SEEDS, cli_env, run_cli, second_version, settings_in, store_state

pytestmark = pytest.mark.kill

HOOK = r'''
import os, signal, sys
from vectorstore.store import ChromaStore
method, when, nth, needs = (os.environ["KILL_AT"].split(":") + [""])[:4]
calls = [0]
original = getattr(ChromaStore, method)

def tick(kwargs):
    if needs and needs not in kwargs:
        return
    calls[0] += 1
    if calls[0] == int(nth):
        os.kill(os.getpid(), signal.SIGKILL)

def hooked(self, *args, **kwargs):
    if when == "before":
        tick(kwargs)
    result = original(self, *args, **kwargs)
    if when == "after":
        tick(kwargs)
    return result

setattr(ChromaStore, method, hooked)
if os.environ.get("BATCH"):  # small batches: a file of a few dozen chunks is written in several
    import ingest.pipeline
    ingest.pipeline.BATCH = int(os.environ["BATCH"])
from ingest.cli import main
sys.exit(main(sys.argv[1:]))
'''

# (name, the kill point, rebuild?); a point named in BATCHES runs with that ingest batch size
BATCHES = {"_upsert:after:1": "16"}
POINTS = [
    ("new rows written, source row not yet switched", "_write_source:before:1", False),
    ("source row switched, old rows not yet deleted", "_delete_other_versions:before:1", False),
    ("old rows deleted, write marker not yet cleared", "_delete_other_versions:after:1", False),
    ("second changed file half-written", "_write_source:before:2", False),
    ("a file's first batch written, its next batches not yet", "_upsert:after:1", False),
    ("rebuild half-filled", "_write_source:before:3", True),
    ("rebuild switched live, old collections not yet dropped", "_set_head:after:1:live", True),
]


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """A store holding version 1 of the manuals, and the state a clean ingest of version 2 gives."""
    root = tmp_path_factory.mktemp("kill")
    v2 = second_version(root / "manuals-v2")
    v1_settings = settings_in(root / "v1")
    assert run_cli("ingest", str(SEEDS), "--quiet", settings=v1_settings).returncode == 0
    clean = settings_in(root / "clean-v2")
    assert run_cli("ingest", str(v2), "--quiet", settings=clean).returncode == 0
    return v1_settings, store_state(v1_settings), v2, store_state(clean)


def _per_source_versions(state: dict) -> dict:
    """source -> (its source row, its chunks): what one file's version looks like."""
    out = {key: (row, set()) for key, row in state["sources"].items()}
    for chunk_id, (text, meta) in state["chunks"].items():
        import json

        m = json.loads(meta)
        out[f"{m['manual_id']}/{m['source']}"][1].add((chunk_id, text, meta))
    return {k: (row, frozenset(chunks)) for k, (row, chunks) in out.items()}


def _orphaned_segments(store_dir) -> list[str]:
    with sqlite3.connect(store_dir / "chroma.sqlite3") as db:
        live = {row[0] for row in db.execute("SELECT id FROM segments")}
    return [p.name for p in store_dir.iterdir() if p.is_dir() and _is_uuid(p.name) and p.name not in live]


def _is_uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name,point,rebuild", POINTS, ids=[p[0] for p in POINTS])
def test_a_killed_ingest_is_recovered_by_the_next_run(tmp_path, versions, name, point, rebuild):
    v1_settings, v1_state, v2, v2_state = versions
    settings = settings_in(tmp_path)
    shutil.copytree(v1_settings.store_dir, settings.store_dir)
    args = [str(v2), "--quiet"] + (["--rebuild"] if rebuild else [])
    killed = subprocess.run([sys.executable, "-c", HOOK, *args], cwd=REPO_ROOT,
                            env=cli_env(settings, KILL_AT=point, BATCH=BATCHES.get(point, "")),
                            capture_output=True, text=True, timeout=600)
    assert killed.returncode == -9, f"the kill point was never reached: {killed.stderr[-2000:]}"

    # A reader right after the kill: every file whole, in version 1 or version 2.
    seen = _per_source_versions(store_state(settings))
    old, new = _per_source_versions(v1_state), _per_source_versions(v2_state)
    assert set(seen) == set(old) == set(new)
    mixed = [key for key, version in seen.items() if version not in (old[key], new[key])]
    assert not mixed, mixed

    recovered = run_cli("ingest", str(v2), "--quiet", settings=settings)
    assert recovered.returncode == 0, recovered.stderr
    assert "Traceback" not in recovered.stderr
    assert store_state(settings) == v2_state
    assert not _orphaned_segments(settings.store_dir)
    from vectorstore.clients import make_client

    names = {c.name for c in make_client(settings).list_collections()}
    assert len(names) == 3, names  # head, chunks, sources: no half-built rebuild left over
