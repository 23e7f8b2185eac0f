"""Files -> records -> store, incrementally.

`ingest(paths, …)` brings the store in line with the manuals under `paths`
(see `ingest.sites` for how folders become manuals). A source is identified
by its manual and its path inside the manual's folder, so two sites' files
of the same name never collide. An unchanged file (same content hash) is
skipped; a changed file replaces exactly its own records; a file gone from
an ingested folder has its records deleted, and an ingest can only remove
what came from the folders it was given. A file that cannot be read or
parsed is reported by path and reason, its previously stored records are
kept, and the other files still ingest. After the writes, each touched
manual's chapter pages are joined to their contents entries and its
amendments linked to their chapters.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from ingest.chunking import iter_page_chunks
from ingest.linking import join_pages, rejoined, relink
from ingest.manuals import guess_manual
from ingest.parsers import ParseError, detect_kind, parser_for
from ingest.parsers.base import SourceText
from ingest.parsers.html_page import forget_pages
from ingest.reading import BadInput, check_size, read_source
from ingest.sites import Discovery, Site, SiteFile, discover
from vectorstore.crawl_record import CRAWL_RECORD
from vectorstore.embeddings import Embedder
from vectorstore.glossary import digest as glossary_digest
from vectorstore.models import (FIRST_PARTS, Chapter, ChapterEntry, Chunk, Manual, PageKind, ParsedPage,
                                RecordKind)
from vectorstore.settings import Settings
from vectorstore.store import Batch, SourceKey, SourceRecord, VectorStore, open_store

# Bump when parsing or chunking changes what a file becomes, so stores
# built by older code re-ingest instead of skipping unchanged files.
PIPELINE_VERSION = "5"  # 5: a chapter's chunks carry its outline or header, not its whole text each

HASH_BLOCK = 1024 * 1024
BATCH = 256  # chunks embedded and written at a time: what bounds an ingest's memory, whatever a file's size
Progress = Callable[[int, int, str], None]  # (files done, files to do, the file being read)


@dataclass
class IngestReport:
    files: int = 0
    ingested: int = 0
    skipped: int = 0
    removed: int = 0
    entries: int = 0
    chapters: int = 0
    joined: int = 0  # chapter pages joined to their contents entries
    sections: int = 0
    amendments: int = 0
    chunks: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    swapped: Optional[bool] = None  # a rebuild: whether the new store was swapped in

    def add_page(self, page: ParsedPage, chunks: int) -> None:
        self.ingested += 1
        self.entries += len(page.entries)
        self.chapters += len(page.chapters)
        self.joined += sum(1 for c in page.chapters if c.entry_id)
        self.sections += sum(len(c.sections) for c in page.chapters)
        self.amendments += len(page.amendments)
        self.chunks += chunks
        self.notes.extend(f"{page.source}: {note}" for note in page.notes)

    def summary(self) -> str:
        """The human summary printed after an ingest."""
        lines = [
            f"files {self.files}: ingested {self.ingested}, unchanged {self.skipped}, "
            f"removed {self.removed}, errors {len(self.errors)}",
            f"entries {self.entries}, chapters {self.chapters} ({self.joined} joined to their contents entry), "
            f"sections {self.sections}, amendments {self.amendments}, chunks {self.chunks} in {self.seconds:.1f} s",
        ]
        if self.swapped is not None:
            lines.append("rebuild swapped in" if self.swapped else
                         "rebuild not swapped in: the previous store is unchanged (fix the errors and rerun)")
        lines += [f"note: {note}" for note in self.notes]
        lines += [f"error: {name}: {reason}" for name, reason in self.errors]
        return "\n".join(lines)


@dataclass
class _Read:
    """A file read and parsed this run, waiting to be embedded and written."""

    file: SiteFile
    root: Path
    digest: str
    page: ParsedPage

    @property
    def key(self) -> SourceKey:
        return SourceKey(self.page.manual.id, self.file.relative)


def file_hash(path: Path, described: str = "") -> str:
    """Content hash of a file, salted with the pipeline version, the glossary
    (its meanings are embedded with contents entries) and what the manifest or
    crawl record says of it (so editing a manual's name or places re-ingests)."""
    digest = hashlib.sha256(f"{PIPELINE_VERSION}:{glossary_digest()}".encode())
    with Path(path).open("rb") as handle:  # a block at a time: a large file is never held whole here
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
    digest.update(described.encode("utf-8"))
    return digest.hexdigest()[:32]


def visible_text(source: SourceText) -> str:
    """The words a reader sees: markup removed from HTML."""
    if source.format != "html":
        return source.text
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source.text, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text("\n")


def parse_file(file: SiteFile, settings: Settings, known: dict[str, Manual]) -> ParsedPage:
    """Read, classify and parse one file. Raises BadInput or ParseError. Only
    the parsed page is kept: the HTML parsers' shared reading is let go."""
    try:
        return _parse(file, settings, known)
    finally:
        forget_pages()


def _parse(file: SiteFile, settings: Settings, known: dict[str, Manual]) -> ParsedPage:
    """`parse_file` without the clean-up."""
    source = read_source(file.path, settings.max_file_bytes, url=file.url)
    source = SourceText(name=file.relative, text=source.text, format=source.format,
                        encoding=source.encoding, url=file.url)
    kind = file.kind or detect_kind(source)
    manual = file.manual or guess_manual(visible_text(source), known)
    page = parser_for(kind, source.format).parse(source, manual)
    if page.manual.id != manual.id:
        page = page.model_copy(update={"manual": manual})
    if file.url:
        _give_url(page, file.url)
    if file.manual is None:
        page.notes.append(f"not in a manifest: read as a {kind.value} page of manual "
                          f"{manual.id!r} ({manual.name}), guessed from its text")
    if not (page.entries or page.chapters or page.amendments):
        raise ParseError(f"no chapters, sections or amendments found in this {kind.value} page")
    return page


def _give_url(page: ParsedPage, url: str) -> None:
    """A crawled page's address: its records link to the original page."""
    page.chapters = [c if c.url else c.model_copy(update={"url": url}) for c in page.chapters]


def _named_from_its_page(site: Site, new: set[str], named_by_caller: Optional[str]) -> bool:
    """Whether a new site's manual was named only from its contents page (worth a
    note), not by the caller, a manifest or a crawl record."""
    if not site.manual or site.manual.id not in new or named_by_caller:
        return False
    if (site.root / CRAWL_RECORD).is_file():
        return False
    return not any(f.described.startswith("manifest:") for f in site.files)


def ingest(paths: Sequence[Path], settings: Settings, store: VectorStore, embedder: Embedder,
           progress: Optional[Progress] = None, manual_id: Optional[str] = None,
           manual_name: Optional[str] = None) -> IngestReport:
    """Bring the store in line with the manuals under `paths` (files or folders).
    `manual_id`/`manual_name` name the manual when `paths` hold one site."""
    started = time.perf_counter()
    report = IngestReport()
    report.notes += store.recover()
    stored = store.sources()
    known = _known_manuals(store, stored)
    found = discover(paths, known, manual_id, manual_name)
    new = {m for m in found.manuals if m not in known}
    known.update(found.manuals)
    for site in found.sites:
        if _named_from_its_page(site, new, manual_id or manual_name):
            report.notes.append(f"{site.root}: a site of {len(site.files)} files, read as manual "
                                f"{site.manual.id!r} ({site.manual.name}), named from its contents page; "
                                "give --manual/--name or a manifest to name it otherwise")
    report.errors += found.errors
    report.files = len(found.files)
    present: dict[tuple[str, str], Optional[SourceKey]] = {}  # (folder, path) -> the key read there this run
    reads = _read_changed(found, settings, store, stored, known, report, present)
    touched = _write(reads, store, embedder, report, progress)
    touched |= _remove_missing(found, stored, present, store, report)
    for manual in sorted(touched):
        _relink(store, manual)
    report.seconds = time.perf_counter() - started
    return report


def rebuild(paths: Sequence[Path], settings: Settings, embedder: Embedder, progress: Optional[Progress] = None,
            manual_id: Optional[str] = None, manual_name: Optional[str] = None) -> IngestReport:
    """Ingest from scratch into new collections beside the store, and swap them
    in only if every file ingested (the old store answers until then)."""
    side = open_store(settings, embedder.name, rebuild=True)
    report = ingest(paths, settings, side, embedder, progress, manual_id, manual_name)
    report.swapped = not report.errors
    if report.swapped:
        side.promote()
    return report


def prune(manual_ids: Iterable[str], store: VectorStore) -> IngestReport:
    """Remove manuals that are no longer wanted: every record from their files."""
    started = time.perf_counter()
    report = IngestReport()
    wanted = set(manual_ids)
    stored = store.sources()
    unknown = wanted - {key.manual_id for key in stored}
    report.errors += [(m, "no manual with this id is loaded") for m in sorted(unknown)]
    for key in sorted(k for k in stored if k.manual_id in wanted):
        store.delete_source(key)
        report.removed += 1
    report.seconds = time.perf_counter() - started
    return report


def _known_manuals(store: VectorStore, stored: dict[SourceKey, SourceRecord]) -> dict[str, Manual]:
    """The manuals the store holds (a page of one may arrive on its own later)."""
    known: dict[str, Manual] = {}
    for key in stored:
        if key.manual_id not in known:
            first = store.all_chunks(where={"$and": [{"manual_id": key.manual_id}, {"source": key.source},
                                                     FIRST_PARTS]})[:1]
            if first:
                c = first[0]
                known[key.manual_id] = Manual(id=c.manual_id, name=c.manual, places=c.manual_places)
    return known


def _read_changed(found: Discovery, settings: Settings, store: VectorStore, stored: dict[SourceKey, SourceRecord],
                  known: dict[str, Manual], report: IngestReport,
                  present: dict[tuple[str, str], Optional[SourceKey]]) -> list[_Read]:
    """Parse every file whose content changed; note where each file was seen."""
    by_place = {(r.root, r.key.source): r for r in stored.values()}
    reads: list[_Read] = []
    for site in found.sites:
        root = str(site.root)
        for file in site.files:
            place = (root, file.relative)
            present[place] = None
            try:
                check_size(file.path, settings.max_file_bytes)
                digest = file_hash(file.path, file.described)
                existing = stored.get(SourceKey(file.manual.id, file.relative)) if file.manual else by_place.get(place)
                if existing and existing.source_hash == digest:
                    present[place] = existing.key
                    report.skipped += 1
                    continue
                page = parse_file(file, settings, known)
            except (BadInput, ParseError, OSError, UnicodeError, ValueError, RecursionError) as exc:
                report.errors.append((str(file.path), _reason(exc)))
                if file.manual:
                    present[place] = SourceKey(file.manual.id, file.relative)
                else:  # its manual is unknown: keep whatever the store holds from this place
                    present[place] = by_place[place].key if place in by_place else None
                continue
            known.setdefault(page.manual.id, page.manual)
            read = _Read(file, site.root, digest, page)
            present[place] = read.key
            reads.append(read)
    _join_before_embedding(reads, store)
    return reads


def _reason(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "the page is nested too deeply to read"
    return getattr(exc, "reason", None) or str(exc)


def _join_before_embedding(reads: list[_Read], store: VectorStore) -> None:
    """Give chapter pages read this run their contents entry's number and
    title before they are embedded (the pass after writing keeps joins right
    as contents pages change)."""
    manuals = {r.page.manual.id for r in reads if r.page.chapters}
    for manual_id in manuals:
        fresh = [e for r in reads if r.page.manual.id == manual_id for e in r.page.entries]
        fresh_sources = {r.file.relative for r in reads if r.page.manual.id == manual_id and r.page.entries}
        stored_entries = [c.record() for c in store.all_chunks(where={"$and": [
            {"manual_id": manual_id}, {"kind": RecordKind.CONTENTS.value}]}) if c.source not in fresh_sources]
        entries: list[ChapterEntry] = fresh + _unique(stored_entries)
        pages: list[Chapter] = [c for r in reads if r.page.manual.id == manual_id for c in r.page.chapters]
        joins = join_pages(pages, entries)
        for r in reads:
            if r.page.manual.id == manual_id and r.page.chapters:
                r.page.chapters = [joins.get(c.record_id, c) for c in r.page.chapters]


def _unique(entries: list[ChapterEntry]) -> list[ChapterEntry]:
    seen, kept = set(), []
    for e in entries:
        if e.record_id not in seen:
            seen.add(e.record_id)
            kept.append(e)
    return kept


def _write(reads: list[Optional[_Read]], store: VectorStore, embedder: Embedder, report: IngestReport,
           progress: Optional[Progress]) -> set[str]:
    """Embed and store each parsed file, `BATCH` chunks at a time; the manual
    ids written. Consumes `reads`: each parsed page is let go once written."""
    touched: set[str] = set()
    total = len(reads)
    for done in range(total):
        read, reads[done] = reads[done], None
        if progress:
            progress(done, total, read.file.relative)
        record = SourceRecord(read.key, read.digest, str(read.root), 0, read.page.page_kind.value)
        try:
            written = store.write_source(record, embedded_batches(
                iter_page_chunks(read.page, read.digest), embedder, str(read.root)))
        except (ValueError, OSError) as exc:
            report.errors.append((str(read.file.path), _reason(exc)))
            continue
        report.add_page(read.page, written)
        touched.add(read.key.manual_id)
    if progress:
        progress(total, total, "")
    return touched


def embedded_batches(chunks: Iterable[Chunk], embedder: Embedder, root: str,
                     size: Optional[int] = None) -> Iterator[Batch]:
    """The chunks, `size` (default `BATCH`) at a time, each batch with its vectors:
    however long the file, no more than that many chunks and vectors are held at once."""
    chunks = iter(chunks)
    while batch := list(islice(chunks, size or BATCH)):
        for chunk in batch:
            chunk.source_root = root
        yield batch, embedder.embed_documents([c.embed_text for c in batch])


def _relink(store: VectorStore, manual_id: str) -> None:
    """Re-join a manual's chapter pages and amendments after its files changed,
    reading one chunk per record (each record's first: a chapter's carries its
    outline), and a chapter's other chunks only when its join changed."""
    firsts = store.all_chunks(where={"$and": [{"manual_id": manual_id}, FIRST_PARTS]})
    changed = relink(firsts)
    store.update_chunks([c for c in changed if c.kind != RecordKind.CHAPTER])
    for first in (c for c in changed if c.kind == RecordKind.CHAPTER):
        chapter = first.record()
        rest = store.all_chunks(where={"$and": [{"record_id": first.record_id}, {"part": {"$gt": 0}}]})
        store.update_chunks([first] + [c for c in (rejoined(c, chapter) for c in rest) if c is not None])


def _remove_missing(found: Discovery, stored: dict[SourceKey, SourceRecord],
                    present: dict[tuple[str, str], Optional[SourceKey]], store: VectorStore,
                    report: IngestReport) -> set[str]:
    """Delete what the store holds from files no longer in the ingested folders
    (or now read as another manual's). Only sources inside those folders can go."""
    touched = set()
    for key, record in sorted(stored.items()):
        path = record.path
        if path is None or not _inside(path, found.folders) or _inside(path, found.protected):
            continue
        now = present.get((record.root, key.source), "gone")
        if now == key or now is None:
            continue  # still there (or unreadable this time, its records kept)
        store.delete_source(key)
        report.removed += 1
        touched.add(key.manual_id)
    return touched


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def page_kind_of(record: SourceRecord) -> Optional[PageKind]:
    """The kind a stored source was read as."""
    try:
        return PageKind.parse(record.kind) if record.kind else None
    except ValueError:
        return None
