"""An empty store, and a Chroma server that is down or goes away: a plain
message and a documented exit code, never a traceback; a long-running
`ask --questions -` keeps going and recovers when the server returns."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from vectorstore.settings import REPO_ROOT

from reliability_helpers import SEEDS, cli_env, free_port, json_lines, run_cli, settings_in

EXIT_EMPTY, EXIT_UNREACHABLE = 3, 4
QUESTION = "who chairs an initial child protection conference?"


def test_ask_on_an_empty_store_says_nothing_is_loaded(tmp_path):
    settings = settings_in(tmp_path)
    done = run_cli("assistant", "ask", QUESTION, settings=settings)
    assert done.returncode == EXIT_EMPTY
    assert "nothing is loaded yet" in done.stderr and "python -m ingest" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_ingesting_an_empty_folder_then_asking_gives_no_traceback(tmp_path):
    """The issue's first finding: an empty folder emptied the store, then ask crashed in a reshape."""
    settings = settings_in(tmp_path)
    assert run_cli("ingest", str(SEEDS), "--quiet", settings=settings).returncode == 0
    (tmp_path / "empty").mkdir()
    run_cli("ingest", str(tmp_path / "empty"), "--quiet", settings=settings)
    done = run_cli("assistant", "ask", QUESTION, settings=settings)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, EXIT_EMPTY)
    if done.returncode == EXIT_EMPTY:
        assert "nothing is loaded yet" in done.stderr


def test_a_stream_on_an_empty_store_answers_each_line_and_picks_up_an_ingest(tmp_path):
    settings = settings_in(tmp_path)
    asker = subprocess.Popen([sys.executable, "-m", "assistant", "ask", "--questions", "-"], cwd=REPO_ROOT,
                             env=cli_env(settings), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    asker.stdin.write(QUESTION + "\n")
    asker.stdin.flush()
    first = json.loads(asker.stdout.readline())
    assert first["question"] == QUESTION and "nothing is loaded yet" in first["error"]
    assert run_cli("ingest", str(SEEDS), "--quiet", settings=settings).returncode == 0
    out, err = asker.communicate(QUESTION + "\n", timeout=300)
    second = json.loads(out.splitlines()[-1])
    assert "error" not in second and second["citations"], second  # the new store, without a restart
    assert "Traceback" not in err
    assert asker.returncode == 1  # one line was an error object


def _down_settings(tmp_path):
    return settings_in(tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())  # nothing listens there


def test_ask_and_ingest_with_the_server_down_say_so(tmp_path):
    settings = _down_settings(tmp_path)
    for module, args in (("assistant", ("ask", QUESTION)), ("ingest", (str(SEEDS), "--quiet")),
                         ("ingest", ("stats",))):
        done = run_cli(module, *args, settings=settings)
        assert done.returncode == EXIT_UNREACHABLE, (module, args, done.stderr)
        assert f"127.0.0.1:{settings.chroma_port}" in done.stderr and "chroma run" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_stream_with_the_server_down_reports_each_question(tmp_path):
    settings = _down_settings(tmp_path)
    done = run_cli("assistant", "ask", "--questions", "-", settings=settings, stdin=f"{QUESTION}\nS47\n")
    lines = json_lines(done.stdout)
    assert [line["question"] for line in lines] == [QUESTION, "S47"]
    assert all("cannot be reached" in line["error"] for line in lines)
    assert done.returncode == 1 and "Traceback" not in done.stderr


@pytest.mark.server
def test_a_long_stream_survives_the_server_going_away_and_coming_back(tmp_path, chroma_server):
    settings = settings_in(tmp_path, chroma_host="127.0.0.1", chroma_port=chroma_server.port)
    assert run_cli("ingest", str(SEEDS), "--quiet", settings=settings).returncode == 0
    asker = subprocess.Popen([sys.executable, "-m", "assistant", "ask", "--questions", "-"], cwd=REPO_ROOT,
                             env=cli_env(settings), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)

    def ask(question: str) -> dict:
        asker.stdin.write(question + "\n")
        asker.stdin.flush()
        return json.loads(asker.stdout.readline())

    try:
        before = ask(QUESTION)
        assert before["citations"], before
        chroma_server.stop()
        during = ask(QUESTION)  # answered from the snapshot it loaded, with a warning on stderr
        assert "error" not in during and during["citations"] == before["citations"], during
        chroma_server.start()
        # the server is back: a change made through it reaches the running asker
        assert run_cli("ingest", "--prune", "rotherham", settings=settings).returncode == 0
        after = ask("Rotherham " + QUESTION)
        assert "error" not in after
        assert all(c["manual_id"] != "rotherham" for c in after["citations"]), after["citations"]
        out, err = asker.communicate("S47\n", timeout=120)
        assert json.loads(out.splitlines()[-1])["citations"]
        assert asker.returncode == 0
        assert "cannot be reached" in err and "Traceback" not in err
    finally:
        if asker.poll() is None:
            asker.kill()
