import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { ECB_MRO_URL, fetchMainRefinancingRate } from "./ecb.server";
import { ecbHandlers, sdmxMessage } from "./mocks/ecb";

const server = setupServer(...ecbHandlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("ECB Data Portal: MRO rate in force on a date", () => {
  it("reads the last observation up to the date from SDMX-JSON (query: endPeriod + lastNObservations=1)", async () => {
    let asked: URL | null = null;
    server.events.on("request:start", ({ request }) => void (asked = new URL(request.url)));
    expect(await fetchMainRefinancingRate(d("2026-07-01"))).toEqual({ ok: true, bps: 215, observedOn: "2025-06-11" });
    expect(asked!.searchParams.get("format")).toBe("jsondata");
    expect(asked!.searchParams.get("endPeriod")).toBe("2026-07-01");
    expect(asked!.searchParams.get("lastNObservations")).toBe("1");
    // 1 January 2025: the 18 December 2024 cut (3.15 %) was in force; a change on the day itself counts.
    expect(await fetchMainRefinancingRate(d("2025-01-01"))).toMatchObject({ ok: true, bps: 315, observedOn: "2024-12-18" });
    expect(await fetchMainRefinancingRate(d("2024-06-12"))).toMatchObject({ ok: true, bps: 425 });
    server.events.removeAllListeners();
  });

  it("several observations (a server ignoring lastNObservations): the latest on or before the date wins; values given as strings are read", async () => {
    server.use(
      http.get(ECB_MRO_URL, () =>
        HttpResponse.json(
          sdmxMessage([
            ["2024-12-18", "3.15"],
            ["2025-06-11", "2.15"],
            ["2026-09-01", "1.90"],
          ]),
        ),
      ),
    );
    expect(await fetchMainRefinancingRate(d("2026-07-01"))).toEqual({ ok: true, bps: 215, observedOn: "2025-06-11" });
  });

  it("a malformed answer is refused, not guessed", async () => {
    server.use(http.get(ECB_MRO_URL, () => HttpResponse.json({ dataSets: [{ series: {} }], structure: { dimensions: {} } })));
    expect(await fetchMainRefinancingRate(d("2026-07-01"))).toMatchObject({ ok: false, reason: "malformed" });
    server.use(http.get(ECB_MRO_URL, () => new HttpResponse("<html>maintenance</html>", { headers: { "content-type": "text/html" } })));
    expect(await fetchMainRefinancingRate(d("2026-07-01"))).toMatchObject({ ok: false, reason: "malformed" });
    server.use(http.get(ECB_MRO_URL, () => HttpResponse.json(sdmxMessage([["2025-06-11", "n/a"]]))));
    expect(await fetchMainRefinancingRate(d("2026-07-01"))).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("network error, server error and no data come back as failures", async () => {
    server.use(http.get(ECB_MRO_URL, () => HttpResponse.error()));
    expect(await fetchMainRefinancingRate(d("2026-07-01"))).toMatchObject({ ok: false, reason: "network" });
    server.use(http.get(ECB_MRO_URL, () => new HttpResponse("busy", { status: 503 })));
    expect(await fetchMainRefinancingRate(d("2026-07-01"))).toMatchObject({ ok: false, reason: "http", message: "HTTP 503" });
    server.resetHandlers();
    expect(await fetchMainRefinancingRate(d("1999-01-01"))).toMatchObject({ ok: false, reason: "no_data" });
  });
});
