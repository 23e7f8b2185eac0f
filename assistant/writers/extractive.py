"""The default writer: no model, only the manuals' own words.

A direct first sentence naming the chapters (or the month of a change), then
the supporting passages quoted with their citation numbers. It can only name
what retrieval found in the store, so it never invents a chapter.
"""
from __future__ import annotations

import re
from typing import Iterator

from assistant.answer import Citation
from assistant.confidence import evidence
from assistant.question import Lookup
from assistant.writers.base import SourceText, WriteContext, register
from vectorstore.lexical import tokenize
from vectorstore.models import RecordKind
from vectorstore.text import month_label

LONG_QUESTION = 7  # topic words from which a question reads as a case description, not a topic
NOT_COVERED = "The procedures loaded don't cover this, so I can't answer it from them."
CHECK = "_Check the chapter itself before you act: this is a guide to the procedures, not a substitute._"
LEAD_GAP = 0.15  # citations within this much evidence of the best are named in the first sentence
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘'\"(])")


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def best_sentences(text: str, topic: tuple[str, ...], limit: int = 2) -> str:
    """The sentences of a passage that share most words with the question, in their own order."""
    lines = [s.strip() for para in text.split("\n") for s in _SENTENCE.split(para) if s.strip()]
    if len(lines) <= limit or not topic:
        return " ".join(lines[:limit + 1])
    wanted = set(topic)
    scored = sorted(range(len(lines)), key=lambda i: -len(wanted & set(tokenize(lines[i]))))
    keep = sorted(scored[:limit])
    return " … ".join(lines[i] for i in keep)


def _scope_of(chunk) -> str:
    """A chapter page's scope statement ("" for other records)."""
    if chunk.kind != RecordKind.CHAPTER:
        return ""
    return getattr(chunk.record(), "scope", "") or ""


def unloaded_sentence(places: tuple[str, ...], loaded: list[str]) -> str:
    """"No Bolton manual is loaded here; the manuals loaded are …" (never an answer from another council)."""
    return (f"No {_join(list(places))} manual is loaded here; the manuals loaded are "
            f"{_join(loaded) if loaded else 'none'}. Another council's procedures may differ, so I haven't "
            f"answered from them.")


