-- Working-group action plans: one row per item (workflow working-group/<region>/<year>/item/<n>).
CREATE TABLE "ActionPlanItem" (
    "id" TEXT NOT NULL,
    "workingGroupId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "ownerCountry" CHAR(2) NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "operationId" TEXT,
    "exerciseOperationIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 0,
    "snapshot" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionPlanItem_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ActionPlanItem_workingGroupId_n_key" ON "ActionPlanItem"("workingGroupId", "n");
CREATE INDEX "ActionPlanItem_workingGroupId_ownerCountry_idx" ON "ActionPlanItem"("workingGroupId", "ownerCountry");
CREATE INDEX "ActionPlanItem_operationId_idx" ON "ActionPlanItem"("operationId");
