import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.webhooks";

const database = useTestDatabase();

async function staffOf(creditorId: string, role: "OWNER" | "AGENT") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}
const args = (cookie: string, body?: URLSearchParams) => ({
  request: new Request("http://localhost/app/webhooks", { method: body ? "POST" : "GET", body, headers: { Cookie: cookie } }),
  params: {},
  context: {},
});
const form = (fields: [string, string][]) => new URLSearchParams(fields);

describe("/app/webhooks", () => {
  it("an owner registers an https endpoint with its events; a bad URL or no event is refused next to the field, with the values kept; agents are refused", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await staffOf(creditor.id, "OWNER");

    const bad = await action(
      args(
        owner,
        form([
          ["intent", "create"],
          ["url", "http://erp.example.com/hooks"],
          ["description", "ERP"],
        ]),
      ),
    );
    expect(bad.status).toBe(400);
    const badBody = await bad.json();
    expect(badBody.errors).toEqual({ url: "webhooks.errors.https", events: "webhooks.errors.events" });
    expect(badBody.values).toMatchObject({ url: "http://erp.example.com/hooks", description: "ERP" });

    const ok = await action(
      args(
        owner,
        form([
          ["intent", "create"],
          ["url", "https://erp.example.com/hooks"],
          ["events", "invoice.paid"],
          ["events", "lifecycle.encaissee"],
        ]),
      ),
    );
    expect(ok.status).toBe(200);
    const page = await (await loader(args(owner))).json();
    expect(page.endpoints).toHaveLength(1);
    expect(page.endpoints[0]).toMatchObject({
      url: "https://erp.example.com/hooks",
      events: ["invoice.paid", "lifecycle.encaissee"],
      enabled: true,
    });
    expect(page.endpoints[0]!.secret).toMatch(/^whsec_/);

    const id = page.endpoints[0]!.id;
    await action(
      args(
        owner,
        form([
          ["intent", "disable"],
          ["endpointId", id],
        ]),
      ),
    );
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);

    // Another creditor's owner cannot touch it.
    const other = await makeCreditor(db);
    const otherOwner = await staffOf(other.creditor.id, "OWNER");
    await action(
      args(
        otherOwner,
        form([
          ["intent", "delete"],
          ["endpointId", id],
        ]),
      ),
    );
    expect(await db.webhookEndpoint.count({ where: { id } })).toBe(1);
    expect((await (await loader(args(otherOwner))).json()).endpoints).toEqual([]);

    const agent = await staffOf(creditor.id, "AGENT");
    await expect(loader(args(agent))).rejects.toMatchObject({ status: 403 });
  });
});
