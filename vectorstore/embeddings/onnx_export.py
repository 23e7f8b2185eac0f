"""Export a sentence-transformers model's transformer to ONNX, once.

This is the only place that needs torch for the ONNX backend, and it runs at
set-up (`scripts/setup.sh` calls `python -m vectorstore.embeddings.onnx_export`)
or, on a machine where set-up was skipped, the first time the ONNX embedder
warms up. The file is written beside a small JSON stamp naming the weights it
came from, and moved into place atomically, so concurrent first users never
read a half-written model.

    python -m vectorstore.embeddings.onnx_export [--int8] [--dir FOLDER]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

FP32 = "model.onnx"
INT8 = "model-int8.onnx"
STAMP = "source.json"
OPSET = 17


def source_stamp(model_dir: Path) -> dict:
    """What identifies the weights an export came from (cheap: no hashing on the query path)."""
    weights = model_dir / "model.safetensors"
    return {"model_dir": str(model_dir), "weights_bytes": weights.stat().st_size if weights.exists() else 0}


def is_current(target: Path, model_dir: Path, filename: str = FP32) -> bool:
    """True when `target` holds an export of exactly these weights."""
    try:
        stamp = json.loads((target / STAMP).read_text())
    except (OSError, ValueError):
        return False
    return (target / filename).is_file() and stamp.get("weights_bytes") == source_stamp(model_dir)["weights_bytes"]


def export(model_dir: Path, target: Path, int8: bool = False) -> Path:
    """Write `target/model.onnx` (and `model-int8.onnx` with `int8`) from the
    transformer in `model_dir`. Imports torch: never call this per query."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    target.mkdir(parents=True, exist_ok=True)
    if not is_current(target, model_dir):
        _export_fp32(model_dir, target)
        (target / STAMP).write_text(json.dumps(source_stamp(model_dir)))
    if int8 and not (target / INT8).is_file():
        _quantize(target / FP32, target / INT8)
    return target / FP32


def _export_fp32(model_dir: Path, target: Path) -> None:
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    warnings.filterwarnings("ignore")  # tracer warnings about shapes: the export is checked by tests
    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class LastHiddenState(torch.nn.Module):
        """Keyword arguments in, one tensor out: what the exporter can trace."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tuple(torch.ones(2, 8, dtype=torch.long) for _ in names)
    axes = {n: {0: "batch", 1: "tokens"} for n in names + ["last_hidden_state"]}
    with tempfile.NamedTemporaryFile(dir=target, suffix=".onnx.part", delete=False) as tmp:
        part = Path(tmp.name)
    try:
        with torch.no_grad():
            torch.onnx.export(LastHiddenState(model), sample, str(part), input_names=names,
                              output_names=["last_hidden_state"], dynamic_axes=axes,
                              opset_version=OPSET, dynamo=False)
        os.replace(part, target / FP32)
    finally:
        part.unlink(missing_ok=True)


def _quantize(source: Path, dest: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    part = dest.with_suffix(".part")
    quantize_dynamic(str(source), str(part), weight_type=QuantType.QInt8)
    os.replace(part, dest)


def main(argv=None) -> int:
    from vectorstore.embeddings.onnx_minilm import bundled_minilm, export_dir
    from vectorstore.settings import Settings

    p = argparse.ArgumentParser(prog="python -m vectorstore.embeddings.onnx_export")
    p.add_argument("--int8", action="store_true", help="also write a dynamically quantised int8 model")
    p.add_argument("--dir", type=Path, help="folder to write (default: the settings' model cache)")
    args = p.parse_args(argv)
    settings = Settings.from_env()
    model_dir = settings.embedder_path or bundled_minilm()
    target = args.dir or export_dir(settings, model_dir)
    path = export(model_dir, target, int8=args.int8)
    print(f"ONNX model ready: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
