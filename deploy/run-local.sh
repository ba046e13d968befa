#!/usr/bin/env bash
# The example deployment on one machine: a PostgreSQL (throwaway, unless KP_TEST_PG_URL names
# one), the demo data, two `keyproject serve` processes started with the systemd unit's own
# command line and a config file each, and nginx terminating TLS with a self-signed certificate.
#   deploy/run-local.sh [BUILD_DIR]           serve until Ctrl-C; prints the https URL
#   deploy/run-local.sh --check [BUILD_DIR]   start, check requests through TLS reach both servers, stop
# Needs nginx and openssl (scripts/install-deps.sh installs them). Everything lives in a temporary
# folder that is removed on exit; only processes started here are stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK=0
if [[ "${1:-}" == "--check" ]]; then CHECK=1; shift; fi
BUILD=${1:-build}
BIN=$(realpath "$BUILD/keyproject")
[[ -x "$BIN" ]] || { echo "run-local: no binary at $BUILD/keyproject (make build)"; exit 1; }
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
[[ -n "$NGINX" ]] || { echo "run-local: nginx is not installed (bash scripts/install-deps.sh)"; exit 1; }

# One PostgreSQL for both servers: the one given, else a throwaway cluster around this script.
if [[ -z "${KP_TEST_PG_URL:-}" ]]; then
  exec bash scripts/with-postgres.sh bash "$0" $([[ $CHECK == 1 ]] && echo --check) "$BUILD"
fi

WORK=$(mktemp -d /tmp/kp-deploy.XXXXXX)
chmod 755 "$WORK"  # nginx's workers (nobody, when started as root) use its temp folders
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -q "$KP_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
DBNAME="kp_deploy_$$"
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The database: its own, beside whatever else uses this PostgreSQL.
psql -q "$KP_TEST_PG_URL" -c "CREATE DATABASE $DBNAME" >/dev/null
DB="${KP_TEST_PG_URL%/*}/$DBNAME"
"$BIN" --db "$DB" demo --reset --logins-out "$WORK/demo-logins" >"$WORK/demo.log"
ADMIN_PASSWORD=$(awk -F'\t' '$1 == "admin" {print $2}' "$WORK/demo-logins")

# A self-signed certificate for localhost.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
chmod 600 "$WORK/key.pem"

# Two servers, each from its config file, run with the unit's ExecStart.
EXEC=$(sed -n 's/^ExecStart=//p' deploy/keyproject@.service)
UPSTREAMS=()
for name in a b; do
  port=$(free_port)
  sed -e "s|^db = .*|db = $DB|" -e "s|^listen = .*|listen = 127.0.0.1:$port|" \
      -e "s|^web = .*|web = $PWD/web/dist|" -e "s|^access-log = .*|access-log = $WORK/$name-access.log|" \
      deploy/keyproject.conf >"$WORK/$name.conf"
  cmd=${EXEC//\/usr\/local\/bin\/keyproject/$BIN}
  cmd=${cmd//\/etc\/keyproject\/%i.conf/$WORK/$name.conf}
  $cmd >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  UPSTREAMS+=("127.0.0.1:$port")
done
for u in "${UPSTREAMS[@]}"; do
  for _ in $(seq 100); do curl -sf "http://$u/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf "http://$u/healthz" >/dev/null || { echo "run-local: server $u did not start"; cat "$WORK"/*.log; exit 1; }
done

HTTPS_PORT=$(free_port)
sed -e "s|@PREFIX@|$WORK|g" -e "s|@UPSTREAM_A@|${UPSTREAMS[0]}|" -e "s|@UPSTREAM_B@|${UPSTREAMS[1]}|" \
    -e "s|@HTTPS_PORT@|$HTTPS_PORT|" deploy/nginx.conf.in >"$WORK/nginx.conf"
"$NGINX" -t -q -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log"
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" -g "daemon off;" &
PIDS+=($!)
URL="https://localhost:$HTTPS_PORT"
for _ in $(seq 100); do curl -sf --cacert "$WORK/cert.pem" "$URL/healthz" >/dev/null && break; sleep 0.1; done

if [[ $CHECK == 0 ]]; then
  echo "KeyProject behind nginx: $URL/ (self-signed: $WORK/cert.pem); servers ${UPSTREAMS[*]}; Ctrl-C stops"
  wait "${PIDS[-1]}"
  exit 0
fi

# --check: requests through TLS, verified against the certificate, reach both servers.
fail() { echo "deploy check FAILED: $*"; tail -n 20 "$WORK"/*.log; exit 1; }
seen=""
for i in $(seq 6); do
  up=$(curl -sS --cacert "$WORK/cert.pem" -o /dev/null -D - "$URL/api/openapi.json" | tr -d '\r' \
       | sed -n 's/^[Xx]-[Uu]pstream: //p')
  [[ -n "$up" ]] || fail "no answer through TLS"
  seen+="$up"$'\n'
done
for u in "${UPSTREAMS[@]}"; do
  grep -qx "$u" <<<"$seen" || fail "no request reached $u (answered by: $(sort -u <<<"$seen" | tr '\n' ' '))"
  # ... and each server logged it, with nginx's request id.
  n=$(grep -c '"route":"/api/openapi.json"' "$WORK/$([[ $u == "${UPSTREAMS[0]}" ]] && echo a || echo b)-access.log" || true)
  (( n >= 1 )) || fail "the access log of $u has no request"
done
# Sign-in through TLS: the session cookie is Secure (the server sees X-Forwarded-Proto: https).
cookie=$(curl -sS --cacert "$WORK/cert.pem" -D - -o /dev/null -H 'Content-Type: application/json' \
         --data "{\"login\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$URL/api/auth/login" | tr -d '\r' | grep -i '^set-cookie:' || true)
grep -q "Secure" <<<"$cookie" || fail "the session cookie is not Secure behind TLS: $cookie"
# Plain HTTP is not served on the TLS port, and /metrics is not public.
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$HTTPS_PORT/healthz") == 400 ]] || fail "plain HTTP answered"
[[ $(curl -s --cacert "$WORK/cert.pem" -o /dev/null -w '%{http_code}' "$URL/metrics") == 404 ]] || fail "/metrics is public"
# Read the whole body first: with pipefail, `curl | grep -q` fails when grep stops early and curl gets SIGPIPE.
metrics=$(curl -sf "http://${UPSTREAMS[0]}/metrics" || true)
grep -q '^keyproject_http_requests_total' <<<"$metrics" || fail "no metrics on the server"
echo "deploy check passed: TLS at $URL reached ${UPSTREAMS[*]}"
