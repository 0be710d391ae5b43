#!/usr/bin/env bash
# Each benchmark once in its smoke size (seconds, not minutes), so that they keep working; the figures mean
# nothing at that size. The full runs stay manual (bench/README.md).
#   BENCH_PG         the PostgreSQL server (default postgres://postgres@127.0.0.1:5432, trust auth)
#   BENCH_DB_PREFIX  the prefix of the databases each bench creates and drops (default bench)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PREFIX=${BENCH_DB_PREFIX:-bench}

run() {
    local began=$SECONDS
    echo "== bench smoke: $*"
    "$PY" "$@"
    echo "== $1: $((SECONDS - began)) s"
}

run bench/clock_in.py --smoke --pg "$PG" --database "${PREFIX}_clock"
run bench/approvals_inbox.py --smoke --server "$PG" --database "${PREFIX}_approvals"
run bench/rollout_summary.py --smoke --server "$PG" --database "${PREFIX}_rollout"
run bench/portal_pages.py --smoke --server "$PG" --database "${PREFIX}_portal"  # skips without the portal
