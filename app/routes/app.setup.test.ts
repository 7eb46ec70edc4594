import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as layoutLoader } from "./app";
import { action, loader } from "./app.setup";

const database = useTestDatabase();

async function staffOf(creditorId: string, role: "OWNER" | "AGENT" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: `${role} Roy`, role } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const get = (cookie: string, path = "/app/setup") => ({
  request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
  params: {},
  context: {},
});
const post = (cookie: string, fields: Record<string, string>) =>
  action({
    request: new Request("http://localhost/app/setup", { method: "POST", body: new URLSearchParams(fields), headers: { Cookie: cookie } }),
    params: {},
    context: {},
  });
const status = (p: Promise<unknown>) => p.then(() => 200).catch((r: unknown) => (r instanceof Response ? r.status : Promise.reject(r)));

describe("/app/setup", () => {
  it("is the owner's: an agent or a viewer gets 403 on the page and on the switch", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db, { dunningEnabled: false });
    for (const role of ["AGENT", "VIEWER"] as const) {
      const cookie = await staffOf(creditor.id, role);
      expect(await status(loader(get(cookie)))).toBe(403);
      expect(await status(post(cookie, { intent: "switch-on" }))).toBe(403);
    }
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({ dunningEnabled: false });
  });

  it("the owner sees every item and the switch off; switching on is audited and shown with who and when", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db, { dunningEnabled: false });
    const owner = await staffOf(creditor.id, "OWNER");
    const page = await (await loader(get(owner))).json();
    expect(page.items.map((i: { key: string; provider?: string }) => i.provider ?? i.key)).toEqual([
      "profile",
      "stripe",
      "gocardless",
      "resend",
      "stripe",
      "gocardless",
      "resend",
      "policy",
      "rates",
      "mediator",
    ]);
    // No consumer debtor yet: naming a consumer mediator is not required.
    expect(page.items.find((i: { key: string }) => i.key === "mediator")).toMatchObject({ state: "done", consumers: 0 });
    expect(page.dunning).toEqual({ enabled: false, changedAt: null, changedBy: null });
    expect((await (await layoutLoader(get(owner, "/app"))).json()).creditor.dunningEnabled).toBe(false);

    const res = await post(owner, { intent: "switch-on" });
    expect(res.status).toBe(200);
    expect((await res.json()).done).toBe("on");
    const after = await (await loader(get(owner))).json();
    expect(after.dunning).toMatchObject({ enabled: true, changedBy: "OWNER Roy" });
    expect(await db.auditEvent.count({ where: { creditorId: creditor.id, action: "dunning.enabled" } })).toBe(1);
    expect((await (await layoutLoader(get(owner, "/app"))).json()).creditor.dunningEnabled).toBe(true);
  });

  it("switching off needs the confirmation ticked: without it, an error next to the box and dunning stays on", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db, { dunningEnabled: true });
    const owner = await staffOf(creditor.id, "OWNER");

    const refused = await post(owner, { intent: "switch-off" });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.confirm).toEqual(["onboarding.golive.dunning.confirmRequired"]);
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({ dunningEnabled: true });

    const done = await post(owner, { intent: "switch-off", confirm: "on" });
    expect((await done.json()).done).toBe("off");
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({ dunningEnabled: false });
    expect(await db.auditEvent.count({ where: { creditorId: creditor.id, action: "dunning.disabled" } })).toBe(1);
  });

  it("simulating a policy on its page is what ticks the checklist's policy item", async () => {
    const db = database.get().prisma;
    // A formal-notice level needs the company's address: the factories' creditor has none.
    const { creditor, policy } = await makeCreditor(db, { addressLine1: "3 quai Perrache", postalCode: "69002" });
    const owner = await staffOf(creditor.id, "OWNER");
    const { action: policyAction } = await import("./app.policies.$policyId");
    const levels = await db.dunningLevel.findMany({ where: { policyId: policy.id }, orderBy: { position: "asc" } });
    const { name } = await db.dunningPolicy.findUniqueOrThrow({ where: { id: policy.id } });
    const fields: Record<string, string> = { intent: "simulate", name };
    levels.forEach((l, i) => {
      fields[`levels[${i}].offsetDays`] = String(l.offsetDays);
      fields[`levels[${i}].channel`] = l.channel;
      fields[`levels[${i}].templateKey`] = l.templateKey;
      fields[`levels[${i}].tone`] = l.tone ?? "STANDARD";
    });
    const before = (await (await loader(get(owner))).json()).items.find((i: { key: string }) => i.key === "policy");
    expect(before?.state).toBe("todo");
    const simulated = await policyAction({
      request: new Request(`http://localhost/app/policies/${policy.id}`, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { Cookie: owner },
      }),
      params: { policyId: policy.id },
      context: {},
    });
    expect(simulated.status).toBe(200);
    const after = (await (await loader(get(owner))).json()).items.find((i: { key: string }) => i.key === "policy");
    expect(after).toMatchObject({ state: "done", policies: [{ id: policy.id, simulatedBy: "OWNER Roy" }] });
  });
});
