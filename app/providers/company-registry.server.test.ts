import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { classifyJudgment, claimDeadline, mandataireFrom, sirenOf } from "~/domain/solvency/bodacc";
import { BODACC_RECORDS_URL, fetchCollectiveAnnouncements, fetchCompany, RECHERCHE_ENTREPRISES_URL } from "./company-registry.server";
import { bodaccAnswer, bodaccRecord, companyRegistryHandlers, companyResult, searchAnswer } from "./mocks/company-registry";

const server = setupServer(...companyRegistryHandlers());
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe("Recherche d'entreprises: one SIREN's status", () => {
  it("reads etat_administratif, creation, closing date and nature juridique of the result with this SIREN (the search may return others)", async () => {
    let asked: URL | null = null;
    server.use(
      http.get(RECHERCHE_ENTREPRISES_URL, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json(
          searchAnswer([
            companyResult({ siren: "123456789", name: "HOMONYME", state: "A", createdOn: "2001-01-01", natureJuridique: "5499" }),
            companyResult({
              siren: "902345678",
              name: "ROUX",
              state: "C",
              createdOn: "2011-04-01",
              ceasedOn: "2026-06-30",
              natureJuridique: "5499",
            }),
          ]),
        );
      }),
    );
    expect(await fetchCompany("902345678")).toEqual({
      ok: true,
      company: {
        siren: "902345678",
        name: "ROUX",
        status: "CEASED",
        legalFormCode: "5499",
        createdOn: "2011-04-01",
        ceasedOn: "2026-06-30",
      },
    });
    expect(asked!.searchParams.get("q")).toBe("902345678");
  });

  it("no result with this SIREN is NOT_FOUND; an unexpected state or shape is malformed; HTTP and network errors are failures", async () => {
    expect(await fetchCompany("999999999")).toMatchObject({ ok: true, company: { status: "NOT_FOUND" } });
    server.use(
      http.get(RECHERCHE_ENTREPRISES_URL, () => HttpResponse.json({ results: [{ siren: "999999999", etat_administratif: "X" }] })),
    );
    expect(await fetchCompany("999999999")).toMatchObject({ ok: false, reason: "malformed" });
    server.use(http.get(RECHERCHE_ENTREPRISES_URL, () => HttpResponse.json({ erreur: "q manquant" })));
    expect(await fetchCompany("999999999")).toMatchObject({ ok: false, reason: "malformed" });
    server.use(http.get(RECHERCHE_ENTREPRISES_URL, () => new HttpResponse("slow down", { status: 429 })));
    expect(await fetchCompany("999999999")).toMatchObject({ ok: false, reason: "rate_limited" });
    server.use(http.get(RECHERCHE_ENTREPRISES_URL, () => new HttpResponse("down", { status: 503 })));
    expect(await fetchCompany("999999999")).toEqual({ ok: false, reason: "http", message: "HTTP 503" });
    server.use(http.get(RECHERCHE_ENTREPRISES_URL, () => HttpResponse.error()));
    expect(await fetchCompany("999999999")).toMatchObject({ ok: false, reason: "network" });
  });
});

