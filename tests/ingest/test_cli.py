"""`python -m ingest`: the listing commands over the sample store (in process,
with capsys), the default run as a real subprocess, and the README's
command-line section.

Expected entries are read from the seed files here with a deliberately simple,
independent reading: in the indented contents pages (000 Derby City, 003
Rotherham) a line that starts with a chapter number followed by text on the
same line is an entry; in the pipe table (002 Leicestershire) a row starting
"| N |" is. A status word at the end of such a line is a flag."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from ingest.cli import COMMANDS, main
from vectorstore.settings import REPO_ROOT

SEEDS = REPO_ROOT / "data" / "manuals"
PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
INDENTED = {"derby-city": "000_31f6aa2f9389923a.txt", "rotherham": "003_f519893ae7a510c6.txt"}
PIPES = {"leicestershire": "002_f1dd044776103fa0.txt"}
AMENDMENTS = "001_75d2e11c53ff3f9d.txt"

_INDENTED_ENTRY = re.compile(r"^[^\S\n]*(\d+(?:\.\d+)+[a-z]?)[^\S\n]+(\S.*)$", re.MULTILINE)
_PIPE_ROW = re.compile(r"^\| (\d+(?:\.\d+)*[a-z]?) \|(.*)$", re.MULTILINE)
_MONTH = re.compile(r"^(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                    r" \d{4}$", re.MULTILINE)


def seed_lines(manual_id: str) -> list[tuple[str, str]]:
    """(chapter number, rest of the line) for every numbered entry line of a contents seed."""
    if manual_id in INDENTED:
        return _INDENTED_ENTRY.findall((SEEDS / INDENTED[manual_id]).read_text(encoding="utf-8"))
    return _PIPE_ROW.findall((SEEDS / PIPES[manual_id]).read_text(encoding="utf-8"))


def seed_flags(manual_id: str) -> set[tuple[str, str]]:
    """(number, "New"/"Updated") for lines whose last word (or, in the table, a cell) is that word."""
    found = set()
    for number, rest in seed_lines(manual_id):
        if manual_id in PIPES:
            words = [cell.strip() for cell in rest.split("|")]
        else:
            words = [rest.replace("\u00a0", " ").split()[-1]]
        found |= {(number, w) for w in words if w in ("New", "Updated")}
    return found


def run_cli(capsys, settings, *argv) -> str:
    capsys.readouterr()
    assert main(list(argv), settings=settings) == 0
    return capsys.readouterr().out


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def entries(sample_settings) -> list[dict]:
    out = subprocess_free_run(sample_settings, "entries", "--json")
    return json_lines(out)


def subprocess_free_run(settings, *argv) -> str:
    """main() in this process, stdout captured without capsys (module-scoped fixtures cannot use it)."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(list(argv), settings=settings) == 0
    return buffer.getvalue()


# --- entries --------------------------------------------------------------------------

def test_independent_reading_of_the_seeds_agrees_with_the_parser_tests():
    assert len(seed_lines("derby-city")) == 146
    assert len(seed_lines("rotherham")) == 152
    assert len(seed_lines("leicestershire")) == 117


@pytest.mark.parametrize("manual_id", ["derby-city", "rotherham", "leicestershire"])
def test_every_numbered_entry_is_listed_exactly_once(entries, manual_id):
    listed = Counter(e["chapter"] for e in entries if e["manual_id"] == manual_id and e["chapter"])
    expected = Counter(number for number, _ in seed_lines(manual_id))
    assert listed == expected
    duplicates = {n: c for n, c in listed.items() if c > 1}
    assert duplicates == ({"5.1.8": 2} if manual_id == "rotherham" else {})


@pytest.mark.parametrize("manual_id", ["derby-city", "rotherham", "leicestershire"])
def test_new_and_updated_flags_match_the_seed(entries, manual_id):
    listed = {(e["chapter"], f) for e in entries if e["manual_id"] == manual_id
              for f in e["flags"] if f in ("New", "Updated")}
    assert listed == seed_flags(manual_id)


def test_flags_of_named_entries(entries):
    def one(manual_id, chapter):
        (found,) = [e for e in entries if e["manual_id"] == manual_id and e["chapter"] == chapter]
        return found

    assert one("leicestershire", "1.2.1a")["flags"] == ["Updated"]
    assert one("leicestershire", "1.2.1a")["title"] == "Priority Codes"
    assert one("derby-city", "1.1.18")["flags"] == ["Updated"]
    assert one("derby-city", "1.1.18")["title"] == "Supervision Policy"
    assert one("derby-city", "6.7.6")["flags"] == []


