-- Issue 18: company status and insolvency watch (decision 024).
CREATE TYPE "CompanyStatus" AS ENUM ('ACTIVE', 'CEASED', 'NOT_FOUND');
CREATE TYPE "ProceedingKind" AS ENUM ('SAUVEGARDE', 'REDRESSEMENT', 'LIQUIDATION');

CREATE TABLE "DebtorSolvency" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "debtorId" TEXT NOT NULL,
    "siren" TEXT NOT NULL,
    "status" "CompanyStatus" NOT NULL,
    "registryName" TEXT,
    "legalFormCode" TEXT,
    "createdOn" DATE,
    "ceasedOn" DATE,
    "ceasedSeenAt" TIMESTAMP(3),
    "checkedAt" TIMESTAMP(3),
    "failedAt" TIMESTAMP(3),
    "failure" TEXT,
    "summary" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DebtorSolvency_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "InsolvencyProceeding" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "debtorId" TEXT NOT NULL,
    "kind" "ProceedingKind" NOT NULL,
    "announcementId" TEXT NOT NULL,
    "nature" TEXT NOT NULL,
    "openedOn" DATE NOT NULL,
    "publishedOn" DATE NOT NULL,
    "court" TEXT,
    "mandataire" TEXT,
    "claimDeadline" DATE NOT NULL,
    "closedOn" DATE,
    "closurePublishedOn" DATE,
    "closureAnnouncementId" TEXT,
    "closureNature" TEXT,
    "taskId" TEXT,
    "declarationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InsolvencyProceeding_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "DebtorSolvency_debtorId_key" ON "DebtorSolvency"("debtorId");
CREATE INDEX "DebtorSolvency_creditorId_status_idx" ON "DebtorSolvency"("creditorId", "status");
CREATE UNIQUE INDEX "InsolvencyProceeding_debtorId_announcementId_key" ON "InsolvencyProceeding"("debtorId", "announcementId");
CREATE INDEX "InsolvencyProceeding_creditorId_debtorId_openedOn_idx" ON "InsolvencyProceeding"("creditorId", "debtorId", "openedOn");

ALTER TABLE "DebtorSolvency" ADD CONSTRAINT "DebtorSolvency_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DebtorSolvency" ADD CONSTRAINT "DebtorSolvency_debtorId_fkey" FOREIGN KEY ("debtorId") REFERENCES "Debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "InsolvencyProceeding" ADD CONSTRAINT "InsolvencyProceeding_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "InsolvencyProceeding" ADD CONSTRAINT "InsolvencyProceeding_debtorId_fkey" FOREIGN KEY ("debtorId") REFERENCES "Debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
