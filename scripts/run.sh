#!/usr/bin/env bash
# Serves the app on the embedded SQLite database. The demo is loaded only into an empty database:
# a database with data (a user's own projects, reports, users, audit log) is never touched.
set -euo pipefail
BIN=$1 DB=$2 LISTEN=$3
mkdir -p "$(dirname "$DB")"
"$BIN" --db "$DB" demo --if-empty
if [[ -f "$DB.logins" ]]; then
  echo "演示账号的随机密码保存在 (the demo logins' random passwords are in) $DB.logins (仅 root 可读)"
fi
echo
echo "打开 (open): http://$LISTEN/"
exec "$BIN" --db "$DB" serve --listen "$LISTEN"
