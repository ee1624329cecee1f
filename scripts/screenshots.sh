#!/usr/bin/env bash
# Refresh the README screenshots in ar_collections/static/description/: the customers
# to follow up, a customer's Collections tab, a follow-up run and a printed letter.
# Usage: bash scripts/screenshots.sh [--reset]
#   Builds (or, with --reset, rebuilds) the demo database with scripts/run-demo.sh,
#   serves it, runs today's follow-up as admin, takes the shots with headless Chromium
#   (scripts/screenshots.py, needs websocket-client) and renders a letter with
#   wkhtmltopdf + pdftoppm (poppler-utils), then stops the server.
# Env: ARC_DEMO_DB, ARC_DEMO_PORT (as run-demo.sh), CHROMIUM (default: chromium on PATH).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"

DB="${ARC_DEMO_DB:-ar_collections_demo}"
PORT="${ARC_DEMO_PORT:-8069}"
OUT=ar_collections/static/description
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[[ -n "$CHROMIUM" ]] || die "Chromium not found; install it (Debian: chromium) or set CHROMIUM."
command -v pdftoppm >/dev/null 2>&1 || die "pdftoppm not found; install poppler-utils."
command -v wkhtmltopdf >/dev/null 2>&1 || die "wkhtmltopdf not found; install it."
python3 -c "import websocket" 2>/dev/null ||
    die "websocket-client not found: pip install -r requirements-test.txt"

LOG="$(mktemp "${TMPDIR:-/tmp}/arc-screenshots.XXXXXX.log")"
# run-demo.sh builds the database if needed, then execs the server: run it in its own
# process group so that stopping it also stops an install still in progress.
setsid bash scripts/run-demo.sh "$@" --workers 0 --log-level warn >"$LOG" 2>&1 &
SERVER_PID=$!
stop_server() {
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}
trap stop_server EXIT

echo "Starting the demo server on port $PORT (database $DB; log: $LOG)..."
for _ in $(seq 1 900); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$LOG" >&2; die "the demo server stopped; see $LOG"; }
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login?db=$DB" && break
    sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login?db=$DB" ||
    die "the demo server did not answer on port $PORT within 15 minutes; see $LOG"

echo "Taking screenshots into $OUT"
python3 scripts/screenshots.py --url "http://127.0.0.1:$PORT" --db "$DB" --out "$OUT" \
    --chromium "$CHROMIUM"
echo "Done. Look at them before committing: $OUT/screenshot_*.png"
