-- Partner grants (`partner-grant/<id>`): the read model the API checks on every partner request,
-- and the partner as an intelligence originator whose items await an analyst's grading.
ALTER TABLE "IntelItem" ADD COLUMN "originatorOrg" TEXT,
ADD COLUMN "gradedBy" TEXT,
ADD COLUMN "gradedAt" TIMESTAMP(3);

CREATE TABLE "PartnerGrant" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "org" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "objectLabel" TEXT NOT NULL,
    "tlpCeiling" TEXT NOT NULL,
    "namedSubs" TEXT[],
    "purpose" TEXT NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "remindAt" TIMESTAMP(3) NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "grantedByRole" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "remindedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "revokedBy" TEXT,
    "revokeReason" TEXT,
    "contributions" JSONB NOT NULL DEFAULT '[]',
    "requestHash" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartnerGrant_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "PartnerGrant_workflowId_key" ON "PartnerGrant"("workflowId");
CREATE INDEX "PartnerGrant_org_status_endsAt_idx" ON "PartnerGrant"("org", "status", "endsAt");
CREATE INDEX "PartnerGrant_objectType_objectId_idx" ON "PartnerGrant"("objectType", "objectId");
CREATE INDEX "PartnerGrant_grantedBy_createdAt_idx" ON "PartnerGrant"("grantedBy", "createdAt");
CREATE INDEX "PartnerGrant_createdAt_idx" ON "PartnerGrant"("createdAt");
