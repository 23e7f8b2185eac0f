#!/usr/bin/env bash
# Score the whole-manual question sets (tests/eval/sites_dev.jsonl, sites_heldout.jsonl)
# on a store holding exactly the two invented fixture sites.
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
exec env PA_DATA_DIR="$DIR" "$PY" -m assistant eval --sites "$@"
