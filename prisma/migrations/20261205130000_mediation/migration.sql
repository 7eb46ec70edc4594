-- Mediation (issue 18, decision 027): the creditor's consumer mediator, and the cases handed to mediation.
ALTER TABLE "Creditor" ADD COLUMN "consumerMediatorName" TEXT;
ALTER TABLE "Creditor" ADD COLUMN "consumerMediatorUrl" TEXT;
ALTER TABLE "Creditor" ADD COLUMN "consumerMediatorAddr" TEXT;

CREATE TYPE "MediationKind" AS ENUM ('BUSINESS_MEDIATOR', 'CONSUMER_MEDIATOR');
CREATE TYPE "MediationStatus" AS ENUM ('OPEN', 'AGREEMENT', 'NO_AGREEMENT', 'WITHDRAWN');

CREATE TABLE "Mediation" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "debtorId" TEXT NOT NULL,
    "kind" "MediationKind" NOT NULL,
    "status" "MediationStatus" NOT NULL DEFAULT 'OPEN',
    "openDebtorId" TEXT,
    "invoiceIds" TEXT[],
    "mediatorName" TEXT NOT NULL,
    "mediatorUrl" TEXT,
    "mediatorAddress" TEXT,
    "note" TEXT,
    "outcomeNote" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "openedByType" "ActorType" NOT NULL,
    "openedById" TEXT,
    "closedById" TEXT,
    "dossierAttachmentId" TEXT,
    "taskId" TEXT,
    "sourceKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mediation_pkey" PRIMARY KEY ("id")
);

-- One open mediation per debtor: openDebtorId is the debtor's id while OPEN, NULL once ended (NULLs never collide).
CREATE UNIQUE INDEX "Mediation_openDebtorId_key" ON "Mediation"("openDebtorId");
CREATE UNIQUE INDEX "Mediation_sourceKey_key" ON "Mediation"("sourceKey");
CREATE INDEX "Mediation_creditorId_debtorId_openedAt_idx" ON "Mediation"("creditorId", "debtorId", "openedAt");
CREATE INDEX "Mediation_creditorId_status_idx" ON "Mediation"("creditorId", "status");

ALTER TABLE "Mediation" ADD CONSTRAINT "Mediation_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Mediation" ADD CONSTRAINT "Mediation_debtorId_fkey" FOREIGN KEY ("debtorId") REFERENCES "Debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
