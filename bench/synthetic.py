"""SYNTHETIC manuals for load and scale work only, never sample data.

Recombines the structure of the invented fixture sites (tests/fixtures/sites:
contents page with numbered sections and chapter links, chapter pages with a
label block and numbered h2 sections) into N manuals x M chapters whose bodies
are shuffled paragraphs from those fixtures. Every page says SYNTHETIC in its
title and site name, and the output goes to a folder you name (a temporary
one in bench/scale.py), outside data/.

    .venv/bin/python bench/synthetic.py OUT --manuals 5 --chapters 100
"""
from __future__ import annotations

import argparse
import html
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "fixtures" / "sites"
SECTIONS_PER_CHAPTER = (4, 8)
PARAGRAPHS_PER_SECTION = (1, 4)


def harvest() -> tuple[list[str], list[str], list[str]]:
    """(chapter titles, section headings, paragraphs) from the fixture chapter pages."""
    titles, headings, paragraphs = set(), set(), set()
    for page in sorted(SITES.glob("*/chapters/**/*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        titles.update(_strip(t) for t in re.findall(r"<h1>(?:[\d.]+\s*)?(.*?)</h1>", text, re.S))
        headings.update(_strip(h) for h in re.findall(r"<h2>(?:<a [^>]*></a>)?\s*\d+\.\s*(.*?)</h2>", text, re.S))
        paragraphs.update(p for p in (_strip(p) for p in re.findall(r"<p>(.*?)</p>", text, re.S))
                          if len(p.split()) >= 12)
    return sorted(t for t in titles if t), sorted(h for h in headings if h), sorted(paragraphs)


def _strip(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _page(title: str, site: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)} | {html.escape(site)}</title>\n</head>\n<body>\n"
            f'<div id="header"><p class="site-name">{html.escape(site)}</p></div>\n'
            f'<div id="content">\n{body}\n</div>\n</body>\n</html>\n')


def write_manual(folder: Path, index: int, chapters: int, rng: random.Random, pool) -> None:
    titles, headings, paragraphs = pool
    site = f"Synthetic Borough {index} Children's Services Procedures Manual (SYNTHETIC, load testing only)"
    (folder / "chapters").mkdir(parents=True)
    per_section = 10
    links, body = [], ['<h1>Contents</h1>', "<p>SYNTHETIC manual generated for load testing. "
                       "Each section holds the chapters for that area of practice.</p>"]
    for n in range(chapters):
        top, sub, item = n // (per_section * 5) + 1, (n // per_section) % 5 + 1, n % per_section + 1
        number = f"{top}.{sub}.{item}"
        title = f"{rng.choice(titles)} ({rng.choice(headings)})"
        if item == 1:
            if sub == 1:
                body.append(f'<h2 id="s{top}">{top}. {html.escape(rng.choice(headings))}</h2>')
            body.append(f'<div class="subsection">\n<p class="subsection_no">{top}.{sub}</p>\n'
                        f'<p class="subsection_title">{html.escape(rng.choice(headings))}</p>\n</div>\n'
                        '<ul class="chapters">')
        href = f"chapters/p_{index}_{n}.html"
        links.append(f'  <li><a href="{href}">{number} {html.escape(title)}</a></li>')
        body.append(links[-1])
        if item == per_section or n == chapters - 1:
            body.append("</ul>")
        (folder / href).write_text(_page(f"{number} {title}", site, _chapter(number, title, rng, headings,
                                                                               paragraphs)), encoding="utf-8")
    (folder / "contents.html").write_text(_page("Contents", site, "\n".join(body)), encoding="utf-8")


def _chapter(number: str, title: str, rng: random.Random, headings, paragraphs) -> str:
    parts = [f"<h1>{number} {html.escape(title)}</h1>",
             '<p class="label"><strong>SCOPE OF THIS CHAPTER</strong></p>',
             f"<p>{html.escape(rng.choice(paragraphs))}</p>"]
    for k in range(1, rng.randint(*SECTIONS_PER_CHAPTER) + 1):
        parts.append(f'<h2><a id="section{k}"></a>{k}. {html.escape(rng.choice(headings))}</h2>')
        parts += [f"<p>{html.escape(p)}</p>" for p in rng.sample(paragraphs, rng.randint(*PARAGRAPHS_PER_SECTION))]
    parts.append('<p class="end"><strong>End</strong></p>')
    return "\n".join(parts)


def generate(out: Path, manuals: int, chapters: int, seed: int = 12, first: int = 0) -> list[Path]:
    """Write `manuals` synthetic sites of `chapters` chapters each under `out`
    (numbered from `first`); returns their folders."""
    rng = random.Random(seed + first)
    pool = harvest()
    folders = []
    for m in range(first, first + manuals):
        folders.append(out / f"synthetic-{m}")
        write_manual(folders[-1], m, chapters, rng, pool)
    return folders


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("out", type=Path)
    p.add_argument("--manuals", type=int, default=5)
    p.add_argument("--chapters", type=int, default=100)
    args = p.parse_args()
    if ROOT / "data" in [args.out.resolve(), *args.out.resolve().parents]:
        raise SystemExit("synthetic manuals stay out of data/")
    generate(args.out, args.manuals, args.chapters)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
