import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { gocardlessHandlers, resendHandlers, stripeHandlers } from "~/providers/mocks/index";
import { mockResendDomain } from "~/providers/mocks/resend";
import { twilioAccountHandlers } from "~/providers/mocks/twilio";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor } from "../../testing/factories";
import { forgetProviderChecks, goLiveChecklist, recordPolicySimulation, setDunningEnabled, type ChecklistItem } from "./checklist.server";

const database = useTestDatabase();
const server = setupServer(...stripeHandlers, ...gocardlessHandlers, ...resendHandlers, ...twilioAccountHandlers);
const NOW = new Date("2026-12-01T10:00:00Z");
const RESEND_DOMAINS = "https://api.resend.com/domains";

/** The provider clients and the parsed environment are made once per process: forget them so a new environment applies. */
function resetProviders() {
  const singletons = (globalThis as { __relanceSingletons?: Map<string, unknown> }).__relanceSingletons;
  for (const name of ["env", "stripe", "gocardless", "resend"]) singletons?.delete(name);
  forgetProviderChecks();
}

/** Live keys in the environment: the checklist calls the real SDKs, answered here by the MSW handlers. */
function goLive(overrides: Record<string, string> = {}) {
  const env = {
    MOCKS: "false",
    STRIPE_SECRET_KEY: "sk_live_51RelanceLiveKey0000",
    GOCARDLESS_ACCESS_TOKEN: "live_RelanceAccessToken0000",
    GOCARDLESS_ENVIRONMENT: "live",
    RESEND_API_KEY: "re_RelanceLiveKey0000",
    EMAIL_FROM: "Atelier Écume <factures@atelier-ecume.fr>",
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  resetProviders();
}

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
  resetProviders();
});
afterAll(() => server.close());

const item = <K extends ChecklistItem["key"]>(items: ChecklistItem[], key: K, provider?: string) =>
  items.find((i) => i.key === key && (!provider || ("provider" in i && i.provider === provider))) as Extract<ChecklistItem, { key: K }>;

async function checklistOf(overrides: Record<string, unknown> = {}) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, {
    addressLine1: "3 quai Perrache",
    postalCode: "69002",
    city: "Lyon",
    ...overrides,
  });
  return { db, creditor, policy, run: (now = NOW) => goLiveChecklist(db, creditor.id, now) };
}

describe("go-live checklist: company profile", () => {
  it("complete for the formal notice: done; an empty field is named", async () => {
    expect(item((await (await checklistOf()).run()).items, "profile")).toMatchObject({ state: "done", missing: [] });
    const { run } = await checklistOf({ addressLine1: null, siren: "" });
    expect(item((await run()).items, "profile")).toMatchObject({ state: "todo", missing: ["siren", "addressLine1"] });
  });
});

