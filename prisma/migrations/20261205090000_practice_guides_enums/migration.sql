-- Issue 18: SMS and mediation levels, the insolvency and mediation pauses, the claim-declaration and mediation tasks.
ALTER TYPE "DunningChannel" ADD VALUE 'SMS';
ALTER TYPE "DunningChannel" ADD VALUE 'MEDIATION';
ALTER TYPE "PauseReason" ADD VALUE 'INSOLVENCY';
ALTER TYPE "PauseReason" ADD VALUE 'MEDIATION';
ALTER TYPE "TaskKind" ADD VALUE 'DECLARE_CLAIM';
ALTER TYPE "TaskKind" ADD VALUE 'MEDIATION';
ALTER TYPE "CommChannel" ADD VALUE 'SMS';
