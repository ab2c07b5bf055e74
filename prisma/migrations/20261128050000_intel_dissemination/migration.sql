-- Deconfliction index: feedback rows carry the recipient's outcome.
ALTER TABLE "IndicatorSighting" ADD COLUMN "outcome" TEXT;

-- CreateTable
CREATE TABLE "IntelItem" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "categories" TEXT[],
    "indicators" JSONB NOT NULL,
    "indicatorSetHash" TEXT,
    "priority" TEXT NOT NULL,
    "tlp" TEXT NOT NULL,
    "sourceKind" TEXT NOT NULL,
    "sourceName" TEXT,
    "reliability" CHAR(1) NOT NULL,
    "credibility" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "duplicateOf" TEXT,
    "originatorSub" TEXT NOT NULL,
    "originatorRole" TEXT NOT NULL,
    "originatorCountry" CHAR(2),
    "deconfliction" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntelItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dissemination" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "intelId" TEXT NOT NULL,
    "tlp" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "analystSub" TEXT NOT NULL,
    "namedAddresses" TEXT[],
    "recipientCount" INTEGER NOT NULL,
    "totals" JSONB NOT NULL,
    "approval" JSONB,
    "recallReason" TEXT,
    "recalledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dissemination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisseminationRecipient" (
    "disseminationId" TEXT NOT NULL,
    "iso" CHAR(2) NOT NULL,
    "region" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 0,
    "levelName" TEXT,
    "attempts" JSONB NOT NULL DEFAULT '[]',
    "deliveredAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedBy" TEXT,
    "feedback" JSONB,
    "alertId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DisseminationRecipient_pkey" PRIMARY KEY ("disseminationId","iso")
);

-- CreateIndex
CREATE INDEX "IntelItem_indicatorSetHash_idx" ON "IntelItem"("indicatorSetHash");
CREATE INDEX "IntelItem_createdAt_idx" ON "IntelItem"("createdAt");
CREATE INDEX "IntelItem_originatorCountry_createdAt_idx" ON "IntelItem"("originatorCountry", "createdAt");
CREATE INDEX "IntelItem_originatorSub_idx" ON "IntelItem"("originatorSub");
CREATE UNIQUE INDEX "Dissemination_workflowId_key" ON "Dissemination"("workflowId");
CREATE INDEX "Dissemination_intelId_idx" ON "Dissemination"("intelId");
CREATE INDEX "Dissemination_createdAt_idx" ON "Dissemination"("createdAt");
CREATE INDEX "Dissemination_namedAddresses_idx" ON "Dissemination" USING GIN ("namedAddresses");
CREATE INDEX "DisseminationRecipient_iso_disseminationId_idx" ON "DisseminationRecipient"("iso", "disseminationId");

-- AddForeignKey
ALTER TABLE "Dissemination" ADD CONSTRAINT "Dissemination_intelId_fkey" FOREIGN KEY ("intelId") REFERENCES "IntelItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "DisseminationRecipient" ADD CONSTRAINT "DisseminationRecipient_disseminationId_fkey" FOREIGN KEY ("disseminationId") REFERENCES "Dissemination"("id") ON DELETE CASCADE ON UPDATE CASCADE;
