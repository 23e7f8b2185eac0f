"""`python -m assistant eval`: score the assistant and the naive baseline on
one question set, in one process, and print both with their ratio."""
from __future__ import annotations

import re
import resource
import statistics
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path
from typing import Callable, Optional

from assistant.answer import Answer
from assistant.chain import Assistant
from assistant.evaluation.questions import (BLIND_SETS, DEFAULT_SET, HELDOUT_SETS, KINDS, SITE_SETS,
                                            EvalQuestion, first_hit_rank, first_line, load_questions,
                                            quotes_sentence)
from vectorstore.catalog import Catalog
from vectorstore.models import RecordKind
from vectorstore.settings import Settings
from vectorstore.text import title_key


@dataclass
class KindScore:
    kind: str
    n: int
    hit1: float
    hit3: float
    mrr: float
    grounded: float  # share answered as grounded (for not_covered: share correctly NOT grounded)
    # content questions with a recorded answer sentence: share whose first line quotes it
    sentence: Optional[float] = None
    sentence_n: int = 0
    # safeguarding: share of immediate-risk descriptions whose answer starts with the 999 signpost,
    # and share of the others that wrongly do
    signpost: Optional[float] = None
    false_signpost: Optional[float] = None


def run_all(ask: Callable[[EvalQuestion], Answer], questions: list[EvalQuestion]) -> list[Answer]:
    return [ask(q) for q in questions]


def score(questions: list[EvalQuestion], answers: list[Answer], lenient: bool = False) -> list[KindScore]:
    """hit@1, hit@3, MRR and grounded rate per kind of question."""
    rows = []
    for kind in KINDS:
        pairs = [(q, a) for q, a in zip(questions, answers) if q.kind == kind]
        if not pairs:
            continue
        if kind == "not_covered":
            ok = sum(not a.grounded and not a.citations for _, a in pairs) / len(pairs)
            rows.append(KindScore(kind, len(pairs), ok, ok, ok, ok))
            continue
        ranks = [first_hit_rank(a.citations, q.gold, lenient) for q, a in pairs]
        row = KindScore(
            kind, len(pairs),
            hit1=sum(r == 1 for r in ranks) / len(ranks),
            hit3=sum(r is not None and r <= 3 for r in ranks) / len(ranks),
            mrr=sum(1 / r for r in ranks if r) / len(ranks),
            grounded=sum(a.grounded for _, a in pairs) / len(pairs),
        )
        quoted = [sentence_quoted(q, a) for q, a in pairs if q.answer_sentence]
        if quoted:
            row.sentence, row.sentence_n = sum(quoted) / len(quoted), len(quoted)
        if kind == "safeguarding":
            risky = [signposted(a) for q, a in pairs if q.immediate_risk]
            calm = [signposted(a) for q, a in pairs if not q.immediate_risk]
            row.signpost = sum(risky) / len(risky) if risky else None
            row.false_signpost = sum(calm) / len(calm) if calm else None
        rows.append(row)
    return rows


def sentence_quoted(q: EvalQuestion, a: Answer) -> bool:
    """Whether the answer's first line quotes the question's answer sentence
    (the rule is `questions.quotes_sentence`)."""
    return bool(q.answer_sentence) and quotes_sentence(first_line(a.answer), q.answer_sentence)


# 999 on its own, not the end of a phone number quoted from a chapter ("0161 496 0999")
SIGNPOST_MARK = re.compile(r"(?<![\d ])999\b|\b(?:on|call|ring|dial) 999\b", re.IGNORECASE)


def signposted(a: Answer) -> bool:
    """Whether an answer opens with the immediate-danger signpost (its first line names 999)."""
    return bool(SIGNPOST_MARK.search(first_line(a.answer)))


def invented_citations(answers: list[Answer], catalog: Catalog) -> int:
    """Citations naming a chapter or amendment that the store does not hold."""
    known = {(e.manual_id, e.chapter, title_key(e.title)) for e in catalog.entries}
    known |= {(c.manual_id, c.chapter, title_key(c.title)) for c in catalog.chapters}
    months = {(a.manual_id, a.amended, title_key(a.title)) for a in catalog.amendments}
    bad = 0
    for answer in answers:
        for c in answer.citations:
            key = (c.manual_id, c.amended if c.kind == RecordKind.AMENDMENT else c.chapter, title_key(c.title))
            bad += key not in (months if c.kind == RecordKind.AMENDMENT else known)
    return bad


