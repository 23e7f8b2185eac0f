"""A Chroma server started with `chroma run`, reached over HTTP."""
from __future__ import annotations

import chromadb
from chromadb.config import Settings as ChromaSettings

from vectorstore.clients.base import register
from vectorstore.settings import Settings


def _server(settings: Settings):
    return chromadb.HttpClient(
        host=settings.chroma_host, port=settings.chroma_port,
        settings=ChromaSettings(anonymized_telemetry=False),
    )


register("server", _server)
