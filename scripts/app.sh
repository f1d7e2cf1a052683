#!/usr/bin/env bash
# Set up (first run only) and start the app on the shipped data: http://localhost:8501
# Extra arguments go to `streamlit run`, e.g. `bash scripts/app.sh --server.port 8600`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh app
exec .venv/bin/streamlit run streamlit_app.py "$@"
