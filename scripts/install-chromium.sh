#!/usr/bin/env bash
# The browser for `npm run test:browser`: Debian's Chromium from apt (Playwright never downloads
# one here). Does nothing when it is already installed or CHROMIUM_PATH points at a browser.
set -euo pipefail

target="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$target" ]; then
  echo "chromium: $("$target" --version 2>/dev/null | head -1 || echo "$target")"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no Chromium at $target and no apt-get: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: $("$target" --version 2>/dev/null | head -1)"
