-- Regional trends of intelligence and disseminations: each recipient's acknowledgement deadline
-- and feedback as columns, and (region, instant) indexes for the per-region, per-period aggregates.
ALTER TABLE "DisseminationRecipient" ADD COLUMN "ackDueAt" TIMESTAMP(3);
ALTER TABLE "DisseminationRecipient" ADD COLUMN "feedbackAt" TIMESTAMP(3);
ALTER TABLE "DisseminationRecipient" ADD COLUMN "feedbackOutcome" TEXT;

-- Rows projected before this column existed: delivery plus the priority's acknowledge SLA as it
-- stands now (the workflow's own deadline is projected from here on). PostgreSQL reads "2h",
-- "30s", "3d" as intervals; "w" is not among its units.
UPDATE "DisseminationRecipient" r
SET "ackDueAt" = r."deliveredAt" + replace(p."acknowledge", 'w', ' weeks')::interval
FROM "Dissemination" d JOIN "SlaPolicy" p ON p."priority" = d."priority"
WHERE d."id" = r."disseminationId" AND r."deliveredAt" IS NOT NULL
  AND p."acknowledge" ~ '^[0-9]+(\.[0-9]+)?(ms|s|m|h|d|w)$';

UPDATE "DisseminationRecipient"
SET "feedbackAt" = ("feedback"->>'at')::timestamptz AT TIME ZONE 'UTC', "feedbackOutcome" = "feedback"->>'outcome'
WHERE "feedback" IS NOT NULL AND "feedback" ? 'at';

-- Covering indexes (INCLUDE, which the Prisma schema cannot express; the names are the ones it
-- expects): each event stream of the trend query is an index-only range scan per region.
CREATE INDEX "DisseminationRecipient_region_deliveredAt_idx" ON "DisseminationRecipient"("region", "deliveredAt") INCLUDE ("disseminationId");
CREATE INDEX "DisseminationRecipient_region_acknowledgedAt_idx" ON "DisseminationRecipient"("region", "acknowledgedAt") INCLUDE ("disseminationId", "deliveredAt", "ackDueAt");
CREATE INDEX "DisseminationRecipient_region_ackDueAt_idx" ON "DisseminationRecipient"("region", "ackDueAt") INCLUDE ("disseminationId", "acknowledgedAt");
CREATE INDEX "DisseminationRecipient_region_feedbackAt_idx" ON "DisseminationRecipient"("region", "feedbackAt") INCLUDE ("disseminationId", "feedbackOutcome");

-- Items contributed by a region's countries: the existing (originatorCountry, createdAt) index,
-- covering what the trend query counts.
DROP INDEX "IntelItem_originatorCountry_createdAt_idx";
CREATE INDEX "IntelItem_originatorCountry_createdAt_idx" ON "IntelItem"("originatorCountry", "createdAt") INCLUDE ("priority", "status", "categories");
