#!/usr/bin/env bash
# Benchmark the daily follow-up run against OCA's account_credit_control 19.0.
# Usage: bash scripts/bench.sh [sizes...]      sizes: 1k 10k 100k 300k 1m (default: 1k 10k)
#        bash scripts/bench.sh --template-only  (only the template database)
#        bash scripts/bench.sh --workers N [sizes...]  (the run on the job queue)
# For each size: builds a book (bench/book.py) in arc_bench_book_<size> once,
# copies it to arc_bench_ar_<size> and arc_bench_oca_<size>, runs our daily run
# (ar.followup.run._cron_daily_run, committing per batch as the cron does) in
# one and OCA's credit control run in the other, each in its own Odoo process,
# then times the first page of the customers to follow up; prints a table.
# --workers N: our run (as above, for reference), then the run on OCA's job
# queue (ar_collections_queue_job) with a real job runner and 1, 2, ... N Odoo
# worker processes (bench/queue_run.py, each on a fresh copy of the book with
# the glue addon installed: arc_bench_q<n>_<size>), timed until the last job
# is done; prints what each worker adds. Needs odoo-addon-queue-job.
# Env: PGHOST/PGPORT/PGUSER, ARC_BENCH_REBUILD=1 (rebuild the books),
#      ARC_BENCH_TIMEOUT (seconds per measured run, default 1800),
#      ARC_BENCH_OCA_EMAILS=1 (also time OCA's emails: set to ready + send),
#      ARC_BENCH_SKIP_OCA=1 (our run only: OCA's takes hours past 100k),
#      ARC_BENCH_ADDONS (another copy of the addon to measure, e.g. a patch),
#      ARC_BENCH_PORT (HTTP port of the --workers server, default 8490).
# Results: bench/results/<size>-{ar,oca,list,queue<n>}.json (ignored by git).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"
check_pg

WORKERS=0
SIZES=()
while (($#)); do
    case "$1" in
    --workers) WORKERS="${2:?--workers needs a number}"; shift 2 ;;
    --workers=*) WORKERS="${1#*=}"; shift ;;
    *) SIZES+=("$1"); shift ;;
    esac
done
[[ "$WORKERS" =~ ^[0-9]+$ ]] || die "--workers wants a number of workers, not '$WORKERS'"
((${#SIZES[@]})) || SIZES=(1k 10k)
TIMEOUT="${ARC_BENCH_TIMEOUT:-1800}"
PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc)
RESULTS="bench/results"
mkdir -p "$RESULTS" /tmp/arc_bench
export ARC_BENCH_DATA="${ARC_BENCH_DATA:-/tmp/arc_bench/data}"

db_exists() { [[ "$("${PSQL[@]}" "SELECT 1 FROM pg_database WHERE datname = '$1'")" == 1 ]]; }
copy_db() {  # copy_db <from> <to>
    dropdb --if-exists -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$2"
    createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -T "$1" "$2"
}
invoices() { case "$1" in 1k) echo 1000 ;; 10k) echo 10000 ;; 100k) echo 100000 ;;
    300k) echo 300000 ;; 1m) echo 1000000 ;;
    *) die "unknown size '$1' (1k, 10k, 100k, 300k or 1m)" ;; esac; }

# OCA's addon, a benchmark-only dependency, from PyPI into bench/.oca.
if [[ ! -f bench/.oca/account_credit_control/__manifest__.py ]]; then
    tmp="$(mktemp -d)"
    pip download --quiet --no-deps -d "$tmp" "odoo-addon-account-credit-control>=19.0,<19.1" ||
        die "could not download odoo-addon-account-credit-control for 19.0 from PyPI"
    python3 -m zipfile -e "$tmp"/odoo_addon_account_credit_control-*.whl "$tmp/x"
    mkdir -p bench/.oca
    cp -r "$tmp/x/odoo/addons/account_credit_control" bench/.oca/
    rm -rf "$tmp"
fi

# Template: both addons installed, no demo data.
TPL=arc_bench_tpl
if [[ "${ARC_BENCH_REBUILD:-0}" == 1 ]] && db_exists "$TPL"; then
    dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$TPL"
fi
if ! db_exists "$TPL"; then
    find_odoo
    echo "Installing ar_collections and account_credit_control in $TPL"
    "${ODOO_CMD[@]}" -d "$TPL" "${DB_OPTS[@]}" --addons-path="${ARC_BENCH_ADDONS:-$REPO_ROOT},$REPO_ROOT/bench/.oca" \
        --data-dir "$ARC_BENCH_DATA" -i ar_collections,account_credit_control --without-demo \
        --stop-after-init --http-interface 127.0.0.1 --http-port 8480 --log-level=warn
