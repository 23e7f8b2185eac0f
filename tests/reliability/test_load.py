"""Load: 20 concurrent `ask --questions -` processes keep asking while an
incremental ingest of a new version of the manuals and then a `--rebuild`
run, on the embedded store and on a real `chroma run` server.

Held when: every asker exits 0, every question gets an answer line (no error
object), and every citation names a record (manual, file, kind, chapter,
title) that the store held before or after the writes: nothing half-written
or deleted is ever cited."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from vectorstore.settings import REPO_ROOT

from reliability_helpers import SEEDS, cli_env, json_lines, run_cli, second_version, settings_in

pytestmark = pytest.mark.load

ASKERS = 20
PACE_S = 3.0  # each asker gets a question this often while the writers run
MAX_ROUNDS = 30  # bounded, whatever happens
QUESTIONS = [
    "who chairs an initial child protection conference?",
    "what is a strategy discussion?",
    "Staying Put",
    "private fostering",
    "what changed recently in the Rotherham manual?",
    "S47 enquiries",
    "chapter 1.6.8",
    "missing from care",
]


def _records(settings) -> set[tuple]:
    from vectorstore.embeddings.onnx_minilm import MINILM_NAME
    from vectorstore.store import open_store

    return {(c.manual_id, c.source, c.kind.value, c.chapter, c.title)
            for c in open_store(settings, MINILM_NAME).snapshot()}


def _writes(settings, v2, log: list) -> None:
    for args in ((str(v2), "--quiet"), (str(v2), "--rebuild", "--quiet")):
        done = run_cli("ingest", *args, settings=settings)
        log.append((args, done.returncode, done.stderr[-2000:]))


def _load(settings, tmp_path) -> None:
    assert run_cli("ingest", str(SEEDS), "--quiet", settings=settings).returncode == 0
    before = _records(settings)
    v2 = second_version(tmp_path / "manuals-v2")
    askers = []
    for n in range(ASKERS):
        out = (tmp_path / f"asker{n}.out").open("w")
        err = (tmp_path / f"asker{n}.err").open("w")
        askers.append((subprocess.Popen([sys.executable, "-m", "assistant", "ask", "--questions", "-"],
                                        cwd=REPO_ROOT, env=cli_env(settings), stdin=subprocess.PIPE,
                                        stdout=out, stderr=err, text=True), out, err))
    sent = [0] * ASKERS

    def ask_all(round_no: int) -> None:
        for n, (process, _, _) in enumerate(askers):
            process.stdin.write(QUESTIONS[(n + round_no) % len(QUESTIONS)] + "\n")
            process.stdin.flush()
            sent[n] += 1

    ask_all(0)  # every asker loads the store before the writes start
    time.sleep(PACE_S)
    log: list = []
    writer = threading.Thread(target=_writes, args=(settings, v2, log))
    writer.start()
    rounds = 1
    while writer.is_alive() and rounds < MAX_ROUNDS:
        ask_all(rounds)
        rounds += 1
        time.sleep(PACE_S)
    writer.join(timeout=600)
    ask_all(rounds)  # and once after, on the rebuilt store
    for process, out, err in askers:
        process.stdin.close()
    for process, out, err in askers:
        process.wait(timeout=600)
        out.close()
        err.close()
    assert [rc for _, rc, _ in log] == [0, 0], log
    known = before | _records(settings)
    errors, phantom = [], []
    for n, (process, _, _) in enumerate(askers):
        lines = json_lines((tmp_path / f"asker{n}.out").read_text())
        stderr = (tmp_path / f"asker{n}.err").read_text()
        assert process.returncode == 0 and "Traceback" not in stderr, stderr[-3000:]
        assert len(lines) == sent[n], (n, len(lines), sent[n])
        errors += [line for line in lines if "error" in line]
        phantom += [c for line in lines for c in line.get("citations", [])
                    if (c["manual_id"], c["source"], c["kind"], c["chapter"], c["title"]) not in known]
    assert not errors, errors[:5]
    assert not phantom, phantom[:5]
    assert rounds >= 3, "the writes finished before the askers asked during them"
    print(f"load held: {ASKERS} askers, {sum(sent)} questions, {rounds} rounds during the writes")


def test_twenty_askers_during_an_ingest_and_a_rebuild_embedded(tmp_path):
    _load(settings_in(tmp_path), tmp_path)


@pytest.mark.server
def test_twenty_askers_during_an_ingest_and_a_rebuild_on_a_server(tmp_path, chroma_server):
    _load(settings_in(tmp_path, chroma_host="127.0.0.1", chroma_port=chroma_server.port), tmp_path)
