#!/usr/bin/env bash
# Every test: unit + store suite (SQLite and PostgreSQL), API tests against the running binary,
# then the bounded libFuzzer run of the import readers.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
export KP_REQUIRE_PG=1
bash scripts/with-postgres.sh ctest --test-dir "$BUILD" --output-on-failure
bash scripts/fuzz.sh "$BUILD"
