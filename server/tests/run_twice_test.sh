#!/usr/bin/env bash
# `make run`'s steps twice around a user's own data: the second run must serve the user's project,
# not a fresh demo (scripts/run.sh loads the demo only into an empty database).
set -euo pipefail
BIN=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/kp-run-twice.XXXXXX)
PID=
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
DB=$TMP/data/keyproject.db

serve_once() {  # runs scripts/run.sh until it serves, then stops it; its output goes to $1
  bash "$ROOT/scripts/run.sh" "$BIN" "$DB" 127.0.0.1:0 >"$1" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do
    grep -q 'serving): http://127.0.0.1:[0-9]' "$1" && break
    sleep 0.1
  done
  grep -q 'serving): http://127.0.0.1:[0-9]' "$1" || { cat "$1"; echo "FAIL: the server did not start"; exit 1; }
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

serve_once "$TMP/first.log"
grep -q '演示数据已载入' "$TMP/first.log" || { cat "$TMP/first.log"; echo "FAIL: the first run did not load the demo"; exit 1; }
[[ $(stat -c %a "$DB.logins") == 600 ]] || { echo "FAIL: the logins file is readable by others"; exit 1; }
if grep -q 'Admin@2024\|Demo@2024' "$TMP/first.log" "$DB.logins"; then echo "FAIL: a known password"; exit 1; fi
LOGINS_BEFORE=$(sha256sum "$DB.logins")

# The user's own work between the two runs.
printf '项目编码,项目名称,项目级别,计划年度,年度计划投资(万元)\nMINE-1,我的项目,县重点,2024,123.45\n' >"$TMP/mine.csv"
"$BIN" import projects "$TMP/mine.csv" --db "$DB" >/dev/null
COUNT_BEFORE=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM projects')
AUDIT_BEFORE=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_log')

serve_once "$TMP/second.log"
grep -q 'demo not loaded' "$TMP/second.log" || { cat "$TMP/second.log"; echo "FAIL: the second run did not leave the data alone"; exit 1; }
[[ $(sqlite3 "$DB" "SELECT name FROM projects WHERE code = 'MINE-1'") == 我的项目 ]] || { echo "FAIL: the user's project is gone"; exit 1; }
[[ $(sqlite3 "$DB" 'SELECT COUNT(*) FROM projects') == "$COUNT_BEFORE" ]] || { echo "FAIL: projects changed"; exit 1; }
(( $(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_log') >= AUDIT_BEFORE )) || { echo "FAIL: the audit log shrank"; exit 1; }
[[ $(sha256sum "$DB.logins") == "$LOGINS_BEFORE" ]] || { echo "FAIL: the demo logins were remade"; exit 1; }
echo "run twice: the user's data is intact"
