#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version of the
# SQL tool running it. Idempotent: `create` ignores an existing database, `setup-schema -v 0.0`
# leaves a newer schema alone, `update-schema` applies only what is missing.
# Run by docker-compose.yml's temporal-schema step (temporalio/admin-tools) and by
# `npm run test:topology` (TEMPORAL_SQL_TOOL = the sql tool built under .tools/).
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS must be set}"
: "${POSTGRES_USER:?POSTGRES_USER must be set}"
: "${POSTGRES_PWD:?POSTGRES_PWD must be set}"
SQL_TOOL=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}

# The tool reads its connection from these (a password in argv would show in `ps`).
export SQL_PLUGIN=postgres12 SQL_HOST="$POSTGRES_SEEDS" SQL_PORT="${DB_PORT:-5432}"
export SQL_USER="$POSTGRES_USER" SQL_PASSWORD="$POSTGRES_PWD"

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  schema=postgresql/v12/${pair#*:}
  echo "temporal schema: $db ($schema)"
  "$SQL_TOOL" --db "$db" create
  "$SQL_TOOL" --db "$db" setup-schema -v 0.0
  # The schema files are embedded in the tool, so its version and the server's stay paired.
  "$SQL_TOOL" --db "$db" update-schema --schema-name "$schema"
done
echo 'temporal schema: up to date'
