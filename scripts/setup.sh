#!/usr/bin/env bash
# Create .venv (once) and install Pacer with the given extras; skipped when nothing changed.
# Usage: scripts/setup.sh EXTRAS   (for example "sandbox" or "test,lint")
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-sandbox}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv ..." >&2
  "$python" -m venv .venv
fi
stamp=".venv/.pacer-installed-${extras//,/-}"
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Pacer and its dependencies ($extras) ..." >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
  echo "$want" > "$stamp"
fi