fi

[[ "${SIZES[0]}" == --template-only ]] && exit 0

measure() {  # measure <db> <engine> <json out>
    local log="/tmp/arc_bench/$1-$2.log"
    if timeout "$TIMEOUT" python3 bench/run.py -d "$1" --engine "$2" >"$log" 2>&1; then
        grep '^RESULT ' "$log" | tail -1 | cut -c8- >"$3"
    else
        echo "{\"engine\": \"$2\", \"timeout\": $TIMEOUT, \"failed\": true}" >"$3"
        echo "  $2 did not finish within ${TIMEOUT}s or failed, see $log"
    fi
}

# The run on the job queue with 1..WORKERS workers, each on a fresh copy of
# the book with the glue addon installed.
measure_queue() {  # measure_queue <size> <book>
    local qbook="arc_bench_qbook_$1" workers db log
    python3 -c "import importlib.util as u; assert u.find_spec('odoo.addons.queue_job')" 2>/dev/null ||
        die "--workers needs OCA's queue_job: pip install 'odoo-addon-queue-job>=19.0,<19.1'"
    if [[ "${ARC_BENCH_REBUILD:-0}" == 1 ]] || ! db_exists "$qbook"; then
        copy_db "$2" "$qbook"
        find_odoo
        "${ODOO_CMD[@]}" -d "$qbook" "${DB_OPTS[@]}" --addons-path="${ARC_BENCH_ADDONS:-$REPO_ROOT},$REPO_ROOT/bench/.oca" \
            --data-dir "$ARC_BENCH_DATA" -i ar_collections_queue_job --stop-after-init \
            --http-interface 127.0.0.1 --http-port "${ARC_BENCH_PORT:-8490}" --log-level=warn
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$qbook" -qc "VACUUM ANALYZE"
    fi
    for ((workers = 1; workers <= WORKERS; workers++)); do
        db="arc_bench_q${workers}_$1"
        copy_db "$qbook" "$db"
        log="/tmp/arc_bench/$db.log"
        echo "[$1] run on the job queue, $workers worker(s)..."
        if timeout "$TIMEOUT" python3 bench/queue_run.py -d "$db" --workers "$workers" \
            --port "${ARC_BENCH_PORT:-8490}" --server-log "/tmp/arc_bench/$db-server.log" >"$log" 2>&1; then
            grep '^RESULT ' "$log" | tail -1 | cut -c8- >"$RESULTS/$1-queue$workers.json"
        else
            echo "{\"engine\": \"queue\", \"workers\": $workers, \"timeout\": $TIMEOUT, \"failed\": true}" \
                >"$RESULTS/$1-queue$workers.json"
            echo "  the queue run with $workers worker(s) failed or timed out, see $log"
        fi
    done
}

for size in "${SIZES[@]}"; do
    n="$(invoices "$size")"
    book="arc_bench_book_$size"
    if [[ "${ARC_BENCH_REBUILD:-0}" == 1 ]] || ! db_exists "$book"; then
        copy_db "$TPL" "$book"
        python3 bench/book.py -d "$book" --invoices "$n" 2>/dev/null | grep '^book '
        # As autovacuum leaves a live database: statistics and visibility map.
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$book" -qc "VACUUM ANALYZE"
    fi
    engines=(ar oca)
    if [[ "${ARC_BENCH_SKIP_OCA:-0}" == 1 ]]; then
        engines=(ar)
        rm -f "$RESULTS/$size-oca.json"
    fi
    ((WORKERS)) && engines=(ar)  # the reference for the queue: our plain run
    for engine in "${engines[@]}"; do
        copy_db "$book" "arc_bench_${engine}_$size"
        "${PSQL[@]}" "SELECT 1" >/dev/null
        echo "[$size] $engine run..."
        measure "arc_bench_${engine}_$size" "$engine" "$RESULTS/$size-$engine.json"
    done
    if ((WORKERS)); then
        measure_queue "$size" "$book"
        continue
    fi
    echo "[$size] customers list..."
    measure "arc_bench_ar_$size" list "$RESULTS/$size-list.json"
done

if ((WORKERS)); then
    python3 bench/report.py --queue "$RESULTS" "${SIZES[@]}"
else
    python3 bench/report.py "$RESULTS" "${SIZES[@]}"
fi
