"""Client registry: settings pick a kind, the factory builds the client.
Also the one place that tells "the store cannot be reached" from other errors."""
from __future__ import annotations

from typing import Any

from vectorstore.registry import Registry
from vectorstore.settings import Settings

CLIENTS: Registry[Any] = Registry("Chroma client kind", "CHROMA_HOST")
register = CLIENTS.register


class StoreUnavailable(RuntimeError):
    """The store cannot be reached (a Chroma server that is down, a folder that
    cannot be opened). The message is for a person: it says where and what to do."""


def client_kind(settings: Settings) -> str:
    return "server" if settings.chroma_host else "embedded"


def make_client(settings: Settings, fresh: bool = False):
    """A chromadb client for these settings (telemetry off); `StoreUnavailable`
    when it cannot be reached. `fresh`: not the process's cached embedded
    instance, whose segment readers can be stale after another process wrote
    (Chroma: "Error creating hnsw segment reader: Nothing found on disk")."""
    if fresh and client_kind(settings) == "embedded":
        from chromadb.api.shared_system_client import SharedSystemClient

        # Clients made before keep working: they look their system up by path, and find the new one.
        SharedSystemClient.clear_system_cache()
    try:
        return CLIENTS.make(client_kind(settings), settings)
    except Exception as exc:  # noqa: BLE001 - sorted into "unreachable" or re-raised
        if is_unreachable(exc):
            raise StoreUnavailable(unreachable_message(settings, exc)) from exc
        raise


def is_unreachable(exc: BaseException) -> bool:
    """True for errors that mean the store is not there (rather than a bug):
    connection refused or dropped, a timeout, chromadb's "Could not connect"."""
    import httpx

    if isinstance(exc, StoreUnavailable):
        return True
    if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
        return True
    text = str(exc)
    return isinstance(exc, (ValueError, RuntimeError)) and (
        "Could not connect to a Chroma server" in text or "Connection refused" in text)


def unreachable_message(settings: Settings, exc: BaseException | None = None) -> str:
    """What to tell a person when the store cannot be reached."""
    why = f" ({type(exc).__name__}: {exc})" if exc is not None and not isinstance(exc, StoreUnavailable) else ""
    if settings.chroma_host:
        return (f"the Chroma server at {settings.chroma_host}:{settings.chroma_port} cannot be reached{why}; "
                f"is `chroma run` running there? (CHROMA_HOST / CHROMA_PORT)")
    return f"the store folder {settings.store_dir} cannot be opened{why}"
