#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster on a loopback port, exported to it as
# KP_TEST_PG_URL, and removes the cluster afterwards. As root, the server runs as `postgres`.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
TMP=$(mktemp -d /tmp/kp-pg.XXXXXX)
AS=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$TMP"
  AS=(runuser -u postgres --)
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
       || echo $((20000 + RANDOM % 20000)))
cleanup() {
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
"${AS[@]}" "$PGBIN/initdb" -D "$TMP/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >"$TMP/initdb.log" 2>&1 \
  || { cat "$TMP/initdb.log"; exit 1; }
"${AS[@]}" "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w \
  -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$TMP/server.log"; exit 1; }
"${AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres kp_test
export KP_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PORT/kp_test"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT"
"$@"
