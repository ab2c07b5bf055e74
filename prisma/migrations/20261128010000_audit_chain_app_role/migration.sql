-- Least privilege for the application, and a tamper-evident audit trail.
--
-- Migrations and the seed run as the schema owner. The API and the worker connect as
-- `cyberops_app` (a member of it, or the role itself with LOGIN): it reads and writes the
-- tables it needs, may only INSERT into (and read) the audit trail, and, not being the
-- owner, cannot ALTER the table or disable its triggers. Created here NOLOGIN if missing;
-- deployments give it LOGIN and a password (the launcher and the test setup do, compose's
-- prisma/docker/init-db.sh does).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cyberops_app') THEN
    CREATE ROLE cyberops_app NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO cyberops_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cyberops_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cyberops_app;
-- Tables of later migrations (run by the same owner) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cyberops_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cyberops_app;
REVOKE ALL ON "_prisma_migrations" FROM cyberops_app;
REVOKE ALL ON "AuditEvent" FROM cyberops_app;
GRANT SELECT, INSERT ON "AuditEvent" TO cyberops_app;

-- Hash chain: each row carries the hash of the previous row and a SHA-256 over its own
-- columns (nulls left out, so a nullable column added later does not change old digests).
-- `npm run audit:verify` recomputes it and names the first broken link.
ALTER TABLE "AuditEvent" ADD COLUMN "prevHash" TEXT, ADD COLUMN "hash" TEXT;

CREATE FUNCTION "audit_event_digest"(e "AuditEvent") RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to((jsonb_strip_nulls(to_jsonb(e) - 'hash'))::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION "audit_event_chain"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous TEXT;
BEGIN
  -- One appender at a time until its commit, and the id taken under that lock: the chain
  -- order is the id order, whatever the order in which concurrent transactions began.
  PERFORM pg_advisory_xact_lock(hashtext('AuditEvent hash chain'));
  NEW."id" := nextval(pg_get_serial_sequence('"AuditEvent"', 'id'));
  SELECT "hash" INTO previous FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1;
  NEW."prevHash" := coalesce(previous, repeat('0', 64));
  NEW."hash" := "audit_event_digest"(NEW);
  RETURN NEW;
END
$$;

-- Rows written before this migration join the chain in id order.
ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
DO $$
DECLARE
  r "AuditEvent";
  previous TEXT := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM "AuditEvent" ORDER BY "id" LOOP
    r."prevHash" := previous;
    r."hash" := "audit_event_digest"(r);
    UPDATE "AuditEvent" SET "prevHash" = r."prevHash", "hash" = r."hash" WHERE "id" = r."id";
    previous := r."hash";
  END LOOP;
END
$$;
ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";

CREATE TRIGGER "AuditEvent_hash_chain"
  BEFORE INSERT ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_chain"();
