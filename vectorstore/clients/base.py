"""Client registry: settings pick a kind, the factory builds the client."""
from __future__ import annotations

from typing import Any

from vectorstore.registry import Registry
from vectorstore.settings import Settings

CLIENTS: Registry[Any] = Registry("Chroma client kind", "CHROMA_HOST")
register = CLIENTS.register


def client_kind(settings: Settings) -> str:
    return "server" if settings.chroma_host else "embedded"


def make_client(settings: Settings):
    """A chromadb client for these settings (telemetry off)."""
    return CLIENTS.make(client_kind(settings), settings)
