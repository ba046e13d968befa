#!/usr/bin/env bash
# Every test: unit + store suite (SQLite and PostgreSQL), API tests against the running binary,
# the bounded libFuzzer run of the import readers, then the web app's component tests and
# browser journeys (playwright-core + Debian's Chromium) against a freshly started server.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
# Every PostgreSQL case runs: with-postgres.sh sets KP_TEST_PG_URL (a plain ctest without it fails).
# Each test process has a database of its own on that server, so KP_TEST_JOBS=2 (the default) runs two at a time.
bash scripts/with-postgres.sh ctest --test-dir "$BUILD" --output-on-failure -j "${KP_TEST_JOBS:-2}"
bash scripts/fuzz.sh "$BUILD"
bash scripts/test-web.sh "$BUILD"
