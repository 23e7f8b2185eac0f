"""Files -> records -> store, incrementally.

An unchanged file (same content hash) is skipped; a changed file replaces
exactly its own records; a file gone from an ingested folder has its records
deleted. A file that cannot be read or parsed is reported by name and reason,
its previously stored records are kept, and the other files still ingest.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from tqdm import tqdm

from ingest.chunking import page_chunks
from ingest.linking import link_amendments
from ingest.manifest import MANIFEST_NAME, Manifest, guess_manual, load_manifest
from ingest.parsers import ParseError, detect_kind, parser_for
from ingest.reading import BadInput, check_size, read_source
from vectorstore.embeddings import Embedder
from vectorstore.glossary import digest as glossary_digest
from vectorstore.models import ParsedPage
from vectorstore.settings import Settings
from vectorstore.store import VectorStore


@dataclass
class IngestReport:
    files: int = 0
    ingested: int = 0
    skipped: int = 0
    removed: int = 0
    entries: int = 0
    sections: int = 0
    amendments: int = 0
    chunks: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add_page(self, page: ParsedPage, chunks: int) -> None:
        self.ingested += 1
        self.entries += len(page.entries)
        self.sections += sum(len(c.sections) for c in page.chapters)
        self.amendments += len(page.amendments)
        self.chunks += chunks
        self.notes.extend(f"{page.source}: {note}" for note in page.notes)


@dataclass
class _Input:
    path: Path
    manifest: Manifest


def discover(paths: Sequence[Path]) -> tuple[list[_Input], list[Path]]:
    """Files to ingest under `paths`, and the folders among them (whose
    missing files count as removed)."""
    inputs: list[_Input] = []
    folders: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path)
            manifest = load_manifest(path)
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.name != MANIFEST_NAME and not p.name.startswith("."))
            inputs.extend(_Input(p, manifest) for p in files)
        else:
            inputs.append(_Input(path, load_manifest(path.parent)))
    return inputs, folders


# Bump when parsing or chunking changes what a file becomes, so stores
# built by older code re-ingest instead of skipping unchanged files.
PIPELINE_VERSION = "2"


def file_hash(path: Path, described_as: str = "") -> str:
    """Content hash of a file, salted with the pipeline version, the glossary
    (its meanings are embedded with contents entries) and what the manifest
    says of it (so editing a manual's name or places re-ingests)."""
    digest = hashlib.sha256(f"{PIPELINE_VERSION}:{glossary_digest()}".encode())
    digest.update(path.read_bytes())
    digest.update(described_as.encode("utf-8"))
    return digest.hexdigest()[:32]


def manifest_description(path: Path, manifest: Manifest) -> str:
    """The manifest's words about one file: its kind and its manual's definition."""
    listed = manifest.files.get(path.name)
    if listed is None:
        return ""
    manual = manifest.manuals[listed.manual_id]
    return json.dumps([listed.kind and listed.kind.value, manual.model_dump()], sort_keys=True)


def visible_text(source) -> str:
    """The words a reader sees: markup removed from HTML."""
    if source.format != "html":
        return source.text
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source.text, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text("\n")


def parse_file(path: Path, manifest: Manifest, settings: Settings) -> ParsedPage:
    """Read, classify and parse one file. Raises BadInput or ParseError."""
    source = read_source(path, settings.max_file_bytes)
    listed = manifest.files.get(path.name)
    kind = listed.kind if listed and listed.kind else detect_kind(source)
    if listed:
        manual = manifest.manuals[listed.manual_id]
    else:
        manual = guess_manual(visible_text(source), manifest.manuals)
    page = parser_for(kind, source.format).parse(source, manual)
    if not listed:
        page.notes.append(f"not in a manifest: read as a {kind.value} page of manual "
                          f"{manual.id!r} ({manual.name}), guessed from its text")
    if not (page.entries or page.chapters or page.amendments):
        raise ParseError(f"no chapters, sections or amendments found in this {kind.value} page")
    return page


def ingest(paths: Sequence[Path], settings: Settings, store: VectorStore, embedder: Embedder,
           progress: bool = True) -> IngestReport:
    """Bring the store in line with the files under `paths`."""
    started = time.perf_counter()
    report = IngestReport()
    inputs, folders = discover(paths)
    report.files = len(inputs)
    stored = store.sources()
    touched: set[str] = set()
    for item in tqdm(inputs, desc="ingest", unit="file", disable=not progress):
        manual_id = _ingest_one(item, settings, store, embedder, stored, report)
        if manual_id:
            touched.add(manual_id)
    touched |= _remove_missing(inputs, folders, stored, store, report)
    _relink(store, touched)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(item: _Input, settings: Settings, store: VectorStore, embedder: Embedder,
                stored: dict[str, str], report: IngestReport) -> Optional[str]:
    """Ingest one file; the manual id it changed, or None."""
    name = item.path.name
    try:
        check_size(item.path, settings.max_file_bytes)
        digest = file_hash(item.path, manifest_description(item.path, item.manifest))
        if stored.get(name) == digest:
            report.skipped += 1
            return None
        page = parse_file(item.path, item.manifest, settings)
        chunks = page_chunks(page, digest)
        vectors = embedder.embed_documents([c.embed_text for c in chunks])
        store.replace_source(name, chunks, vectors)
    except (BadInput, ParseError, OSError, UnicodeError, ValueError) as exc:
        report.errors.append((name, getattr(exc, "reason", None) or str(exc)))
        return None
    report.add_page(page, len(chunks))
    return page.manual.id


def _remove_missing(inputs: Sequence[_Input], folders: Sequence[Path], stored: dict[str, str],
                    store: VectorStore, report: IngestReport) -> set[str]:
    """Delete records of files that were stored but are no longer in an ingested folder."""
    if not folders:
        return set()
    present = {item.path.name for item in inputs}
    touched = set()
    for source in sorted(set(stored) - present):
        gone = store.all_chunks(where={"source": source})
        touched |= {c.manual_id for c in gone}
        store.delete_source(source)
        report.removed += 1
    return touched


def _relink(store: VectorStore, manual_ids: Iterable[str]) -> None:
    for manual_id in manual_ids:
        chunks = store.all_chunks(where={"manual_id": manual_id})
        changed = link_amendments(chunks)
        if changed:
            store.update_chunks(changed)
