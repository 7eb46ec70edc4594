import { z } from "zod";
import { logger } from "~/utils/logger.server";

/**
 * The ECB Data Portal (SDMX 2.1 REST, no key): the main refinancing operations
 * fixed rate, series FM.B.U2.EUR.4F.KR.MRR_FR.LEV, one observation per rate
 * change. Asking for the last observation up to a date (`endPeriod` +
 * `lastNObservations=1`) gives the rate in force on that date. The call is
 * never required: any failure comes back as `{ ok: false }` and is logged.
 */
export const ECB_API_BASE = "https://data-api.ecb.europa.eu/service/data";
export const ECB_MRO_SERIES = "FM.B.U2.EUR.4F.KR.MRR_FR.LEV";
export const ECB_MRO_URL = `${ECB_API_BASE}/FM/B.U2.EUR.4F.KR.MRR_FR.LEV`;

export type EcbRateResult =
  { ok: true; bps: number; observedOn: string } | { ok: false; reason: "network" | "http" | "malformed" | "no_data"; message: string };

/** SDMX-JSON 1.0, the parts we read: observations keyed by their index in the TIME_PERIOD values. */
const SdmxJson = z.object({
  dataSets: z
    .array(
      z.object({
        series: z.record(
          z.string(),
          z.object({ observations: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.null()])).min(1)) }),
        ),
      }),
    )
    .min(1),
  structure: z.object({
    dimensions: z.object({
      observation: z.array(z.object({ id: z.string(), values: z.array(z.object({ id: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })) })).min(1),
    }),
  }),
});

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The MRO rate in force on `date` (UTC day), in basis points. */
export async function fetchMainRefinancingRate(date: Date, opts: { timeoutMs?: number } = {}): Promise<EcbRateResult> {
  const url = `${ECB_MRO_URL}?format=jsondata&detail=dataonly&endPeriod=${isoDay(date)}&lastNObservations=1`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
  } catch (error) {
    logger.warn({ err: error, url }, "ECB Data Portal unreachable");
    return { ok: false, reason: "network", message: (error as Error).message };
  }
  // The portal answers 404 "No results found" when nothing matches the query.
  if (response.status === 404) return { ok: false, reason: "no_data", message: "no observation up to this date" };
  if (!response.ok) {
    logger.warn({ status: response.status, url }, "ECB Data Portal refused the query");
    return { ok: false, reason: "http", message: `HTTP ${response.status}` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    logger.warn({ err: error, url }, "ECB Data Portal sent something that is not JSON");
    return { ok: false, reason: "malformed", message: "not JSON" };
  }
  const parsed = SdmxJson.safeParse(body);
  if (!parsed.success) {
    logger.warn({ issues: parsed.error.issues.slice(0, 3), url }, "ECB Data Portal answer has an unexpected shape");
    return { ok: false, reason: "malformed", message: parsed.error.issues[0]?.message ?? "unexpected shape" };
  }
  const dates =
    parsed.data.structure.dimensions.observation.find((d) => d.id === "TIME_PERIOD")?.values ??
    parsed.data.structure.dimensions.observation[0]!.values;
  const series = Object.values(parsed.data.dataSets[0]!.series)[0];
  const day = isoDay(date);
  let best: { observedOn: string; value: number } | null = null;
  for (const [index, values] of Object.entries(series?.observations ?? {})) {
    const observedOn = dates[Number(index)]?.id;
    const value = typeof values[0] === "string" ? Number(values[0]) : values[0];
    if (!observedOn || observedOn > day || value === null || value === undefined) continue;
    if (!Number.isFinite(value)) return { ok: false, reason: "malformed", message: `observation ${observedOn} is not a number` };
    if (!best || observedOn > best.observedOn) best = { observedOn, value };
  }
  if (!best) return { ok: false, reason: "no_data", message: "no observation up to this date" };
  return { ok: true, bps: Math.round(best.value * 100), observedOn: best.observedOn };
}
