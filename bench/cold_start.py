"""Cold start and encode rate, in one run on the same machine.

1. Wall time of a cold `python -m assistant ask "…"` (fresh interpreter, the
   default ONNX embedder) against `python -c 'import sentence_transformers'`
   (what the torch path paid before it embedded anything), and against a cold
   ask with the torch embedder (PA_EMBEDDER=minilm-torch). Runs alternate so
   load on the machine hits all of them alike; medians are reported.
2. Encode rate (passages/s) of the same passages through ONNX fp32, torch and
   ONNX int8, in one process.

Run: `.venv/bin/python bench/cold_start.py [--runs N]`. The store asked is the
sample manuals, ingested into a temporary folder first. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "who chairs an initial child protection conference?"


def _env(**more: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PA_", "CHROMA_"))}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", **more)
    return env


def wall(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def cold_start(data_dir: Path, runs: int) -> None:
    py = sys.executable
    commands = {
        "ask (onnx, default)": ([py, "-m", "assistant", "ask", QUESTION], _env(PA_DATA_DIR=str(data_dir))),
        "ask (torch)": ([py, "-m", "assistant", "ask", QUESTION],
                        _env(PA_DATA_DIR=str(data_dir), PA_EMBEDDER="minilm-torch")),
        "import sentence_transformers": ([py, "-c", "import sentence_transformers"], _env()),
        "python -c pass": ([py, "-c", "pass"], _env()),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, env) in commands.items():
            times[name].append(wall(cmd, env))
    med = {name: statistics.median(t) for name, t in times.items()}
    base = med["import sentence_transformers"]
    print(f"cold start, median of {runs} alternating runs (wall s)")
    for name, value in med.items():
        print(f"  {name:<30}{value:>7.2f} s   x{value / base:.2f} of importing sentence_transformers")
    print(f"  ratio ask(onnx) / import sentence_transformers = {med['ask (onnx, default)'] / base:.2f}"
          f"  (target <= 0.5)")


def passages(limit: int = 256) -> list[str]:
    """~60-word passages cut from the sample manuals."""
    words = " ".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted((ROOT / "data" / "manuals").glob("*.txt"))).split()
    return [" ".join(words[i:i + 60]) for i in range(0, min(len(words), 60 * limit), 60)]


def encode_rates() -> None:
    from vectorstore.embeddings import make_embedder
    from vectorstore.settings import Settings

    texts = passages()
    settings = Settings.from_env()
    rates = {}
    for name in ("minilm", "minilm-torch", "minilm-int8"):
        embedder = make_embedder(settings.with_(embedder=name))
        embedder.warm_up()
        embedder.embed_documents(texts[:8])  # first-call allocation out of the timing
        started = time.perf_counter()
        embedder.embed_documents(texts)
        rates[name] = len(texts) / (time.perf_counter() - started)
    print(f"encode rate, {len(texts)} passages of 60 words, one process")
    for name, rate in rates.items():
        print(f"  {name:<14}{rate:>8.1f} passages/s   x{rate / rates['minilm-torch']:.2f} of torch")


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--skip-encode", action="store_true")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(PA_DATA_DIR=tmp)
        subprocess.run([sys.executable, "-m", "ingest", str(ROOT / "data" / "manuals")], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cold_start(Path(tmp), args.runs)
    if not args.skip_encode:
        encode_rates()
    return 0


if __name__ == "__main__":
    sys.exit(main())
