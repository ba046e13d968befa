#!/usr/bin/env bash
# Loads the demo data into the embedded SQLite database and serves the app.
set -euo pipefail
BIN=$1 DB=$2 LISTEN=$3
mkdir -p "$(dirname "$DB")"
"$BIN" --db "$DB" demo --reset
echo
echo "打开 (open): http://$LISTEN/"
exec "$BIN" --db "$DB" serve --listen "$LISTEN"
