"""The ONNX MiniLM backend gives sentence-transformers' vectors, and the
query path never imports torch."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from vectorstore.embeddings import make_embedder
from vectorstore.embeddings.onnx_minilm import MINILM_NAME
from vectorstore.settings import REPO_ROOT, Settings

SITES = REPO_ROOT / "tests" / "fixtures" / "sites"

HANDWRITTEN = [
    "who chairs an initial child protection conference?",
    "S47", "ICPC", "LADO referral timescales", "what changed in March 2024?",
    "Staying Put", "private fostering notification within 48 hours",
    "Chapter 4.6 Participation in Child Protection Conferences",
    "  leading and trailing spaces  ", "UPPER CASE QUESTION ABOUT CARE LEAVERS",
    "Émigré café naïve — résumé, coöperate", "Emoji in a question 🙂 about respite care",
    "1.2.3 Amendments: December 2024", "a", "?", "",
    "The social worker must visit the child within 5 working days; the visit must be recorded.",
    "Kinship care / connected persons: Regulation 24 temporary approval",
    "What do I do if a child goes missing from a residential home at night?",
    "Note: this chapter was updated to reflect Working Together to Safeguard Children (2023).",
    "word " * 400,  # longer than the 256-token limit: truncation must match
    "Strategy discussion. " * 60,
    "tab\tseparated\ttext\nand a new line",
    "hyphen-ated, slash/ed and (bracketed) words",
    "£20 allowance per week for each child placed",
]


def fixture_passages(limit: int = 30) -> list[str]:
    """Paragraphs from the invented fixture manuals: real-shaped procedure text."""
    found = []
    for path in sorted(SITES.rglob("*.html")):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
        for para in re.split(r"\s{3,}", text):
            para = " ".join(para.split())
            if len(para.split()) >= 8:
                found.append(para)
        if len(found) >= limit:
            break
    return found[:limit]


@pytest.fixture(scope="module")
def both():
    settings = Settings()
    onnx, torch_model = make_embedder(settings), make_embedder(settings.with_(embedder="minilm-torch"))
    onnx.warm_up()
    torch_model.warm_up()
    return onnx, torch_model


def test_fixture_texts_are_enough():
    assert len(HANDWRITTEN + fixture_passages()) >= 50


def test_documents_match_sentence_transformers(both):
    onnx, torch_model = both
    texts = HANDWRITTEN + fixture_passages()
    a = np.array(onnx.embed_documents(texts))
    b = np.array(torch_model.embed_documents(texts))
    assert a.shape == b.shape == (len(texts), 384)
    cosines = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.999, (cosines.min(), texts[worst][:80])
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)  # normalised like sentence-transformers


def test_queries_match_and_batch_order_does_not_matter(both):
    onnx, torch_model = both
    for text in HANDWRITTEN[:10]:
        assert float(np.dot(onnx.embed_query(text), torch_model.embed_query(text))) >= 0.999
    batch = onnx.embed_documents(HANDWRITTEN[:6])
    assert np.allclose(batch, [onnx.embed_query(t) for t in HANDWRITTEN[:6]], atol=1e-5)


def test_fp32_shares_the_torch_name_and_int8_is_named_apart():
    settings = Settings()
    assert make_embedder(settings).name == make_embedder(settings.with_(embedder="minilm-torch")).name == MINILM_NAME
    assert make_embedder(settings.with_(embedder="minilm-int8")).name != MINILM_NAME


def test_store_refuses_an_embedder_it_was_not_built_with(fresh_settings, both):
    from vectorstore.store import StoreMismatch, open_store

    open_store(fresh_settings, MINILM_NAME)
    open_store(fresh_settings, MINILM_NAME)  # the same name opens it again
    with pytest.raises(StoreMismatch):
        open_store(fresh_settings, MINILM_NAME + "-int8")


def test_ask_never_imports_torch(sample_settings):
    """The default `python -m assistant ask` path, run in a fresh interpreter."""
    probe = (
        "import runpy, sys, json\n"
        "sys.argv = ['assistant', 'ask', '--json', 'who chairs an initial child protection conference?']\n"
        "try:\n    runpy.run_module('assistant', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules)\n"
        "print(json.dumps({'heavy': heavy}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PA_", "CHROMA_"))}
    env.update(PA_DATA_DIR=str(sample_settings.data_dir), PA_STORE_DIR=str(sample_settings.store_dir),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    answer, probe_line = done.stdout.strip().splitlines()[-2:]
    assert json.loads(answer)["citations"], answer  # it really answered from the store
    assert json.loads(probe_line) == {"heavy": []}
