"""The embedder interface and its registry."""
from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from vectorstore.registry import Registry
from vectorstore.settings import Settings


@runtime_checkable
class Embedder(Protocol):
    """Turns text into vectors. Heavy models load in `warm_up()`, not on import."""

    name: str

    def warm_up(self) -> None: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


EMBEDDERS: Registry[Embedder] = Registry("embedder", "PA_EMBEDDER")
register = EMBEDDERS.register
available = EMBEDDERS.available


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name; the error lists the valid names."""
    return EMBEDDERS.make(settings.embedder, settings)


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Vectors (or one vector) scaled to unit length, so a dot product is the
    cosine similarity; a zero vector stays zero."""
    norm = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norm == 0, 1, norm)
