#!/usr/bin/env bash
# Installs the Debian packages interdict builds, tests and benchmarks with.
# Skips apt when everything is already there, so repeated runs are quick.
set -euo pipefail

PACKAGES=(build-essential cmake ninja-build pkg-config clang llvm libclang-rt-dev time
          libicu-dev libxml2-dev libjansson-dev libssl-dev libsqlite3-dev
          libcurl4-openssl-dev python3 libmicrohttpd-dev libpq-dev postgresql wrk curl
          chromium)

# The web page test's one npm package (playwright-core, driving Debian's
# Chromium); node itself may come from elsewhere.
install_web_test_deps() {
  local web
  web="$(cd "$(dirname "$0")/.." && pwd)/tests/web"
  if [ -f "$web/package-lock.json" ] && [ ! -d "$web/node_modules/playwright-core" ] &&
     command -v npm >/dev/null; then
    (cd "$web" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
      echo "install-deps: npm ci in tests/web failed" >&2
  fi
}
trap install_web_test_deps EXIT

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
