-- CreateTable
CREATE TABLE "Operation" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "objective" TEXT NOT NULL,
    "categories" TEXT[],
    "phase" TEXT NOT NULL,
    "exercise" BOOLEAN NOT NULL DEFAULT false,
    "lead" TEXT NOT NULL,
    "leadRegion" TEXT,
    "countries" TEXT[],
    "instants" JSONB NOT NULL,
    "totals" JSONB NOT NULL,
    "snapshot" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperationCountry" (
    "operationId" TEXT NOT NULL,
    "iso" CHAR(2) NOT NULL,
    "region" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "ready" BOOLEAN NOT NULL DEFAULT false,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "pointOfContact" TEXT,
    "teamSize" INTEGER,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "reports" JSONB NOT NULL DEFAULT '[]',
    "finalReport" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OperationCountry_pkey" PRIMARY KEY ("operationId","iso")
);

-- CreateIndex
CREATE UNIQUE INDEX "Operation_workflowId_key" ON "Operation"("workflowId");

-- CreateIndex
CREATE INDEX "Operation_phase_idx" ON "Operation"("phase");

-- CreateIndex
CREATE INDEX "Operation_createdAt_idx" ON "Operation"("createdAt");

-- CreateIndex
CREATE INDEX "OperationCountry_iso_idx" ON "OperationCountry"("iso");


-- Members list the operations their country takes part in.
CREATE INDEX "Operation_countries_gin" ON "Operation" USING GIN ("countries");
