"""The optional manifest beside a folder of manuals: the manuals it holds and,
per file, which manual and page kind the file is.

    [manuals.derby-city]
    name = "Derby City Children's Social Care Procedures"
    places = ["Derby City", "Derby"]
    url = "https://…/contents.html"          # the manual's public address (optional)

    [files."contents.html"]                  # a path relative to the manifest's folder
    manual = "derby-city"
    kind = "contents"

A folder without a manifest is still read: see `ingest.sites`.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Optional

from ingest.manuals import derive_places
from vectorstore.models import Manual, PageKind

MANIFEST_NAME = "manifest.toml"


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names the file and the reason."""


@dataclass
class FileEntry:
    manual_id: str
    kind: Optional[PageKind] = None


@dataclass
class Manifest:
    manuals: dict[str, Manual] = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)  # path relative to the folder -> entry
    path: Optional[Path] = None

    def entry_for(self, relative: str) -> Optional[FileEntry]:
        """The manifest's entry for a file, by its path relative to the manifest's folder."""
        return self.files.get(str(PurePosixPath(relative)))

    def describe(self, relative: str) -> str:
        """The manifest's words about one file (its kind and its manual's definition):
        part of the file's hash, so editing them re-ingests the file."""
        import json

        listed = self.entry_for(relative)
        if listed is None:
            return ""
        manual = self.manuals[listed.manual_id]
        return json.dumps([listed.kind and listed.kind.value, manual.model_dump()], sort_keys=True)


def load_manifest(folder: Path) -> Manifest:
    """Read `manifest.toml` in `folder` (an empty manifest when there is none).
    Raises ManifestError naming the file for bad TOML, an unknown kind or an undefined manual."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return Manifest()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return Manifest(_manuals(path, data), _files(path, data), path)


def _manuals(path: Path, data: dict) -> dict[str, Manual]:
    manuals = {}
    for manual_id, spec in (data.get("manuals") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise ManifestError(f"{path}: manual {manual_id!r} needs a name (name = \"…\")")
        manuals[manual_id] = Manual(id=manual_id, name=spec["name"],
                                    places=list(spec.get("places", [])) or derive_places(spec["name"]),
                                    url=spec.get("url") or None)
    return manuals


def _files(path: Path, data: dict) -> dict[str, FileEntry]:
    manuals = data.get("manuals") or {}
    files = {}
    for name, spec in (data.get("files") or {}).items():
        if not isinstance(spec, dict) or "manual" not in spec:
            raise ManifestError(f"{path}: file {name!r} needs a manual (manual = \"…\")")
        if spec["manual"] not in manuals:
            raise ManifestError(f"{path}: file {name!r} names manual {spec['manual']!r}, which is not defined "
                                f"(defined: {', '.join(manuals) or 'none'})")
        try:
            kind = PageKind.parse(spec["kind"]) if spec.get("kind") else None
        except ValueError as exc:
            raise ManifestError(f"{path}: file {name!r}: {exc}") from None
        files[str(PurePosixPath(name))] = FileEntry(spec["manual"], kind)
    return files
