"""`python -m assistant`: a thin shell over `Assistant`.

  python -m assistant ask "QUESTION" [--manual ID] [--json]
  python -m assistant ask --questions FILE|- [--manual ID]      one JSON object per line
  python -m assistant eval [--questions FILE] [--no-baseline] [--sweep] [--sites] [--misses]
      (--sites: the whole-manual sets, on a store holding the fixture sites; scripts/eval-sites.sh builds one)
  python -m assistant glossary [TERM]
"""
from __future__ import annotations

import argparse
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
    from assistant.chain import Assistant

    if not args.question and not args.questions:
        print("give a question, or --questions FILE", file=sys.stderr)
        return 2
    assistant = Assistant(settings).warm_up()
    if args.questions:
        stream = sys.stdin if args.questions == "-" else open(args.questions, encoding="utf-8")
        with stream:
            for line in stream:
                if line.strip():
                    print(assistant.ask(line.strip(), args.manual).to_json(), flush=True)
        return 0
    answer = assistant.ask(args.question, args.manual)
    print(answer.to_json() if args.json else answer.answer)
    return 0


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
