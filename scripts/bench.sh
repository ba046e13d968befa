#!/usr/bin/env bash
# The speed benchmarks at province scale (bench/README.md). Builds nothing: `make bench` has built
# BUILD_DIR already. Everything lands in bench/out/ (git-ignored).
#  1. kp_bench under GNU time (peak memory), with a throwaway PostgreSQL from with-postgres.sh:
#     the province generator, imports through the Store, the engine against SQL on SQLite and PostgreSQL.
#  2. `keyproject serve` on the province's SQLite file on a free loopback port, and wrk on the cached
#     GET /api/stats?year=2024&month=6&by=region. wrk and the server share the machine's cores.
#  3. kp_bench_xlsx: the register and returns exported and imported at province scale.
#  4. kp_bench_warnings (issue 10): colours and counts, engine against the same rules as SQL; wrk on the
#     cached GET /api/warnings; `keyproject export wallchart` timed at 10 000 (.xlsx) and 1 000 (.pdf)
#     projects. KP_BENCH_ONLY=warnings runs step 4 alone.
#  5. kp_bench_reports (issue 13): the monthly analysis of the demo county, of a 2,000-project city and of a
#     100,000-project province as .docx and .pdf. KP_BENCH_ONLY=reports runs step 5 alone.
#  6. kp_bench_financing on SQLite and PostgreSQL, kp_bench_leads (issue 12). KP_BENCH_ONLY=money alone.
# Every wait is bounded; only 127.0.0.1 is used.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."

OUT=bench/out
DB=$OUT/province.db
BENCH_TIMEOUT=${KP_BENCH_TIMEOUT:-3600}    # seconds for the whole kp_bench run
WRK_SECONDS=${KP_WRK_SECONDS:-10}          # per wrk run
WRK_CONNECTIONS=${KP_WRK_CONNECTIONS:-32}
SERVER_THREADS=${KP_SERVER_THREADS:-2}
WRK_RUNS=${KP_WRK_RUNS:-3}                 # runs of the main wrk measurement; the median is reported
QUIET_WAIT=${KP_BENCH_QUIET_WAIT:-300}     # seconds to wait for a quiet machine (< 15% CPU busy) before timing
READY_TIMEOUT=120                           # seconds for the server to load the province
STOP_TIMEOUT=30
STATS_PATH="/api/stats?year=2024&month=6&by=region"
LOGIN=bench
FIRST_PASSWORD='Bench-First-2024'
PASSWORD='Bench-Wrk-2024!'

# The benchmarks are outside `all`: build them here (a no-op when they are up to date).
cmake --build "$BUILD" -j"${JOBS:-2}" --target benches
for bin in "$BUILD/kp_bench" "$BUILD/keyproject"; do
  [[ -x $bin ]] || { echo "bench: $bin is missing: build first (make bench)"; exit 1; }
done
for tool in wrk curl python3 timeout; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps.sh installs it)"; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "bench: GNU time (/usr/bin/time, Debian package 'time') is missing"; exit 1; }
mkdir -p "$OUT"

# The cores are shared: wait (bounded) until other work has stopped, and say how busy the machine was.
cpu_times() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat; }
busy_percent() {  # CPU use of the whole machine over 3 s
  local b1 i1 b2 i2
  read -r b1 i1 < <(cpu_times); sleep 3; read -r b2 i2 < <(cpu_times)
  echo $(( (b2 - b1) * 100 / ((b2 - b1) + (i2 - i1) + 1) ))
}
wait_quiet() {
  local deadline=$((SECONDS + QUIET_WAIT)) busy
  busy=$(busy_percent)
  while (( busy >= 15 && SECONDS < deadline )); do busy=$(busy_percent); done
  echo "before $1: machine ${busy}% busy, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "host: $(uname -srm); $(nproc) cores; $(free -g | awk '/^Mem:/{print $2}') GiB"
  [[ -r /etc/debian_version ]] && echo "debian: $(cat /etc/debian_version)"
} | tee "$OUT/machine.txt"

