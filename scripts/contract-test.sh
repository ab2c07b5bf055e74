#!/usr/bin/env bash
# `npm run test:contract`: installs Schemathesis into a local virtual environment (cached under
# .tools/), then starts the whole system on free ports and runs Schemathesis against the OpenAPI
# document with every check, once per role (test/contract/run-contract.ts). Exits non-zero on
# any failure. Needs Python 3 with venv; nothing is installed outside the project.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV=.tools/venv
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

export SCHEMATHESIS_BIN="$PWD/$VENV/bin/schemathesis"
exec node_modules/.bin/ts-node --transpile-only test/contract/run-contract.ts
