"""The embedder interface and its registry."""
from __future__ import annotations

from typing import Callable, Protocol, Sequence, runtime_checkable

from vectorstore.settings import Settings


@runtime_checkable
class Embedder(Protocol):
    """Turns text into vectors. Heavy models load in `warm_up()`, not on import."""

    name: str

    def warm_up(self) -> None: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


_REGISTRY: dict[str, Callable[[Settings], Embedder]] = {}


def register(name: str, factory: Callable[[Settings], Embedder]) -> None:
    """Make a backend available under `name` (PA_EMBEDDER)."""
    _REGISTRY[name] = factory


def available() -> list[str]:
    return sorted(_REGISTRY)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name; the error lists the valid names."""
    try:
        factory = _REGISTRY[settings.embedder]
    except KeyError:
        raise ValueError(
            f"unknown embedder {settings.embedder!r}; choose one of: {', '.join(available())}"
        ) from None
    return factory(settings)
