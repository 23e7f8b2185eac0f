"""Large files: peak memory and time of ingesting one SYNTHETIC chapter page
of ~3 MB and of ~30 MB, as text and as HTML, each in a fresh subprocess
(`python -m ingest`, a fresh store), so each peak RSS is that ingest's alone.

The pages are written in a temporary folder (never data/), labelled SYNTHETIC
in their heading, title and manual name, with a manifest naming the manual
and the page kind. Their sections recombine the fixture chapters' headings
and paragraphs (bench/synthetic.py's pool). PA_MAX_FILE_MB is raised for the
run so the 30 MB pages are admitted.

Run: `.venv/bin/python bench/large_file.py [MB ...] [--formats text html]`
(default 3 30, both formats). Prints, per format and size: seconds, peak RSS,
chunks; then the ratio of the largest to the smallest peak RSS per format.
Asserts nothing.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import harvest  # noqa: E402

MANUAL = "synthetic-large"
MANUAL_NAME = "Synthetic Large Manual (SYNTHETIC, load testing only)"
FORMATS = ("text", "html")
PARAGRAPHS_PER_SECTION = (2, 6)  # a long chapter's sections run to several paragraphs
# `python -m ingest`, spelled through runpy: on a shared machine a broad `pkill -f "python -m ingest"`
# elsewhere must not end an hours-long run (two 30 MB runs were ended by an outside SIGTERM).
INGEST_CLI = [sys.executable, "-c", "import runpy; runpy.run_module('ingest', run_name='__main__', alter_sys=True)"]


def _sections(rng: random.Random, pool) -> "iterator[tuple[int, str, list[str]]]":
    """Endless numbered sections: (number, heading, paragraphs)."""
    _, headings, paragraphs = pool
    number = 0
    while True:
        number += 1
        yield number, rng.choice(headings), rng.sample(paragraphs, rng.randint(*PARAGRAPHS_PER_SECTION))


def write_text_chapter(path: Path, megabytes: float, seed: int = 12) -> int:
    """A text chapter page of about `megabytes`, written a section at a time; its size in bytes."""
    rng, pool = random.Random(seed), harvest()
    target = int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8") as out:
        out.write("Synthetic Large Manual (SYNTHETIC, load testing only)\n\n"
                  "1.1.1 Synthetic Large Chapter (SYNTHETIC)\n\nSCOPE OF THIS CHAPTER\n\n"
                  f"{rng.choice(pool[2])}\n\nAMENDMENT\n\nIn June 2024 this SYNTHETIC chapter was generated "
                  "for load testing.\n\n")
        for number, heading, paragraphs in _sections(rng, pool):
            out.write(f"{number}. {heading}\n\n" + "\n\n".join(paragraphs) + "\n\n")
            if out.tell() >= target:
                break
        out.write("End\n")
    return path.stat().st_size


def write_html_chapter(path: Path, megabytes: float, seed: int = 12) -> int:
    """An HTML chapter page (the fixture sites' template) of about `megabytes`; its size in bytes."""
    rng, pool = random.Random(seed), harvest()
    target = int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8") as out:
        out.write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                  f"<title>1.1.1 Synthetic Large Chapter (SYNTHETIC) | {html.escape(MANUAL_NAME)}</title>\n"
                  '</head>\n<body>\n<div id="content">\n<h1>1.1.1 Synthetic Large Chapter (SYNTHETIC)</h1>\n'
                  '<p class="label"><strong>SCOPE OF THIS CHAPTER</strong></p>\n'
                  f"<p>{html.escape(rng.choice(pool[2]))}</p>\n")
        for number, heading, paragraphs in _sections(rng, pool):
            out.write(f'<h2><a id="section{number}"></a>{number}. {html.escape(heading)}</h2>\n'
                      + "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs))
            if out.tell() >= target:
                break
        out.write('<p class="end"><strong>End</strong></p>\n</div>\n</body>\n</html>\n')
    return path.stat().st_size


def make_site(folder: Path, fmt: str, megabytes: float) -> int:
    """A one-page SYNTHETIC site: the chapter and a manifest naming its manual and kind."""
    folder.mkdir(parents=True)
    name = "chapter.txt" if fmt == "text" else "chapter.html"
    size = (write_text_chapter if fmt == "text" else write_html_chapter)(folder / name, megabytes)
    (folder / "manifest.toml").write_text(
        f'[manuals.{MANUAL}]\nname = "{MANUAL_NAME}"\nplaces = ["Synthetic Large"]\n\n'
        f'[files."{name}"]\nmanual = "{MANUAL}"\nkind = "chapter"\n', encoding="utf-8")
    return size


def ingest_in_subprocess(site: Path, data: Path, max_mb: int) -> dict:
    """`python -m ingest SITE` (INGEST_CLI) in a fresh process and store: seconds, peak RSS (MB), its summary."""
    env = {**os.environ, "PA_DATA_DIR": str(data), "PA_STORE_DIR": str(data / "store"), "CHROMA_HOST": "",
           "PA_MAX_FILE_MB": str(max_mb), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen([*INGEST_CLI, str(site), "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not the largest child's so far
    proc.returncode = os.waitstatus_to_exitcode(status)
    chunks = re.search(r"chunks (\d+)", out)
    return dict(seconds=round(time.perf_counter() - started, 1), peak_rss_mb=round(usage.ru_maxrss / 1024),
                chunks=int(chunks.group(1)) if chunks else None, exit=proc.returncode,
                errors=[line for line in out.splitlines() if line.startswith("error:")])


def main(sizes: list[float], formats: tuple[str, ...] = FORMATS) -> int:
    rows = []
    with tempfile.TemporaryDirectory(prefix="synthetic-large-") as tmp:
        for fmt in formats:
            for mb in sizes:
                case = Path(tmp) / f"{fmt}-{mb:g}mb"
                size = make_site(case / "site", fmt, mb)
                row = dict(format=fmt, file_mb=round(size / 1024 / 1024, 1),
                           **ingest_in_subprocess(case / "site", case / "data", max_mb=int(max(sizes)) + 10),
                           load=" ".join(f"{x:.1f}" for x in os.getloadavg()))
                rows.append(row)
                print(json.dumps(row), flush=True)
    _table(rows)
    return 0


def _table(rows: list[dict]) -> None:
    print(f"\n{'format':>6} {'file MB':>8} {'chunks':>7} {'seconds':>8} {'peak RSS MB':>12}  load")
    for r in rows:
        print(f"{r['format']:>6} {r['file_mb']:>8} {str(r['chunks']):>7} {r['seconds']:>8} {r['peak_rss_mb']:>12}"
              f"  {r['load']}")
    for fmt in FORMATS:
        mine = [r for r in rows if r["format"] == fmt]
        if len(mine) > 1:
            small, large = mine[0], mine[-1]
            print(f"{fmt}: {large['file_mb'] / small['file_mb']:.1f}x the file -> peak RSS "
                  f"x{large['peak_rss_mb'] / small['peak_rss_mb']:.2f}, seconds x{large['seconds'] / small['seconds']:.1f}")


def _arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Peak RSS and seconds of ingesting large SYNTHETIC chapter pages.")
    p.add_argument("sizes", nargs="*", type=float, default=[3.0, 30.0], help="page sizes in MB")
    p.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    return p.parse_args()


if __name__ == "__main__":
    args = _arguments()
    sys.exit(main(args.sizes, tuple(args.formats)))
