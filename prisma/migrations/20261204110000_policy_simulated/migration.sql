-- AlterTable
ALTER TABLE "DunningPolicy" ADD COLUMN     "simulatedAt" TIMESTAMP(3),
ADD COLUMN     "simulatedById" TEXT;