# ---- the server under wrk: start_server, stop_server, run_wrk (used by steps 2 and 4) ----------
JAR=$(mktemp /tmp/kp-bench-cookies.XXXXXX)
SERVER_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  rm -f "$JAR"
}
trap cleanup EXIT

# start_server DB: `keyproject serve` on DB on a free loopback port, signed in as $LOGIN (sets BASE,
# SERVER_PID, READY_S, HEADERS).
start_server() {
  local DB=$1
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$PORT"

  # Sign-in, when the binary has users: a user whose first password is changed over HTTP, as a person would.
  HAS_USERS=0
  if "$BUILD/keyproject" --help | grep -qE "^ +user +"; then
    HAS_USERS=1
    echo "$FIRST_PASSWORD" | "$BUILD/keyproject" --db "$DB" user add "$LOGIN" --role leader --password-stdin >/dev/null \
      || echo "$FIRST_PASSWORD" | "$BUILD/keyproject" --db "$DB" user passwd "$LOGIN" --password-stdin >/dev/null
  fi

  START_NS=$(date +%s%N)
  "$BUILD/keyproject" --db "$DB" serve --listen "127.0.0.1:$PORT" --threads "$SERVER_THREADS" >"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  deadline=$((SECONDS + READY_TIMEOUT))
  until [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$BASE/api/auth/me" || true) != 000 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench: the server exited:"; cat "$OUT/server.log"; exit 1; }
    (( SECONDS < deadline )) || { echo "bench: the server was not ready in ${READY_TIMEOUT}s"; exit 1; }
    sleep 0.2
  done
  READY_S=$(python3 -c "print(f'{($(date +%s%N) - $START_NS) / 1e9:.2f}')")
  rss_mib() { awk -v f="$1:" '$1 == f {printf "%d", $2 / 1024}' "/proc/$SERVER_PID/status"; }
  echo "server ready in ${READY_S}s: RSS $(rss_mib VmRSS) MiB, peak $(rss_mib VmHWM) MiB"

  # json_field FILE KEY: a top-level string field of a JSON file.
  json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
  login() {
    curl -sS -m 30 -c "$JAR" -o "$OUT/login.json" -H 'Content-Type: application/json' \
      -d "{\"login\":\"$LOGIN\",\"password\":\"$1\"}" "$BASE/api/auth/login"
    json_field "$OUT/login.json" csrf_token
  }
  COOKIE=""
  if (( HAS_USERS )); then
    CSRF=$(login "$FIRST_PASSWORD")
    curl -sS -m 30 -b "$JAR" -o /dev/null -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
      -d "{\"old_password\":\"$FIRST_PASSWORD\",\"new_password\":\"$PASSWORD\"}" "$BASE/api/auth/password"
    login "$PASSWORD" >/dev/null
    COOKIE="kp_session=$(awk '$6 == "kp_session" {print $7}' "$JAR")"
  fi
  HEADERS=()
  [[ -n $COOKIE ]] && HEADERS=(-H "Cookie: $COOKIE")
}

