#!/usr/bin/env bash
# Lint: `ruff check` + `ruff format --check` with the repo's ruff.toml, then
# pylint-odoo's mandatory checks (.pylintrc-mandatory), as OCA's 19.0 template.
# Auto-fix locally with: ruff check --fix <paths> && ruff format <paths>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v ruff >/dev/null 2>&1; then
    echo "ERROR: ruff not found; install it with: pip install ruff" >&2
    exit 1
fi
if ! python3 -c "import pylint_odoo" 2>/dev/null; then
    echo "ERROR: pylint-odoo not found; install it with: pip install pylint-odoo" >&2
    exit 1
fi

paths=()
for d in ar_collections scripts bench; do [[ -d "$d" ]] && paths+=("$d"); done

echo "Lint: ruff $(ruff --version | cut -d' ' -f2) on ${paths[*]}"
rc=0
ruff check --config ruff.toml "${paths[@]}" || rc=1
ruff format --check --config ruff.toml "${paths[@]}" || rc=1
echo "Lint: pylint-odoo mandatory checks on ar_collections"
python3 -m pylint --rcfile=.pylintrc-mandatory --output-format=text ar_collections || rc=1
((rc == 0)) && echo "Lint OK" || echo "Lint FAILED" >&2
exit "$rc"