describe("go-live checklist: providers", () => {
  it("mocked providers are shown in demo mode, with their webhooks, and nothing is called", async () => {
    const { run } = await checklistOf();
    const { items } = await run();
    expect(["stripe", "gocardless", "resend"].map((k) => item(items, k as "stripe").state)).toEqual(["demo", "demo", "demo"]);
    expect(items.filter((i) => i.key === "webhook").map((i) => i.state)).toEqual(["demo", "demo", "demo"]);
  });

  it("live keys verified by the providers: Stripe's account, GoCardless's creditor, the sender's domain with its DNS records", async () => {
    goLive();
    const { run } = await checklistOf();
    const { items } = await run();
    expect(item(items, "stripe")).toMatchObject({
      state: "done",
      check: { ok: true, accountId: "acct_1RelanceSandbox00", name: "relance sandbox", testKey: false },
    });
    expect(item(items, "gocardless")).toMatchObject({ state: "done", check: { ok: true, creditorId: "CR000RELANCE0SBX", sandbox: false } });
    expect(item(items, "resend")).toMatchObject({
      state: "done",
      domain: "atelier-ecume.fr",
      check: { ok: true, found: true, status: "verified", records: expect.arrayContaining([expect.objectContaining({ record: "DKIM" })]) },
    });
  });

  it("a refused key is red with the provider's own words", async () => {
    goLive();
    server.use(
      http.get("https://api.stripe.com/v1/account", () =>
        HttpResponse.json(
          { error: { type: "invalid_request_error", message: "Invalid API Key provided: sk_live_****0000" } },
          { status: 401 },
        ),
      ),
      http.get("https://api.gocardless.com/creditors", () =>
        HttpResponse.json(
          {
            error: {
              code: 401,
              type: "invalid_api_usage",
              message: "Access token not active",
              errors: [{ reason: "access_token_not_active", message: "Access token not active" }],
              request_id: "r1",
            },
          },
          { status: 401 },
        ),
      ),
      http.get(RESEND_DOMAINS, () =>
        HttpResponse.json({ statusCode: 401, name: "validation_error", message: "API key is invalid" }, { status: 401 }),
      ),
    );
    const { run } = await checklistOf();
    const { items, todo } = await run();
    expect(item(items, "stripe")).toMatchObject({
      state: "todo",
      check: { ok: false, message: expect.stringContaining("Invalid API Key provided") },
    });
    expect(item(items, "gocardless")).toMatchObject({
      state: "todo",
      check: { ok: false, message: expect.stringContaining("Access token not active") },
    });
    expect(item(items, "resend")).toMatchObject({ state: "todo", check: { ok: false, message: "API key is invalid" } });
    expect(todo).toBeGreaterThanOrEqual(3);
  });

  it("a test key, a sandbox token, an unverified creditor and an unverified domain are not live", async () => {
    goLive({ STRIPE_SECRET_KEY: "sk_test_51RelanceTestKey0000", GOCARDLESS_ENVIRONMENT: "sandbox" });
    const pending = mockResendDomain("atelier-ecume.fr");
    pending.records[2] = { ...pending.records[2]!, status: "pending" as never };
    server.use(
      http.get(RESEND_DOMAINS + "/:id", () => HttpResponse.json({ ...pending, status: "pending" })),
      http.get(RESEND_DOMAINS, () => HttpResponse.json({ object: "list", has_more: false, data: [{ ...pending, status: "pending" }] })),
    );
    const { run } = await checklistOf();
    const { items } = await run();
    expect(item(items, "stripe")).toMatchObject({ state: "todo", check: { ok: true, testKey: true } });
    expect(item(items, "gocardless")).toMatchObject({ state: "todo", check: { ok: true, sandbox: true } });
    const resend = item(items, "resend");
    expect(resend).toMatchObject({ state: "todo", check: { ok: true, found: true, status: "pending" } });
    expect(resend.check?.ok && resend.check.records.map((r) => `${r.record} ${r.type}: ${r.status}`)).toEqual([
      "SPF MX: verified",
      "SPF TXT: verified",
      "DKIM TXT: pending",
    ]);
  });

  it("a sender domain missing from the Resend account says so", async () => {
    goLive({ EMAIL_FROM: "relance <relances@autre-domaine.fr>" });
    server.use(
      http.get(RESEND_DOMAINS, () =>
        HttpResponse.json({ object: "list", has_more: false, data: [{ ...mockResendDomain("atelier-ecume.fr"), records: undefined }] }),
      ),
    );
    const { run } = await checklistOf();
    expect(item((await run()).items, "resend")).toMatchObject({
      state: "todo",
      domain: "autre-domaine.fr",
      check: { ok: true, found: false },
    });
  });

  it("results are cached: a second load calls nobody until the owner asks to check again", async () => {
    goLive();
    let calls = 0;
    server.events.on("request:start", () => void calls++);
    const { run } = await checklistOf();
    await run();
    const first = calls;
    expect(first).toBe(4); // account, creditors, domains, the domain
    await run();
    expect(calls).toBe(first);
    forgetProviderChecks();
    await run();
    expect(calls).toBe(first * 2);
    server.events.removeAllListeners();
  });
});

describe("go-live checklist: webhooks, policy, rates", () => {
  it("a live endpoint is done once a verified event was stored (this creditor's or one naming none), not another creditor's", async () => {
    goLive();
    const { db, run } = await checklistOf();
    const other = await makeCreditor(db);
    await db.webhookEvent.create({
      data: { provider: "STRIPE", eventId: `evt_${crypto.randomUUID()}`, type: "x", payload: {}, creditorId: other.creditor.id },
    });
    let hook = item((await run()).items, "webhook", "stripe");
    expect(hook).toMatchObject({ state: "todo", lastEventAt: null, endpoint: "http://localhost:3000/webhooks/stripe" });

    const at = new Date("2026-11-30T08:00:00Z");
    await db.webhookEvent.create({
      data: { provider: "STRIPE", eventId: `evt_${crypto.randomUUID()}`, type: "ping", payload: {}, receivedAt: at },
    });
    hook = item((await run()).items, "webhook", "stripe");
    expect(hook).toMatchObject({ state: "done", lastEventAt: at });
  });

  it("the policy in use is to do until it was simulated; then it says when and by whom", async () => {
    const { db, creditor, policy, run } = await checklistOf();
    expect(item((await run()).items, "policy")).toMatchObject({ state: "todo", policies: [{ id: policy.id, simulatedAt: null }] });
    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `${crypto.randomUUID()}@x.test`, name: "Inès Roy", role: "OWNER" },
    });
    await recordPolicySimulation(db, { creditorId: creditor.id, policyId: policy.id, userId: user.id, at: NOW });
    expect(item((await run()).items, "policy")).toMatchObject({
      state: "done",
      policies: [{ id: policy.id, isDefault: true, simulatedAt: NOW, simulatedBy: "Inès Roy" }],
    });
  });

  it("legal rates: the semester's missing tables are named; recorded, the item is done", async () => {
    const { db, creditor, run } = await checklistOf();
    const later = new Date("2031-02-01T10:00:00Z");
    expect(item((await run(later)).items, "rates")).toMatchObject({
      state: "todo",
      semester: "2031-H1",
      missing: ["ECB_MRO", "FR_LEGAL_PROFESSIONAL"],
    });
    await db.legalRateRecord.createMany({
      data: ["ECB_MRO", "FR_LEGAL_PROFESSIONAL"].map((rateTable) => ({
        creditorId: creditor.id,
        rateTable,
        semester: "2031-H1",
        bps: 200,
        source: "JORF",
        origin: "STAFF",
      })),
    });
    expect(item((await run(later)).items, "rates")).toMatchObject({ state: "done", missing: [] });
  });
});

