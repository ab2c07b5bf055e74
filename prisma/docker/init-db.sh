#!/bin/sh
# Run by the postgres image on first start with an empty volume, as the superuser.
# Creates the schema owner `cyberops` (migrations, seed) and the application's least-privilege
# role `cyberops_app` (API, worker), each with the password given in the environment; no
# password is written here. Temporal's databases come from the temporal-schema step.
set -eu
: "${CYBEROPS_DB_PASSWORD:?set CYBEROPS_DB_PASSWORD}"
: "${CYBEROPS_APP_DB_PASSWORD:?set CYBEROPS_APP_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$CYBEROPS_DB_PASSWORD" -v app_pw="$CYBEROPS_APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE cyberops LOGIN PASSWORD %L', :'owner_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cyberops')\gexec
SELECT format('CREATE ROLE cyberops_app LOGIN PASSWORD %L', :'app_pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cyberops_app')\gexec
SELECT 'CREATE DATABASE cyberops OWNER cyberops'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'cyberops')\gexec
SQL
