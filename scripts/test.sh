#!/usr/bin/env bash
# Set up and run the whole test suite, on SQLite, then the store, service and behaviour tests
# again on PostgreSQL. Extra arguments go to pytest (both runs).
#
# PostgreSQL: PACER_TEST_DATABASE_URL=postgresql://... uses that server (each test gets a fresh
# schema in it); otherwise a throwaway server is started with scripts/postgres.sh (installing
# Debian's postgresql package if needed, as root) and stopped at the end. PACER_TEST_POSTGRES=0
# runs the SQLite pass only; tests marked `postgres` are then deselected (pytest says how many).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
url="${PACER_TEST_DATABASE_URL:-}"
if [ -z "$url" ] && [ "${PACER_TEST_POSTGRES:-1}" != 0 ]; then
  pgdir="$(mktemp -d /tmp/pacer-pg.XXXXXX)"
  trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
  url="$(bash scripts/postgres.sh start "$pgdir")"
fi
echo "== tests on SQLite${url:+ (and the PostgreSQL-only tests)}"
mark=$SECONDS
PACER_TEST_DATABASE_URL="" PACER_POSTGRES_URL="$url" .venv/bin/python -m pytest "$@"
echo "== the SQLite run took $((SECONDS - mark)) s"
if [ -n "$url" ]; then
  # tests/conftest.py keeps the tests listed in ON_POSTGRES whose store this decides
  # (deselecting the rest, which the SQLite run covered).
  echo "== store, service and behaviour tests on PostgreSQL (README: Tests on PostgreSQL)"
  mark=$SECONDS
  PACER_TEST_DATABASE_URL="$url" PACER_POSTGRES_URL="$url" .venv/bin/python -m pytest "$@"
  echo "== the PostgreSQL run took $((SECONDS - mark)) s"
fi