def test_entry_json_shape(entries):
    assert len(entries) == 149 + 118 + 152
    assert {tuple(e) for e in entries} == {("manual_id", "chapter", "title", "flags", "section", "section_path",
                                            "url")}
    assert all(e["section"] == " › ".join(e["section_path"]) for e in entries)
    staying_put = next(e for e in entries if e["manual_id"] == "derby-city" and e["chapter"] == "6.7.6")
    assert staying_put["section_path"] == ["6. Children in Care", "6.7 Leaving Care"]
    assert {e["manual_id"] for e in entries} == {"derby-city", "leicestershire", "rotherham"}
    assert all(e["url"] is None for e in entries)  # text exports carry no links
    unnumbered = [(e["manual_id"], e["title"]) for e in entries if e["chapter"] is None]
    assert len(unnumbered) == 4


def test_entries_manual_filter(sample_settings, capsys):
    rows = json_lines(run_cli(capsys, sample_settings, "entries", "--manual", "leicestershire", "--json"))
    assert len(rows) == 118 and {r["manual_id"] for r in rows} == {"leicestershire"}
    # JSON is the default output: --json may be left out
    assert json_lines(run_cli(capsys, sample_settings, "entries", "--manual", "leicestershire")) == rows
    assert run_cli(capsys, sample_settings, "entries", "--manual", "nowhere") == ""


# --- amendments -----------------------------------------------------------------------

def test_amendments(sample_settings, capsys):
    rows = json_lines(run_cli(capsys, sample_settings, "amendments", "--json"))
    seed = (SEEDS / AMENDMENTS).read_text(encoding="utf-8")
    assert len(set(_MONTH.findall(seed))) == 35
    assert len(rows) == 149
    assert len({r["amended"] for r in rows}) == 35
    january = [r for r in rows if r["amended"] == "2022-01"]
    assert [r["title"] for r in january] == [""] * 5
    assert rows[:5] == january  # newest first
    assert {r["manual_id"] for r in rows} == {"ddscp"}
    assert {r["change"] for r in rows} == {"updated", "new"}
    assert all(r["chapter"] is None for r in rows)  # no DDSCP contents page to link to
    assert {tuple(r) for r in rows} == {("manual_id", "amended", "change", "title", "chapter", "details")}


def test_amendments_manual_filter(sample_settings, capsys):
    assert len(json_lines(run_cli(capsys, sample_settings, "amendments", "--manual", "ddscp"))) == 149
    assert run_cli(capsys, sample_settings, "amendments", "--manual", "rotherham", "--json") == ""


# --- stats ------------------------------------------------------------------------------

def test_stats(sample_settings, capsys):
    lines = run_cli(capsys, sample_settings, "stats").splitlines()
    assert lines[0].split() == ["manual", "kind", "records", "chunks", "joined"]
    rows = {(p[0], p[1]): (int(p[2]), int(p[3])) for p in (line.split() for line in lines[1:-1])}
    assert set(rows) == {("derby-city", "contents"), ("ddscp", "amendment"), ("leicestershire", "contents"),
                         ("rotherham", "contents"), ("derbyshire", "chapter")}
    assert rows[("derby-city", "contents")] == (149, 149)  # one chunk per entry
    assert rows[("leicestershire", "contents")] == (118, 118)
    assert rows[("rotherham", "contents")] == (152, 152)
    assert rows[("ddscp", "amendment")] == (149, 149)
    records, chunks = rows[("derbyshire", "chapter")]
    assert records == 1 and chunks > 7
    derbyshire = next(line.split() for line in lines if line.startswith("derbyshire"))
    assert derbyshire[4] == "0"  # its manual has no contents page to join to
    total = lines[-1].split()
    assert total[0] == "total"
    assert int(total[1]) == 149 + 118 + 152 + 149 + 1
    assert int(total[2]) == sum(c for _, c in rows.values())


def test_unknown_option_is_a_usage_error(sample_settings, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["entries", "--nonsense"], settings=sample_settings)
    assert caught.value.code == 2
    assert "--nonsense" in capsys.readouterr().err


# --- the default run, as a user runs it --------------------------------------------------

