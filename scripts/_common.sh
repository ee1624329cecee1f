# shellcheck shell=bash
# Shared helpers for run-tests.sh / run-demo.sh. Source it; don't execute it.
# Sets: REPO_ROOT, PG_HOST, PG_PORT, PG_USER, DB_OPTS (array); find_odoo sets ODOO_CMD (array).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_HOST="${PGHOST:-localhost}"
PG_PORT="${PGPORT:-5432}"
PG_USER="${PGUSER:-$(whoami)}"

die() { echo "ERROR: $*" >&2; exit 1; }

# Locate Odoo 19 without installing anything: $ODOO_BIN, then `odoo` on PATH,
# then `python3 -m odoo`.
find_odoo() {
    if [[ -n "${ODOO_BIN:-}" ]]; then
        if [[ -x "$ODOO_BIN" ]]; then ODOO_CMD=("$ODOO_BIN")
        elif [[ -f "$ODOO_BIN" ]]; then ODOO_CMD=(python3 "$ODOO_BIN")  # odoo-bin w/o +x
        else die "ODOO_BIN=$ODOO_BIN does not exist"; fi
    elif command -v odoo >/dev/null 2>&1; then
        ODOO_CMD=(odoo)
    elif python3 -c "import odoo.release" >/dev/null 2>&1; then
        ODOO_CMD=(python3 -m odoo)
    else
        die "Odoo 19 not found: no 'odoo' command on PATH and python3 cannot 'import odoo'.
       Install Odoo 19 or set ODOO_BIN=/path/to/odoo-bin (e.g. ODOO_BIN=~/src/odoo/odoo-bin)."
    fi
    local version
    version="$("${ODOO_CMD[@]}" --version 2>/dev/null || true)"  # "Odoo Server 19.0"
    [[ "$version" == *"Odoo Server 19."* ]] ||
        die "Odoo 19 not found: '${ODOO_CMD[*]} --version' printed '${version:-nothing}'; set ODOO_BIN to an Odoo 19 odoo-bin."
}

# PostgreSQL must be reachable, and we refuse to run as the `postgres` superuser.
check_pg() {
    [[ "$PG_USER" != postgres ]] ||
        die "refusing to use the 'postgres' database role (Odoo refuses it too); set PGUSER to another role."
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT" ||
            die "PostgreSQL not reachable at $PG_HOST:$PG_PORT (pg_isready failed); start it or set PGHOST/PGPORT."
    else
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1 ||
            die "PostgreSQL not reachable at $PG_HOST:$PG_PORT as role '$PG_USER'; start it or set PGHOST/PGPORT/PGUSER."
    fi
}

# Options every Odoo invocation needs to reach the database.
DB_OPTS=(--db_host "$PG_HOST" --db_port "$PG_PORT" --db_user "$PG_USER")

# Every addon of this repository: ar_collections first, then the glue addons
# beside it (each directory of the repository root with a __manifest__.py).
repo_addons() {
    local d names=()
    [[ -f "$REPO_ROOT/ar_collections/__manifest__.py" ]] && names+=(ar_collections)
    for d in "$REPO_ROOT"/*/; do
        d="$(basename "$d")"
        [[ "$d" != ar_collections && -f "$REPO_ROOT/$d/__manifest__.py" ]] && names+=("$d")
    done
    echo "${names[@]}"
}

# The addon must exist in the (comma-separated) addons path: Odoo silently ignores
# unknown module names given to -i.
check_module() {  # check_module <addons_path> <module>
    local p paths
    IFS=, read -ra paths <<<"$1"
    for p in "${paths[@]}"; do [[ -f "$p/$2/__manifest__.py" ]] && return 0; done
    die "module '$2' not found (no $2/__manifest__.py under $1)."
}
