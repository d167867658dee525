#!/usr/bin/env bash
# Makes (or reuses) the Python virtual environment the tests use for Python's clients and for
# schemathesis: python/requirements.txt installed into a venv of Debian's /usr/bin/python3
# (package python3-venv). Where it lives: $PONDER_PYTHON_VENV, else ~/.cache/ponder/python-venv.
# A venv whose recorded requirements differ from the file's is made anew, so a changed pin never
# runs against old packages. Prints the venv's path.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=python/requirements.txt
venv="${PONDER_PYTHON_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/ponder/python-venv}"
# Written last, so an install that failed halfway is never taken for a finished one.
stamp="$venv/ponder-requirements.txt"

if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements" && "$venv/bin/python" -c "" 2>/dev/null; then
  echo "$venv"
  exit 0
fi

echo "Creating the Python venv in $venv from $requirements" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
/usr/bin/python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2
cp "$requirements" "$stamp"
echo "$venv"
