#!/usr/bin/env bash
# CTest: the example deployment (deploy/run-local.sh --check), bounded. Skipped (exit 77) with a
# message only when nginx is not installed.
set -euo pipefail
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  echo "SKIP: nginx is not installed (bash scripts/install-deps.sh adds it); the deployment was not tested"
  exit 77
fi
exec timeout 120 bash "$(dirname "$0")/run-local.sh" --check "${1:-build}"
