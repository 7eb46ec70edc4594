-- Issue 18, SMS reminders (decision 026): the creditor's sending hours, the debtor's STOP, short portal links, Twilio's webhooks.
ALTER TYPE "WebhookProvider" ADD VALUE 'TWILIO';

ALTER TABLE "Creditor" ADD COLUMN "smsWindowStart" INTEGER NOT NULL DEFAULT 540,
ADD COLUMN "smsWindowEnd" INTEGER NOT NULL DEFAULT 1140,
ADD COLUMN "smsDays" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5, 6]::INTEGER[];

ALTER TABLE "Debtor" ADD COLUMN "smsOptOutAt" TIMESTAMP(3);

ALTER TABLE "AccessLink" ADD COLUMN "shortCode" TEXT,
ADD COLUMN "selectIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

CREATE UNIQUE INDEX "AccessLink_shortCode_key" ON "AccessLink"("shortCode");
