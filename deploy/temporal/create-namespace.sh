#!/bin/sh
# Registers the namespace with its retention, then the workflows' search attributes
# (workflows/common/search-attributes.ts; test/topology/compose.spec.ts keeps the lists equal).
# Idempotent. Run by docker-compose.yml's temporal-namespace step (temporalio/admin-tools) and by
# `npm run test:topology` (TEMPORAL_CLI = the project's Temporal CLI).
set -eu
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must be set}"
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-30d}
CLI=${TEMPORAL_CLI:-temporal}
SEARCH_ATTRIBUTES="CyberCountry CyberRegion CyberStatus CyberPriority CyberCategory CyberOperation"

attempt=1
until "$CLI" operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  if [ "$attempt" -ge 60 ]; then echo "Temporal at $TEMPORAL_ADDRESS is not healthy" >&2; exit 1; fi
  attempt=$((attempt + 1))
  sleep 2
done

if "$CLI" operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1; then
  "$CLI" operator namespace update --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --retention "$RETENTION" >/dev/null
  echo "namespace $NAMESPACE: exists (retention $RETENTION)"
else
  "$CLI" operator namespace create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --retention "$RETENTION" >/dev/null
  echo "namespace $NAMESPACE: created (retention $RETENTION)"
fi

# A new namespace reaches every service's cache within seconds.
attempt=1
until existing=$("$CLI" operator search-attribute list --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" -o json 2>/dev/null); do
  if [ "$attempt" -ge 60 ]; then echo "namespace $NAMESPACE is not usable" >&2; exit 1; fi
  attempt=$((attempt + 1))
  sleep 1
done
for name in $SEARCH_ATTRIBUTES; do
  if echo "$existing" | grep -q "\"$name\""; then continue; fi
  "$CLI" operator search-attribute create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --name "$name" --type Keyword >/dev/null
  echo "search attribute $name: created"
done
echo "namespace $NAMESPACE: ready"
