"""Helpers for the browser end-to-end tests: a free port, the Streamlit app
as a real server process, and Debian's headless Chromium driven by Playwright
(never a downloaded browser)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Mapping, Optional

from vectorstore.settings import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
MISSING_CHROMIUM = (f"{CHROMIUM} is missing: the browser tests drive Debian's chromium. "
                    "Install it with `bash scripts/setup.sh --browser` (apt-get install chromium).")


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """`streamlit run ui/app.py` on 127.0.0.1 in its own process group, its
    output kept in a log file for failure messages."""

    def __init__(self, env: Mapping[str, str], log: Path, port: Optional[int] = None, script: str = "ui/server.py",
                 cwd: Path = REPO_ROOT):
        self.script = script
        self.cwd = cwd  # the checkout whose app is served
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {**os.environ, **env}
        self.proc: Optional[subprocess.Popen] = None
        self.healthy_at: Optional[float] = None  # time.monotonic() when /_stcore/health first said "ok"
        self.log_when_healthy = ""

    def start(self, timeout: float = 90) -> "AppServer":
        """Start the server and wait until `/_stcore/health` answers "ok"."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true",
                   "--server.address", "127.0.0.1", "--server.port", str(self.port),
                   "--browser.gatherUsageStats", "false"]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(command, cwd=self.cwd, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.healthy():
                self.healthy_at = time.monotonic()
                self.log_when_healthy = self.log_tail(400)  # what the server had said by then
                return self
            time.sleep(0.1)  # finely: `healthy_at` is a measured figure
        self.stop()
        raise TimeoutError(f"the app was not healthy within {timeout:.0f} s:\n{self.log_tail()}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.read().decode().strip() == "ok"
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server's process group: politely, then firmly."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> "AppServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_chromium(playwright):
    """Debian's chromium, headless. Raises with the install command when it is missing."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(MISSING_CHROMIUM)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def screenshot(page, name: str) -> Path:
    """A full-page screenshot under artifacts/screenshots/ (gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
