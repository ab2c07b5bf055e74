#!/usr/bin/env bash
# STIX 2.1 / TAXII 2.1 interoperability checks with the reference Python tools (OASIS
# stix2-validator, taxii2-client), installed into a virtual environment under .tools/.
# Idempotent; the test starts its own PostgreSQL, Temporal, API and worker.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=".tools/interop-venv"
STIX2_VALIDATOR_VERSION="${STIX2_VALIDATOR_VERSION:-3.3.2}"
TAXII2_CLIENT_VERSION="${TAXII2_CLIENT_VERSION:-2.3.0}"

if ! "$VENV/bin/python" -c "import stix2validator, taxii2client" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "stix2-validator==$STIX2_VALIDATOR_VERSION" "taxii2-client==$TAXII2_CLIENT_VERSION"
fi
bash scripts/setup.sh >/dev/null
exec npx ts-node --transpile-only test/interop/run-interop.ts
