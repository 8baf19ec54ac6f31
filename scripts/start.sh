#!/usr/bin/env bash
# Set up and run Pacer. With DISCORD_TOKEN in .env it connects to Discord; without one it starts
# the offline sandbox (simulated Discord in your browser). Extra arguments go to `python -m bot`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh sandbox
exec .venv/bin/python -m bot "$@"
