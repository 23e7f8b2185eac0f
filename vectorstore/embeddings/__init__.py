"""Embedding backends behind one small interface. A new backend is a new
module that calls `register`; `make_embedder(settings)` picks one by name."""
from vectorstore.embeddings.base import Embedder, available, make_embedder, normalised, register

# Importing a backend module registers it.
from vectorstore.embeddings import sentence_transformer as _sentence_transformer  # noqa: F401
from vectorstore.embeddings import onnx_minilm as _onnx_minilm  # noqa: F401
from vectorstore.embeddings import mpnet as _mpnet  # noqa: F401

__all__ = ["Embedder", "available", "make_embedder", "normalised", "register"]
