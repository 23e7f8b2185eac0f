"""Nothing reaches out: a full ingest and questions with the default
configuration, with every socket connection outside loopback refused and
recorded (an audit hook installed through sitecustomize in the subprocesses);
and the app, started without any address flag, listens on 127.0.0.1 only."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from vectorstore.settings import REPO_ROOT

from reliability_helpers import SEEDS, cli_env, free_port, json_lines, settings_in

GUARD = r'''
import os, socket, sys

_LOG = os.environ["NETWORK_LOG"]

def _loopback(host):
    host = str(host)
    return host in ("localhost", "", "::1") or host.startswith("127.") or host.startswith("::ffff:127.")

def _audit(event, args):
    target = None
    if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        target = args[1][0]
    elif event == "socket.getaddrinfo":
        target = args[0]
    elif event == "socket.sendto" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        target = args[1][0] if isinstance(args[1], tuple) else None
    if target is not None and not _loopback(target.decode() if isinstance(target, bytes) else target):
        with open(_LOG, "a") as log:
            log.write(f"{os.getpid()} {event} {target!r} {' '.join(sys.argv)[:120]}\n")
        raise ConnectionRefusedError(f"network isolation test: {event} to {target!r} refused")

sys.addaudithook(_audit)
'''


def _guarded_env(tmp_path, settings):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "network.log"
    env = cli_env(settings, NETWORK_LOG=str(log), PYTHONPATH=f"{hook}:{REPO_ROOT}")
    # the default configuration: no offline flags from the test runner, nothing chosen
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)
    return env, log


def test_ingest_and_questions_never_leave_the_machine(tmp_path):
    settings = settings_in(tmp_path)
    env, log = _guarded_env(tmp_path, settings)
    run = lambda *args, stdin=None: subprocess.run(  # noqa: E731
        [sys.executable, *args], cwd=REPO_ROOT, env=env, input=stdin, capture_output=True, text=True,
        timeout=600, check=False)
    probe = run("-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)")
    assert probe.returncode != 0 and "192.0.2.1" in log.read_text(), "the guard is not active"
    log.unlink()

    ingest = run("-m", "ingest", str(SEEDS), "--quiet")
    assert ingest.returncode == 0, ingest.stderr
    asked = run("-m", "assistant", "ask", "--questions", "-",
                stdin="who chairs an initial child protection conference?\nStaying Put\nS47\n")
    assert asked.returncode == 0, asked.stderr
    answers = json_lines(asked.stdout)
    assert len(answers) == 3 and all(a["citations"] for a in answers)
    assert not log.exists(), log.read_text()


def test_the_app_listens_on_loopback_only_by_default(tmp_path):
    streamlit = REPO_ROOT / ".venv" / "bin" / "streamlit"
    port = free_port()
    settings = settings_in(tmp_path)
    app = subprocess.Popen([str(streamlit), "run", "ui/app.py", "--server.port", str(port)], cwd=REPO_ROOT,
                           env=cli_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline and app.poll() is None, "the app did not start"
            time.sleep(0.3)
        listening = _listening_addresses(port)
        assert listening and listening <= {"127.0.0.1"}, listening
    finally:
        app.terminate()
        app.wait(timeout=20)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on `port`, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(_address(address))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:
        return ".".join(str(int(hex_address[i:i + 2], 16)) for i in (6, 4, 2, 0))
    return "::" if set(hex_address) == {"0"} else hex_address
