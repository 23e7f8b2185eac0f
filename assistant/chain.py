"""The answering chain, as LangChain Runnables:

    analyse (question -> Question) | gather (-> Evidence) | cite (-> WriteContext) | write (-> Answer)

`Assistant` loads the store, model and writer once (`warm_up`) and then answers
with `ask` or, piece by piece, `stream`.
"""
from __future__ import annotations

import time
from dataclasses import replace
from functools import cached_property
from typing import Iterator, Optional

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer import Answer, Citation
from assistant.case_meaning import CaseRecogniser
from assistant.confidence import Thresholds, for_model
from assistant.evidence import Evidence, gather
from assistant.question import Lookup, Question, analyse
from assistant.remit import Remit
from assistant.retrieval import HybridRetriever
from assistant.routes import signpost
from assistant.scoping import short_name
from assistant.sentences import SentenceFinder, direct_answer
from assistant.writers import WriteContext, Writer, make_writer
from assistant.writers.base import SourceText
from vectorstore.catalog import Catalog
from vectorstore.embeddings import Embedder, make_embedder
from vectorstore.settings import Settings
from vectorstore.store import VectorStore, open_store
from vectorstore.text import title_key

LOCAL_CONTACTS = "local contacts"


class Assistant:
    """Question in, cited answer out."""

    def __init__(self, settings: Settings, store: Optional[VectorStore] = None,
                 embedder: Optional[Embedder] = None, writer: Optional[Writer] = None,
                 thresholds: Optional[Thresholds] = None):
        self.settings = settings
        self.embedder = embedder or make_embedder(settings)
        self.store = store or open_store(settings, self.embedder.name)
        self.writer = writer or make_writer(settings)
        self.retriever = HybridRetriever(self.store, self.embedder)
        self.remit = Remit(self.embedder)
        self.sentences = SentenceFinder(self.embedder)
        # similarities mean different things under different models: thresholds are per model
        self.thresholds = thresholds or for_model(self.embedder.name)
        self.cases = CaseRecogniser(self.embedder, similar=self.thresholds.case_similar)

    def warm_up(self) -> "Assistant":
        self.retriever.warm_up()
        if not self.sentences.loaded:  # loading twice (two threads at once) does no harm
            self.sentences.load(self.retriever.catalog.chunks)
        self.remit.warm_up()
        self.cases.warm_up()
        self.writer.warm_up()
        return self

    @property
    def catalog(self) -> Catalog:
        self.warm_up()
        return self.retriever.catalog

    # -- the chain ---------------------------------------------------------
    @cached_property
    def retrieval_chain(self) -> Runnable:
        """{"question", "manual"} -> WriteContext: analyse | gather | cite (built once)."""
        return (RunnableLambda(self._analyse) | RunnableLambda(self._gather)
                | RunnableLambda(self._context))

    def ask(self, question: str, manual: Optional[str] = None) -> Answer:
        """A whole answer."""
        *_, answer = self.stream(question, manual)
        return answer

    def stream(self, question: str, manual: Optional[str] = None) -> Iterator:
        """Markdown pieces as the writer produces them, then the finished `Answer`."""
        started = time.perf_counter()
        ctx: WriteContext = self.retrieval_chain.invoke({"question": question, "manual": manual})
        retrieved = time.perf_counter()
        parts, lead = [], []
        if ctx.evidence.question.immediate_risk:  # a child in danger now: 999 and the referral route first
            piece = self._signpost(ctx) + "\n\n"
            parts.append(piece)
            lead.append(piece)
            yield piece
        for piece in self.writer.write(ctx):
            parts.append(piece)
            if isinstance(piece, SourceText) and 0 < piece.number <= len(ctx.citations):
                ctx.citations[piece.number - 1].quote = piece.quote
            else:
                lead.append(piece)
            yield piece
        done = time.perf_counter()
        q = ctx.evidence.question
        yield Answer(
            question=question, answer="".join(parts), grounded=bool(ctx.citations),
            citations=ctx.citations,
            # stated plainly: found clearly and, for a question about what a chapter says, a sentence answers
            plain=bool(ctx.citations) and ctx.evidence.clear and not (ctx.direct and not ctx.direct.answers),
            timings_ms={"retrieve": round((retrieved - started) * 1000, 2),
                        "generate": round((done - retrieved) * 1000, 2),
                        "total": round((done - started) * 1000, 2)},
            lead="".join(lead).strip(), searched=sorted(q.manual_ids) if q.manual_ids else sorted(self.catalog.manuals),
            scope=q.scope, pointers=ctx.next_steps,
        )

    # -- steps ---------------------------------------------------------------
    def _analyse(self, inputs: dict) -> Question:
        self.warm_up()
        return analyse(inputs["question"], self.catalog.manuals.values(), inputs.get("manual"), self.cases.harm)

    def _gather(self, question: Question) -> Evidence:
        return gather(question, self.retriever, self.thresholds, self.remit)

    def _context(self, evidence: Evidence) -> WriteContext:
        direct = self._direct(evidence)
        if direct and direct.unanswered and not evidence.clear:
            # asked what the chapters say, and no sentence of them comes near: not covered
            evidence, direct = replace(evidence, hits=[], mode=Lookup.NONE), None
        citations = [Citation.from_chunk(h.chunk, h.score) for h in evidence.hits]
        names = {m.id: short_name(m) for m in self.catalog.manuals.values()}
        steps = [] if citations else self._next_steps(evidence.question, names)
        return WriteContext(evidence, citations, names, steps, direct=direct)

    def _direct(self, evidence: Evidence):
        """The sentence that answers a question about what the cited chapters say."""
        if evidence.mode != Lookup.SEARCH or not evidence.hits:
            return None
        q = evidence.question
        vector = self.retriever.query_vector(q)
        return direct_answer(q.text, q.topic_tokens, vector, [h.chunk for h in evidence.hits], self.sentences,
                             self.retriever.idf, lambda chunks: self.retriever.similarities(chunks, vector),
                             self.thresholds.answers, self.thresholds.no_answer)

    def _signpost(self, ctx: WriteContext) -> str:
        cited = [c.manual_id for c in ctx.citations] or sorted(ctx.evidence.question.manual_ids or [])
        return signpost(cited, ctx.short_names)

    def _next_steps(self, question: Question, names: dict[str, str]) -> list[Citation]:
        """The Local Contacts entries of the manuals asked about, for when they
        don't cover a question. A question that names no manual (and none chosen)
        gets none: one council's contacts would mislead a worker from another."""
        scope = question.manual_ids
        if scope is None:
            return []
        return [Citation.from_chunk(self.catalog.chunks_by_record[e.record_id][0], 0.0)
                for e in self.catalog.entries
                if LOCAL_CONTACTS in title_key(e.title) and e.manual_id in scope
                and self.catalog.chunks_by_record.get(e.record_id)]
