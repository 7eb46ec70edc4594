-- CreateTable
CREATE TABLE "EmailWording" (
    "id" TEXT NOT NULL,
    "creditorId" TEXT NOT NULL,
    "templateKey" TEXT NOT NULL,
    "tone" "Tone" NOT NULL,
    "locale" "Locale" NOT NULL,
    "subject" TEXT NOT NULL,
    "paragraphs" TEXT[],
    "updatedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EmailWording_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EmailWording_creditorId_templateKey_tone_locale_key" ON "EmailWording"("creditorId", "templateKey", "tone", "locale");

-- AddForeignKey
ALTER TABLE "EmailWording" ADD CONSTRAINT "EmailWording_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
