"""Finding manuals in folders: which files make up which manual.

A saved site is one manual: the folder tree under its contents page. A folder
is a site's root when it holds, directly, a contents page, a `manifest.toml`
or a crawl record (`crawl.json`); everything below it belongs to that site,
except sub-folders that are site roots themselves. A folder that is no site
root is a container: its sub-folders are looked at in turn, and its loose
files are read one by one, each page's manual guessed from its text.

A site's manual comes from the manifest, else from `--manual`/`--name`, else
from the crawl record, else from the contents page's heading or <title>.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from vectorstore.crawl_record import CRAWL_RECORD, read_record_data
from ingest.manifest import MANIFEST_NAME, Manifest, ManifestError, load_manifest
from ingest.manuals import manual_for_name, name_from_page
from ingest.parsers import ParseError, detect_kind
from ingest.reading import BadInput, read_head
from vectorstore.models import Manual, PageKind

# Saved sites carry styles, scripts and images: not pages, and not worth an error each.
ASSETS = {".css", ".js", ".mjs", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".bmp",
          ".woff", ".woff2", ".ttf", ".eot", ".otf", ".map"}
_NOT_PAGES = {MANIFEST_NAME, CRAWL_RECORD}
# A contents page lists many numbered chapters: "1.1.1 Title", ">2.3 Title", "- 1.1.1Title".
_NUMBERED = re.compile(rb"(?:^|>)[ \t]*(?:[-\xe2\x80\xa2*][ \t]*)?\d{1,2}(?:\.\d{1,3}){1,3}[a-z]?(?=[\sA-Z<])",
                       re.MULTILINE)
_CONTENTS_NAMES = ("contents", "index", "toc")
CANDIDATES = 3  # how many likely files per folder are read to find its contents page


@dataclass
class SiteFile:
    path: Path  # absolute
    relative: str  # posix path inside the site's root: the source's identity with its manual
    manual: Optional[Manual] = None  # None: guessed from the page's text when it is read
    kind: Optional[PageKind] = None  # None: detected from the page
    url: Optional[str] = None  # the page's address, from a crawl record
    described: str = ""  # what the manifest or crawl record says of the file (part of its hash)


@dataclass
class Site:
    root: Path
    files: list[SiteFile] = field(default_factory=list)
    manual: Optional[Manual] = None  # the site's one manual (None: a manifest of several, or loose files)


@dataclass
class Discovery:
    sites: list[Site] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)  # ingested folders: removals stay inside them
    protected: list[Path] = field(default_factory=list)  # folders whose stored records must be kept
    errors: list[tuple[str, str]] = field(default_factory=list)
    manuals: dict[str, Manual] = field(default_factory=dict)  # every manual a manifest or site defines

    @property
    def files(self) -> list[SiteFile]:
        return [f for site in self.sites for f in site.files]


def discover(paths: Iterable[Path], known: dict[str, Manual], manual_id: Optional[str] = None,
             manual_name: Optional[str] = None) -> Discovery:
    """The sites and files under `paths`. `manual_id`/`manual_name` name the
    manual of the one site being ingested (an error if the paths hold several)."""
    found = Discovery()
    walker = _Walker(found, known)
    for path in paths:
        path = Path(path).absolute()
        if path.is_dir():
            found.folders.append(path)
            walker.folder(path)
        elif path.is_file():
            walker.single_file(path)
        else:
            found.errors.append((str(path), "no such file or folder"))
    if manual_id or manual_name:
        _name_the_site(found, known, manual_id, manual_name)
    return found


def _name_the_site(found: Discovery, known: dict[str, Manual], manual_id: Optional[str],
                   manual_name: Optional[str]) -> None:
    """--manual/--name: the manual of the one site in this run (a manifest's word wins)."""
    sites = [s for s in found.sites if s.files]
    if len(sites) != 1:
        where = ", ".join(str(f) for f in found.folders) or "the paths given"
        found.errors.append((where, f"--manual/--name name one manual, but {len(sites)} sites were found there: "
                                    "ingest them one at a time"))
        found.sites = []
        return
    site = sites[0]
    if manual_id:
        base = known.get(manual_id) or site.manual
        name = manual_name or (base.name if base else manual_id)
        places = base.places if base and not manual_name else manual_for_name(name, []).places
        manual = Manual(id=manual_id, name=name, places=places or [manual_id], url=base.url if base else None)
    else:
        manual = manual_for_name(manual_name, known.values())
    site.manual = manual
    for f in site.files:
        if not f.described.startswith("manifest:"):
            f.manual = manual
            f.described = json.dumps([manual.model_dump(), f.url, f.kind and f.kind.value], sort_keys=True)


class _Walker:
    def __init__(self, found: Discovery, known: dict[str, Manual]):
        self.found = found
        self.known = dict(known)

    def single_file(self, path: Path) -> None:
        manifest = self._manifest(path.parent)
        if manifest is None:
            return
        site = Site(path.parent)
        site.files.append(self._file(path, path.name, manifest, None, {}))
        self.found.sites.append(site)

    def folder(self, folder: Path) -> None:
        listing = self._list(folder)
        if listing is None:
            return
        files, subfolders = listing
        manifest = self._manifest(folder)
        if manifest is None:
            return
        crawl = read_crawl_record(folder)
        contents = None if (manifest.manuals or crawl) else self._contents_page(files)
        if manifest.manuals or crawl or contents:
            self._site(folder, manifest, crawl, contents)
            return
        if files:  # loose pages in a container: each read on its own
            self.found.sites.append(Site(folder, [self._file(p, p.name, manifest, None, {}) for p in files]))
        for sub in subfolders:
            self.folder(sub)

    # -- a site --------------------------------------------------------------
    def _site(self, root: Path, manifest: Manifest, crawl: dict, contents: Optional[Path]) -> None:
        self.known.update(manifest.manuals)
        self.found.manuals.update(manifest.manuals)
        manual = self._site_manual(manifest, crawl, contents)
        if manual:
            self.known[manual.id] = manual
            self.found.manuals[manual.id] = manual
        site = Site(root, manual=manual)
        self.found.sites.append(site)
        pages = crawl.get("pages") or {}
        for path in self._site_files(root):
            relative = path.relative_to(root).as_posix()
            site.files.append(self._file(path, relative, manifest, manual, pages.get(relative) or {}))

    def _site_manual(self, manifest: Manifest, crawl: dict, contents: Optional[Path]) -> Optional[Manual]:
        if len(manifest.manuals) == 1:
            return next(iter(manifest.manuals.values()))
        if manifest.manuals:
            return None  # several manuals: each file says which
        if crawl.get("manual"):
            base = self.known.get(crawl["manual"])
            name = crawl.get("name") or (base.name if base else None) or crawl["manual"]
            return Manual(id=crawl["manual"], name=name, places=manual_for_name(name, []).places,
                          url=crawl.get("start_url") or (base.url if base else None))
        name = contents_name(contents) if contents else None
        return manual_for_name(name, self.known.values()) if name else None

    def _site_files(self, root: Path) -> list[Path]:
        """Every page under a site's root, leaving out sub-folders that are sites of their own."""
        listing = self._list(root)
        if listing is None:
            return []
        files, subfolders = listing
        for sub in subfolders:
            if self._is_site_root(sub):
                self.folder(sub)
            else:
                files += self._site_files(sub)
        return files

    def _is_site_root(self, folder: Path) -> bool:
        if (folder / MANIFEST_NAME).is_file() or (folder / CRAWL_RECORD).is_file():
            return True
        listing = self._list(folder, quiet=True)
        return bool(listing and self._contents_page(listing[0]))

    # -- files ---------------------------------------------------------------
    def _file(self, path: Path, relative: str, manifest: Manifest, manual: Optional[Manual],
              crawled: dict) -> SiteFile:
        listed = manifest.entry_for(relative)
        if listed:
            return SiteFile(path, relative, manifest.manuals[listed.manual_id], listed.kind,
                            crawled.get("url"), "manifest:" + manifest.describe(relative))
        kind = _kind(crawled.get("kind"))
        described = json.dumps([manual.model_dump() if manual else None, crawled.get("url"),
                                kind and kind.value], sort_keys=True)
        return SiteFile(path, relative, manual, kind, crawled.get("url"), described)

    def _list(self, folder: Path, quiet: bool = False) -> Optional[tuple[list[Path], list[Path]]]:
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            if not quiet:
                self.found.errors.append((str(folder), f"folder cannot be read ({exc.strerror or exc}); "
                                                       "what the store holds from it is kept"))
                self.found.protected.append(folder)
            return None
        visible = [e for e in entries if not e.name.startswith((".", "_"))]
        files = [e for e in visible if _is_page_file(e)]
        folders = [e for e in visible if e.is_dir() and not e.is_symlink()]
        return files, folders

    def _manifest(self, folder: Path) -> Optional[Manifest]:
        try:
            return load_manifest(folder)
        except ManifestError as exc:
            self.found.errors.append((str(folder / MANIFEST_NAME), f"{exc}; the folder was not ingested and "
                                                                   "what the store holds from it is kept"))
            self.found.protected.append(folder)
            return None

    @staticmethod
    def _contents_page(files: list[Path]) -> Optional[Path]:
        """The folder's contents page, found by reading its likeliest few files."""
        scored = []
        for path in files:
            try:
                with path.open("rb") as handle:
                    head = handle.read(400_000)
            except OSError:
                continue
            numbered = len(_NUMBERED.findall(head))
            named = any(word in path.stem.lower() for word in _CONTENTS_NAMES)
            if numbered >= 5 or (named and numbered):
                scored.append((not named, -numbered, path))
        for _, _, path in sorted(scored)[:CANDIDATES]:
            try:  # its first megabyte says whether it is a contents page: a large file is not read whole
                if detect_kind(read_head(path)) == PageKind.CONTENTS:
                    return path
            except (BadInput, ParseError, OSError, ValueError):
                continue
        return None


def _is_page_file(path: Path) -> bool:
    return path.is_file() and path.name not in _NOT_PAGES and path.suffix.lower() not in ASSETS


def _kind(value) -> Optional[PageKind]:
    try:
        return PageKind.parse(value) if value else None
    except ValueError:
        return None


def contents_name(path: Path) -> Optional[str]:
    """The manual's name from its contents page (<title>, then the lines at the top)."""
    try:
        source = read_head(path)  # the name is at the top
    except (BadInput, OSError):
        return None
    if source.format == "html":
        from ingest.parsers.html_page import read_html

        page = read_html(source.text)
        return name_from_page(page.title, (line.text for line in page.lines))
    return name_from_page("", source.text.split("\n"))


def read_crawl_record(folder: Path) -> dict:
    """The crawl record beside a crawled manual's pages ({} when there is none or it is unreadable);
    its format is `vectorstore.crawl_record`'s."""
    return read_record_data(folder)