describe("BODACC: collective proceedings of one SIREN", () => {
  const record = (over: Partial<Parameters<typeof bodaccRecord>[0]> = {}) =>
    bodaccRecord({
      id: "A202600451234",
      siren: "901234567",
      name: "ATELIER BRUNEAU",
      publishedOn: "2026-03-10",
      court: "Greffe du Tribunal de Commerce\nde Lyon",
      judgment: {
        famille: "Jugement d'ouverture",
        nature: "Jugement d'ouverture d'une procédure de redressement judiciaire",
        date: "2026-03-02",
      },
      ...over,
    });

  it("asks the Explore API for the collective family of this registre, parses the jugement JSON string and keeps only announcements naming this SIREN", async () => {
    let where = "";
    server.use(
      http.get(BODACC_RECORDS_URL, ({ request }) => {
        where = new URL(request.url).searchParams.get("where") ?? "";
        const other = { ...record({ id: "A202600459999" }), registre: ["111 222 333", "111222333"] };
        return HttpResponse.json({ ...bodaccAnswer([record()]), total_count: 2, results: [record(), other] });
      }),
    );
    const answer = await fetchCollectiveAnnouncements("901234567");
    expect(where).toBe('registre like "901234567" and familleavis="collective"');
    expect(answer).toEqual({
      ok: true,
      announcements: [
        {
          id: "A202600451234",
          publishedOn: "2026-03-10",
          famille: "collective",
          court: "Greffe du Tribunal de Commerce de Lyon",
          sirens: ["901234567"],
          judgment: {
            famille: "Jugement d'ouverture",
            nature: "Jugement d'ouverture d'une procédure de redressement judiciaire",
            date: "2026-03-02",
            complement: null,
          },
          url: expect.stringContaining("A202600451234"),
        },
      ],
    });
  });

  it("a jugement that is not JSON, a missing total or an HTTP error is a failure, never a partial answer", async () => {
    server.use(http.get(BODACC_RECORDS_URL, () => HttpResponse.json(bodaccAnswer([{ ...record(), jugement: "{oops" }]))));
    expect(await fetchCollectiveAnnouncements("901234567")).toMatchObject({ ok: false, reason: "malformed" });
    server.use(http.get(BODACC_RECORDS_URL, () => HttpResponse.json({ results: [] })));
    expect(await fetchCollectiveAnnouncements("901234567")).toMatchObject({ ok: false, reason: "malformed" });
    server.use(http.get(BODACC_RECORDS_URL, () => HttpResponse.json({ error_code: "ODSQLError" }, { status: 400 })));
    expect(await fetchCollectiveAnnouncements("901234567")).toMatchObject({ ok: false, reason: "http" });
  });
});

describe("reading a judgment", () => {
  it("classifies openings, conversions and closures; liquidation wins over redressement", () => {
    expect(
      classifyJudgment({ famille: "Jugement d'ouverture", nature: "Jugement d'ouverture d'une procédure de redressement judiciaire" }),
    ).toEqual({ step: "OPENING", kind: "REDRESSEMENT" });
    expect(classifyJudgment({ famille: "Jugement d'ouverture", nature: "Jugement d'ouverture de liquidation judiciaire" })).toEqual({
      step: "OPENING",
      kind: "LIQUIDATION",
    });
    expect(classifyJudgment({ nature: "Jugement d'ouverture d'une procédure de sauvegarde" })).toEqual({
      step: "OPENING",
      kind: "SAUVEGARDE",
    });
    expect(
      classifyJudgment({
        famille: "Jugement de conversion",
        nature: "Jugement de conversion en liquidation judiciaire de la procédure de redressement",
      }),
    ).toEqual({
      step: "CONVERSION",
      kind: "LIQUIDATION",
    });
    expect(classifyJudgment({ famille: "Jugement de clôture", nature: "Jugement de clôture pour insuffisance d'actif" })).toMatchObject({
      step: "CLOSURE",
    });
    expect(classifyJudgment({ famille: "Jugement arrêtant le plan", nature: "Jugement arrêtant le plan de redressement" })).toEqual({
      step: "OTHER",
      kind: "REDRESSEMENT",
    });
  });

  it("deadline = publication + 2 months (end of month clamped); mandataire read when named; SIREN from a SIRET", () => {
    expect(claimDeadline(new Date("2026-03-10T00:00:00Z")).toISOString().slice(0, 10)).toBe("2026-05-10");
    expect(claimDeadline(new Date("2026-12-31T00:00:00Z")).toISOString().slice(0, 10)).toBe("2027-02-28");
    expect(mandataireFrom("…, désignant mandataire judiciaire SELARL MJ Synergie 3 rue du Palais 69002 Lyon, administrateur …")).toBe(
      "SELARL MJ Synergie 3 rue du Palais 69002 Lyon",
    );
    expect(mandataireFrom("Les déclarations des créances sont à adresser au mandataire judiciaire dans les deux mois.")).toBeNull();
    expect(sirenOf("901 234 567 00017")).toBe("901234567");
    expect(sirenOf("GB123456789")).toBeNull();
  });
});