stop_server() {
  kill -INT "$SERVER_PID"
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$SERVER_PID" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.2; done
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# run_wrk NAME THREADS CONNECTIONS PATH: one bounded wrk run; fails on any non-2xx answer. Prints
# req/s; the run's CPU shares (machine, server, wrk, the rest) go to stderr and wrk_NAME.txt.
HZ=$(getconf CLK_TCK)
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
run_wrk() {
  local out="$OUT/wrk_$1.txt" b1 i1 b2 i2 s1 s2 wrk_cpu
  read -r b1 i1 < <(cpu_times); s1=$(server_ticks)
  /usr/bin/time -f '%U %S' -o "$OUT/wrk_$1.cpu" \
    wrk -t"$2" -c"$3" -d"${WRK_SECONDS}s" --timeout 5s --latency "${HEADERS[@]}" "$BASE$4" >"$out"
  read -r b2 i2 < <(cpu_times); s2=$(server_ticks)
  wrk_cpu=$(awk -v hz="$HZ" '{printf "%d", ($1 + $2) * hz}' "$OUT/wrk_$1.cpu")
  awk -v b=$((b2 - b1)) -v i=$((i2 - i1)) -v s=$((s2 - s1)) -v w="$wrk_cpu" 'BEGIN {
        t = b + i; if (t < 1) t = 1
        printf "cpu during the run: machine %d%% busy = server %d%% + wrk %d%% + rest %d%% (other processes, kernel time charged to neither)\n",
               100 * b / t, 100 * s / t, 100 * w / t, 100 * (b - s - w) / t }' >>"$out"
  cat "$out" >&2
  if grep -q 'Non-2xx' "$out"; then echo "bench: wrk $1 got non-2xx answers" >&2; exit 1; fi
  awk '/^Requests\/sec/{printf "%d", $2}' "$out"
}
cpu_shares() { grep -h '^cpu during' "$OUT/wrk_$1.txt" | sed 's/^cpu during the run: //'; }

# ---- 5. the monthly analysis (issue 13) ------------------------------------------------------------
run_reports() {
  [[ -x $BUILD/kp_bench_reports ]] || { echo "bench: $BUILD/kp_bench_reports is missing"; exit 1; }
  rm -f "$OUT/demo.db"
  "$BUILD/keyproject" --db "$OUT/demo.db" demo --reset --logins-out "$OUT/demo-logins.txt" >/dev/null
  wait_quiet reports
  "$BUILD/kp_bench_reports" --demo-db="$OUT/demo.db" --projects=2000 --province=100000 | tee "$OUT/reports.txt"
}
if [[ ${KP_BENCH_ONLY:-} == reports ]]; then run_reports; exit 0; fi

# ---- 6. 融资对接 and 产业招商 (issue 12) ----------------------------------------------------------------
# The financing funnel and a bank's list at 100 000 demands / 1 000 000 bank answers, on SQLite and then on
# a throwaway PostgreSQL; carrier matching and the leads' funnel. KP_BENCH_ONLY=money runs step 6 alone.
run_money() {
  rm -f "$OUT/financing.db"
  wait_quiet financing
  bash scripts/with-postgres.sh bash -c 'exec "$0" --db="$1" --db="$KP_TEST_PG_URL"' \
    "$BUILD/kp_bench_financing" "$OUT/financing.db" 2>&1 | tee "$OUT/financing.txt"
  wait_quiet leads
  "$BUILD/kp_bench_leads" 2>&1 | tee "$OUT/leads.txt"
}
if [[ ${KP_BENCH_ONLY:-} == money ]]; then run_money; exit 0; fi

# KP_BENCH_ONLY=warnings runs step 4 alone.
if [[ ${KP_BENCH_ONLY:-} != warnings ]]; then
# ---- 1. kp_bench -----------------------------------------------------------------------------
# KP_BENCH_HTTP_ONLY=1 reuses the database and figures of the previous run (to repeat step 2 alone).
if [[ ${KP_BENCH_HTTP_ONLY:-0} == 1 && -f $DB && -f $OUT/kp_bench.time ]]; then
  echo "bench: KP_BENCH_HTTP_ONLY=1: reusing $DB and $OUT/kp_bench.txt"
else
  wait_quiet kp_bench
  bash scripts/with-postgres.sh /usr/bin/time -v -o "$OUT/kp_bench.time" timeout "$BENCH_TIMEOUT" \
    "$BUILD/kp_bench" --sqlite="$DB" --benchmark_out="$OUT/kp_bench.json" --benchmark_out_format=json \
    --benchmark_color=false 2>&1 | tee "$OUT/kp_bench.txt"
fi
BENCH_PEAK_KB=$(awk -F': ' '/Maximum resident set size/{print $2}' "$OUT/kp_bench.time")

# ---- 2. wrk against the server ---------------------------------------------------------------
rm -f "$OUT"/wrk_*.txt
start_server "$DB"

