"""Client registry: settings pick a kind, the factory builds the client."""
from __future__ import annotations

from typing import Any, Callable

from vectorstore.settings import Settings

_REGISTRY: dict[str, Callable[[Settings], Any]] = {}


def register(kind: str, factory: Callable[[Settings], Any]) -> None:
    _REGISTRY[kind] = factory


def client_kind(settings: Settings) -> str:
    return "server" if settings.chroma_host else "embedded"


def make_client(settings: Settings):
    """A chromadb client for these settings (telemetry off)."""
    return _REGISTRY[client_kind(settings)](settings)
