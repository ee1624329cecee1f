#!/usr/bin/env bash
# Lint: `ruff check` + `ruff format --check` with the repo's ruff.toml, then
# pylint-odoo's mandatory checks (.pylintrc-mandatory), then prettier (with
# @prettier/plugin-xml, settings in .prettierrc.yml) on every XML file of the addon,
# as OCA's 19.0 template. Prettier is pinned in package.json/package-lock.json and
# installed into ./node_modules with `npm ci` when missing.
# Auto-fix locally with: ruff check --fix <paths> && ruff format <paths>
#                        node_modules/.bin/prettier --write <xml files>
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

source scripts/_common.sh
read -ra addons <<<"$(repo_addons)"
paths=()
for d in "${addons[@]}" scripts bench; do [[ -d "$d" ]] && paths+=("$d"); done

echo "Lint: ruff $(ruff --version | cut -d' ' -f2) on ${paths[*]}"
rc=0
ruff check --config ruff.toml "${paths[@]}" || rc=1
ruff format --check --config ruff.toml "${paths[@]}" || rc=1
echo "Lint: pylint-odoo mandatory checks on ${addons[*]}"
python3 -m pylint --rcfile=.pylintrc-mandatory --output-format=text "${addons[@]}" || rc=1

prettier=node_modules/.bin/prettier
if [[ ! -x "$prettier" ]]; then
    command -v npm >/dev/null 2>&1 ||
        { echo "ERROR: prettier not installed and npm not found; install Node.js/npm" >&2; exit 1; }
    echo "Lint: installing prettier into ./node_modules (npm ci, versions from package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error >&2 ||
        { echo "ERROR: npm ci failed; prettier is needed for the XML check" >&2; exit 1; }
fi
mapfile -t xml_files < <(find "${addons[@]}" -name '*.xml' -not -path '*/node_modules/*' | sort)
echo "Lint: prettier $("$prettier" --version) on ${#xml_files[@]} XML files of ${addons[*]}"
# --list-different names each file prettier would change and exits 1 if there are any.
if ! "$prettier" --list-different "${xml_files[@]}"; then
    echo "Prettier: the files above are not formatted; fix with: $prettier --write <file>" >&2
    rc=1
fi
((rc == 0)) && echo "Lint OK" || echo "Lint FAILED" >&2
exit "$rc"