# The first request computes and caches the answer; it must succeed.
FIRST_S=$(curl -sS -m 30 "${HEADERS[@]}" -o "$OUT/stats_region.json" -w '%{http_code} %{time_total}' "$BASE$STATS_PATH")
[[ ${FIRST_S%% *} == 200 ]] || { echo "bench: GET $STATS_PATH answered ${FIRST_S%% *}:"; cat "$OUT/stats_region.json"; exit 1; }
echo "first GET $STATS_PATH (computes, then cached): ${FIRST_S#* }s, $(stat -c %s "$OUT/stats_region.json") bytes"

wait_quiet wrk
echo "== wrk: server --threads $SERVER_THREADS, wrk on the same $(nproc) cores, ${WRK_SECONDS}s each =="
RUNS=()
for ((i = 1; i <= WRK_RUNS; i++)); do RUNS+=("$(run_wrk "stats_t1_run$i" 1 "$WRK_CONNECTIONS" "$STATS_PATH")"); done
RPS_STATS=$(printf '%s\n' "${RUNS[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
RPS_STATS_T2=$(run_wrk stats_t2 2 $((WRK_CONNECTIONS * 2)) "$STATS_PATH")
RPS_ME=""
if (( HAS_USERS )); then RPS_ME=$(run_wrk auth_me_t1 1 "$WRK_CONNECTIONS" "/api/auth/me"); fi
SERVER_RSS=$(rss_mib VmRSS)
SERVER_PEAK=$(rss_mib VmHWM)

stop_server

{
  echo
  echo "== bench summary =="
  cat "$OUT/machine.txt"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  sed -n '/^== summary/,$p' "$OUT/kp_bench.txt"
  echo "kp_bench peak RSS (GNU time): $((BENCH_PEAK_KB / 1024)) MiB"
  echo
  echo "keyproject serve on the province (SQLite): ready in ${READY_S}s; RSS ${SERVER_RSS} MiB after wrk, peak ${SERVER_PEAK} MiB"
  echo "cached GET $STATS_PATH: median ${RPS_STATS} req/s of ${WRK_RUNS} runs (${RUNS[*]}) with wrk -t1 -c$WRK_CONNECTIONS; ${RPS_STATS_T2} req/s with wrk -t2 -c$((WRK_CONNECTIONS * 2))"
  for ((i = 1; i <= WRK_RUNS; i++)); do echo "  run $i: ${RUNS[i - 1]} req/s; $(cpu_shares "stats_t1_run$i")"; done
  echo "  -t2 run: $(cpu_shares stats_t2)"
  [[ -n $RPS_ME ]] && echo "reference GET /api/auth/me (signed in, tiny JSON): ${RPS_ME} req/s (wrk -t1 -c$WRK_CONNECTIONS); $(cpu_shares auth_me_t1)"
  target=30000
  if (( RPS_STATS >= target )); then v=MET; else v=MISSED; fi
  echo "target >= $target req/s: $RPS_STATS -> $v"
} | tee "$OUT/summary.txt"

# ---- 3. spreadsheets at province scale -------------------------------------------------------
if [[ -x "$BUILD/kp_bench_xlsx" ]]; then
  echo "== xlsx: export and import of the 100k register and 1.2M monthly returns =="
  timeout "$BENCH_TIMEOUT" "$BUILD/kp_bench_xlsx" --dir="$OUT" | tee "$OUT/xlsx.txt"
fi
fi  # KP_BENCH_ONLY

# ---- 4. issue 10: warning colours (engine vs SQL), cached /api/warnings, the wall chart export --------
if [[ -x "$BUILD/kp_bench_warnings" ]]; then
  W=$OUT/warnings.db
  WARN_PATH="/api/warnings?as_of=2024-06-30&by=region&projects=none"
  wait_quiet kp_bench_warnings
  bash scripts/with-postgres.sh /usr/bin/time -v -o "$OUT/warnings.time" timeout "$BENCH_TIMEOUT" \
    "$BUILD/kp_bench_warnings" --sqlite="$W" 2>&1 | tee "$OUT/warnings.txt"
  WARN_PEAK_KB=$(awk -F': ' '/Maximum resident set size/{print $2}' "$OUT/warnings.time")

  rm -f "$OUT"/wrk_warnings_*.txt
  start_server "$W"
  FIRST_W=$(curl -sS -m 30 "${HEADERS[@]}" -o "$OUT/warnings_region.json" -w '%{http_code} %{time_total}' "$BASE$WARN_PATH")
  [[ ${FIRST_W%% *} == 200 ]] || { echo "bench: GET $WARN_PATH answered ${FIRST_W%% *}:"; cat "$OUT/warnings_region.json"; exit 1; }
  wait_quiet wrk_warnings
  WRUNS=()
  for ((i = 1; i <= WRK_RUNS; i++)); do WRUNS+=("$(run_wrk "warnings_t1_run$i" 1 "$WRK_CONNECTIONS" "$WARN_PATH")"); done
  RPS_WARN=$(printf '%s\n' "${WRUNS[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
  stop_server

  # The wall chart through the CLI as a bureau runs it (process start, loading the database, writing).
  timed_export() {  # DB OUTPUT: prints "seconds peak-MiB"
    /usr/bin/time -f '%e %M' -o "$OUT/export.time" timeout "$BENCH_TIMEOUT" \
      "$BUILD/keyproject" --db "$1" export wallchart --as-of 2024-06-30 -o "$2" >/dev/null
    awk '{printf "%s s, peak %d MiB", $1, $2 / 1024}' "$OUT/export.time"
  }
  "$BUILD/kp_bench_warnings" --projects=10000 --sqlite="$OUT/wall10k.db" --load-only >/dev/null
  "$BUILD/kp_bench_warnings" --projects=1000 --sqlite="$OUT/wall1k.db" --load-only >/dev/null
  wait_quiet wallchart
  XLSX_10K=$(timed_export "$OUT/wall10k.db" "$OUT/wall10k.xlsx")
  PDF_1K=$(timed_export "$OUT/wall1k.db" "$OUT/wall1k.pdf")
  {
    echo
    echo "== issue 10 summary =="
    date -u '+%Y-%m-%d %H:%M:%S UTC'
    sed -n '/^== summary/,$p' "$OUT/warnings.txt"
    echo "kp_bench_warnings peak RSS (GNU time): $((WARN_PEAK_KB / 1024)) MiB"
    echo "first GET $WARN_PATH (computes, then cached): ${FIRST_W#* }s, $(stat -c %s "$OUT/warnings_region.json") bytes"
    echo "cached GET $WARN_PATH: median ${RPS_WARN} req/s of ${WRK_RUNS} runs (${WRUNS[*]}) with wrk -t1 -c$WRK_CONNECTIONS"
    for ((i = 1; i <= WRK_RUNS; i++)); do
      echo "  run $i: ${WRUNS[i - 1]} req/s, latency p50 $(awk '$1 == "50%" {print $2}' "$OUT/wrk_warnings_t1_run$i.txt") p99 $(awk '$1 == "99%" {print $2}' "$OUT/wrk_warnings_t1_run$i.txt"); $(cpu_shares "warnings_t1_run$i")"
    done
    if (( RPS_WARN >= 20000 )); then v=MET; else v=MISSED; fi
    echo "target cached /api/warnings >= 20000 req/s: $v"
    echo "wall chart .xlsx, 10 000 projects (keyproject export wallchart, whole process): $XLSX_10K; $(stat -c %s "$OUT/wall10k.xlsx") bytes (target <= 3 s)"
    echo "wall chart .pdf, 1 000 projects (whole process): $PDF_1K; $(stat -c %s "$OUT/wall1k.pdf") bytes (target <= 5 s)"
  } | tee "$OUT/warnings_summary.txt"
fi

[[ -n ${KP_BENCH_ONLY:-} ]] || run_reports
[[ -n ${KP_BENCH_ONLY:-} ]] || run_money
