#!/usr/bin/env bash
# The GPU check of issue 14, run from the repository root on an offline H100/H200 machine.
#
# Carry (ignored folders, see shared/gpu/README.md): .whl/ with the Python 3.12 manylinux wheels of
# diffusers 0.42.1, pydantic, pydantic-core, annotated-types, typing-inspection, importlib-metadata and
# typing-extensions; .tokenizers/ = a copy of shared/tokenizers (qwen25/, t5/).
#   bash benchmarks/gpu_check.sh                       # full table + cold CLI, about 4-6 minutes
#   bash benchmarks/gpu_check.sh --skip cold-cli       # table only
set -euo pipefail
if compgen -G ".whl/*.whl" > /dev/null; then
    python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl
    export PYTHONPATH="/tmp/site:$PWD"
else
    export PYTHONPATH="$PWD"
fi
export LINEAGE_TOKENIZERS="${LINEAGE_TOKENIZERS:-$PWD/.tokenizers}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 benchmarks/bench_inference.py "$@"
