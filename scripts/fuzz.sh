#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time on the
# corpus kept in fuzz/corpus (new inputs go to a temporary folder, the repo stays clean).
# FUZZ_SECONDS (default 10) per target.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-10}
OUT=${1:-build}/fuzz
mkdir -p "$OUT"
CXX=$(command -v clang++ || command -v clang++-14)
SRC=(server/src/common/text.cc server/src/common/money.cc server/src/common/dates.cc server/src/common/status.cc
     server/src/documents/xlsx_reader.cc server/src/documents/xls_reader.cc server/src/domain/import_parser.cc
     server/src/domain/model.cc server/src/domain/problem_model.cc server/src/domain/financing_model.cc)
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Iserver/src
       $(pkg-config --cflags libzip))
LIBS=($(pkg-config --libs libzip) -lexpat -lfreexl)
# The product sources are compiled once, two at a time, into objects the three fuzzers share; only
# the fuzzer's own file differs between them (FUZZ_XLSX / FUZZ_XML). Objects are rebuilt when a source
# or header changed since.
OBJ="$OUT/obj"
mkdir -p "$OBJ"
stale=()
for src in "${SRC[@]}"; do
  obj="$OBJ/$(echo "$src" | tr / _).o"
  if [[ ! -f $obj || -n $(find server/src -newer "$obj" \( -name '*.cc' -o -name '*.h' \) | head -1) ]]; then stale+=("$src"); fi
done
OBJ_FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Iserver/src
           $(pkg-config --cflags libzip))
if (( ${#stale[@]} )); then
  echo "fuzz: compiling ${#stale[@]} sources"
  running=0
  for src in "${stale[@]}"; do
    "$CXX" "${OBJ_FLAGS[@]}" -c "$src" -o "$OBJ/$(echo "$src" | tr / _).o" &
    if (( ++running >= ${JOBS:-2} )); then wait -n; running=$((running - 1)); fi
  done
  while (( running > 0 )); do wait -n; running=$((running - 1)); done
fi
OBJS=()
for src in "${SRC[@]}"; do OBJS+=("$OBJ/$(echo "$src" | tr / _).o"); done
for kind in xlsx xml csv; do
  defines=(-DFUZZ_XLSX=$([[ $kind == xlsx ]] && echo 1 || echo 0) -DFUZZ_XML=$([[ $kind == xml ]] && echo 1 || echo 0))
  bin="$OUT/${kind}_fuzzer"
  if [[ ! -x $bin || fuzz/table_fuzzer.cc -nt $bin || -n $(find "$OBJ" -newer "$bin" -name '*.o' | head -1) ]]; then
    echo "fuzz: building $kind fuzzer"
    "$CXX" "${FLAGS[@]}" "${defines[@]}" fuzz/table_fuzzer.cc "${OBJS[@]}" "${LIBS[@]}" -o "$bin"
  fi
  work=$(mktemp -d)
  echo "fuzz: $kind for ${SECONDS_EACH}s"
  status=0
  (cd "$work" && "$OLDPWD/$bin" -seed=1 -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 -max_len=262144 \
     "$work" "$OLDPWD/fuzz/corpus/$kind" >"$work.log" 2>&1) || status=$?
  grep -E "DONE|Done [0-9]+ runs|ERROR|SUMMARY" "$work.log" | tail -3 || true
  if [[ $status -ne 0 ]]; then
    echo "fuzz: $kind fuzzer failed (exit $status); the crashing input is in $work (see $work.log)"
    tail -40 "$work.log"
    exit 1
  fi
  rm -rf "$work" "$work.log"
done
echo "fuzz: no crash"
