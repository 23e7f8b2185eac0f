"""What every test that starts a real `chroma run` server needs: where the
CLI is, a free loopback port, and the server's heartbeat."""
from __future__ import annotations

import socket
import urllib.error
import urllib.request

from vectorstore.settings import REPO_ROOT

CHROMA = REPO_ROOT / ".venv" / "bin" / "chroma"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def heartbeat(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False