describe("dunning switch", () => {
  it("is audited with who and when; pressing twice records once; off again shows who switched it off", async () => {
    const { db, creditor, run } = await checklistOf({ dunningEnabled: false });
    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `${crypto.randomUUID()}@x.test`, name: "Inès Roy", role: "OWNER" },
    });
    expect((await run()).dunning).toEqual({ enabled: false, changedAt: null, changedBy: null });

    await setDunningEnabled(db, { creditorId: creditor.id, userId: user.id, enabled: true, at: NOW });
    await setDunningEnabled(db, { creditorId: creditor.id, userId: user.id, enabled: true, at: new Date(NOW.getTime() + 1000) });
    expect((await run()).dunning).toEqual({ enabled: true, changedAt: NOW, changedBy: "Inès Roy" });
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({
      dunningEnabled: true,
      dunningEnabledAt: NOW,
    });
    expect(await db.auditEvent.count({ where: { creditorId: creditor.id, action: "dunning.enabled" } })).toBe(1);

    const off = new Date(NOW.getTime() + 60_000);
    await setDunningEnabled(db, { creditorId: creditor.id, userId: user.id, enabled: false, at: off });
    expect((await run()).dunning).toEqual({ enabled: false, changedAt: off, changedBy: "Inès Roy" });
  });
});

describe("go-live checklist: SMS (Twilio)", () => {
  const TWILIO_ACCOUNTS = "https://api.twilio.com/2010-04-01/Accounts";
  async function withSmsLevel() {
    const ctx = await checklistOf();
    await ctx.db.dunningLevel.create({
      data: {
        creditorId: ctx.creditor.id,
        policyId: ctx.policy.id,
        position: 99,
        offsetDays: 20,
        channel: "SMS",
        templateKey: "sms_reminder",
      },
    });
    return ctx;
  }

  it("no item while no policy in use has an SMS level; in demo mode once one has", async () => {
    const { run } = await checklistOf();
    expect((await run()).items.some((i) => i.key === "sms")).toBe(false);
    const sms = await withSmsLevel();
    expect(item((await sms.run()).items, "sms")).toEqual({ key: "sms", state: "demo", check: null });
  });

  it("live keys: Twilio's record of the account decides — active full account done, a trial or a refused key to do", async () => {
    goLive({
      TWILIO_ACCOUNT_SID: "AC0123456789abcdef0123456789abcdef",
      TWILIO_AUTH_TOKEN: "live-auth-token-0000",
      TWILIO_FROM: "+33644630000",
    });
    const { run } = await withSmsLevel();
    expect(item((await run()).items, "sms")).toMatchObject({
      state: "done",
      check: { ok: true, accountSid: "AC0123456789abcdef0123456789abcdef", status: "active", trial: false },
    });

    forgetProviderChecks();
    server.use(
      http.get(`${TWILIO_ACCOUNTS}/:sid.json`, ({ params }) =>
        HttpResponse.json({ sid: params.sid, friendly_name: "Essai", status: "active", type: "Trial" }),
      ),
    );
    expect(item((await run()).items, "sms")).toMatchObject({ state: "todo", check: { ok: true, trial: true } });

    forgetProviderChecks();
    server.use(
      http.get(`${TWILIO_ACCOUNTS}/:sid.json`, () =>
        HttpResponse.json({ code: 20003, message: "Authenticate", status: 401 }, { status: 401 }),
      ),
    );
    const refused = item((await run()).items, "sms");
    expect(refused.state).toBe("todo");
    expect(refused.check).toMatchObject({ ok: false });
    expect(refused.check?.ok === false && refused.check.message).toContain("20003");
  });
});
