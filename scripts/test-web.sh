#!/usr/bin/env bash
# Front-end tests: Vitest component tests, then the browser journeys (playwright-core driving
# Debian's Chromium) against a server this script starts on a fresh demo database.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
ROOT=$PWD
(cd web && npm run --silent test:unit)
TMP=$(mktemp -d /tmp/kp-web.XXXXXX)
"$BUILD/keyproject" --db "$TMP/web.db" demo --reset >/dev/null
# The demo's passwords are random; the journeys read them from the file the demo wrote.
export KP_DEMO_LOGINS="$TMP/web.db.logins"
"$BUILD/keyproject" --db "$TMP/web.db" serve --listen 127.0.0.1:0 --web web/dist >"$TMP/serve.log" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.log" | head -1 || true)
  [[ -n $URL ]] && break
  sleep 0.1
done
[[ -n ${URL:-} ]] || { cat "$TMP/serve.log"; echo "server did not start"; exit 1; }
echo "test-web: browser journeys against $URL"
(cd web && BASE_URL=$URL npm run --silent test:e2e)
