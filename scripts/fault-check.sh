#!/usr/bin/env bash
# Fault check of the daily run on the 10k book: SIGKILL mid-batch and restart,
# then two runs started at the same moment; SQL checks for anything done twice.
# Usage: bash scripts/fault-check.sh [--kills N] [--seed S]
# Builds the benchmark template and book (arc_bench_tpl, arc_bench_book_10k) with
# scripts/bench.sh's tools when missing, works on copies (arc_bench_fault_kill,
# arc_bench_fault_twin). Prints the figures; exits non-zero on any duplicate,
# missing action or unrecorded interruption.
# Env: PGHOST/PGPORT/PGUSER, ARC_FAULT_BOOK (default arc_bench_book_10k),
#      ARC_FAULT_SIZE (default 10000 invoices), ARC_FAULT_LOG (runs' output).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"
check_pg

BOOK="${ARC_FAULT_BOOK:-arc_bench_book_10k}"
export ARC_BENCH_DATA="${ARC_BENCH_DATA:-/tmp/arc_bench/data}"
exists() {
    [[ "$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = '$1'")" == 1 ]]
}
if ! exists "$BOOK"; then
    exists arc_bench_tpl || bash scripts/bench.sh --template-only
    createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -T arc_bench_tpl "$BOOK"
    python3 bench/book.py -d "$BOOK" --invoices "${ARC_FAULT_SIZE:-10000}" 2>/dev/null
fi
python3 bench/faults.py --book "$BOOK" --db-host "$PG_HOST" --db-port "$PG_PORT" \
    --db-user "$PG_USER" "$@"
