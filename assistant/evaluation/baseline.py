"""The naive baseline: what the standard LangChain RAG tutorial builds.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) over the
raw files, the same embedding model, Chroma top-k similarity, and chapter
numbers (or amendment months) read off the retrieved text. It always answers.
"""
from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import chromadb
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.answer import Answer, Citation
from vectorstore.embeddings import Embedder
from vectorstore.embeddings.langchain_adapter import LangChainEmbeddings
from vectorstore.models import RecordKind
from vectorstore.text import MONTH_NAMES, month_number

_NUMBER = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d{1,3}){1,3}[a-z]?)(?![\w.])")
_MONTH = re.compile(rf"^({'|'.join(MONTH_NAMES)}) (\d{{4}})$", re.MULTILINE)


class NaiveRag:
    """Top-k similarity over character-split raw files."""

    def __init__(self, files: dict[Path, str], embedder: Embedder, k: int = 4):
        """`files` maps each raw file to its manual id."""
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        docs = []
        for path, manual_id in files.items():
            text = path.read_text(encoding="utf-8", errors="replace")
            for piece in splitter.split_text(text):
                docs.append(Document(page_content=piece, metadata={"manual_id": manual_id, "source": path.name}))
        client = chromadb.EphemeralClient()
        self.db = Chroma(collection_name=f"naive-{uuid.uuid4().hex[:8]}", client=client,
                         embedding_function=LangChainEmbeddings(embedder))
        self.db.add_documents(docs)
        self.k = k

    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        found = self.db.similarity_search_with_score(question, k=self.k)
        citations = []
        for doc, distance in found:
            citations.extend(self._citations(doc, 1.0 - distance))
        total = (time.perf_counter() - started) * 1000
        return Answer(question=question, answer="\n\n".join(d.page_content for d, _ in found),
                      grounded=True, citations=_dedupe(citations), timings_ms={"total": total})

    @staticmethod
    def _citations(doc: Document, score: float) -> list[Citation]:
        meta = dict(manual_id=doc.metadata["manual_id"], manual=doc.metadata["manual_id"],
                    source=doc.metadata["source"], score=score, passage=doc.page_content)
        months = [f"{y}-{month_number(m):02d}" for m, y in _MONTH.findall(doc.page_content)]
        if months:
            # The tutorial has no notion of rows: cite each month heading with the chunk's first line.
            title = doc.page_content.split("\n")[0]
            return [Citation(kind=RecordKind.AMENDMENT, title=title, amended=m, **meta) for m in months]
        return [Citation(kind=RecordKind.CONTENTS, chapter=n, title="", **meta)
                for n in _NUMBER.findall(doc.page_content)]


def _dedupe(citations: list[Citation]) -> list[Citation]:
    seen, out = set(), []
    for c in citations:
        key = (c.manual_id, c.kind, c.chapter, c.amended)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
