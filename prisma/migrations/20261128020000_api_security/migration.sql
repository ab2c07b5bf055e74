-- SSE replay: every announced alert change gets the next number of one sequence.
CREATE SEQUENCE "alert_stream_seq";
ALTER TABLE "Alert" ADD COLUMN "streamSeq" BIGINT, ADD COLUMN "lastEvent" TEXT;
CREATE INDEX "Alert_streamSeq_idx" ON "Alert"("streamSeq");

-- Per-contact webhook signing secrets (encrypted by the application).
ALTER TABLE "Contact" ADD COLUMN "signingSecret" TEXT, ADD COLUMN "signingSecretRotatedAt" TIMESTAMP(3);

-- Staff directory: assignees and the officers escalations page.
CREATE TABLE "StaffOfficer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "region" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,
    CONSTRAINT "StaffOfficer_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "StaffOfficer_email_key" ON "StaffOfficer"("email");
CREATE INDEX "StaffOfficer_region_role_idx" ON "StaffOfficer"("region", "role");
