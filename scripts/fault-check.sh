#!/usr/bin/env bash
# Fault check of the daily run on the 10k book with late fees on: SIGKILLs
# mid-batch of the run, while it posts fee invoices and mid-batch of the email
# job; two runs started at the same moment while a collector sends reminders
# by hand and a manager clicks Run now; with OCA's queue_job installed, the run
# on the job queue with two workers and SIGKILLs of workers mid-job. SQL checks
# for anything done twice or missing (bench/faults.py).
# Usage: bash scripts/fault-check.sh [--kills N] [--fee-kills N] [--email-kills N]
#        [--worker-kills N] [--seed S] [--port P]
# Builds the benchmark template and book (arc_bench_tpl, arc_bench_book_10k) with
# scripts/bench.sh's tools when missing, and arc_fault_qbook (the book with
# ar_collections_queue_job installed); works on copies (arc_fault_kill,
# arc_fault_twin, arc_fault_queue). Prints the figures; exits non-zero on any
# duplicate, missing action or unrecorded interruption.
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
queue=()
if python3 -c "import importlib.util as u; assert u.find_spec('odoo.addons.queue_job')" 2>/dev/null; then
    if ! exists arc_fault_qbook; then
        createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -T "$BOOK" arc_fault_qbook
        find_odoo
        "${ODOO_CMD[@]}" -d arc_fault_qbook "${DB_OPTS[@]}" --addons-path="$REPO_ROOT,$REPO_ROOT/bench/.oca" \
            --data-dir "$ARC_BENCH_DATA" -i ar_collections_queue_job --stop-after-init \
            --http-interface 127.0.0.1 --http-port 8490 --log-level=warn
    fi
    queue=(--qbook arc_fault_qbook)
else
    echo "queue_job not installed: the job queue scenario is left out" >&2
fi
python3 bench/faults.py --book "$BOOK" "${queue[@]}" --db-host "$PG_HOST" \
    --db-port "$PG_PORT" --db-user "$PG_USER" "$@"
