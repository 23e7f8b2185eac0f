"""Scale: SYNTHETIC manuals (bench/synthetic.py) ingested in steps to each
target size, and at every size, in one run:

- ingest chunks/s for the step, and its ratio to the raw encode rate of the
  same chunk texts (the embedder alone, measured right after);
- query p50/p95 (ms, whole answers) over the tuning questions, embedded and
  through a real `chroma run` server on the same store folder;
- the assistant's warm-up (snapshot load) time, peak RSS, store size on disk.

Run: `.venv/bin/python bench/scale.py [SIZE ...]` (default 1000 10000; chunks,
approximately). Writes docs/scale.png and prints a table; asserts nothing.
"""
from __future__ import annotations

import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bench.synthetic import generate  # noqa: E402

CHUNKS_PER_CHAPTER = 9.3  # measured on the generator's output
CHAPTERS_PER_MANUAL = 100
QUESTIONS = 40
ENCODE_SAMPLE = 300
# The `chroma` script beside this interpreter: a worktree runs another checkout's venv.
CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _latencies(settings, embedder, questions) -> tuple[float, float, float]:
    from assistant.chain import Assistant

    started = time.perf_counter()
    assistant = Assistant(settings, embedder=embedder).warm_up()
    warm = time.perf_counter() - started
    times = sorted(assistant.ask(q.question, q.manual).timings_ms["total"] for q in questions)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], warm


def _server(store_dir: Path, log: Path):
    port = _free_port()
    process = subprocess.Popen([str(CHROMA), "run", "--path", str(store_dir),
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            return process, port
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("chroma run did not start")


def main(sizes: list[int]) -> int:
    from assistant.evaluation.questions import load_questions
    from ingest.pipeline import ingest
    from vectorstore.embeddings import make_embedder
    from vectorstore.settings import Settings
    from vectorstore.store import open_store

    base = Settings.from_env()
    embedder = make_embedder(base)
    embedder.warm_up()
    questions = [q for q in load_questions()][:QUESTIONS]
    rows = []
    with tempfile.TemporaryDirectory(prefix="synthetic-scale-") as tmp:
        tmp = Path(tmp)
        settings = base.with_(data_dir=tmp, store_dir=tmp / "store", chroma_host=None, collection="scale")
        made = 0
        for size in sizes:
            manuals = max(1, round(size / CHUNKS_PER_CHAPTER / CHAPTERS_PER_MANUAL))
            chapters = CHAPTERS_PER_MANUAL if manuals > 1 else max(10, round(size / CHUNKS_PER_CHAPTER))
            folders = generate(tmp / "manuals", manuals - made, chapters, first=made)  # only what this step adds
            made = max(made, manuals)
            store = open_store(settings, embedder.name)
            before = store.count()
            old_ids = {c.id for c in store.all_chunks()} if before else set()
            started = time.perf_counter()
            for folder in folders:
                ingest([folder], settings, store, embedder, progress=False, manual_id=folder.name,
                       manual_name=f"{folder.name} (SYNTHETIC)")
            seconds = time.perf_counter() - started
            total = store.count()
            # The raw encode rate of this step's own chunks, spread evenly over them: the
            # store's first rows are mostly one-line contents entries, which encode far faster.
            added = [c for c in store.all_chunks() if c.id not in old_ids]
            sample = [c.embed_text or c.text for c in added[::max(1, len(added) // ENCODE_SAMPLE)][:ENCODE_SAMPLE]]
            t0 = time.perf_counter()
            embedder.embed_documents(sample)
            encode_rate = len(sample) / (time.perf_counter() - t0)
            ingest_rate = (total - before) / seconds
            p50, p95, warm = _latencies(settings, embedder, questions)
            server, port = _server(settings.store_dir, tmp / "server.log")
            try:
                s50, s95, swarm = _latencies(settings.with_(chroma_host="127.0.0.1", chroma_port=port),
                                             embedder, questions)
            finally:
                server.terminate()
                server.wait(timeout=30)
            row = dict(chunks=total, ingest_rate=round(ingest_rate, 1), encode_rate=round(encode_rate, 1),
                       ratio=round(ingest_rate / encode_rate, 2), p50=round(p50, 1), p95=round(p95, 1),
                       warm_s=round(warm, 1), server_p50=round(s50, 1), server_p95=round(s95, 1),
                       server_warm_s=round(swarm, 1),
                       rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                       store_mb=round(_du(settings.store_dir), 1),
                       load=" ".join(f"{x:.1f}" for x in os.getloadavg()))  # the machine is shared
            rows.append(row)
            print(json.dumps(row), flush=True)
            _plot(rows, ROOT / "docs" / "scale.png")  # after every size: a run stopped early keeps its plot
    _table(rows)
    return 0


def _table(rows: list[dict]) -> None:
    print(f"\n{'chunks':>7} {'ingest/s':>9} {'encode/s':>9} {'ratio':>6} {'p50':>6} {'p95':>6} "
          f"{'srv p50':>8} {'srv p95':>8} {'warm s':>7} {'RSS MB':>7} {'store MB':>9}")
    for r in rows:
        print(f"{r['chunks']:>7} {r['ingest_rate']:>9} {r['encode_rate']:>9} {r['ratio']:>6} {r['p50']:>6} "
              f"{r['p95']:>6} {r['server_p50']:>8} {r['server_p95']:>8} {r['warm_s']:>7} {r['rss_mb']:>7} "
              f"{r['store_mb']:>9}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        print(f"{b['chunks'] / a['chunks']:.1f}x the chunks -> p50 x{b['p50'] / a['p50']:.2f} embedded, "
              f"x{b['server_p50'] / a['server_p50']:.2f} through the server")


def _plot(rows: list[dict], path: Path) -> None:
    """p50/p95 against chunks (log scale), drawn with Pillow (no matplotlib here)."""
    import math

    from PIL import Image, ImageDraw

    w, h, pad = 720, 420, 60
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    xs = [math.log10(r["chunks"]) for r in rows]
    top = max(max(r["p95"], r["server_p95"]) for r in rows) * 1.15
    x0, x1 = min(xs) - 0.2, max(xs) + 0.2

    def pt(x, y):
        return pad + (x - x0) / (x1 - x0) * (w - 2 * pad), h - pad - y / top * (h - 2 * pad)

    d.line([(pad, h - pad), (w - pad, h - pad)], fill="black")
    d.line([(pad, pad), (pad, h - pad)], fill="black")
    for r, x in zip(rows, xs):
        px, _ = pt(x, 0)
        d.text((px - 15, h - pad + 8), f"{r['chunks']}", fill="black")
    for k in range(5):
        y = top * k / 4
        d.text((8, pt(x0, y)[1] - 6), f"{y:.0f} ms", fill="black")
    series = [("p50 embedded", "p50", "blue"), ("p95 embedded", "p95", "lightblue"),
              ("p50 server", "server_p50", "red"), ("p95 server", "server_p95", "pink")]
    for i, (label, key, colour) in enumerate(series):
        points = [pt(x, r[key]) for r, x in zip(rows, xs)]
        if len(points) > 1:
            d.line(points, fill=colour, width=3)
        for px, py in points:
            d.ellipse([px - 4, py - 4, px + 4, py + 4], fill=colour)
        d.text((w - pad - 130, pad + 16 * i), label, fill=colour)
    d.text((pad, 20), "Answer latency vs store size (SYNTHETIC manuals, 2 cores), bench/scale.py", fill="black")
    d.text((w // 2 - 40, h - 25), "chunks (log)", fill="black")
    img.save(path)


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [1000, 10000]))
