"""Ingest benchmark: prints figures, asserts nothing.

Measures, in one process and into a temporary store: model load, embedding
throughput, a full ingest of the manuals folder, a no-change re-ingest (as a
ratio of the full one), a one-file-changed re-ingest, and store size on disk.
Run: `python -m ingest bench` (or `python -m ingest --bench`).
"""
from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from ingest.chunking import page_chunks
from ingest.pipeline import ingest, parse_file
from ingest.sites import discover
from vectorstore.embeddings import make_embedder
from vectorstore.settings import Settings
from vectorstore.store import open_store


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def run(settings: Settings) -> int:
    embedder = make_embedder(settings)
    _, load_s = _timed(embedder.warm_up)
    files = discover([settings.manuals_dir], {}).files
    texts = [c.embed_text for f in files for c in page_chunks(parse_file(f, settings, {}), "")]
    embedder.embed_documents(texts[:8])  # first batch pays one-off set-up
    _, embed_s = _timed(lambda: embedder.embed_documents(texts))

    with tempfile.TemporaryDirectory() as tmp:
        manuals = Path(tmp) / "manuals"
        shutil.copytree(settings.manuals_dir, manuals)
        local = settings.with_(store_dir=Path(tmp) / "store", chroma_host=None, manuals_dir=manuals)
        store = open_store(local, embedder.name)
        full, full_s = _timed(lambda: ingest([manuals], local, store, embedder, progress=None))
        _, again_s = _timed(lambda: ingest([manuals], local, store, embedder, progress=None))
        victim = sorted(manuals.glob("*.txt"))[0]
        victim.write_text(victim.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        _, one_s = _timed(lambda: ingest([manuals], local, store, embedder, progress=None))
        size = _size_mb(local.store_dir)

    print(f"embedder            {embedder.name}: load {load_s:.2f} s")
    print(f"embedding           {len(texts)} chunks in {embed_s:.2f} s = {len(texts) / embed_s:.0f} chunks/s")
    print(f"full ingest         {full.files} files, {full.chunks} chunks in {full_s:.2f} s")
    print(f"no-change re-ingest {again_s:.3f} s  ({again_s / full_s:.3f} x full ingest)")
    print(f"one file changed    {one_s:.2f} s  ({one_s / full_s:.3f} x full ingest)")
    print(f"store on disk       {size:.1f} MB")
    print(f"peak memory (RSS)   {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB for the whole run")
    return 0
