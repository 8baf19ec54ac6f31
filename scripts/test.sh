#!/usr/bin/env bash
# Set up and run the whole test suite on SQLite, then every test whose store the run decides
# (store, service and behaviour tests) again on PostgreSQL. Extra arguments go to pytest (both
# runs). Both runs use PACER_TEST_WORKERS pytest-xdist workers (default 4: most of a SimCord or
# PostgreSQL test is waiting, so 4 workers pay off even on 2 cores); 0 runs in one process.
#
# PostgreSQL: PACER_TEST_DATABASE_URL=postgresql://... uses that server (each test gets a fresh
# schema in it); otherwise a throwaway server is started with scripts/postgres.sh (installing
# Debian's postgresql package if needed, as root) and stopped at the end. PACER_TEST_POSTGRES=0
# runs the SQLite pass only; tests marked `postgres` are then deselected (pytest says how many).
# PACER_TEST_POSTGRES_QUICK=1 repeats only a selection on PostgreSQL (ON_POSTGRES in
# tests/conftest.py), for working on the store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
workers="${PACER_TEST_WORKERS:-4}"
parallel=()
[ "$workers" != 0 ] && parallel=(-n "$workers")
url="${PACER_TEST_DATABASE_URL:-}"
if [ -z "$url" ] && [ "${PACER_TEST_POSTGRES:-1}" != 0 ]; then
  pgdir="$(mktemp -d /tmp/pacer-pg.XXXXXX)"
  trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
  url="$(bash scripts/postgres.sh start "$pgdir")"
fi
echo "== tests on SQLite${url:+ (and the PostgreSQL-only tests)}"
mark=$SECONDS
PACER_TEST_DATABASE_URL="" PACER_POSTGRES_URL="$url" .venv/bin/python -m pytest "${parallel[@]}" "$@"
echo "== the SQLite run took $((SECONDS - mark)) s"
if [ -n "$url" ]; then
  # tests/conftest.py keeps the tests whose store this run decides (deselecting pure tests and
  # SQLite-file tests, which the SQLite run covered).
  echo "== every store, service and behaviour test again on PostgreSQL (README: Tests on PostgreSQL)"
  mark=$SECONDS
  PACER_TEST_DATABASE_URL="$url" PACER_POSTGRES_URL="$url" .venv/bin/python -m pytest \
    "${parallel[@]}" "$@"
  echo "== the PostgreSQL run took $((SECONDS - mark)) s"
fi
