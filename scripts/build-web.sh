#!/usr/bin/env bash
# Installs the front end's npm packages when the lock file changed, and builds web/dist.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ ! -f dist/index.html || -n $(find src index.html package.json vite.config.* -newer dist/index.html 2>/dev/null | head -1) ]]; then
  npm run build --silent
fi
