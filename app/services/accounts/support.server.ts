export { inTransaction } from "~/utils/db.server";

export const creditorName = (c: { legalName: string; brandName: string | null }) => c.brandName?.trim() || c.legalName;
