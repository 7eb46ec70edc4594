import type { ImportField, RowError } from "~/domain/intake/csv-import";

export type StoredRowError = RowError & { message: string };

/** The stored row errors as a CSV report (the count is exact; the list is capped). */
export function errorReportCsv(
  job: { errors: unknown; errorCount: number },
  describe: (e: StoredRowError) => string,
  labels: { line: string; field: string; error: string; value: string; truncated: string },
  fieldName: (field: ImportField) => string = (f) => f,
): string {
  const quote = (v: string | number) => {
    const s = String(v);
    // Also defuses spreadsheet formulas (CSV injection).
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const errors = (job.errors as StoredRowError[]) ?? [];
  const lines = [[labels.line, labels.field, labels.error, labels.value].join(";")];
  for (const e of errors) lines.push([e.line, e.field ? fieldName(e.field) : "", describe(e), e.value ?? ""].map(quote).join(";"));
  if (job.errorCount > errors.length) lines.push(quote(labels.truncated));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
