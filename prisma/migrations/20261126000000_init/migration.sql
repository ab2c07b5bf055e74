-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Country" (
    "iso" CHAR(2) NOT NULL,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL,

    CONSTRAINT "Country_pkey" PRIMARY KEY ("iso")
);

-- CreateTable
CREATE TABLE "CountryGroup" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "CountryGroup_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "CountryGroupMember" (
    "groupCode" TEXT NOT NULL,
    "countryIso" CHAR(2) NOT NULL,

    CONSTRAINT "CountryGroupMember_pkey" PRIMARY KEY ("groupCode","countryIso")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL,
    "countryIso" CHAR(2),
    "region" TEXT,
    "role" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "priority" TEXT NOT NULL,
    "triage" TEXT NOT NULL,
    "firstResponse" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "acknowledge" TEXT NOT NULL,
    "warnAt" DOUBLE PRECISION NOT NULL DEFAULT 0.75,
    "escalationStep" TEXT NOT NULL DEFAULT '15m',
    "escalationLoops" INTEGER NOT NULL DEFAULT 3,
    "ackExpiry" TEXT NOT NULL DEFAULT '1h',
    "autoCloseAfter" TEXT NOT NULL DEFAULT '7d',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("priority")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorSub" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "actorCountry" TEXT,
    "action" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "beforeState" TEXT,
    "afterState" TEXT,
    "data" JSONB,
    "requestId" TEXT,
    "dedupeKey" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportRequest" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "region" TEXT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "requestHash" TEXT,
    "category" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "indicators" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "assignee" TEXT,
    "duplicateOf" TEXT,
    "deconfliction" JSONB,
    "snapshot" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "SupportRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IndicatorSighting" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "country" CHAR(2),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IndicatorSighting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "clock" TEXT,
    "country" CHAR(2),
    "region" TEXT,
    "level" INTEGER NOT NULL DEFAULT 0,
    "levelName" TEXT,
    "recipients" JSONB NOT NULL DEFAULT '[]',
    "workflowId" TEXT NOT NULL,
    "raisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "escalatedAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedBy" TEXT,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" BIGSERIAL NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Country_region_idx" ON "Country"("region");

-- CreateIndex
CREATE INDEX "Contact_countryIso_rank_idx" ON "Contact"("countryIso", "rank");

-- CreateIndex
CREATE INDEX "Contact_region_role_idx" ON "Contact"("region", "role");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_dedupeKey_key" ON "AuditEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "AuditEvent_objectType_objectId_id_idx" ON "AuditEvent"("objectType", "objectId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SupportRequest_workflowId_key" ON "SupportRequest"("workflowId");

-- CreateIndex
CREATE INDEX "SupportRequest_country_createdAt_idx" ON "SupportRequest"("country", "createdAt");

-- CreateIndex
CREATE INDEX "SupportRequest_region_createdAt_idx" ON "SupportRequest"("region", "createdAt");

-- CreateIndex
CREATE INDEX "SupportRequest_status_idx" ON "SupportRequest"("status");

-- CreateIndex
CREATE UNIQUE INDEX "SupportRequest_submittedBy_idempotencyKey_key" ON "SupportRequest"("submittedBy", "idempotencyKey");

-- CreateIndex
CREATE INDEX "IndicatorSighting_type_value_idx" ON "IndicatorSighting"("type", "value");

-- CreateIndex
CREATE UNIQUE INDEX "IndicatorSighting_objectType_objectId_type_value_key" ON "IndicatorSighting"("objectType", "objectId", "type", "value");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_dedupeKey_key" ON "Alert"("dedupeKey");

-- CreateIndex
CREATE INDEX "Alert_region_raisedAt_idx" ON "Alert"("region", "raisedAt");

-- CreateIndex
CREATE INDEX "Alert_objectType_objectId_idx" ON "Alert"("objectType", "objectId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_idempotencyKey_key" ON "Notification"("idempotencyKey");

-- AddForeignKey
ALTER TABLE "CountryGroupMember" ADD CONSTRAINT "CountryGroupMember_groupCode_fkey" FOREIGN KEY ("groupCode") REFERENCES "CountryGroup"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CountryGroupMember" ADD CONSTRAINT "CountryGroupMember_countryIso_fkey" FOREIGN KEY ("countryIso") REFERENCES "Country"("iso") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_countryIso_fkey" FOREIGN KEY ("countryIso") REFERENCES "Country"("iso") ON DELETE CASCADE ON UPDATE CASCADE;


-- The audit trail is append-only: the database itself refuses to rewrite history.
CREATE FUNCTION "audit_event_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP;
END
$$;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_is_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_is_append_only"();