class ExtractiveWriter:
    name = "extractive"

    def warm_up(self) -> None:  # nothing to load
        return None

    def write(self, ctx: WriteContext) -> Iterator[str]:
        ev = ctx.evidence
        if not ctx.citations:
            yield from self._not_covered(ctx)
            return
        if ev.mode == Lookup.CHANGES:
            yield from self._changes(ctx)
        elif ev.mode == Lookup.FLAGS:
            yield from self._flagged(ctx)
        else:
            yield from self._chapters(ctx)
        yield "\n\n" + CHECK

    # -- answers -----------------------------------------------------------
    def _chapters(self, ctx: WriteContext) -> Iterator[str]:
        cites = ctx.citations
        if ctx.direct and ctx.direct.answers:
            # the first line is the chapter's own sentence that answers, with its citation
            yield f"“{ctx.direct.quote.text}” [{ctx.direct.number}]\n\n"
        numbered = [f"**{ctx.label(c)}** [{i}]" for i, c in enumerate(cites, 1)]
        if ctx.evidence.mode == Lookup.NUMBER and len(cites) > 1:
            yield f"That number is used for more than one chapter: {_join(numbered)}."
        elif ctx.evidence.mode == Lookup.NUMBER:
            yield f"That is {numbered[0]}."
        elif ctx.direct and not ctx.direct.answers:
            # a question about what a chapter says, and no passage of the chapters found answers it
            yield (f"No passage answers this directly: the closest match is {numbered[ctx.direct.number - 1]}. "
                   "Check that it covers your question.")
        elif not ctx.evidence.clear:
            lead = self._leading(ctx)
            closest = "closest match is" if lead == 1 else "closest matches are"
            check = "it covers" if lead == 1 else "they cover"
            yield f"The {closest} {_join(numbered[:lead])}: check that {check} your question."
        else:
            lead = self._leading(ctx)
            yield f"This is covered by {_join(numbered[:lead])}."
            if len(numbered) > lead:
                yield f" Related: {_join(numbered[lead:])}."
        for i, c in enumerate(cites, 1):
            yield from self._sourced(i, c, ctx)
        if ctx.evidence.mode == Lookup.NUMBER and all(c.kind == RecordKind.CONTENTS for c in cites):
            yield ("\n\n_Only the contents entry is loaded for this chapter, not its text: "
                   "open the chapter in the manual to read it._")

    @staticmethod
    def _leading(ctx: WriteContext) -> int:
        """How many citations answer the question directly: those whose evidence
        is close to the best one's (the rest are related reading)."""
        scores = [evidence(h) for h in ctx.evidence.hits]
        return max(1, sum(score >= scores[0] - LEAD_GAP for score in scores[:3]))

    def _flagged(self, ctx: WriteContext) -> Iterator[str]:
        flag = ctx.evidence.question.flag
        kinds = {c.kind for c in ctx.citations}
        if RecordKind.CONTENTS in kinds:
            yield f"These chapters are marked **{flag}** on the contents pages loaded"
            yield ", followed by the latest changes on the amendments pages:" if RecordKind.AMENDMENT in kinds else ":"
        else:
            yield f"No chapter is marked **{flag}** on the contents pages loaded; the latest changes recorded are:"
        for i, c in enumerate(ctx.citations, 1):
            yield from self._sourced(i, c, ctx)

    def _changes(self, ctx: WriteContext) -> Iterator[str]:
        q = ctx.evidence.question
        first, cite = ctx.evidence.hits[0].chunk.record(), ctx.citations[0]
        when = f"**{month_label(cite.amended)}**"
        if q.month:
            yield f"In **{month_label(q.month)}** these changes were made:"
        elif q.year and not q.has_topic:
            yield (f"In **{q.year}** these changes were made, newest first (the amendments pages, or the "
                   "app's What's changed page, list every one):")
        elif cite.kind == RecordKind.CHAPTER:
            yield f"**{ctx.label(cite)}** was last amended in {when} [1]."
        else:
            name = f"**{first.title}**" if first.title else "a chapter whose name the page does not give"
            if q.latest:
                yield f"The latest change recorded to {name} was in {when} [1]."
            else:
                yield f"{name[0].upper()}{name[1:]} was {first.change.value} in {when} [1]."
        for i, c in enumerate(ctx.citations, 1):
            yield from self._sourced(i, c, ctx)

    def _sourced(self, i: int, c: Citation, ctx: WriteContext) -> Iterator[str]:
        passage = self._passage(i, c, ctx)
        yield SourceText("\n\n" + passage, i, passage.quote)

    def _passage(self, i: int, c: Citation, ctx: WriteContext) -> SourceText:
        """"[i] label — where" and, quoted under it, what the record says."""
        heading, quote = self._source(i, c, ctx)
        text = heading + "".join(f"\n> {line}" for line in quote.split("\n") if line) if quote else heading
        return SourceText(text, i, quote)

    def _source(self, i: int, c: Citation, ctx: WriteContext) -> tuple[str, str]:
        record = ctx.evidence.hits[i - 1].chunk.record()
        topic = ctx.evidence.question.topic_tokens
        if c.kind == RecordKind.AMENDMENT:
            return f"[{i}] {ctx.label(c)} ({record.change.value})", record.details
        where = f" — {c.section}" if c.section else ""
        if c.kind == RecordKind.CONTENTS:
            flags = f" _({', '.join(record.flags)})_" if record.flags else ""
            see_also = f"See also: {'; '.join(record.see_also)}" if record.see_also else ""
            return f"[{i}] {ctx.label(c)}{where}{flags}", see_also
        if ctx.evidence.mode == Lookup.CHANGES and record.amendment_note:
            return f"[{i}] {ctx.label(c)} — Amendment", record.amendment_note
        if ctx.evidence.mode == Lookup.NUMBER and record.scope:
            return f"[{i}] {ctx.label(c)} — Scope of this chapter", record.scope
        direct = ctx.direct
        if direct and direct.number == i:
            if direct.answers:
                section = f" — {direct.quote.chunk.section}" if direct.quote.chunk.section else ""
                return f"[{i}] {ctx.label(c)}{section}", direct.quote.text
            scope = _scope_of(direct.quote.chunk)
            if scope:
                return f"[{i}] {ctx.label(c)} — Scope of this chapter", scope
        return f"[{i}] {ctx.label(c)}{where}", best_sentences(c.passage, topic)

    def _not_covered(self, ctx: WriteContext) -> Iterator[str]:
        ev = ctx.evidence
        if ev.unloaded:
            yield unloaded_sentence(ev.unloaded, sorted(set(ctx.short_names.values())))
            return
        if ev.missing_numbers:
            places = ", ".join(ctx.short_names.get(m, m) for m in sorted(ev.question.manual_ids or [])) \
                or "any manual loaded"
            yield f"There is no chapter numbered **{', '.join(ev.missing_numbers)}** in {places}."
        else:
            yield NOT_COVERED
        if ev.off_remit:
            yield (f" It looks like a question about {ev.off_remit.label}: please ask {ev.off_remit.ask}.")
            return
        if len(ev.question.topic_tokens) >= LONG_QUESTION:
            yield ("\n\nA long description is harder to match to a chapter: try asking about the topic in a "
                   "few words, as a chapter title would put it (for example \"missing from care\" or "
                   "\"allegations against foster carers\").")
        steps = "; ".join(f"**{ctx.label(c)}**" for c in ctx.next_steps)
        yield ("\n\nFor local advice, see " + steps + ", or ask your manager.") if steps \
            else "\n\nPlease ask your manager or your service's procedures lead."


register("extractive", lambda settings: ExtractiveWriter())
