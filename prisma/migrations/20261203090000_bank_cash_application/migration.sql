-- CreateEnum
CREATE TYPE "BankTransactionStatus" AS ENUM ('UNMATCHED', 'SUGGESTED', 'APPLIED', 'IGNORED', 'NOT_OURS');

-- AlterTable
ALTER TABLE "Creditor" ADD COLUMN     "bankAutoApplyThreshold" INTEGER NOT NULL DEFAULT 90;

-- CreateTable
CREATE TABLE "BankStatementImport" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "createdById" TEXT,
    "format" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "storagePath" TEXT,
    "csvMappingId" TEXT,
    "status" "ImportStatus" NOT NULL DEFAULT 'QUEUED',
    "transactions" INTEGER NOT NULL DEFAULT 0,
    "newCount" INTEGER NOT NULL DEFAULT 0,
    "applied" INTEGER NOT NULL DEFAULT 0,
    "suggested" INTEGER NOT NULL DEFAULT 0,
    "unmatched" INTEGER NOT NULL DEFAULT 0,
    "ignored" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BankStatementImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankTransaction" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "bookingDate" DATE NOT NULL,
    "valueDate" DATE,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "counterpartyName" TEXT,
    "counterpartyIban" TEXT,
    "remittance" TEXT NOT NULL DEFAULT '',
    "structuredRef" TEXT,
    "bankCode" TEXT,
    "reversal" BOOLEAN NOT NULL DEFAULT false,
    "status" "BankTransactionStatus" NOT NULL DEFAULT 'UNMATCHED',
    "suggestions" JSONB NOT NULL DEFAULT '[]',
    "paymentId" TEXT,
    "importId" TEXT,
    "statementDate" DATE,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BankTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayerIdentity" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "debtorId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "learnedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PayerIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankCsvMapping" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "columns" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankCsvMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankConnection" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "institutionName" TEXT NOT NULL,
    "requisitionId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'CREATED',
    "accountIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "lastSyncedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BankConnection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BankStatementImport_creditorId_createdAt_idx" ON "BankStatementImport"("creditorId", "createdAt");

-- CreateIndex
CREATE INDEX "BankStatementImport_status_createdAt_idx" ON "BankStatementImport"("status", "createdAt");

-- CreateIndex
CREATE INDEX "BankTransaction_creditorId_status_bookingDate_idx" ON "BankTransaction"("creditorId", "status", "bookingDate");

-- CreateIndex
CREATE INDEX "BankTransaction_creditorId_paymentId_idx" ON "BankTransaction"("creditorId", "paymentId");

-- CreateIndex
CREATE INDEX "BankTransaction_importId_idx" ON "BankTransaction"("importId");

-- CreateIndex
CREATE UNIQUE INDEX "BankTransaction_creditorId_key_key" ON "BankTransaction"("creditorId", "key");

-- CreateIndex
CREATE INDEX "PayerIdentity_creditorId_kind_value_idx" ON "PayerIdentity"("creditorId", "kind", "value");

-- CreateIndex
CREATE UNIQUE INDEX "PayerIdentity_creditorId_debtorId_kind_value_key" ON "PayerIdentity"("creditorId", "debtorId", "kind", "value");

-- CreateIndex
CREATE UNIQUE INDEX "BankCsvMapping_creditorId_name_key" ON "BankCsvMapping"("creditorId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "BankConnection_requisitionId_key" ON "BankConnection"("requisitionId");

-- CreateIndex
CREATE INDEX "BankConnection_creditorId_idx" ON "BankConnection"("creditorId");

-- AddForeignKey
ALTER TABLE "BankStatementImport" ADD CONSTRAINT "BankStatementImport_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankTransaction" ADD CONSTRAINT "BankTransaction_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankTransaction" ADD CONSTRAINT "BankTransaction_importId_fkey" FOREIGN KEY ("importId") REFERENCES "BankStatementImport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayerIdentity" ADD CONSTRAINT "PayerIdentity_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PayerIdentity" ADD CONSTRAINT "PayerIdentity_debtorId_fkey" FOREIGN KEY ("debtorId") REFERENCES "Debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankCsvMapping" ADD CONSTRAINT "BankCsvMapping_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankConnection" ADD CONSTRAINT "BankConnection_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

