#!/usr/bin/env bash
# Install every addon of the repository (ar_collections and the glue addons beside
# it) in a fresh throwaway database (no demo data), run all their tests, then drop it.
# Usage: bash scripts/run-tests.sh [extra odoo args, e.g. --test-tags /ar_collections:TestFoo]
# Env: ODOO_BIN, PGHOST, PGPORT, PGUSER, ARC_TEST_PORT (HTTP port, default: first free
#      from 8169), ARC_SKIP_LINT=1, ARC_SKIP_WHEEL=1, ARC_ADDONS_PATH / ARC_MODULE
#      (default: repo root / every addon of it, comma-separated; meant for testing this
#      script against another addon), ARC_TEST_ONLY_MODULES (installed beside them for the
#      tests only, default payment_demo; empty: none).
# Last line of output is always "N passed, M failed"; exit 0 only on a clean run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"

ADDONS_PATH="${ARC_ADDONS_PATH:-$REPO_ROOT}"
MODULES="${ARC_MODULE:-$(repo_addons | tr ' ' ',')}"

if [[ -f scripts/lint.sh && "${ARC_SKIP_LINT:-0}" != 1 ]]; then
    bash scripts/lint.sh || exit 1
fi
bash scripts/check-wheel.sh || exit 1

find_odoo
check_pg
IFS=, read -ra module_list <<<"$MODULES"
for module in "${module_list[@]}"; do check_module "$ADDONS_PATH" "$module"; done
test_tags="$(printf '/%s,' "${module_list[@]}")"
# Installed for the tests only (the customer page pays with Odoo's demo provider).
TEST_ONLY_MODULES="${ARC_TEST_ONLY_MODULES-payment_demo}"

# Odoo starts its HTTP server while testing (HttpCase/tours need it): use a free port.
PORT="${ARC_TEST_PORT:-$(python3 -c '
import socket
for p in range(8169, 8300):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            continue
        print(p)
        break')}"

DB="arc_test_$(date +%s)_$$"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/arc-test.XXXXXX")"
LOG="$TMP/odoo.log"
cleanup() {
    dropdb --if-exists -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$DB" || true
    # Filestore: our private --data-dir, plus Odoo's default location just in case.
    rm -rf "$TMP/data" "${HOME}/.local/share/Odoo/filestore/$DB"
}
trap cleanup EXIT

echo "Testing $MODULES in throwaway database $DB (Odoo: ${ODOO_CMD[*]}, port $PORT)"
set +e
"${ODOO_CMD[@]}" -d "$DB" "${DB_OPTS[@]}" --addons-path="$ADDONS_PATH" \
    --data-dir "$TMP/data" -i "$MODULES${TEST_ONLY_MODULES:+,$TEST_ONLY_MODULES}" --test-tags "${test_tags%,}" --without-demo \
    --stop-after-init --log-level=test --http-interface 127.0.0.1 --http-port "$PORT" \
    --workers 0 "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e

# Odoo's end-of-run summary (odoo/service/server.py + odoo/tests/result.py), e.g.
#   ... odoo.tests.result: 1 failed, 0 error(s) of 12 tests when loading database 'x'
summary="$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' "$LOG" | tail -1 || true)"
read -r failed errors total < <(sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"${summary:-0 failed, 0 error(s) of 0 tests}")
# Log lines look like "2025-01-01 12:00:00,123 4242 ERROR db logger: msg".
error_lines="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG" || true)"

bad=$((failed + errors))
passed=$((total - bad < 0 ? 0 : total - bad))
reasons=()
((rc == 0)) || reasons+=("odoo exited with code $rc")
((error_lines == 0)) || reasons+=("$error_lines ERROR/CRITICAL log line(s), see: grep -E ' (ERROR|CRITICAL) ' $LOG")
((total > 0)) || reasons+=("no tests ran")
((bad == 0)) || reasons+=("$bad test failure(s)/error(s)")

echo
echo "Odoo log: $LOG"
if ((${#reasons[@]})); then
    printf 'FAILED: %s\n' "${reasons[@]}"
    # A failing run never reports "0 failed" (e.g. install error, no tests run).
    ((bad > 0)) || bad=1
    echo "$passed passed, $bad failed"
    exit 1
fi
echo "$passed passed, 0 failed"
