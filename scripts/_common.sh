# Sourced by the scripts in this folder: one place that sets up .venv from pyproject.toml.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export NO_MKDOCS_2_WARNING=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

# ensure_venv [extra]: create .venv if missing and (re)install this project with the pinned
# dependencies of pyproject.toml and an extra ("minify" unless given, e.g. "test", which includes
# it: the site's own scripts are then shipped within the banner's budget) whenever it changed.
ensure_venv() {
  local extra="${1:-minify}" python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
      echo "error: Python 3.11 or newer is needed; '$python' is $("$python" --version 2>&1). Set PYTHON=/path/to/python3.11." >&2
      exit 1
    }
    echo "Creating .venv with $("$python" --version) ..." >&2
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed${extra:+-$extra}" want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  # The [test] install includes the site's own dependencies.
  if [ "$extra" = minify ] && [ "$(cat .venv/.installed-test 2>/dev/null)" = "$want" ]; then return; fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing this project (the privacy-kit package) and its pinned dependencies from pyproject.toml${extra:+ (with [$extra])} ..." >&2
    # Editable: the plugin and the commands run from src/, so an edit needs no reinstall.
    .venv/bin/python -m pip install --quiet --editable ".${extra:+[$extra]}"
    echo "$want" > "$stamp"
  fi
}

# ensure_npm_tool NAME VERSION: the npm package NAME@VERSION (pinned) in .cache/NAME, unless there.
ensure_npm_tool() {
  local name="$1" version="$2" folder=".cache/$1"
  if grep -qs "\"version\": \"$version\"" "$folder/node_modules/$name/package.json"; then return; fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "warning: npm missing, cannot install $name $version: install Node.js and npm." >&2
    return
  fi
  echo "Installing $name $version from npm into $folder ..." >&2
  mkdir -p "$folder"
  npm install --prefix "$folder" --no-audit --no-fund --no-save --ignore-scripts --silent "$name@$version" >&2
}
