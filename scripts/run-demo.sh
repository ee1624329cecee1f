#!/usr/bin/env bash
# Serve a demo database with the addon installed WITH demo data on http://localhost:8069.
# Usage: bash scripts/run-demo.sh [--reset] [extra odoo args]
#   --reset  drop and recreate the demo database first.
# Env: ODOO_BIN, PGHOST, PGPORT, PGUSER, ARC_DEMO_DB (default ar_collections_demo),
#      ARC_DEMO_PORT (default 8069), ARC_ADDONS_PATH / ARC_MODULE (as in run-tests.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"

DB="${ARC_DEMO_DB:-ar_collections_demo}"
PORT="${ARC_DEMO_PORT:-8069}"
ADDONS_PATH="${ARC_ADDONS_PATH:-$REPO_ROOT}"
MODULE="${ARC_MODULE:-ar_collections}"
RESET=0
if [[ "${1:-}" == --reset ]]; then RESET=1; shift; fi

find_odoo
check_pg
check_module "$ADDONS_PATH" "$MODULE"
PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atq)
FILESTORE="${HOME}/.local/share/Odoo/filestore/$DB"  # Odoo's default data dir

python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" \
    "$PORT" 2>/dev/null || die "port $PORT is busy; stop what uses it or set ARC_DEMO_PORT."

db_exists() { [[ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" == 1 ]]; }
module_installed() {
    db_exists && [[ "$("${PSQL[@]}" -d "$DB" -c \
        "SELECT state FROM ir_module_module WHERE name = '$MODULE'" 2>/dev/null)" == installed ]]
}
drop_demo_db() {
    dropdb --if-exists -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$DB"
    rm -rf "$FILESTORE"
}

if ((RESET)) && db_exists; then
    echo "Dropping demo database $DB (--reset)"
    drop_demo_db
fi

serve_opts=()
if module_installed; then
    echo "Reusing demo database $DB (pass --reset to recreate it); updating $MODULE"
    serve_opts=(-u "$MODULE")  # pick up code changes made since the db was created
elif db_exists; then  # never drop a database we did not make without --reset
    die "database $DB exists but $MODULE is not installed in it; rerun with --reset to recreate it."
else
    echo "Creating demo database $DB with $MODULE and demo data..."
    "${ODOO_CMD[@]}" -d "$DB" "${DB_OPTS[@]}" --addons-path="$ADDONS_PATH" \
        --with-demo -i "$MODULE" --stop-after-init --no-http || true
    module_installed || {
        drop_demo_db
        die "installing $MODULE into $DB failed (see log above); database dropped."
    }
fi

echo
echo "Odoo demo: http://localhost:$PORT  (login: admin / password: admin, database: $DB)"
echo "Stop with Ctrl-C."
exec "${ODOO_CMD[@]}" -d "$DB" "${DB_OPTS[@]}" --addons-path="$ADDONS_PATH" \
    --http-interface 127.0.0.1 --http-port "$PORT" --db-filter "^$DB\$" \
    "${serve_opts[@]}" "$@"
