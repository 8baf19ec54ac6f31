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
  # pip and setuptools talk to developers (editable-install notes, index warnings): keep their
  # output in a file and show it only if the install fails.
  pip_log="$(mktemp)"
  trap 'rm -f "$pip_log"' EXIT
  if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip &&
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"; } \
    >"$pip_log" 2>&1; then
    cat "$pip_log" >&2
    echo "Installing Pacer failed (pip's output is above)." >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