def latency(answers: list[Answer]) -> tuple[float, float]:
    times = sorted(a.timings_ms.get("total", 0.0) for a in answers)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95


def format_table(title: str, rows: list[KindScore], answers: list[Answer]) -> str:
    p50, p95 = latency(answers)
    lines = [title, f"{'kind':<13}{'n':>4}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}{'grounded':>10}"]
    for r in rows:
        line = f"{r.kind:<13}{r.n:>4}{r.hit1:>8.3f}{r.hit3:>8.3f}{r.mrr:>8.3f}{r.grounded:>10.3f}"
        if r.sentence is not None:
            line += f"   sentence in first line {r.sentence:.3f} (of {r.sentence_n})"
        if r.signpost is not None or r.false_signpost is not None:
            line += f"   999 signpost: immediate risk {_share(r.signpost)}, others {_share(r.false_signpost)}"
        lines.append(line)
    lines.append(f"latency ms: p50 {p50:.1f}, p95 {p95:.1f}   (not_covered rows: share correctly declined, "
                 "i.e. not grounded and no citation; safeguarding hit@1: a child-protection route first)")
    return "\n".join(lines)


def _share(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3f}"


def run_eval(settings: Settings, path: Optional[Path], baseline: bool = True, sweep: bool = False,
             sites: bool = False, misses: bool = False) -> int:
    """Score the assistant (and the baseline) on `path`, or on the tuning set
    and then the held-out sets when no path is given. `sites`: the whole-manual
    sets instead (the store must hold the fixture sites: see
    scripts/eval-sites.sh); the baseline, built from raw sample files, is
    skipped for them. `misses` lists the questions answered wrongly, except
    for blind sets."""
    assistant = Assistant(settings).warm_up()
    if sites:
        sets = [(f"{p.stem}: ", p) for p in ([path] if path else SITE_SETS)]
        baseline = False
    else:
        sets = [("", path)] if path else [("", DEFAULT_SET)] + [
            (f"held-out {i} ({p.name}): ", p) for i, p in enumerate(HELDOUT_SETS, 1)]
    naive = _baseline(settings, assistant) if baseline else None
    for i, (label, questions_path) in enumerate(sets):
        if i:
            print()
        questions = load_questions(questions_path)
        answers = _compare(label, questions, assistant, naive)
        if misses and questions_path.name not in BLIND_SETS:
            print(format_misses(questions, answers))
        if sweep and i == 0:
            print()
            print(format_sweep(assistant, questions))
    print(f"peak memory (RSS) of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


def _baseline(settings: Settings, assistant: Assistant):
    from assistant.evaluation.baseline import NaiveRag

    manual_of = {c.source: c.manual_id for c in assistant.catalog.chunks}
    files = {p: manual_of[p.name] for p in sorted(settings.manuals_dir.iterdir()) if p.name in manual_of}
    return NaiveRag(files, assistant.embedder)


def _compare(label: str, questions: list[EvalQuestion], assistant: Assistant, naive) -> list[Answer]:
    answers = run_all(lambda q: assistant.ask(q.question, q.manual), questions)
    ours = score(questions, answers)
    print(format_table(f"{label}Procedures Assistant (hybrid retrieval, extractive writer)", ours, answers))
    print(f"citations of records not in the store: {invented_citations(answers, assistant.catalog)}")
    print(format_precision(questions, answers))
    if naive is None:
        return answers
    base_answers = run_all(lambda q: naive.ask(q.question), questions)
    theirs = score(questions, base_answers, lenient=True)
    print()
    print(format_table(f"{label}Naive baseline (LangChain tutorial RAG, same embeddings)", theirs, base_answers))
    print(f"citations of records not in the store: {invented_citations(base_answers, assistant.catalog)}")
    print()
    print(format_ratio(ours, theirs))
    return answers


def is_miss(q: EvalQuestion, a: Answer) -> bool:
    """Wrong on its kind's main measure: declined-or-not for not-covered
    questions, else first citation (and, with an answer sentence, the quote)."""
    if q.kind == "not_covered":
        return a.grounded or bool(a.citations)
    return first_hit_rank(a.citations, q.gold) != 1 or (bool(q.answer_sentence) and not sentence_quoted(q, a))


def format_misses(questions: list[EvalQuestion], answers: list[Answer]) -> str:
    """Each question answered wrongly: what was asked, cited and quoted first (for study; never for blind sets)."""
    lines = ["misses:"]
    for q, a in zip(questions, answers):
        if is_miss(q, a):
            cited = "; ".join(f"{c.manual_id} {c.chapter or c.amended} {c.title}" for c in a.citations[:3]) or "-"
            gold = "; ".join(f"{g.manual_id} {g.chapter or g.amended or ''} {g.title or ''}".strip() for g in q.gold[:4])
            lines.append(f"- {q.id} [{q.kind}] {q.question}\n    gold: {gold or 'none'}\n    cited: {cited}"
                         f"\n    first line: {first_line(a.answer)[:300]}")
            if q.answer_sentence:
                lines.append(f"    want: {q.answer_sentence[:300]}")
    return "\n".join(lines)


def format_precision(questions: list[EvalQuestion], answers: list[Answer]) -> str:
    """How often a cited answer is right, by how it was worded: stated plainly
    ("This is covered by…") or offered as the closest match. A grounded answer
    to a not-covered question counts as wrong."""
    tally = {True: [0, 0], False: [0, 0]}  # plain? -> [answers, right]
    for q, a in zip(questions, answers):
        if a.grounded:
            tally[a.plain][0] += 1
            tally[a.plain][1] += q.kind != "not_covered" and first_hit_rank(a.citations, q.gold) == 1
    parts = [f"{label} {n} (first citation right {right / n:.0%})" if n else f"{label} 0"
             for label, (n, right) in (("stated plainly", tally[True]), ("offered as closest match", tally[False]))]
    return "cited answers: " + "; ".join(parts)


def format_ratio(ours: list[KindScore], theirs: list[KindScore]) -> str:
    base = {r.kind: r for r in theirs}
    lines = ["ratio ours / baseline (hit@1, hit@3, MRR; inf where the baseline scored 0)"]
    for r in ours:
        b = base.get(r.kind)
        ratio = [f"{x / y:.2f}" if y else "inf" for x, y in ((r.hit1, b.hit1), (r.hit3, b.hit3), (r.mrr, b.mrr))]
        lines.append(f"{r.kind:<12}" + "  ".join(ratio))
    return "\n".join(lines)


def format_sweep(assistant: Assistant, questions: list[EvalQuestion]) -> str:
    """Not-covered accuracy against covered hit@3 over a grid of thresholds
    around the model's own (`assistant.thresholds`), so any model can be calibrated."""
    original = assistant.thresholds
    lines = [f"thresholds now: dense_strong {original.dense_strong}, combined {original.combined}, "
             f"remit {original.remit}, remit_margin {original.remit_margin}",
             "dense_strong combined  not_covered  covered_hit@3"]
    strongs = sorted({round(original.dense_strong + d, 2) for d in (-0.07, 0.0, 0.08)})
    combineds = sorted({round(original.combined + d, 2) for d in (-0.1, -0.05, 0.0, 0.05, 0.1, 0.2)})
    for strong, combined in product(strongs, combineds):
        assistant.thresholds = replace(original, dense_strong=strong, combined=combined)
        lines.append(f"{strong:>12} {combined:>8}  " + _sweep_row(assistant, questions))
    lines += ["", "remit  margin  not_covered  covered_hit@3   (out-of-remit check; 1.0 = off)"]
    remits = [(1.0, original.remit_margin)] + [(round(original.remit + d, 2), m) for d, m in (
        (-0.05, 0.1), (-0.05, 0.15), (0.0, 0.1), (0.0, 0.15), (0.05, 0.15))]
    for remit, margin in remits:
        assistant.thresholds = replace(original, remit=remit, remit_margin=margin)
        lines.append(f"{remit:>5} {margin:>7}  " + _sweep_row(assistant, questions))
    assistant.thresholds = original
    return "\n".join(lines)


def _sweep_row(assistant: Assistant, questions: list[EvalQuestion]) -> str:
    answers = run_all(lambda q: assistant.ask(q.question, q.manual), questions)
    rows = {r.kind: r for r in score(questions, answers)}
    covered = [r for k, r in rows.items() if k != "not_covered"]
    hit3 = sum(r.hit3 * r.n for r in covered) / sum(r.n for r in covered)
    return f"{rows['not_covered'].hit1:>11.3f}  {hit3:>13.3f}"
