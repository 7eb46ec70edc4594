import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.wording.$templateKey.$tone";

const database = useTestDatabase();
const params = { templateKey: "first_reminder", tone: "standard" };
const url = "http://localhost/app/wording/first_reminder/standard";

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return { user, cookie: (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]! };
}

const post = (cookie: string, fields: Record<string, string>, p: Record<string, string> = params) =>
  action({
    request: new Request(url, { method: "POST", body: new URLSearchParams(fields), headers: { Cookie: cookie } }),
    params: p,
    context: {},
  });

const load = async (cookie: string, p: Record<string, string> = params) =>
  (await loader({ request: new Request(url, { headers: { Cookie: cookie } }), params: p, context: {} })).json();

async function setup() {
  const db = database.get().prisma;
  const { creditor } = await makeCreditor(db, { brandName: "Atelier Durand" });
  const owner = await staffOf(creditor.id, "OWNER");
  return { db, creditor, owner };
}

describe("/app/wording/:templateKey/:tone", () => {
  it("shows the default text as a starting point, with its real preview, in French and English", async () => {
    const { owner } = await setup();
    const page = await load(owner.cookie);
    expect(page.languages.map((l: { locale: string }) => l.locale)).toEqual(["fr", "en"]);
    const [fr, en] = [page.languages[0]!, page.languages[1]!];
    expect(fr).toMatchObject({ custom: false, values: { subject: "Facture {numeros_factures} : rappel de paiement" } });
    expect(fr.values.body).toContain("Sauf erreur de notre part");
    expect(en.values.subject).toBe("Invoice {invoice_numbers}: payment reminder");
    expect(fr.preview.subject).toBe("Facture F-EXEMPLE-1 : rappel de paiement — Atelier Durand");
    expect(fr.preview.html).toMatch(/class="cta"/);
    expect(en.preview.subject).toBe("Invoice INV-SAMPLE-1: payment reminder — Atelier Durand");
  });

  it("a bad placeholder re-renders the form with the values typed and the error naming it; nothing is saved", async () => {
    const { db, creditor, owner } = await setup();
    const res = await post(owner.cookie, { intent: "save", locale: "fr", subject: "Relance {nom_client}", body: "Bonjour {nom_debiteur}" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.locale).toBe("fr");
    expect(body.lastResult?.initialValue).toMatchObject({ subject: "Relance {nom_client}", body: "Bonjour {nom_debiteur}" });
    expect(body.lastResult?.error?.subject).toEqual(['wording.errors.unknown_placeholder::{"placeholder":"{nom_client}"}']);
    expect(body.lastResult?.error?.body).toBeUndefined();
    expect(await db.emailWording.count({ where: { creditorId: creditor.id } })).toBe(0);
  });

  it("an empty subject is refused next to the field", async () => {
    const { owner } = await setup();
    const res = await post(owner.cookie, { intent: "preview", locale: "en", subject: "", body: "Hello" });
    expect(res.status).toBe(400);
    expect((await res.json()).lastResult?.error?.subject).toEqual(["wording.errors.required::{}"]);
  });

  it("preview renders the typed text filled, without saving it", async () => {
    const { db, creditor, owner } = await setup();
    const res = await post(owner.cookie, {
      intent: "preview",
      locale: "en",
      subject: "{debtor_name}, {total_due} overdue",
      body: "Dear {debtor_name}",
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.preview?.subject).toMatch(/^Sample Customer Ltd, €[\d,.]+ overdue — Atelier Durand$/);
    expect(body.preview?.text).toContain("Dear Sample Customer Ltd");
    expect(await db.emailWording.count({ where: { creditorId: creditor.id } })).toBe(0);
  });

  it("save stores the wording for that language only, audited; the page then shows it; reset brings the default back", async () => {
    const { db, creditor, owner } = await setup();
    const saved = await post(owner.cookie, {
      intent: "save",
      locale: "fr",
      subject: "{nom_debiteur} : {total_du} à régler",
      body: "Bonjour,\n\nVotre facture {numeros_factures} attend depuis le {echeance_plus_ancienne}.",
    });
    expect(saved.status).toBe(200);
    expect((await saved.json()).preview?.subject).toMatch(/^Client Exemple SARL : [\d\u00a0,]+\u00a0€ à régler — Atelier Durand$/);
    const row = await db.emailWording.findFirstOrThrow({ where: { creditorId: creditor.id } });
    expect(row).toMatchObject({
      templateKey: "first_reminder",
      tone: "STANDARD",
      locale: "fr",
      subject: "{nom_debiteur} : {total_du} à régler",
      paragraphs: ["Bonjour,", "Votre facture {numeros_factures} attend depuis le {echeance_plus_ancienne}."],
      updatedById: owner.user.id,
    });
    expect(await db.auditEvent.findFirst({ where: { creditorId: creditor.id, action: "email_wording.saved" } })).toMatchObject({
      actorUserId: owner.user.id,
      targetId: row.id,
    });

    const page = await load(owner.cookie);
    expect(page.languages[0]).toMatchObject({ custom: true, values: { subject: "{nom_debiteur} : {total_du} à régler" } });
    expect(page.languages[0]?.values.body).toBe("Bonjour,\n\nVotre facture {numeros_factures} attend depuis le {echeance_plus_ancienne}.");
    expect(page.languages[0]?.preview.text).toContain("Votre facture F-EXEMPLE-1 attend depuis le");
    expect(page.languages[1]?.custom).toBe(false);
    // Another tone of the same template keeps its default.
    expect((await load(owner.cookie, { templateKey: "first_reminder", tone: "firm" })).languages[0]?.custom).toBe(false);

    const reset = await post(owner.cookie, { intent: "reset", locale: "fr" });
    expect(reset.status).toBe(200);
    expect(await db.emailWording.count({ where: { creditorId: creditor.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { creditorId: creditor.id, action: "email_wording.reset" } })).toBe(1);
    const after = await load(owner.cookie);
    expect(after.languages[0]).toMatchObject({ custom: false, values: { subject: "Facture {numeros_factures} : rappel de paiement" } });
  });

  it("a viewer can preview but not save; an unknown template or tone is not found", async () => {
    const { db, creditor } = await setup();
    const viewer = await staffOf(creditor.id, "VIEWER");
    const fields = { locale: "fr", subject: "Objet", body: "Texte" };
    expect((await post(viewer.cookie, { ...fields, intent: "preview" })).status).toBe(200);
    await expect(post(viewer.cookie, { ...fields, intent: "save" })).rejects.toMatchObject({ status: 403 });
    expect(await db.emailWording.count({ where: { creditorId: creditor.id } })).toBe(0);
    await expect(load(viewer.cookie, { templateKey: "call_overdue", tone: "standard" })).rejects.toMatchObject({ status: 404 });
    await expect(load(viewer.cookie, { templateKey: "first_reminder", tone: "angry" })).rejects.toMatchObject({ status: 404 });
  });
});
