"""read_source: refusing what is not a page, decoding what is, telling HTML from text."""
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.reading import BadInput, read_source
from vectorstore.text import clean_text

LIMIT = 1_000_000


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path, max_bytes: int = LIMIT) -> BadInput:
    with pytest.raises(BadInput) as caught:
        read_source(path, max_bytes)
    return caught.value


# -- refused files -------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  "])
def test_empty_or_blank_file_is_refused(tmp_path, data):
    error = refused(write(tmp_path, "broken.txt", data))
    assert error.source == "broken.txt"
    assert error.reason == "file is empty"
    assert str(error) == "broken.txt: file is empty"


@pytest.mark.parametrize("name, data", [
    ("nul.txt", b"Contents\x00\x00\x01\x02 binary junk \x00" * 20),
    ("manual.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("logo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ("export.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00word/document.xml"),
    ("controls.txt", bytes(range(1, 9)) * 200),
])
def test_binary_files_are_refused(tmp_path, name, data):
    error = refused(write(tmp_path, name, data))
    assert error.reason == "looks like a binary file, not text or HTML"
    assert str(error).startswith(f"{name}: ")


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as f:
        f.truncate(31 * 1024 * 1024)  # sparse: nothing is written or read
    error = refused(path, max_bytes=20 * 1024 * 1024)
    assert error.reason == "is 31 MB; the limit is 20 MB (PA_MAX_FILE_MB)"


def test_small_limit_names_sizes_in_bytes(tmp_path):
    error = refused(write(tmp_path, "page.txt", b"1.1.1 Staying Put Policy\n" * 10), max_bytes=100)
    assert error.reason == "is 250 bytes; the limit is 100 bytes (PA_MAX_FILE_MB)"


def test_utf8_bom_with_broken_bytes_is_undecodable(tmp_path):
    error = refused(write(tmp_path, "odd.txt", b"\xef\xbb\xbfFoster \xff\xfe\xfd care"))
    assert "do not decode" in error.reason


# -- decoding ------------------------------------------------------------------


def test_plain_utf8(tmp_path):
    source = read_source(write(tmp_path, "a.txt", "Children’s Consultation – Derby\n".encode()), LIMIT)
    assert source.text == "Children's Consultation – Derby\n"  # clean_text straightens quotes
    assert (source.name, source.format, source.encoding) == ("a.txt", "text", "utf-8")


def test_utf8_bom_is_dropped(tmp_path):
    source = read_source(write(tmp_path, "a.txt", b"\xef\xbb\xbf1.1.1 Capacity and Consent"), LIMIT)
    assert source.text == "1.1.1 Capacity and Consent"
    assert source.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_bom(tmp_path, codec, bom):
    text = "1.1.2 A Strengths Based Approach New\n1.1.3 Children's Participation – Derby\n"
    source = read_source(write(tmp_path, "u16.txt", bom + text.encode(codec)), LIMIT)
    assert source.text == text
    assert source.encoding == codec


def test_utf16_without_bom_is_not_mistaken_for_binary(tmp_path):
    text = "6.7.6 Staying Put Policy\n6.7.7 Ceasing to Look After a Child Updated\n"
    source = read_source(write(tmp_path, "u16.txt", text.encode("utf-16-le")), LIMIT)
    assert source.text == text


def test_cp1252_apostrophes_and_nbsp(tmp_path):
    data = b"Foster carers\x92 rights\xa0and duties \x96 see Section 3"
    source = read_source(write(tmp_path, "old.txt", data), LIMIT)
    assert source.text == "Foster carers' rights and duties – see Section 3"
    assert source.encoding == "cp1252"


def test_html_declared_charset_is_honoured(tmp_path):
    data = b'<html><head><meta charset="iso-8859-15"></head><body><p>Fees \xa4100</p></body></html>'
    source = read_source(write(tmp_path, "fees.html", data), LIMIT)
    assert "Fees €100" in source.text
    assert source.encoding == "iso-8859-15"


def test_mojibake_is_repaired(tmp_path):
    data = "Assessment of Prospective AdoptersĀ and Foster Carers\nIt\u00e2\u0080\u0099s new".encode()
    source = read_source(write(tmp_path, "m.txt", data), LIMIT)
    assert source.text == "Assessment of Prospective Adopters and Foster Carers\nIt's new"


# -- format ----------------------------------------------------------------------


@pytest.mark.parametrize("name, text, expected", [
    ("page.html", "Just words, saved with an .html name", "html"),
    ("page.HTM", "Just words", "html"),
    ("page.txt", "<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>", "html"),
    ("page.txt", "  <html lang='en'><p>Hi</p></html>", "html"),
    ("page", "<div><h2>1. All Children</h2><ul><li><a href='a.html'>1.1.1 A</a></li>"
             "<li><a href='b.html'>1.1.2 B</a></li></ul></div>", "html"),
    ("page.txt", "1.1.1 Children's Services Policies\nSee also: <p> tags are rare in text\n", "text"),
    ("page.txt", "January 2022\nUpdated Chapters | |\nChapter Name | Details |\n", "text"),
])
def test_format(tmp_path, name, text, expected):
    assert read_source(write(tmp_path, name, text.encode()), LIMIT).format == expected


def test_html_markup_is_kept_for_the_parsers(tmp_path):
    html = "<html><body><h1>1.1.1 Title</h1>\r\n<p>Text\u00a0here</p></body></html>"
    source = read_source(write(tmp_path, "c.html", html.encode()), LIMIT)
    assert source.text == "<html><body><h1>1.1.1 Title</h1>\n<p>Text here</p></body></html>"


def test_seed_text_exports_read_as_text():
    seeds = sorted((Path(__file__).resolve().parents[2] / "data" / "manuals").glob("*.txt"))
    assert seeds
    for seed in seeds:
        source = read_source(seed, 20 * 1024 * 1024)
        assert source.format == "text"
        assert source.text.strip()


def test_text_starting_like_a_bitmap_signature_is_still_text(tmp_path):
    source = read_source(write(tmp_path, "bme.txt", b"BME Children and Families: Cultural Competence\n"), LIMIT)
    assert source.text.startswith("BME Children")


def test_false_utf16_declaration_is_ignored(tmp_path):
    data = b'<html><head><meta charset="utf-16"></head><body><p>Carers\x92 allowances</p></body></html>'
    source = read_source(write(tmp_path, "saved.html", data), LIMIT)
    assert "Carers' allowances" in source.text
    assert source.encoding == "cp1252"


def test_a_known_address_travels_with_the_page(tmp_path):
    html = b"<html><body><p>a</p></body></html>"
    source = read_source(write(tmp_path, "p.html", html), LIMIT, url="https://x.example/chapters/p.html")
    assert source.url == "https://x.example/chapters/p.html"
    assert read_source(write(tmp_path, "q.html", html), LIMIT).url is None


# -- cleaning a line at a time ---------------------------------------------------


def whole_text_clean(text: str) -> str:
    """clean_text as it was, on the whole text a character at a time: the reference."""
    import unicodedata

    import ftfy

    from vectorstore.text import _SPACES, _STRAY_AFTER_WORD

    text = ftfy.fix_text(text, normalization="NFC")
    text = _STRAY_AFTER_WORD.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C" or ch == "\t")
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


_AWKWARD = "ab AZ\n\r\t\x00\x07\x0b\x0c\x1f\x7f\u00a0\u0100\u017f\u200b\u2028\u202f\u3000\ufeff\u00e2\u20ac\u2122’é"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_AWKWARD), max_size=60) | st.text(max_size=60))
@example("AdoptersĀ and\r\nCarersſ\r\nx\x07y\u00a0 \t")
def test_cleaning_a_line_at_a_time_gives_what_the_whole_text_gave(text):
    assert clean_text(text) == whole_text_clean(text)


# -- the head of a large file ------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_the_head_of_a_file_is_its_first_whole_lines(tmp_path, codec):
    from ingest.reading import read_head

    lines = [f"1.1.{n} Chapter number {n}" for n in range(1, 2000)]
    path = write(tmp_path, "contents.txt", "\n".join(lines).encode(codec))
    head = read_head(path, max_bytes=4096)
    assert 0 < len(head.text.encode(codec)) <= 4096
    assert head.text.split("\n")[:-1] == lines[:len(head.text.split("\n")) - 1]
    assert head.text.endswith("\n")  # whole lines only: nothing cut mid-line
    assert read_head(path).text == read_source(path, LIMIT).text  # a file within the limit is read whole
