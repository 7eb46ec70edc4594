import { authenticateApiKey } from "~/services/api/keys.server";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.settings";

const database = useTestDatabase();

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const FORM = {
  legalName: "Atelier Durand SAS",
  siren: "732829320",
  vatNumber: "FR44732829320",
  addressLine1: "3 rue des Tanneurs",
  postalCode: "69001",
  city: "Lyon",
  country: "FR",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  bic: "AGRIFRPP",
  brandColor: "#0f766e",
  portalLinkDays: "21",
  planMaxInstallments: "4",
  planMaxMonths: "4",
  planMinInstallment: "75,00",
  planMinDownPaymentPc: "10",
  planGraceDays: "3",
  allowPartialPayments: "on",
  minPartialAmount: "20",
  promiseMaxDays: "10",
  lateInterestMode: "contractual",
  lateInterestRate: "12,5",
  jurisdiction: "FR",
};

const post = (cookie: string, fields: Record<string, string>) =>
  action({
    request: new Request("http://localhost/app/settings", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Cookie: cookie },
    }),
    params: {},
    context: {},
  });

describe("/app/settings", () => {
  it("an owner saves valid settings", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const res = await post(owner, FORM);
    expect(res.status).toBe(200);
    const saved = await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } });
    expect(saved).toMatchObject({
      iban: "FR7630006000011234567890189",
      bic: "AGRIFRPP",
      portalLinkDays: 21,
      planMinInstallment: 7500,
      minPartialAmount: 2000,
      allowPartialPayments: true,
      lateInterestRateBps: 1250,
      brandColor: "#0f766e",
      jurisdiction: "FR",
    });
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: owner } }), params: {}, context: {} })
    ).json();
    expect(page.form).toMatchObject({ lateInterestMode: "contractual", lateInterestRate: "12.50", planMinInstallment: "75.00" });
    // Unticked checkbox = partial payments off.
    const { allowPartialPayments: _off, ...rest } = FORM;
    await post(owner, rest);
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).allowPartialPayments).toBe(false);
  });

  it("bad input comes back with the user's values and a message per field", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const res = await post(owner, {
      ...FORM,
      iban: "FR7630006000011234567890188",
      bic: "NOPE",
      lateInterestRate: "4",
      planMaxInstallments: "zéro",
    });
    expect(res.status).toBe(400);
    const lastResult = (await res.json()).lastResult!;
    expect(lastResult.error).toMatchObject({
      iban: ["intake.settings.errors.iban"],
      bic: ["intake.settings.errors.bic"],
      lateInterestRate: ["intake.settings.errors.rateFloor"],
      planMaxInstallments: ["intake.settings.errors.number"],
    });
    expect(lastResult.initialValue).toMatchObject({ iban: "FR7630006000011234567890188", lateInterestRate: "4", city: "Lyon" });
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).iban).toBeNull();
  });

  it("agents and viewers read but cannot change", async () => {
    const { creditor } = await makeCreditor(database.get().prisma);
    const agent = await staffOf(creditor.id, "AGENT");
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: agent } }), params: {}, context: {} })
    ).json();
    expect(page.canEdit).toBe(false);
    await expect(post(agent, FORM)).rejects.toMatchObject({ status: 403 });
    await expect(post(await staffOf(creditor.id, "VIEWER"), { intent: "create-key", name: "x" })).rejects.toMatchObject({ status: 403 });
  });

  it("an owner creates an API key (shown once) and revokes it", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const { key } = (await (await post(owner, { intent: "create-key", name: "ERP Sage" })).json()).created!;
    expect(key).toMatch(/^rl_/);
    expect(await authenticateApiKey(db, `Bearer ${key}`, new Date())).toMatchObject({ creditorId: creditor.id });
    const page = await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: owner } }), params: {}, context: {} })
    ).json();
    expect(page.keys).toHaveLength(1);
    expect(JSON.stringify(page)).not.toContain(key);
    // Another creditor's owner cannot revoke it.
    const other = await makeCreditor(db);
    await post(await staffOf(other.creditor.id, "OWNER"), { intent: "revoke-key", keyId: page.keys[0]!.id });
    expect(await authenticateApiKey(db, `Bearer ${key}`, new Date())).not.toBeNull();
    await post(owner, { intent: "revoke-key", keyId: page.keys[0]!.id });
    expect(await authenticateApiKey(db, `Bearer ${key}`, new Date())).toBeNull();
  });
});
