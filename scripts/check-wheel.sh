#!/usr/bin/env bash
# Packaging check, as OCA's: build each addon of the repository (ar_collections and
# the glue addons) as a wheel with whool (the addon's pyproject.toml) into a temp dir, then check its name and that it holds
# the manifest, __init__.py, every `data`/`demo` file of the manifest, the
# static/description/ images and i18n/. Installs nothing: pip fetches whool from
# PyPI into its isolated build environment.
# whool packages only the files git tracks: a new file must be `git add`ed.
# Env: ARC_SKIP_WHEEL=1 skips the check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${ARC_SKIP_WHEEL:-0}" == 1 ]]; then
    echo "Wheel: skipped (ARC_SKIP_WHEEL=1)"
    exit 0
fi
source scripts/_common.sh
read -ra addons <<<"$(repo_addons)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/arc-wheel.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

for ADDON in "${addons[@]}"; do
if [[ ! -f "$ADDON/pyproject.toml" ]]; then
    echo "ERROR: $ADDON/pyproject.toml is missing (whool's build-system table)" >&2
    exit 1
fi

if ! python3 -m pip wheel --no-deps --disable-pip-version-check -w "$tmp/dist/$ADDON" \
    "./$ADDON" >"$tmp/pip.log" 2>&1; then
    cat "$tmp/pip.log" >&2
    echo "ERROR: could not build the $ADDON wheel (pip wheel + whool, see above;" \
        "the isolated build needs whool from PyPI)" >&2
    exit 1
fi

python3 - "$ADDON" "$tmp/dist/$ADDON" <<'PY'
import ast
import subprocess
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

addon, dist = sys.argv[1], Path(sys.argv[2])
problems = []
wheels = sorted(dist.glob("*.whl"))
if len(wheels) != 1:
    sys.exit(f"ERROR: expected one wheel in {dist}, found {[w.name for w in wheels]}")
wheel = wheels[0]
prefix = f"odoo_addon_{addon}-19.0."
if not wheel.name.startswith(prefix):
    problems.append(f"wheel name {wheel.name} does not start with {prefix}")

with zipfile.ZipFile(wheel) as zf:
    names = set(zf.namelist())
    metadata_files = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = HeaderParser().parsestr(
        zf.read(metadata_files[0]).decode() if metadata_files else ""
    )
if metadata["Name"] != f"odoo-addon-{addon}":
    problems.append(f"distribution name is {metadata['Name']}, not odoo-addon-{addon}")
requires = metadata.get_all("Requires-Dist") or []
if "odoo==19.0.*" not in requires:
    problems.append(f"Requires-Dist {requires} lacks odoo==19.0.*")

addon_dir = Path(addon)
manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
expected = ["__manifest__.py", "__init__.py"]
expected += manifest.get("data", []) + manifest.get("demo", [])
for sub in ("static/description", "i18n"):
    if (addon_dir / sub).is_dir():
        expected += sorted(
            p.relative_to(addon_dir).as_posix()
            for p in (addon_dir / sub).rglob("*")
            if p.is_file()
        )

for rel in dict.fromkeys(expected):
    if f"odoo/addons/{addon}/{rel}" in names:
        continue
    path = addon_dir / rel
    if not path.is_file():
        why = "missing from the addon directory"
    elif subprocess.run(
        ["git", "ls-files", "--error-unmatch", rel],
        cwd=addon_dir,
        capture_output=True,
        check=False,
    ).returncode:
        why = f"not tracked by git (whool packages tracked files only): git add {path}"
    else:
        why = "missing (unknown reason)"
    problems.append(f"{addon}/{rel} not in the wheel: {why}")

if problems:
    print(f"Wheel FAILED: {wheel.name}", file=sys.stderr)
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    sys.exit(1)
print(
    f"Wheel OK: {wheel.name}, {len(names)} files, requires {', '.join(requires)}"
)
PY
done
