"""Our embedders as LangChain `Embeddings`, for LangChain components (the
naive baseline's Chroma vector store)."""
from __future__ import annotations

from langchain_core.embeddings import Embeddings

from vectorstore.embeddings.base import Embedder


class LangChainEmbeddings(Embeddings):
    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)
