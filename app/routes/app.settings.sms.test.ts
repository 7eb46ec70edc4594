import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.settings";

const database = useTestDatabase();

async function cookieFor(creditorId: string, role: "OWNER" | "VIEWER") {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `${role}-${crypto.randomUUID()}@example.test`, name: role, role } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const post = (cookie: string, fields: [string, string][]) =>
  action({
    request: new Request("http://localhost/app/settings", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Cookie: cookie },
    }),
    params: {},
    context: {},
  });

describe("settings: SMS sending hours", () => {
  it("refuses a night window with the reason and the typed values, saves a sound one; viewers cannot", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const owner = await cookieFor(creditor.id, "OWNER");
    const night: [string, string][] = [
      ["intent", "sms-hours"],
      ["smsStart", "06:30"],
      ["smsEnd", "19:00"],
      ["smsDays", "1"],
      ["smsDays", "7"],
    ];
    const refused = await post(owner, night);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as unknown as {
      smsHours: { saved: boolean; fieldErrors: Record<string, string>; values: { start: string; days: number[] } };
    };
    expect(body.smsHours).toMatchObject({
      saved: false,
      fieldErrors: { start: "sms.errors.night" },
      values: { start: "06:30", days: [1, 7] },
    });
    const saved = await post(owner, [
      ["intent", "sms-hours"],
      ["smsStart", "10:00"],
      ["smsEnd", "18:30"],
      ["smsDays", "2"],
      ["smsDays", "4"],
    ]);
    expect(saved.status).toBe(200);
    expect(await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).toMatchObject({
      smsWindowStart: 600,
      smsWindowEnd: 1110,
      smsDays: [2, 4],
    });
    const page = (await (
      await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: owner } }), params: {}, context: {} })
    ).json()) as {
      smsHours: unknown;
    };
    expect(page.smsHours).toEqual({ start: "10:00", end: "18:30", days: [2, 4], timeZone: "Europe/Paris" });

    const viewer = await cookieFor(creditor.id, "VIEWER");
    const denied = await post(viewer, [
      ["intent", "sms-hours"],
      ["smsStart", "08:00"],
      ["smsEnd", "20:00"],
      ["smsDays", "7"],
    ]).catch((r: Response) => r);
    expect(denied.status).toBe(403);
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).smsDays).toEqual([2, 4]);
  });
});
