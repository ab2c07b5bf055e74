-- Notifications become a durable outbox: workflows record them, the worker's dispatcher delivers them.
ALTER TABLE "Notification" ADD COLUMN "dispatch" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN "leasedUntil" TIMESTAMP(3),
ADD COLUMN "contactId" TEXT;

-- CreateIndex
CREATE INDEX "Notification_dispatch_status_nextAttemptAt_idx" ON "Notification"("dispatch", "status", "nextAttemptAt");
