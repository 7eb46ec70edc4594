import { addDays, startOfDayUTC } from "~/domain/clock";
import { DEFAULT_POLICY_LEVELS } from "~/domain/dunning";
import { runDunningTick } from "~/services/dunning/tick.server";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.policies.$policyId";

const database = useTestDatabase();

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

/** The form as the browser sends it, from a list of levels. */
function formOf(name: string, levels: readonly { offsetDays: number; channel: string; templateKey: string; tone?: string | null }[]) {
  const fields: Record<string, string> = { name };
  levels.forEach((l, i) => {
    fields[`levels[${i}].offsetDays`] = String(l.offsetDays);
    fields[`levels[${i}].channel`] = l.channel;
    fields[`levels[${i}].templateKey`] = l.templateKey;
    fields[`levels[${i}].tone`] = l.tone ?? "STANDARD";
  });
  return fields;
}

const post = (cookie: string, policyId: string, fields: Record<string, string>) =>
  action({
    request: new Request(`http://localhost/app/policies/${policyId}`, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Cookie: cookie },
    }),
    params: { policyId },
    context: {},
  });

/** J+15 → J+20 (and the J+16 call after it to J+21, offsets increasing). */
const LATER = DEFAULT_POLICY_LEVELS.map((l) =>
  l.offsetDays === 15 ? { ...l, offsetDays: 20 } : l.offsetDays === 16 ? { ...l, offsetDays: 21 } : l,
);

async function openInvoiceAtFirstReminder() {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db, { addressLine1: "3 rue des Tanneurs", postalCode: "69001" });
  const debtor = await makeDebtor(db, creditor.id, { name: "Boulangerie Martin" });
  const now = new Date();
  const dueDate = addDays(startOfDayUTC(now), -10);
  const invoice = await makeInvoice(db, { creditorId: creditor.id, debtorId: debtor.id, policy }, { dueDate, now, amount: 1234_00 });
  await runDunningTick(db, { now, creditorId: creditor.id });
  const state = await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } });
  expect(state).toMatchObject({ level: 2, nextActionAt: addDays(dueDate, 15) });
  return { creditor, policy, invoice, dueDate, owner: await staffOf(creditor.id, "OWNER") };
}

