"""`python -m assistant`: a thin shell over `Assistant`.

  python -m assistant ask "QUESTION" [--manual ID] [--json]
  python -m assistant ask --questions FILE|- [--manual ID]      one JSON object per line
  python -m assistant eval [--questions FILE] [--no-baseline] [--sweep] [--sites] [--misses]
      (--sites: the whole-manual sets, on a store holding the fixture sites; scripts/eval-sites.sh builds one)
  python -m assistant glossary [TERM]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Optional, Sequence

from vectorstore.settings import Settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="Ask the procedures manuals.")
    sub = p.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question (or a file of them) with citations")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--manual", help="only this manual id")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--questions", help="a file of questions, one per line ('-' for stdin); prints JSON lines")
    ev = sub.add_parser("eval", help="score retrieval on the evaluation set, against a naive baseline")
    ev.add_argument("--questions", type=Path, default=None, help="JSONL question set (default: tests/eval)")
    ev.add_argument("--no-baseline", action="store_true", help="skip the naive LangChain baseline")
    ev.add_argument("--sweep", action="store_true", help="also print the confidence-threshold sweep")
    ev.add_argument("--sites", action="store_true",
                    help="score the whole-manual sets (tests/eval/sites_*.jsonl); the store must hold the fixture "
                         "sites (scripts/eval-sites.sh builds it and runs this)")
    ev.add_argument("--misses", action="store_true",
                    help="list the questions answered wrongly (never for blind sets)")
    gl = sub.add_parser("glossary", help="list the glossary, or explain one term")
    gl.add_argument("term", nargs="?")
    return p


def main(argv: Optional[Sequence[str]] = None, settings: Optional[Settings] = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)  # stdout stays JSON-only
    settings = settings or Settings.from_env()
    return {"ask": _ask, "eval": _eval, "glossary": _glossary}[args.command](args, settings)


def _ask(args, settings: Settings) -> int:
    """Exit codes: see `vectorstore.clients.guard` (0 answered, 3 nothing loaded,
    4 store unreachable; with --questions, 1 when any line is an error object)."""
    from vectorstore.clients.guard import EXIT_EMPTY, EXIT_UNREACHABLE, NOTHING_LOADED, store_problem

    if not args.question and not args.questions:
        print("give a question, or --questions FILE", file=sys.stderr)
        return 2
    if args.questions:
        stream = sys.stdin if args.questions == "-" else open(args.questions, encoding="utf-8")
        with stream:
            return _ask_each(stream, args.manual, settings)
    try:
        assistant = _loaded(None, settings)
        answer = assistant.ask(args.question, args.manual)
    except _NothingLoaded:
        print(f"ask: {NOTHING_LOADED}", file=sys.stderr)
        return EXIT_EMPTY
    except Exception as exc:  # noqa: BLE001 - only a store problem is handled here
        problem = store_problem(exc)
        if problem is None:
            raise
        print(f"ask: {problem}", file=sys.stderr)
        return EXIT_UNREACHABLE
    _warn_if_degraded(assistant)
    print(answer.to_json() if args.json else answer.answer)
    return 0


class _NothingLoaded(Exception):
    pass


def _loaded(assistant, settings: Settings):
    """A warmed-up assistant on the store's current contents: built on first
    use (or again after the store could not be reached), refreshed between
    questions when an ingest has changed the store."""
    from assistant.chain import Assistant

    if assistant is None:
        assistant = Assistant(settings).warm_up()
    else:
        assistant.retriever.refresh()
    if not assistant.catalog.chunks:
        raise _NothingLoaded
    return assistant


def _ask_each(stream, manual: Optional[str], settings: Settings) -> int:
    """One JSON line per question. A question that cannot be answered (store
    down, nothing loaded) gets {"question", "error"} and the next one is tried."""
    from vectorstore.clients.guard import NOTHING_LOADED, store_problem

    assistant, failed = None, 0
    for line in stream:
        question = line.strip()
        if not question:
            continue
        try:
            assistant = _loaded(assistant, settings)
            answer = assistant.ask(question, manual)
        except _NothingLoaded:
            failed += 1
            print(json.dumps({"question": question, "error": NOTHING_LOADED}), flush=True)
            continue
        except Exception as exc:  # noqa: BLE001 - reported per question; the stream goes on
            failed += 1
            problem = store_problem(exc)
            if problem is None:
                problem = f"unexpected error: {type(exc).__name__}: {exc}"
                logging.getLogger("assistant").debug("question failed", exc_info=True)
            elif assistant is not None and assistant.catalog is None:
                assistant = None  # never warmed up: build it again next time
            print(json.dumps({"question": question, "error": problem}), flush=True)
            continue
        _warn_if_degraded(assistant)
        print(answer.to_json(), flush=True)
    return 1 if failed else 0


def _warn_if_degraded(assistant) -> None:
    problem = assistant.retriever.problem
    if problem:
        print(f"ask: warning: {problem}; answered from the copy of the store loaded earlier", file=sys.stderr)


def _eval(args, settings: Settings) -> int:
    from assistant.evaluation.report import run_eval

    return run_eval(settings, args.questions, baseline=not args.no_baseline, sweep=args.sweep,
                    sites=args.sites, misses=args.misses)


def _glossary(args, settings: Settings) -> int:
    from vectorstore.glossary import load_glossary, lookup

    terms = [lookup(args.term)] if args.term else list(load_glossary())
    if terms == [None]:
        print(f"{args.term!r} is not in the glossary", file=sys.stderr)
        return 1
    for t in terms:
        also = f" Manuals say: {', '.join(t.also)}." if t.also else ""
        see = f" See also: {', '.join(t.see)}." if t.see else ""
        print(f"{t.term}: {t.meaning}{also}{see}")
    return 0
