"""Answer latency as the store grows: the sample manuals ingested once, then
as K copies under other manual ids (a stand-in for whole manuals of hundreds
of chapters), timed on the same questions in one process.

Run: `.venv/bin/python bench/scale.py [K]` (default 10). Prints figures; asserts nothing.
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.chain import Assistant  # noqa: E402
from assistant.evaluation.questions import load_questions  # noqa: E402
from ingest.manifest import load_manifest  # noqa: E402
from ingest.pipeline import ingest  # noqa: E402
from vectorstore.embeddings import make_embedder  # noqa: E402
from vectorstore.settings import Settings  # noqa: E402
from vectorstore.store import open_store  # noqa: E402


def copy_manuals(source: Path, target: Path, copies: int) -> None:
    """`copies` copies of the sample manuals, each copy's manuals renamed."""
    manifest = load_manifest(source)
    target.mkdir(parents=True)
    lines = []
    for k in range(copies):
        suffix = "" if k == 0 else f"-{k}"
        for mid, manual in manifest.manuals.items():
            places = ", ".join(f'"{p}{suffix}"' for p in manual.places)
            lines += [f'[manuals."{mid}{suffix}"]', f'name = "{manual.name}{suffix}"', f"places = [{places}]", ""]
        for name, entry in manifest.files.items():
            shutil.copy(source / name, target / f"{k}_{name}")
            lines += [f'[files."{k}_{name}"]', f'manual = "{entry.manual_id}{suffix}"', f'kind = "{entry.kind.value}"', ""]
    (target / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")


def timed_store(settings: Settings, embedder, folder: Path) -> tuple[Assistant, float, int]:
    started = time.perf_counter()
    report = ingest([folder], settings, open_store(settings, embedder.name), embedder, progress=False)
    return Assistant(settings, embedder=embedder).warm_up(), time.perf_counter() - started, report.chunks


def latencies(assistant: Assistant, questions) -> list[float]:
    return sorted(assistant.ask(q.question, q.manual).timings_ms["total"] for q in questions)


def main(copies: int = 10) -> int:
    base = Settings.from_env()
    embedder = make_embedder(base)
    embedder.warm_up()
    questions = load_questions()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in (1, copies):
            folder = Path(tmp) / f"manuals-{k}"
            copy_manuals(base.manuals_dir, folder, k)
            settings = base.with_(store_dir=Path(tmp) / f"store-{k}", chroma_host=None, collection=f"scale-{k}")
            assistant, ingest_s, chunks = timed_store(settings, embedder, folder)
            times = latencies(assistant, questions)
            rows.append((k, chunks, ingest_s, statistics.median(times), times[int(0.95 * (len(times) - 1))]))
    print(f"{'copies':>6}{'chunks':>8}{'ingest s':>10}{'p50 ms':>8}{'p95 ms':>8}")
    for k, chunks, ingest_s, p50, p95 in rows:
        print(f"{k:>6}{chunks:>8}{ingest_s:>10.1f}{p50:>8.1f}{p95:>8.1f}")
    (_, c1, _, p1, _), (_, ck, _, pk, _) = rows
    print(f"{ck / c1:.0f}x the chunks -> p50 latency x{pk / p1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