describe("/app/policies/:policyId", () => {
  it("saving J+15 → J+20 moves the open invoice's next action and writes the trace", async () => {
    const db = database.get().prisma;
    const { creditor, policy, invoice, dueDate, owner } = await openInvoiceAtFirstReminder();
    const res = await post(owner, policy.id, { intent: "save", ...formOf("Calendrier standard", LATER) });
    expect(res.status).toBe(200);
    expect((await res.json()).saved).toBe(1);
    expect(await db.dunningState.findUniqueOrThrow({ where: { invoiceId: invoice.id } })).toMatchObject({
      level: 2,
      nextActionAt: addDays(dueDate, 20),
    });
    const levels = await db.dunningLevel.findMany({ where: { policyId: policy.id }, orderBy: { position: "asc" } });
    expect(levels.map((l) => l.offsetDays)).toEqual([-8, -3, 1, 20, 21, 30, 45, 60]);
    const trace = await db.communication.findFirstOrThrow({
      where: { creditorId: creditor.id, invoiceId: invoice.id, kind: "dunning.rescheduled" },
    });
    expect(trace.data).toMatchObject({ reason: "policy", to: { nextActionAt: addDays(dueDate, 20).toISOString() } });
  });

  it("validation errors sit next to the field and the values are kept; nothing is saved", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db, { addressLine1: null });
    const owner = await staffOf(creditor.id, "OWNER");
    const levels = [
      { offsetDays: 15, channel: "EMAIL", templateKey: "second_reminder" },
      { offsetDays: 10, channel: "EMAIL", templateKey: "first_reminder" },
      { offsetDays: 30, channel: "LETTER", templateKey: "formal_notice" },
      { offsetDays: 40, channel: "LETTER", templateKey: "formal_notice" },
    ];
    const res = await post(owner, policy.id, { intent: "save", ...formOf("Strict", levels), "levels[0].offsetDays": "quinze" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toMatchObject({
      "levels[0].offsetDays": ["policies.errors.not_integer"],
    });
    expect(body.values).toMatchObject({
      name: "Strict",
      levels: [{ offsetDays: "quinze" }, { offsetDays: "10" }, { channel: "LETTER" }, { channel: "LETTER" }],
    });

    const res2 = await post(owner, policy.id, { intent: "save", ...formOf("Strict", levels) });
    expect((await res2.json()).errors).toMatchObject({
      "levels[1].offsetDays": ["policies.errors.offset_order"],
      "levels[2].channel": ["policies.errors.letter_needs_profile"],
      "levels[3].channel": ["policies.errors.letter_twice"],
    });
    expect(await db.dunningLevel.count({ where: { policyId: policy.id } })).toBe(DEFAULT_POLICY_LEVELS.length);
  });

  it("add-level and remove-level-N re-render the form with the values typed (no JavaScript needed)", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const agent = await staffOf(creditor.id, "AGENT");
    const fields = formOf("Court", [
      { offsetDays: 1, channel: "EMAIL", templateKey: "first_reminder" },
      { offsetDays: 9, channel: "CALL_TASK", templateKey: "call_overdue" },
    ]);
    const added = await (await post(agent, policy.id, { ...fields, intent: "add-level", name: "Court edited" })).json();
    expect(added.values).toMatchObject({
      name: "Court edited",
      levels: [{ offsetDays: "1" }, { offsetDays: "9" }, { offsetDays: "16", channel: "EMAIL" }],
    });
    const removed = await (await post(agent, policy.id, { ...fields, intent: "remove-level-0" })).json();
    expect(removed.values.levels).toEqual([{ offsetDays: "9", channel: "CALL_TASK", templateKey: "call_overdue", tone: "STANDARD" }]);
    expect(await db.dunningLevel.count({ where: { policyId: policy.id } })).toBe(DEFAULT_POLICY_LEVELS.length);
  });

  it("another creditor's policy is a 404; a viewer reads and may simulate but not save", async () => {
    const db = database.get().prisma;
    const mine = await makeCreditor(db);
    const theirs = await makeCreditor(db);
    const owner = await staffOf(mine.creditor.id, "OWNER");
    const get = (cookie: string, policyId: string) =>
      loader({
        request: new Request(`http://localhost/app/policies/${policyId}`, { headers: { Cookie: cookie } }),
        params: { policyId },
        context: {},
      });
    await expect(get(owner, theirs.policy.id)).rejects.toMatchObject({ status: 404 });
    await expect(post(owner, theirs.policy.id, { intent: "save", ...formOf("x", DEFAULT_POLICY_LEVELS) })).rejects.toMatchObject({
      status: 404,
    });
    const viewer = await staffOf(mine.creditor.id, "VIEWER");
    expect((await (await get(viewer, mine.policy.id)).json()).canEdit).toBe(false);
    await expect(post(viewer, mine.policy.id, { intent: "save", ...formOf("x", DEFAULT_POLICY_LEVELS) })).rejects.toMatchObject({
      status: 403,
    });
  });

  it("simulate shows the edited calendar on the real open invoices and writes nothing", async () => {
    const db = database.get().prisma;
    const { creditor, policy, invoice, dueDate, owner } = await openInvoiceAtFirstReminder();
    const snapshot = async () => ({
      states: await db.dunningState.findMany({ where: { creditorId: creditor.id }, orderBy: { invoiceId: "asc" } }),
      outbox: await db.outboxMessage.findMany({ where: { creditorId: creditor.id }, orderBy: { id: "asc" } }),
      levels: await db.dunningLevel.findMany({ where: { policyId: policy.id }, orderBy: { position: "asc" } }),
      trace: await db.communication.count({ where: { creditorId: creditor.id } }),
    });
    const before = await snapshot();
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const emailDays = (sim?: { date: Date | string; emails: number }[]) =>
      (sim ?? []).filter((d) => d.emails > 0).map((d) => day(new Date(d.date)));

    const saved = await (
      await post(owner, policy.id, { intent: "simulate", ...formOf("Calendrier standard", DEFAULT_POLICY_LEVELS) })
    ).json();
    expect(emailDays(saved.simulation)).toEqual([day(addDays(dueDate, 15)), day(addDays(dueDate, 30))]);
    const edited = await (await post(owner, policy.id, { intent: "simulate", ...formOf("Calendrier standard", LATER) })).json();
    expect(emailDays(edited.simulation)).toEqual([day(addDays(dueDate, 20)), day(addDays(dueDate, 30))]);
    const first = edited.simulation?.find((d) => d.emails > 0);
    expect(first).toMatchObject({ emails: 1, calls: 0, amounts: [{ currency: "EUR", amount: 1234_00 }], debtors: ["Boulangerie Martin"] });
    expect(edited.values.levels?.[3]?.offsetDays).toBe("20");

    expect(await snapshot()).toEqual(before);
    expect(before.states.find((s) => s.invoiceId === invoice.id)?.nextActionAt).toEqual(addDays(dueDate, 15));
  });
});
