"""Reading one input file: refuse what is not a page, decode what is, say
whether it is HTML or text.

Everything that can go wrong with a file's bytes is reported as `BadInput`
with a short sentence a non-technical user can act on; the parsers only ever
see clean text.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Iterator, Optional

from charset_normalizer import from_bytes

from ingest.parsers.base import SourceText
from vectorstore.text import clean_text


class BadInput(Exception):
    """A file that cannot be ingested: `source` is its name, `reason` says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


_BINARY = "looks like a binary file, not text or HTML"

# File signatures of the binary formats people most often drop in by mistake
# (only unmistakable ones: a text file may well start "BM…"; NUL bytes catch the rest).
_MAGIC = (
    b"%PDF", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"II*\x00", b"MM\x00*", b"7z\xbc\xaf", b"Rar!",
)
# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?(?:html|head|body|div|p|a|span|table|tr|td|th|ul|ol|li|h[1-6]|br|strong|b|em)\b[^>]*>",
                       re.IGNORECASE)
_SNIFF = 8192
HEAD_BYTES = 1024 * 1024  # what `read_head` reads at most


def check_size(path: Path, max_bytes: int) -> None:
    """Refuse a file over the size limit before anything reads it whole."""
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise BadInput(Path(path).name, f"is {_size(size)}; the limit is {_size(max_bytes)} (PA_MAX_FILE_MB)")


def read_source(path: Path, max_bytes: int, url: Optional[str] = None) -> SourceText:
    """Read, check and decode one file. `url` is the page's address when the
    ingester knows it (a crawl record); HTML parsers resolve links against it.

    Raises BadInput for an empty, oversized, binary or undecodable file."""
    path = Path(path)
    check_size(path, max_bytes)
    # The bytes go as soon as they are decoded, and the text is cleaned a line at
    # a time: a large file is held two or three times over at most, never as a list of characters.
    text, encoding = _decode(path.name, path.read_bytes())
    return _cleaned(path, text, encoding, url)


def read_head(path: Path, max_bytes: int = HEAD_BYTES) -> SourceText:
    """The start of a file, up to its last whole line within `max_bytes`,
    decoded like `read_source`: enough to tell a contents page and read its
    name without reading a large file whole. Raises BadInput as `read_source` does."""
    path = Path(path)
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        end = data.rfind(b"\n", 0, max_bytes) + 1 or max_bytes
        if data[end:end + 1] == b"\x00":  # UTF-16-LE: a line ends "\n\x00"
            end += 1
        data = data[:end]
    text, encoding = _decode(path.name, data)
    return _cleaned(path, text, encoding, None)


def _cleaned(path: Path, text: str, encoding: str, url: Optional[str]) -> SourceText:
    """The decoded text cleaned, checked not to be empty, and told HTML or text."""
    text = clean_text(text)
    if not text or text.isspace():
        raise BadInput(path.name, "file is empty")
    return SourceText(name=path.name, text=text, format=_format(path, text), encoding=encoding, url=url)


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """Text and encoding name; BadInput for empty, binary or undecodable bytes."""
    if not data or data.isspace():
        raise BadInput(name, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(name, memoryview(data)[len(bom):], encoding.replace("-sig", "")), encoding
    if data.startswith(_MAGIC):
        raise BadInput(name, _BINARY)
    head = data[:_SNIFF]
    if b"\x00" in head:
        # UTF-16 saved without a BOM is the one text format full of NULs.
        encoding = _bomless_utf16(head)
        if encoding is None:
            raise BadInput(name, _BINARY)
        return _strict(name, data, encoding), encoding
    for encoding in _candidates(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _mostly_control(text):
            raise BadInput(name, _BINARY)
        return text, encoding
    raise BadInput(name, "could not be decoded as text (tried UTF-8, Windows-1252 and a detector)")


def _candidates(data: bytes) -> Iterator[str]:
    """Encodings to try in order. UTF-8 first (strict, so a wrong guess fails
    loudly); then an HTML page's own declaration; then Windows-1252, which is
    what UK council pages not in UTF-8 nearly always are (0x92 apostrophes);
    the detector, which is slow on big files, only for the rare bytes
    Windows-1252 leaves undefined."""
    yield "utf-8"
    declared = _META_CHARSET.search(data[:_SNIFF])
    # A page claiming UTF-16 without a BOM or NULs is not UTF-16 (saved-as copies keep the tag).
    if declared and not declared.group(1).lower().startswith((b"utf-16", b"utf-32", b"utf16", b"unicode")):
        yield declared.group(1).decode("ascii").lower()
    yield "cp1252"
    best = from_bytes(data).best()
    if best is not None:
        yield best.encoding


def _strict(name: str, data: bytes | memoryview, encoding: str) -> str:
    try:
        return str(data, encoding)
    except UnicodeDecodeError:
        raise BadInput(name, f"claims to be {encoding.upper()} but its bytes do not decode") from None


def _bomless_utf16(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit at every other byte, as in mostly-ASCII UTF-16."""
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) / len(odd) > 0.7 and even.count(0) / max(len(even), 1) < 0.1:
        return "utf-16-le"
    if even and even.count(0) / len(even) > 0.7 and odd.count(0) / max(len(odd), 1) < 0.1:
        return "utf-16-be"
    return None


def _mostly_control(text: str) -> bool:
    """Binary data decoded by a single-byte codec: many control characters."""
    sample = text[:_SNIFF]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > max(4, len(sample) // 50)


def _format(path: Path, text: str) -> str:
    """'html' for .htm(l) files, pages that open like HTML, or text thick with tags."""
    if path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return "html"
    if _HTML_START.match(text[:_SNIFF]):
        return "html"
    tags = len(_HTML_TAG.findall(text))
    # A text export may quote the odd "<p>"; a saved page has a tag every line or so.
    return "html" if tags >= 10 or (tags >= 3 and tags * 200 >= len(text)) else "text"


def _size(n: int) -> str:
    """'31 MB', '1.5 MB', '12 KB', '300 bytes'."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            value = n / factor
            shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{shown} {unit}"
    return f"{n} bytes"
