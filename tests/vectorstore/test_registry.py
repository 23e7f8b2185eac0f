"""Backends are chosen by name; an unknown name lists the valid ones."""
import pytest

from assistant.writers import make_writer
from vectorstore.embeddings import make_embedder
from vectorstore.settings import Settings


def test_unknown_embedder_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"unknown embedder 'nope' \(PA_EMBEDDER\); choose one of: minilm"):
        make_embedder(Settings(embedder="nope"))


def test_unknown_writer_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"choose one of: extractive"):
        make_writer(Settings(writer="nope"))


def test_known_names_build_their_backends():
    assert make_writer(Settings()).name == "extractive"
    assert make_embedder(Settings()).name == "all-MiniLM-L6-v2"  # nothing loaded until warm_up
