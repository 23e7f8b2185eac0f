"""The embedding models side by side, in one process: passages encoded per
second and the time to embed one question, each as a ratio to the default
model (MiniLM through ONNX). A model that is not set up (mpnet needs
`bash scripts/setup.sh --mpnet`) is reported as skipped.

Run: `.venv/bin/python bench/embedders.py [--models minilm mpnet] [--rounds 3]`.
Each round measures each model in its own fresh process (so one model's
runtime threads cannot slow the other's), and rounds alternate the models so
load on the machine hits them alike; the median round is reported. Prints
figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluation.questions import load_questions  # noqa: E402
from bench.cold_start import passages  # noqa: E402


def questions(limit: int = 40) -> list[str]:
    return [q.question for q in load_questions(ROOT / "tests" / "eval" / "questions.jsonl")][:limit]


def measure(name: str, n_passages: int) -> dict:
    """One model, in this process: passages/s and the median time to embed a question."""
    from vectorstore.embeddings import make_embedder
    from vectorstore.settings import Settings

    embedder = make_embedder(Settings.from_env().with_(embedder=name))
    embedder.warm_up()
    embedder.embed_documents(["warm"])  # first-call allocation out of the timing
    texts, asks = passages(n_passages), questions()
    started = time.perf_counter()
    embedder.embed_documents(texts)
    rate = len(texts) / (time.perf_counter() - started)
    times = []
    for q in asks:
        started = time.perf_counter()
        embedder.embed_query(q)
        times.append((time.perf_counter() - started) * 1000)
    return {"rate": rate, "query_ms": statistics.median(times), "passages": len(texts), "questions": len(asks)}


def in_own_process(name: str, n_passages: int) -> dict | None:
    done = subprocess.run([sys.executable, __file__, "--one", name, "--passages", str(n_passages)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        print(f"{name}: skipped ({(done.stderr.strip().splitlines() or ['failed'])[-1]})")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--models", nargs="+", default=["minilm", "mpnet"])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--passages", type=int, default=128)
    p.add_argument("--one", help=argparse.SUPPRESS)  # measure one model in this process, print JSON
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.passages)))
        return 0
    rounds: dict[str, list[dict]] = {name: [] for name in args.models}
    for _ in range(args.rounds):
        for name in list(rounds):
            result = in_own_process(name, args.passages)
            if result is None:
                rounds.pop(name)
            else:
                rounds[name].append(result)
    if not rounds:
        return 1
    med = {n: (statistics.median(r["rate"] for r in rs), statistics.median(r["query_ms"] for r in rs))
           for n, rs in rounds.items()}
    first = next(iter(rounds.values()))[0]
    base = next(iter(med.values()))
    print(f"{first['passages']} passages of 60 words, {first['questions']} questions, "
          f"median of {args.rounds} alternating rounds, each model in its own process")
    print(f"{'model':<10}{'passages/s':>12}{'x base':>8}{'query ms p50':>14}{'x base':>8}")
    for name, (rate, query) in med.items():
        print(f"{name:<10}{rate:>12.1f}{rate / base[0]:>8.2f}{query:>14.1f}{query / base[1]:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
