#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine with Python 3.11, then run it.
#   - Debian's chromium for the browser tests (Playwright cannot download its own browser here)
#   - a virtual environment with the project and all its extras (app, inference, scan, test), via scripts/venv.sh
#   - ruff, then pytest (unit, doctests, CLI, inference on CPU, Streamlit AppTest, real-browser tests)
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k reasoner`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y chromium
fi

bash scripts/venv.sh app,inference,scan,test  # installs python3-venv first when Debian lacks it

.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
