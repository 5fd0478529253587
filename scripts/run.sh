#!/usr/bin/env bash
# Installs kgcat into .venv, builds the catalogue from the bundled sources and serves it (Ctrl-C stops it).
# This is the README's main-job command. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/kgcat build
exec .venv/bin/kgcat serve "$@"
