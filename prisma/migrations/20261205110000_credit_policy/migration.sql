-- Issue 18, credit policy (decision 025): a debtor's credit limit and payment terms, and the plan rule over the limit.
CREATE TYPE "TermsBasis" AS ENUM ('NET', 'END_OF_MONTH');

ALTER TABLE "Debtor" ADD COLUMN "creditLimit" INTEGER,
ADD COLUMN "paymentTermsDays" INTEGER,
ADD COLUMN "paymentTermsBasis" "TermsBasis" NOT NULL DEFAULT 'NET';

ALTER TABLE "Creditor" ADD COLUMN "planOverLimitDownPc" INTEGER;
