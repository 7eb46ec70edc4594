import { fixedClock, systemClock } from "~/domain/clock";
import { action as setupAction, loader as setupLoader } from "~/routes/setup";
import { isPostgresUrl } from "~/utils/db.server";
import { passwordMatches, verifyLogin } from "~/utils/staff-session.server";
import { useTestDatabase } from "../../testing/db";
import { OnboardingError, sha256 } from "./creditors.server";
import { completeSetup, isSetupTokenValid, issueSetupToken, SETUP_TOKEN_HOURS } from "./setup.server";

const database = useTestDatabase();
const db = () => database.get().prisma;

const COMPANY = { legalName: "Atelier Écume SARL", siren: "732 829 320", contactEmail: "Contact@Ecume.test", defaultLocale: "fr" };
const OWNER = {
  ownerName: "Inès Roy",
  ownerEmail: "ines@ecume.test",
  password: "une phrase assez longue",
  confirm: "une phrase assez longue",
};

const form = (fields: Record<string, string>) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return body;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON bodies are read field by field below
type Body = any;
const post = (token: string, fields: Record<string, string>) =>
  setupAction({
    request: new Request(`http://localhost/setup?token=${token}`, { method: "POST", body: form(fields) }),
    params: {},
    context: {},
  });
const get = (query: string) => setupLoader({ request: new Request(`http://localhost/setup${query}`), params: {}, context: {} });

describe("first-run setup", () => {
  beforeEach(async () => {
    // Each test starts from an installation without any creditor.
    await db().creditor.deleteMany();
    await db().setupToken.deleteMany();
  });

  it("refuses /setup without a valid token: a 403, never the form", async () => {
    await issueSetupToken(db(), systemClock);
    for (const query of ["", "?token=", `?token=${"a".repeat(43)}`, "?token=short"]) {
      const res = await get(query);
      expect(res.status).toBe(403);
      expect((await res.json()).token).toBeNull();
    }
  });

  it("stores only a hash of the token; a new start replaces the previous link", async () => {
    const first = (await issueSetupToken(db(), systemClock))!;
    const rows = await db().setupToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(sha256(first));
    expect(JSON.stringify(rows)).not.toContain(first);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(SETUP_TOKEN_HOURS * 3_600_000);
    const second = (await issueSetupToken(db(), systemClock))!;
    expect(await isSetupTokenValid(db(), first, new Date())).toBe(false);
    expect(await isSetupTokenValid(db(), second, new Date())).toBe(true);
    expect((await get(`?token=${second}`)).status).toBe(200);
  });

  it("an expired token opens nothing", async () => {
    const token = (await issueSetupToken(db(), systemClock))!;
    const later = new Date(Date.now() + (SETUP_TOKEN_HOURS + 1) * 3_600_000);
    expect(await isSetupTokenValid(db(), token, later)).toBe(false);
    await expect(
      completeSetup(db(), token, { ...COMPANY, siren: "732829320", defaultLocale: "fr", ...OWNER }, "fr", fixedClock(later)),
    ).rejects.toThrow(OnboardingError);
    expect(await db().creditor.count()).toBe(0);
  });

  it("step 1 keeps the values and names a wrong SIREN; step 2 creates the creditor and owner, signs in, spends the token", async () => {
    const token = (await issueSetupToken(db(), systemClock))!;

    const bad = await post(token, { step: "company", ...COMPANY, siren: "732829321" });
    expect(bad.status).toBe(400);
    const badBody: Body = await bad.json();
    expect(badBody.step).toBe("company");
    expect(badBody.result.error.siren).toEqual(["onboarding.errors.siren"]);
    expect(badBody.result.initialValue.legalName).toBe(COMPANY.legalName);

    const step1 = await post(token, { step: "company", ...COMPANY });
    expect(step1.status).toBe(200);
    const step1Body: Body = await step1.json();
    expect(step1Body.step).toBe("owner");
    expect(step1Body.company.legalName).toBe(COMPANY.legalName);

    const short = await post(token, { step: "owner", ...COMPANY, ...OWNER, password: "court", confirm: "court" });
    expect(short.status).toBe(400);
    const shortBody: Body = await short.json();
    expect(shortBody.step).toBe("owner");
    expect(shortBody.result.error.password).toEqual(["onboarding.errors.passwordShort"]);
    expect(shortBody.result.initialValue.ownerEmail).toBe(OWNER.ownerEmail);
    expect(shortBody.result.initialValue.password).toBeUndefined();
    expect(await db().creditor.count()).toBe(0);

    const done = await post(token, { step: "owner", ...COMPANY, ...OWNER });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/app");
    expect(done.headers.get("Set-Cookie")).toMatch(/^__staff=/);

    const creditor = await db().creditor.findFirstOrThrow({ include: { users: true, policies: true } });
    expect(creditor).toMatchObject({
      legalName: "Atelier Écume SARL",
      slug: "atelier-ecume-sarl",
      siren: "732829320",
      contactEmail: "contact@ecume.test",
      defaultLocale: "fr",
    });
    expect(creditor.policies).toHaveLength(1);
    expect(creditor.users).toHaveLength(1);
    expect(creditor.users[0]).toMatchObject({ email: "ines@ecume.test", name: "Inès Roy", role: "OWNER" });
    expect(await passwordMatches(OWNER.password, creditor.users[0]!.passwordHash)).toBe(true);
    expect((await verifyLogin("ines@ecume.test", OWNER.password))?.id).toBe(creditor.users[0]!.id);
    expect(await db().session.count({ where: { userId: creditor.users[0]!.id } })).toBe(1);

    // Spent: the link is now a 403, and no second creditor can be made with it.
    expect((await get(`?token=${token}`)).status).toBe(403);
    expect((await post(token, { step: "owner", ...COMPANY, ...OWNER, ownerEmail: "other@ecume.test" })).status).toBe(403);
    expect(await db().creditor.count()).toBe(1);
    // Once a creditor exists, starts print no link any more.
    expect(await issueSetupToken(db(), systemClock)).toBeNull();
  });
});

describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("first-run setup under concurrency (PostgreSQL)", () => {
  beforeEach(async () => {
    await db().creditor.deleteMany();
    await db().setupToken.deleteMany();
  });

  const input = (n: number) => ({
    ...COMPANY,
    siren: "732829320",
    defaultLocale: "fr" as const,
    ...OWNER,
    ownerEmail: `owner${n}@ecume.test`,
  });

  it("four submits of the same token at once create one creditor", async () => {
    const token = (await issueSetupToken(db(), systemClock))!;
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => completeSetup(db(), token, input(n), "fr", systemClock)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as OnboardingError).code).toBe("setup_invalid");
    expect(await db().creditor.count()).toBe(1);
    expect(await db().user.count()).toBe(1);
  });

  it("two valid tokens submitted at once still create one creditor", async () => {
    const now = new Date();
    const tokens = ["A", "B"].map((c) => c.repeat(43));
    await db().setupToken.createMany({
      data: tokens.map((t) => ({ tokenHash: sha256(t), expiresAt: new Date(now.getTime() + 3_600_000) })),
    });
    const results = await Promise.allSettled(tokens.map((t, n) => completeSetup(db(), t, input(n), "fr", systemClock)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    // The loser waited for the lock: its token was retired with the setup, or it found the creditor made.
    expect(["setup_invalid", "setup_done"]).toContain((rejected.reason as OnboardingError).code);
    expect(await db().creditor.count()).toBe(1);
  });
});
