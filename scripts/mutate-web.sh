#!/usr/bin/env bash
# Stryker 9 on web/src/composables with the Vitest runner; the score goes into bench/MUTATION.md
# (between its web markers). Stryker is installed for the run only (npm --no-save): it is not part
# of the app's dependencies. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/../web"
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
# Installing Stryker without saving still prunes and changes node_modules: afterwards the app's own
# dependencies are put back exactly as the lock file says (npm ci), so build-web.sh and the tests see them.
trap 'npm ci --no-audit --no-fund --loglevel=error' EXIT
# Stryker 9 (10 needs Node 22; Debian's and this machine's Node is 20).
STRYKER=9.6.1
if [[ "$(node -p "require('./node_modules/@stryker-mutator/core/package.json').version" 2>/dev/null)" != "$STRYKER" ||
      ! -d node_modules/@stryker-mutator/vitest-runner ]]; then
  npm install --no-save --no-audit --no-fund --loglevel=error \
    "@stryker-mutator/core@$STRYKER" "@stryker-mutator/vitest-runner@$STRYKER"
fi
# The configuration: the first argument when it names one (stryker.units.config.mjs: the mount-free specs
# against the composables they test), else every composable against the whole suite.
CONFIG=stryker.config.mjs
if [[ "${1:-}" == *.mjs ]]; then CONFIG=$1; shift; fi
nice -n 19 npx stryker run "$CONFIG" "$@"  # e.g. --mutate src/composables/csv.ts
CONFIG=$CONFIG python3 - <<'PY'
import datetime, json, os, platform
report = json.load(open("reports/mutation/mutation.json"))
counts = {}
survivors = []
for name, f in report["files"].items():
    for m in f["mutants"]:
        counts[m["status"]] = counts.get(m["status"], 0) + 1
        if m["status"] == "Survived":
            loc = m["location"]["start"]
            survivors.append(f"| {name}:{loc['line']} | {m['mutatorName']} | `{m.get('replacement', '').strip()[:60]}` |")
killed = counts.get("Killed", 0) + counts.get("Timeout", 0)
survived = counts.get("Survived", 0) + counts.get("NoCoverage", 0)
score = 100.0 * killed / (killed + survived) if killed + survived else 0.0
block = ["<!-- mutate-web: begin -->", "",
         f"Stryker run of {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} CPUs): "
         f"`{os.environ.get('CONFIG', 'stryker.config.mjs')}` over {len(report['files'])} files "
         f"({', '.join(sorted(os.path.basename(n) for n in report['files']))}), {sum(counts.values())} mutants: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
         + f"; score **{score:.1f} %** (killed + timeout over killed + survived + no coverage).", ""]
if survivors:
    block += ["| where | mutator | replacement |", "|---|---|---|"] + survivors
block += ["", "<!-- mutate-web: end -->"]
path = "../bench/MUTATION.md"
text = open(path).read() if os.path.exists(path) else "# Mutation testing\n"
b, e = "<!-- mutate-web: begin -->", "<!-- mutate-web: end -->"
text = text[: text.index(b)] + "\n".join(block) + text[text.index(e) + len(e):] if b in text else text + "\n" + "\n".join(block) + "\n"
open(path, "w").write(text)
print(f"mutate-web: {score:.1f} % -> bench/MUTATION.md")
PY
