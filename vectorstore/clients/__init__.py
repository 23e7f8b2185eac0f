"""Chroma clients behind a factory: embedded (default) or a real server
(CHROMA_HOST). A new kind of client is a new module that calls `register`."""
from vectorstore.clients.base import StoreUnavailable, is_unreachable, make_client, register, unreachable_message
from vectorstore.clients import embedded as _embedded, server as _server  # noqa: F401

__all__ = ["StoreUnavailable", "is_unreachable", "make_client", "register", "unreachable_message"]
