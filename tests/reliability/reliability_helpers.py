"""Helpers of the reliability tests: a real `chroma run` server that a
test can stop and start again on the same port and data folder, the CLIs run
as a person runs them (subprocesses), and a mutated copy of the sample manuals
(a second version of the same files, as a re-published manual would be)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from tests.chroma_server import CHROMA, START_TIMEOUT, free_port, heartbeat
from vectorstore.settings import REPO_ROOT, Settings

SEEDS = REPO_ROOT / "data" / "manuals"


class ChromaServer:
    """`chroma run` on 127.0.0.1:`port` over `path`; `stop()` and `start()` again."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / "data"
        self.port = free_port()
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "ChromaServer":
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while not heartbeat(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start:\n{(self.root / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


def cli_env(settings: Settings, **more: str) -> dict:
    """The environment a person's shell would give the CLIs for these settings
    (keeping where the machine's exported model lives)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PA_", "CHROMA_")) or k == "PA_MODEL_CACHE"}
    env.update(PA_DATA_DIR=str(settings.data_dir), PA_STORE_DIR=str(settings.store_dir),
               PA_MANUALS_DIR=str(settings.manuals_dir), PA_APP_DB=str(settings.app_db),
               PA_COLLECTION=settings.collection, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if settings.chroma_host:
        env.update(CHROMA_HOST=settings.chroma_host, CHROMA_PORT=str(settings.chroma_port))
    env.update(more)
    return env


def run_cli(module: str, *args: str, settings: Settings, stdin: Optional[str] = None,
            timeout: float = 600, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=REPO_ROOT, env=cli_env(settings, **env),
                          input=stdin, capture_output=True, text=True, timeout=timeout, check=False)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def settings_in(root: Path, manuals: Path = SEEDS, **changes) -> Settings:
    return Settings().with_(**{"data_dir": root, "store_dir": root / "store", "manuals_dir": manuals,
                               "app_db": root / "app.sqlite3", "chroma_host": None, **changes})


def second_version(target: Path) -> Path:
    """The sample manuals re-published: two files reworded (new hashes, new
    chunk texts), one chapter line dropped from a contents page."""
    shutil.copytree(SEEDS, target)
    files = sorted(p for p in target.glob("*.txt"))
    reworded = files[1].read_text(encoding="utf-8").replace("child", "young person")
    files[1].write_text(reworded, encoding="utf-8")
    lines = files[3].read_text(encoding="utf-8").splitlines()
    # drop one line in the middle of the file (a chapter the new version no longer lists)
    del lines[len(lines) // 2]
    files[3].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def store_state(settings: Settings) -> dict:
    """What a store holds, comparably: its sources (hash, chunk count) and its
    live chunks (id, text, metadata without the absolute folder)."""
    from vectorstore.store import open_store
    from vectorstore.embeddings.onnx_minilm import MINILM_NAME

    store = open_store(settings, MINILM_NAME)
    sources = {f"{k.manual_id}/{k.source}": (r.source_hash, r.chunks, r.kind) for k, r in store.sources().items()}
    chunks = {}
    for c in store.snapshot():
        meta = {k: v for k, v in c.to_metadata().items() if k != "source_root"}
        chunks[c.id] = (c.text, json.dumps(meta, sort_keys=True))
    return {"sources": sources, "chunks": chunks, "count": store.count()}
