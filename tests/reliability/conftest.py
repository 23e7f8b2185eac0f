"""Fixtures of the reliability tests (helpers: reliability_helpers.py)."""
from __future__ import annotations

import pytest

from reliability_helpers import CHROMA, ChromaServer


@pytest.fixture
def chroma_server(tmp_path):
    if not CHROMA.exists():
        pytest.fail(f"the chroma CLI is not at {CHROMA}")
    (tmp_path / "chroma").mkdir()
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        yield server
    finally:
        server.stop()


