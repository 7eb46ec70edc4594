-- Issue 18: early-payment discount (escompte, C. com. L441-9), decision 028.
ALTER TABLE "Creditor" ADD COLUMN     "earlyDiscountRateBps" INTEGER,
ADD COLUMN     "earlyDiscountDays" INTEGER NOT NULL DEFAULT 8;

ALTER TABLE "Invoice" ADD COLUMN     "discountRateBps" INTEGER,
ADD COLUMN     "discountUntil" DATE,
ADD COLUMN     "discountAmount" INTEGER,
ADD COLUMN     "discountAppliedAt" TIMESTAMP(3),
ADD COLUMN     "discountPaymentId" TEXT;
