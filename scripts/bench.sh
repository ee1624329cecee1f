#!/usr/bin/env bash
# Benchmark the daily follow-up run against OCA's account_credit_control 19.0.
# Usage: bash scripts/bench.sh [sizes...]      sizes: 1k 10k 100k (default: 1k 10k)
#        bash scripts/bench.sh --template-only  (only the template database)
# For each size: builds a book (bench/book.py) in arc_bench_book_<size> once,
# copies it to arc_bench_ar_<size> and arc_bench_oca_<size>, runs our daily run
# (ar.followup.run._cron_daily_run, committing per batch as the cron does) in
# one and OCA's credit control run in the other, each in its own Odoo process,
# then times the first page of the customers to follow up; prints a table.
# Env: PGHOST/PGPORT/PGUSER, ARC_BENCH_REBUILD=1 (rebuild the books),
#      ARC_BENCH_TIMEOUT (seconds per measured run, default 1800),
#      ARC_BENCH_OCA_EMAILS=1 (also time OCA's emails: set to ready + send),
#      ARC_BENCH_ADDONS (another copy of the addon to measure, e.g. a patch).
# Results: bench/results/<size>-{ar,oca,list}.json (ignored by git).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"
check_pg

SIZES=("$@")
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
    *) die "unknown size '$1' (1k, 10k or 100k)" ;; esac; }

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

for size in "${SIZES[@]}"; do
    n="$(invoices "$size")"
    book="arc_bench_book_$size"
    if [[ "${ARC_BENCH_REBUILD:-0}" == 1 ]] || ! db_exists "$book"; then
        copy_db "$TPL" "$book"
        python3 bench/book.py -d "$book" --invoices "$n" 2>/dev/null | grep '^book '
        # As autovacuum leaves a live database: statistics and visibility map.
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$book" -qc "VACUUM ANALYZE"
    fi
    for engine in ar oca; do
        copy_db "$book" "arc_bench_${engine}_$size"
        "${PSQL[@]}" "SELECT 1" >/dev/null
        echo "[$size] $engine run..."
        measure "arc_bench_${engine}_$size" "$engine" "$RESULTS/$size-$engine.json"
    done
    echo "[$size] customers list..."
    measure "arc_bench_ar_$size" list "$RESULTS/$size-list.json"
done

python3 bench/report.py "$RESULTS" "${SIZES[@]}"
