import { http, HttpResponse } from "msw";
import { ECB_MRO_URL } from "../ecb.server";

/**
 * The ECB Data Portal's MRO series as SDMX-JSON, from the ECB's decisions
 * (date the rate took effect → percent). Honours `endPeriod` and
 * `lastNObservations` like the real service; 404 when nothing matches.
 */
export const MRO_CHANGES: readonly (readonly [string, number])[] = [
  ["2022-12-21", 2.5],
  ["2023-02-08", 3],
  ["2023-03-22", 3.5],
  ["2023-05-10", 3.75],
  ["2023-06-21", 4],
  ["2023-08-02", 4.25],
  ["2023-09-20", 4.5],
  ["2024-06-12", 4.25],
  ["2024-09-18", 3.65],
  ["2024-10-23", 3.4],
  ["2024-12-18", 3.15],
  ["2025-02-05", 2.9],
  ["2025-03-12", 2.65],
  ["2025-04-23", 2.4],
  ["2025-06-11", 2.15],
];

/** An SDMX-JSON data message holding these observations, shaped like the portal's `format=jsondata`. */
export function sdmxMessage(observations: readonly (readonly [string, number | string | null])[]) {
  return {
    header: { id: "mock", test: false, prepared: new Date().toISOString(), sender: { id: "ECB.DISS" } },
    dataSets: [
      {
        action: "Replace",
        series: {
          "0:0:0:0:0:0:0": {
            attributes: [],
            observations: Object.fromEntries(observations.map(([, value], i) => [String(i), [value, 0]])),
          },
        },
      },
    ],
    structure: {
      name: "Financial market data",
      dimensions: {
        series: [{ id: "FREQ", values: [{ id: "B", name: "Daily - businessweek" }] }],
        observation: [
          { id: "TIME_PERIOD", name: "Time period or range", role: "time", values: observations.map(([day]) => ({ id: day, name: day })) },
        ],
      },
    },
  };
}

export const ecbHandlers = [
  http.get(ECB_MRO_URL, ({ request }) => {
    const query = new URL(request.url).searchParams;
    const end = query.get("endPeriod") ?? "9999-12-31";
    const last = Number(query.get("lastNObservations") ?? 0);
    let rows = MRO_CHANGES.filter(([day]) => day <= end);
    if (last > 0) rows = rows.slice(-last);
    if (rows.length === 0) return new HttpResponse("No results found.", { status: 404 });
    return HttpResponse.json(sdmxMessage(rows));
  }),
];
