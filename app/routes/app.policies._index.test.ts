import { addDays, startOfDayUTC } from "~/domain/clock";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.policies._index";

const database = useTestDatabase();

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const post = (cookie: string, fields: Record<string, string>) =>
  action({
    request: new Request("http://localhost/app/policies", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Cookie: cookie },
    }),
    params: {},
    context: {},
  });
const list = async (cookie: string) =>
  (
    await (
      await loader({ request: new Request("http://localhost/app/policies", { headers: { Cookie: cookie } }), params: {}, context: {} })
    ).json()
  ).policies;

describe("/app/policies", () => {
  it("lists the policies with the default and how many debtors follow each; creates and duplicates", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    await makeDebtor(db, creditor.id);
    const agent = await staffOf(creditor.id, "AGENT");
    expect(await list(agent)).toEqual([{ id: policy.id, name: "Calendrier standard", isDefault: true, levels: 8, debtors: 1 }]);

    const created = await post(agent, { intent: "create", name: "Grands comptes" });
    expect(created.status).toBe(302);
    const dup = await post(agent, { intent: "duplicate", policyId: policy.id });
    expect(dup.headers.get("Location")).toMatch(/^\/app\/policies\//);
    expect((await list(agent)).map((p: { name: string; debtors: number }) => [p.name, p.debtors])).toEqual([
      ["Calendrier standard", 1],
      ["Calendrier standard (2)", 0],
      ["Grands comptes", 0],
    ]);
    const taken = await post(agent, { intent: "create", name: "Grands comptes" });
    expect(taken.status).toBe(400);
    expect(await taken.json()).toMatchObject({ error: "policies.errors.name_taken", name: "Grands comptes" });
  });

  it("refuses to delete a policy in use or the default; deletes an unused one; makes another the default", async () => {
    const db = database.get().prisma;
    const { creditor, policy } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");
    const other = await db.dunningPolicy.create({
      data: {
        creditorId: creditor.id,
        name: "Souple",
        levels: { create: [{ creditorId: creditor.id, position: 0, offsetDays: 1, channel: "EMAIL", templateKey: "first_reminder" }] },
      },
    });
    const debtor = await makeDebtor(db, creditor.id);
    const now = new Date();
    await makeInvoice(
      db,
      { creditorId: creditor.id, debtorId: debtor.id, policy: { id: other.id, levels: [] } },
      { dueDate: addDays(startOfDayUTC(now), 5), now },
    );

    const inUse = await post(owner, { intent: "delete", policyId: other.id });
    expect(inUse.status).toBe(400);
    expect(await inUse.json()).toMatchObject({ error: "policies.errors.in_use" });
    expect((await post(owner, { intent: "delete", policyId: policy.id })).status).toBe(400);

    await post(owner, { intent: "make-default", policyId: other.id });
    expect((await list(owner)).find((p: { isDefault: boolean }) => p.isDefault)?.id).toBe(other.id);
    expect((await post(owner, { intent: "delete", policyId: policy.id })).status).toBe(200);
    expect(await db.dunningPolicy.count({ where: { creditorId: creditor.id } })).toBe(1);
  });

  it("another creditor's policy is a 404 and a viewer cannot change anything", async () => {
    const db = database.get().prisma;
    const mine = await makeCreditor(db);
    const theirs = await makeCreditor(db);
    const owner = await staffOf(mine.creditor.id, "OWNER");
    for (const intent of ["delete", "duplicate", "make-default"]) {
      await expect(post(owner, { intent, policyId: theirs.policy.id })).rejects.toMatchObject({ status: 404 });
    }
    expect(await db.dunningPolicy.findUnique({ where: { id: theirs.policy.id } })).toMatchObject({ isDefault: true });
    await expect(post(await staffOf(mine.creditor.id, "VIEWER"), { intent: "create", name: "x" })).rejects.toMatchObject({ status: 403 });
  });
});
