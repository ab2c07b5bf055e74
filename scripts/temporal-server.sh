#!/usr/bin/env bash
# Builds, once, the Temporal server and its SQL tool of the version docker-compose.yml pins
# (image temporalio/server:<version>) from the Go module proxy, into .tools/temporal-server/<version>/.
# Prints the bin folder. GOMODCACHE stays Go's default so later builds reuse the downloaded modules.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^[[:space:]]*image:[[:space:]]*temporalio\/server:\([0-9][0-9.]*\).*$/\1/p' docker-compose.yml | head -1)
if [ -z "$version" ]; then echo "docker-compose.yml pins no temporalio/server:<version>" >&2; exit 1; fi
bin="$PWD/.tools/temporal-server/$version/bin"

if [ ! -x "$bin/server" ] || [ ! -x "$bin/sql" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "Go is needed once to build the Temporal server $version (https://go.dev/dl/)" >&2; exit 1
  fi
  mkdir -p "$bin"
  echo "building Temporal server $version and its SQL tool (a few minutes the first time)..." >&2
  # Low priority: the build must not starve the machine's other work.
  for pkg in cmd/server cmd/tools/sql; do
    GOBIN="$bin" nice -n 15 go install "go.temporal.io/server/$pkg@v$version" >&2
  done
fi
echo "$bin"
