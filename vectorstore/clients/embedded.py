"""The embedded, on-disk Chroma store."""
from __future__ import annotations

import chromadb
from chromadb.config import Settings as ChromaSettings

from vectorstore.clients.base import register
from vectorstore.settings import Settings

CHROMA_SETTINGS = ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def _embedded(settings: Settings):
    settings.store_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.store_dir), settings=CHROMA_SETTINGS)


register("embedded", _embedded)
