-- E-invoice import (decision 020) and the e-invoice life cycle (decision 011).
ALTER TABLE "Invoice" ADD COLUMN "einvoice" JSONB;

CREATE TYPE "LifecycleDirection" AS ENUM ('IN', 'OUT');

CREATE TABLE "InvoiceLifecycleEvent" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "code" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "direction" "LifecycleDirection" NOT NULL,
    "reason" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "data" JSONB,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InvoiceLifecycleEvent_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "InvoiceLifecycleEvent_creditorId_dedupeKey_key" ON "InvoiceLifecycleEvent"("creditorId", "dedupeKey");
CREATE INDEX "InvoiceLifecycleEvent_creditorId_invoiceId_occurredAt_idx" ON "InvoiceLifecycleEvent"("creditorId", "invoiceId", "occurredAt");

ALTER TABLE "InvoiceLifecycleEvent" ADD CONSTRAINT "InvoiceLifecycleEvent_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "InvoiceLifecycleEvent" ADD CONSTRAINT "InvoiceLifecycleEvent_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
