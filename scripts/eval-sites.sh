#!/usr/bin/env bash
# Score the whole-manual question sets (tests/eval/sites_dev.jsonl, sites_heldout.jsonl)
# on a store holding exactly the two invented fixture sites, then the blind set on the
# third site (tests/eval/sites_blind3.jsonl) on a store holding all three.
#
#   scripts/eval-sites.sh [eval options, e.g. --misses]
#
# The store is built with `python -m ingest` into $PA_EVAL_SITES_DIR (default data/eval-sites)
# and kept: a later run re-reads only the fixture pages that changed. The fixtures' two
# accessibility pages are not procedures pages and are reported as unrecognised; that is expected.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
DIR="${PA_EVAL_SITES_DIR:-data/eval-sites}"
mkdir -p "$DIR"
PY="${PYTHON:-.venv/bin/python}"
PA_DATA_DIR="$DIR" "$PY" -m ingest tests/fixtures/sites/brackenshire tests/fixtures/sites/hollinford --quiet \
  >"$DIR/ingest.log" 2>&1 || { echo "ingest failed, see $DIR/ingest.log" >&2; exit 1; }
env PA_DATA_DIR="$DIR" "$PY" -m assistant eval --sites "$@"
echo
# The third site's sets (Wrenmouth, another template: dev, then blind), on a store holding all three sites.
DIR3="${PA_EVAL_SITES3_DIR:-data/eval-sites3}"
mkdir -p "$DIR3"
PA_DATA_DIR="$DIR3" "$PY" -m ingest tests/fixtures/sites/brackenshire tests/fixtures/sites/hollinford \
  tests/fixtures/sites/wrenmouth --quiet >"$DIR3/ingest.log" 2>&1 || { echo "ingest failed, see $DIR3/ingest.log" >&2; exit 1; }
env PA_DATA_DIR="$DIR3" "$PY" -m assistant eval --sites --questions tests/eval/sites_dev3.jsonl "$@"
echo
exec env PA_DATA_DIR="$DIR3" "$PY" -m assistant eval --sites --questions tests/eval/sites_blind3.jsonl "$@"
