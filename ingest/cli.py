"""`python -m ingest`: a thin shell over the pipeline and the catalog.

  python -m ingest [PATH ...] [--manual ID] [--name "…"] [--rebuild] [--quiet]
                                                      ingest (default: data/manuals)
  python -m ingest --prune ID [ID ...]                remove manuals no longer wanted
  python -m ingest entries [--manual ID] --json       every chapter entry, one JSON per line
  python -m ingest amendments [--manual ID] --json    every amendment record, one JSON per line
  python -m ingest stats                              counts per manual and kind
  python -m ingest bench                              ingest benchmark (also: --bench)
  python -m ingest crawl URL --manual ID [--name "…"]  fetch a manual's site, then ingest it
  python -m ingest refresh                            re-crawl and re-ingest every crawled manual
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Optional, Sequence

from vectorstore.settings import Settings

COMMANDS = ("entries", "amendments", "stats", "bench")
CRAWL_COMMANDS = ("crawl", "refresh")  # ingest.crawl_cli


def _run_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest", description="Ingest procedures manuals into the store.")
    p.add_argument("paths", nargs="*", type=Path,
                   help="files or folders: a saved site, or a folder of sites (default: data/manuals)")
    p.add_argument("--manual", help="the id of the manual these paths hold (one site)")
    p.add_argument("--name", help="the manual's name, when its contents page doesn't say")
    p.add_argument("--rebuild", action="store_true",
                   help="ingest from scratch into a new collection, swapped in only if every file ingests")
    p.add_argument("--prune", nargs="+", metavar="ID", help="remove these manuals from the store")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--bench", action="store_true", help="run the ingest benchmark instead")
    return p


def _list_parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m ingest {command}")
    if command in ("entries", "amendments"):
        p.add_argument("--manual", help="only this manual id")
        p.add_argument("--json", action="store_true", help="one JSON object per line (the default output)")
    return p


def main(argv: Optional[Sequence[str]] = None, settings: Optional[Settings] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    settings = settings or Settings.from_env()
    if argv and argv[0] in CRAWL_COMMANDS:
        from ingest.crawl_cli import main as crawl_main

        return crawl_main(argv, settings)
    if argv and argv[0] in COMMANDS:
        command, rest = argv[0], argv[1:]
        args = _list_parser(command).parse_args(rest)
        return {"entries": _entries, "amendments": _amendments, "stats": _stats,
                "bench": _bench}[command](args, settings)
    args = _run_parser().parse_args(argv)
    if args.bench:
        return _bench(args, settings)
    if args.prune:
        return _prune(args, settings)
    return _ingest(args, settings)


def _open(settings: Settings):
    from vectorstore.embeddings import make_embedder
    from vectorstore.store import open_store

    embedder = make_embedder(settings)
    return open_store(settings, embedder.name), embedder


class _Bar:
    """A tqdm bar fed by the pipeline's progress callback."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, desc="ingest", unit="file")
        self.bar.n = done
        self.bar.set_postfix_str(name[-40:], refresh=True)
        if done >= total:
            self.bar.close()


def _ingest(args, settings: Settings) -> int:
    from ingest import pipeline
    from vectorstore.embeddings import make_embedder

    paths = args.paths or [settings.manuals_dir]
    progress = _Bar(not args.quiet)
    if args.rebuild:
        report = pipeline.rebuild(paths, settings, make_embedder(settings), progress, args.manual, args.name)
    else:
        store, embedder = _open(settings)
        report = pipeline.ingest(paths, settings, store, embedder, progress, args.manual, args.name)
    print(report.summary(), file=sys.stderr)
    if report.swapped is False:
        return 1
    return 1 if report.errors and not report.ingested and not report.skipped else 0


def _prune(args, settings: Settings) -> int:
    from ingest.pipeline import prune

    store, _ = _open(settings)
    report = prune(args.prune, store)
    print(report.summary(), file=sys.stderr)
    return 1 if report.errors else 0


def _catalog(settings: Settings):
    from vectorstore.catalog import Catalog

    store, _ = _open(settings)
    return Catalog.from_chunks(store.snapshot())


def _entries(args, settings: Settings) -> int:
    for e in _catalog(settings).entries:
        if args.manual in (None, e.manual_id):
            print(json.dumps({"manual_id": e.manual_id, "chapter": e.chapter, "title": e.title,
                              "flags": e.flags, "section": e.section, "section_path": e.section_path,
                              "url": e.url}, ensure_ascii=False))
    return 0


def _amendments(args, settings: Settings) -> int:
    for a in _catalog(settings).amendments:
        if args.manual in (None, a.manual_id):
            print(json.dumps({"manual_id": a.manual_id, "amended": a.amended, "change": a.change.value,
                              "title": a.title, "chapter": a.chapter, "details": a.details},
                             ensure_ascii=False))
    return 0


def _stats(args, settings: Settings) -> int:
    catalog = _catalog(settings)
    counts = Counter((c.manual_id, c.kind.value) for c in catalog.chunks)
    records = Counter((r.manual_id, kind) for kind, rs in
                      (("contents", catalog.entries), ("chapter", catalog.chapters),
                       ("amendment", catalog.amendments)) for r in rs)
    joined = Counter(c.manual_id for c in catalog.chapters if c.entry_id)
    print(f"{'manual':<24}{'kind':<12}{'records':>8}{'chunks':>8}{'joined':>8}")
    for (manual_id, kind), n in sorted(counts.items()):
        extra = f"{joined[manual_id]:>8}" if kind == "chapter" else ""
        print(f"{manual_id:<24}{kind:<12}{records[(manual_id, kind)]:>8}{n:>8}{extra}")
    print(f"{'total':<36}{sum(records.values()):>8}{sum(counts.values()):>8}")
    return 0


def _bench(args, settings: Settings) -> int:
    from ingest.bench import run

    return run(settings)
