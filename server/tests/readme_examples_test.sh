#!/usr/bin/env bash
# A README example is a test: every ```sh block of README.md runs, line by line and as written, in a
# fresh folder (with build/ and examples/ linked in). A line starting with "$ " is a command whose
# output must equal the lines that follow it, up to the next command or the end of the block.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/kp-readme.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
mkdir data
ln -s "$BUILD" build
ln -s "$ROOT/examples" examples

# Each block becomes a list of (command, expected output or "-") records, NUL-separated.
python3 - "$ROOT/README.md" >"$TMP/steps" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read().split("\n")
in_block, steps = False, []
for line in text:
    if line.startswith("```"):
        in_block = line.strip() == "```sh"
        continue
    if not in_block:
        continue
    if line.startswith("$ "):
        steps.append([line[2:], []])
    elif steps and steps[-1][1] is not None and not line.startswith("build/") and not line.startswith("echo "):
        steps[-1][1].append(line)
    elif line.strip() and not line.startswith("#"):
        steps.append([line, None])
for cmd, expected in steps:
    sys.stdout.write(cmd + "\0" + ("-" if expected is None else "\n".join(expected)) + "\0")
PY

n=0
while IFS= read -r -d '' cmd && IFS= read -r -d '' expected; do
  n=$((n + 1))
  if ! out=$(bash -c "$cmd" 2>&1); then
    echo "FAIL: README command failed: $cmd"; echo "$out"; exit 1
  fi
  if [[ $expected != - && $out != "$expected" ]]; then
    echo "FAIL: README shows other output for: $cmd"
    diff <(echo "$expected") <(echo "$out") || true
    exit 1
  fi
done <"$TMP/steps"
(( n > 10 )) || { echo "FAIL: only $n README commands found"; exit 1; }
echo "README: $n commands ran as written"
