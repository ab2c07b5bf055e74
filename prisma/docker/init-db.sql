-- Run by the postgres image on first start with an empty volume (psql, as the superuser).
-- Temporal's databases (temporal, temporal_visibility) are created by temporalio/auto-setup.
-- Credentials must match DATABASE_URL in docker-compose.yml.
SELECT 'CREATE ROLE cyberops LOGIN PASSWORD ''cyberops'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cyberops')\gexec

SELECT 'CREATE DATABASE cyberops OWNER cyberops'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'cyberops')\gexec
