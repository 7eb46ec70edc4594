-- CreateEnum
CREATE TYPE "InboundEmailSource" AS ENUM ('RESEND', 'IMAP', 'RAW', 'DEV');

-- CreateEnum
CREATE TYPE "InboundEmailStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'UNROUTED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReplySuggestionStatus" AS ENUM ('NONE', 'PENDING', 'ACCEPTED', 'DISMISSED');

-- AlterEnum
ALTER TYPE "PauseReason" ADD VALUE 'AWAITING_ANSWER';

-- AlterTable
ALTER TABLE "Communication" ADD COLUMN     "inReplyTo" TEXT,
ADD COLUMN     "messageId" TEXT;

-- AlterTable
ALTER TABLE "Creditor" ADD COLUMN     "awaitingAnswerDays" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "dunningEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "dunningEnabledAt" TIMESTAMP(3),
ADD COLUMN     "logoAttachmentId" TEXT,
ADD COLUMN     "replyToEmail" TEXT,
ADD COLUMN     "senderName" TEXT,
ADD COLUMN     "siret" TEXT,
ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'Europe/Paris';

-- CreateTable
CREATE TABLE "InboundEmail" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT,
    "source" "InboundEmailSource" NOT NULL,
    "messageId" TEXT NOT NULL,
    "status" "InboundEmailStatus" NOT NULL DEFAULT 'RECEIVED',
    "storagePath" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "fromAddress" TEXT,
    "fromName" TEXT,
    "toAddress" TEXT,
    "subject" TEXT,
    "inReplyTo" TEXT,
    "routedBy" TEXT,
    "debtorId" TEXT,
    "communicationId" TEXT,
    "repliesToCommunicationId" TEXT,
    "automated" BOOLEAN NOT NULL DEFAULT false,
    "automatedReason" TEXT,
    "visibleText" TEXT,
    "intent" TEXT,
    "understanding" JSONB,
    "suggestionStatus" "ReplySuggestionStatus" NOT NULL DEFAULT 'NONE',
    "handledAt" TIMESTAMP(3),
    "handledById" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "InboundEmail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailboxConnection" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 993,
    "secure" BOOLEAN NOT NULL DEFAULT true,
    "username" TEXT NOT NULL,
    "passwordEnc" TEXT NOT NULL,
    "folder" TEXT NOT NULL DEFAULT 'INBOX',
    "processedFolder" TEXT NOT NULL DEFAULT 'relance-traite',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastUid" INTEGER,
    "lastCheckedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MailboxConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnownSenderAddress" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "debtorId" TEXT NOT NULL,
    "learnedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnownSenderAddress_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InboundEmail_messageId_key" ON "InboundEmail"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "InboundEmail_communicationId_key" ON "InboundEmail"("communicationId");

-- CreateIndex
CREATE INDEX "InboundEmail_creditorId_status_receivedAt_idx" ON "InboundEmail"("creditorId", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundEmail_creditorId_suggestionStatus_idx" ON "InboundEmail"("creditorId", "suggestionStatus");

-- CreateIndex
CREATE INDEX "InboundEmail_creditorId_debtorId_handledAt_idx" ON "InboundEmail"("creditorId", "debtorId", "handledAt");

-- CreateIndex
CREATE UNIQUE INDEX "MailboxConnection_creditorId_key" ON "MailboxConnection"("creditorId");

-- CreateIndex
CREATE UNIQUE INDEX "KnownSenderAddress_creditorId_address_key" ON "KnownSenderAddress"("creditorId", "address");

-- CreateIndex
CREATE INDEX "Communication_messageId_idx" ON "Communication"("messageId");

-- AddForeignKey
ALTER TABLE "InboundEmail" ADD CONSTRAINT "InboundEmail_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailboxConnection" ADD CONSTRAINT "MailboxConnection_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnownSenderAddress" ADD CONSTRAINT "KnownSenderAddress_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnownSenderAddress" ADD CONSTRAINT "KnownSenderAddress_debtorId_fkey" FOREIGN KEY ("debtorId") REFERENCES "Debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Creditors that already existed keep sending: the switch is for new ones (go-live checklist).
UPDATE "Creditor" SET "dunningEnabled" = true, "dunningEnabledAt" = CURRENT_TIMESTAMP;
