#!/usr/bin/env bash
# Installs what KeyProject needs from Debian 12 (and, with --web, npm). Idempotent:
# packages already present are not reinstalled, so a second run costs ~1 s.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libsoci-dev libsqlite3-dev libpq-dev postgresql sqlite3
  libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev wrk clang libclang-rt-14-dev
  libxlsxwriter-dev libzip-dev libexpat1-dev libfreexl-dev python3-openpyxl
  curl ca-certificates python3 time libcurl4-openssl-dev libssl-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils
  nginx openssl
  libvips-dev libexif-dev libheif-dev libheif-examples
  libreoffice-writer-nogui
)
if [[ "${1:-}" == "--web" || "${KP_WEB:-0}" == "1" ]]; then
  PKGS+=(nodejs npm chromium fonts-noto-cjk)
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs may come from outside dpkg on dev machines; accept a working node/npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi

if (( ${#missing[@]} )); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # libboost1.81-dev conflicts with 1.74's dev packages; drop them if present.
  if dpkg-query -W -f='${Status}' libboost1.74-dev 2>/dev/null | grep -q "install ok installed"; then
    $SUDO apt-get remove -y libboost1.74-dev || true
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi
