#!/usr/bin/env bash
# Create .venv with the given extras on a fresh Debian machine with Python 3.11: `bash scripts/venv.sh app`.
# Installs Debian's python3-venv first when `python3 -m venv` cannot work (Debian ships Python without ensurepip).
# CPU-only machines: set LINEAGE_TORCH_CPU=1 to install torch's CPU build before the inference extra (docs/setup.md).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=${1:-app}
PY=${PYTHON:-python3}

if ! command -v "$PY" >/dev/null; then
  echo "Error: $PY not found; install Python 3.11 or newer (Debian: apt-get install python3)" >&2; exit 1
fi
probe=$(mktemp -d)
if [ ! -x .venv/bin/python ] && ! "$PY" -m venv "$probe/venv" >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing python3-venv (needed by python3 -m venv on Debian)..." >&2
  $SUDO apt-get update
  $SUDO apt-get install -y python3-venv
fi
rm -rf "$probe"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${LINEAGE_TORCH_CPU:-0}" = "1" ]; then
  .venv/bin/python -m pip install --quiet torch torchvision --index-url https://download.pytorch.org/whl/cpu
fi
.venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
