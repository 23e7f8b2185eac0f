#!/usr/bin/env bash
# Set up everything the project needs, idempotently: the virtual environment
# at .venv (CPU torch first, then requirements.txt), the ONNX export of MiniLM,
# with --browser the Debian chromium that the end-to-end tests drive, and with
# --mpnet the opt-in all-mpnet-base-v2 model. Safe to run repeatedly:
# the pip step is skipped while requirements.txt is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
want_mpnet=0
for arg in "$@"; do
  [[ "$arg" == "--browser" ]] && want_browser=1
  [[ "$arg" == "--mpnet" ]] && want_mpnet=1  # opt-in: all-mpnet-base-v2 (~400 MB download), PA_EMBEDDER=mpnet
done

PYTHON="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv" >&2
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.requirements.sha256
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  echo "setup: installing Python packages (first time: a few minutes)" >&2
  # torch before anything that depends on it, or pip resolves a multi-GB CUDA build.
  .venv/bin/pip install --quiet --disable-pip-version-check "$(grep -E '^torch==' requirements.txt)"
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# The query path runs MiniLM through onnxruntime (no torch import): export it once.
# (called, not run with -m: the embeddings package imports this module, and -m would warn about it)
HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python -c "import sys; from vectorstore.embeddings.onnx_export import main; sys.exit(main())"

if [[ $want_mpnet == 1 ]]; then
  .venv/bin/python -m vectorstore.embeddings.mpnet
fi

if [[ $want_browser == 1 ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian chromium for the browser tests" >&2
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
