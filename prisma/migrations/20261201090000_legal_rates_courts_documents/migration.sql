-- CreateEnum
CREATE TYPE "DebtorLegalForm" AS ENUM ('COMPANY', 'SOLE_TRADER', 'ARTISAN', 'LIBERAL_PROFESSION', 'ASSOCIATION', 'OTHER_CIVIL');

-- AlterTable
ALTER TABLE "Creditor" ADD COLUMN     "legalForm" TEXT,
ADD COLUMN     "legalRepresentative" TEXT,
ADD COLUMN     "rcsCity" TEXT,
ADD COLUMN     "shareCapital" INTEGER,
ADD COLUMN     "signatoryName" TEXT,
ADD COLUMN     "signatoryRole" TEXT;

-- AlterTable
ALTER TABLE "Debtor" ADD COLUMN     "legalForm" "DebtorLegalForm";

-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN     "deliveredAt" DATE;

-- CreateTable
CREATE TABLE "LegalRateRecord" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT,
    "rateTable" TEXT NOT NULL,
    "semester" TEXT NOT NULL,
    "bps" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "recordedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LegalRateRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LegalRateRecord_rateTable_semester_idx" ON "LegalRateRecord"("rateTable", "semester");

-- CreateIndex
CREATE UNIQUE INDEX "LegalRateRecord_creditorId_rateTable_semester_key" ON "LegalRateRecord"("creditorId", "rateTable", "semester");

-- AddForeignKey
ALTER TABLE "LegalRateRecord" ADD CONSTRAINT "LegalRateRecord_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

