"""`python -m ingest crawl URL --manual ID [--name "…"]` and `python -m ingest refresh`:
thin shells over `ingest.crawl.refresh`."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from vectorstore.settings import Settings


def _parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m ingest {command}")
    if command == "crawl":
        p.add_argument("url", help="the manual's contents page, e.g. https://…/contents.html")
        p.add_argument("--manual", required=True, help="the manual's id: its folder under the manuals folder")
        p.add_argument("--name", help="the manual's name (default: from its contents page)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    return p


class _PageBar:
    """A tqdm bar of pages fetched / to fetch (the total grows as links are found)."""

    def __init__(self, enabled: bool, desc: str):
        self.enabled, self.desc, self.bar = enabled, desc, None

    def __call__(self, done: int, total: int, url: str) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.desc, unit="page")
        self.bar.total = total
        self.bar.n = done
        self.bar.set_postfix_str(url[-40:], refresh=True)
        if done >= total:  # this manual is done (refresh: the next one gets a bar of its own)
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def main(argv: Sequence[str], settings: Settings) -> int:
    from ingest.cli import _Bar, _open
    from ingest.crawl.refresh import crawl_and_ingest, crawled_manuals, refresh_all

    command, rest = argv[0], list(argv[1:])
    args = _parser(command).parse_args(rest)
    if command == "refresh" and not crawled_manuals(settings):
        print(f"no crawled manuals under {settings.manuals_dir}: crawl one first "
              "(python -m ingest crawl URL --manual ID)", file=sys.stderr)
        return 1
    store, embedder = _open(settings)
    pages = _PageBar(not args.quiet, "crawl")
    try:
        if command == "crawl":
            done = [crawl_and_ingest(args.url, args.manual, settings, store, embedder, name=args.name,
                                     progress=pages, ingest_progress=_Bar(not args.quiet))]
        else:
            done = refresh_all(settings, store, embedder, progress=pages, ingest_progress=_Bar(not args.quiet))
    except KeyboardInterrupt:
        pages.close()
        print("interrupted: what was fetched is saved in the crawl record; run the same command again to "
              "resume", file=sys.stderr)
        return 130
    pages.close()
    for one in done:
        print(one.summary(), file=sys.stderr)
    return 0 if all(one.ok for one in done) else 1
