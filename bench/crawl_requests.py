"""Requests a crawl costs: each fixture site served over a real HTTP server on
127.0.0.1 (the crawler tests' server), crawled once from scratch, then again
unchanged (a refresh), then once more after one chapter changed. Counts are
the server's own log (so urllib3's retries show), by HTTP status.

Run: `.venv/bin/python bench/crawl_requests.py` (crawl only; the ingest after a
crawl makes no requests). Prints figures; asserts nothing.
"""
from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ingest" / "crawl"))

from conftest import ROBOTS, TRIAL_BEHAVIOUR, build_tree, crawl_settings  # noqa: E402
from crawl_server import SiteServer  # noqa: E402
from ingest.crawl.crawler import crawl  # noqa: E402


def counts(hits) -> str:
    by = Counter(h.status for h in hits)
    return ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(by.items())) + f" (total {len(hits)})"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    server = SiteServer(tmp / "www", robots=ROBOTS, redirects=dict(TRIAL_BEHAVIOUR["redirects"]),
                        statuses=dict(TRIAL_BEHAVIOUR["statuses"]), hang=set(TRIAL_BEHAVIOUR["hang"])).start()
    build_tree(tmp, server.base)
    settings = crawl_settings(tmp)
    print(f"{'site':<14}{'run':<22}{'seconds':>8}  requests by status (server log)")
    try:
        for site, chapter in (("brackenshire", "chapters/p_missing.html"), ("hollinford", "chapters/missing.html"),
                              ("trial", "chapters/home_visits.html")):
            url = server.url(f"/{site}/contents.html")
            for run in ("first crawl", "refresh, unchanged", "refresh, 1 changed"):
                if run == "refresh, 1 changed":
                    page = server.root / site / chapter
                    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1><p>Reviewed.</p>", 1),
                                    encoding="utf-8")
                start, began = len(server.log), time.perf_counter()
                result = crawl(url, site, settings)
                seconds = time.perf_counter() - began
                print(f"{site:<14}{run:<22}{seconds:>8.1f}  {counts(server.log[start:])}")
                r = result.run
                print(f"{'':<44}pages added {len(r.added)}, changed {len(r.changed)}, "
                      f"unchanged {len(r.unchanged)}, failed {len(r.failed)}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