def cli_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PA_", "CHROMA_"))}
    env.update(PA_DATA_DIR=str(root), PA_STORE_DIR=str(root / "store"), PA_MANUALS_DIR=str(root / "manuals"),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return env


def python_m_ingest(root: Path, *argv: str) -> subprocess.CompletedProcess:
    python = PYTHON if PYTHON.exists() else Path(sys.executable)
    return subprocess.run([str(python), "-m", "ingest", *argv], cwd=REPO_ROOT, env=cli_env(root),
                          capture_output=True, text=True, timeout=300)


def test_default_run_in_a_subprocess(tmp_path):
    manuals = tmp_path / "manuals"
    manuals.mkdir()
    for name in ("manifest.toml", PIPES["leicestershire"]):
        shutil.copyfile(SEEDS / name, manuals / name)

    first = python_m_ingest(tmp_path, "--quiet")  # no path: PA_MANUALS_DIR
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines()[0] == "files 1: ingested 1, unchanged 0, removed 0, errors 0"
    assert "entries 118, chapters 0 (0 joined to their contents entry), sections 0, amendments 0, chunks 118" \
        in first.stderr
    assert first.stdout == ""

    listed = python_m_ingest(tmp_path, "entries", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json_lines(listed.stdout)
    assert len(rows) == 118 and Counter(r["chapter"] for r in rows)["1.2.1a"] == 1

    # `python -m ingest entries | head -1`: the reader closes the pipe early; no traceback, exit 0
    python = PYTHON if PYTHON.exists() else Path(sys.executable)
    piped = subprocess.run(f"'{python}' -m ingest entries --json | head -n 1", shell=True, cwd=REPO_ROOT,
                           env=cli_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert len(piped.stdout.splitlines()) == 1
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr

    again = python_m_ingest(tmp_path, str(manuals), "--quiet")
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines()[0] == "files 1: ingested 0, unchanged 1, removed 0, errors 0"


def test_run_where_every_file_fails_exits_1(tmp_path, capsys, fresh_settings):
    manuals = tmp_path / "bad"
    manuals.mkdir()
    (manuals / "empty.txt").write_bytes(b"")
    (manuals / "list.txt").write_text("Shopping list\nEggs\nMilk\n")
    assert main([str(manuals), "--quiet"], settings=fresh_settings) == 1
    err = capsys.readouterr().err
    assert "files 2: ingested 0, unchanged 0, removed 0, errors 2" in err
    assert re.search(r"error: \S*empty\.txt: file is empty", err)
    assert re.search(r"error: \S*list\.txt: not recognised as a contents, chapter or amendments page: "
                     r"could not tell what kind of page this is; set its kind in the manifest", err)


def test_rebuild_ingests_everything_again(tmp_path, capsys, fresh_settings):
    manuals = tmp_path / "m"
    manuals.mkdir()
    for name in ("manifest.toml", "004_e6dbeeb091c2b123.txt"):
        shutil.copyfile(SEEDS / name, manuals / name)
    assert main([str(manuals), "--quiet"], settings=fresh_settings) == 0
    assert main([str(manuals), "--quiet"], settings=fresh_settings) == 0
    assert "ingested 0, unchanged 1" in capsys.readouterr().err
    assert main([str(manuals), "--quiet", "--rebuild"], settings=fresh_settings) == 0
    assert "ingested 1, unchanged 0" in capsys.readouterr().err


# --- documentation ---------------------------------------------------------------------

def readme_command_section() -> str:
    readme = REPO_ROOT / "README.md"
    assert readme.is_file(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    match = re.search(r"^## Command line\s*$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Command line' section"
    return match.group(1)


def test_every_ingest_command_is_documented_in_the_readme():
    section = readme_command_section()
    missing = [f"python -m ingest {c}" for c in COMMANDS
               if not re.search(rf"python -m ingest {c}\b", section)]
    assert not missing, f"not in README.md's '## Command line': {missing}"
    # the default run: `python -m ingest` on its own or with paths/options, not a command
    others = "|".join(COMMANDS)
    assert re.search(rf"python -m ingest(?!\s+(?:{others})\b)", section), \
        "README.md's '## Command line' does not document the default run `python -m ingest`"


def test_cli_module_docstring_lists_every_command():
    import ingest.cli

    for command in COMMANDS:
        assert f"python -m ingest {command}" in ingest.cli.__doc__


def test_rebuild_swaps_in_only_a_clean_build(tmp_path, fresh_settings):
    """--rebuild builds beside the store: a build with errors leaves the old store whole."""
    from ingest.cli import main
    from vectorstore.embeddings import make_embedder
    from vectorstore.store import open_store

    manuals = tmp_path / "m"
    manuals.mkdir()
    shutil.copy(SEEDS / "003_f519893ae7a510c6.txt", manuals / "rotherham.txt")
    settings = fresh_settings.with_(manuals_dir=manuals)
    assert main(["--quiet"], settings=settings) == 0
    name = make_embedder(settings).name
    before = open_store(settings, name).count()

    (manuals / "broken.txt").write_bytes(b"")
    assert main(["--quiet", "--rebuild"], settings=settings) == 1
    assert open_store(settings, name).count() == before  # still answerable, untouched

    (manuals / "broken.txt").unlink()
    (manuals / "rotherham.txt").unlink()
    shutil.copy(SEEDS / "002_f1dd044776103fa0.txt", manuals / "leicestershire.txt")
    assert main(["--quiet", "--rebuild"], settings=settings) == 0
    # the rebuilt store replaced the old one: Leicestershire's 117 numbered entries and 1 un-numbered
    assert open_store(settings, name).count() == 118
