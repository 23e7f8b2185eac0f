#!/usr/bin/env bash
# The README's first command: set up, ingest the sample manuals (only what
# changed since last time), and open the app on http://127.0.0.1:${PORT:-8501}.
# ui/server.py wraps ui/app.py and loads the assistant before it accepts connections, so the
# app answers as soon as it is up (the address refuses connections for those few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/python -m ingest --quiet || echo "ingest reported errors; the app opens on what the store holds" >&2
exec .venv/bin/streamlit run ui/server.py --server.address 127.0.0.1 --server.port "${PORT:-8501}" \
  --server.headless true --browser.gatherUsageStats false
