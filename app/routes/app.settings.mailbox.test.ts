import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action, loader } from "./app.settings";

const database = useTestDatabase();

async function ownerCookie(creditorId: string) {
  const user = await database
    .get()
    .prisma.user.create({ data: { creditorId, email: `owner-${crypto.randomUUID()}@example.test`, name: "Owner", role: "OWNER" } });
  return (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
}

const post = async (cookie: string, fields: [string, string][]) => {
  const response = await action({
    request: new Request("http://localhost/app/settings", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Cookie: cookie },
    }),
    params: {},
    context: {},
  });
  return {
    status: response.status,
    body: (await response.json()) as unknown as {
      mailbox: { saved: boolean; fieldErrors: Record<string, string>; values: Record<string, string> };
    },
  };
};

const settingsOf = async (cookie: string) =>
  (await (
    await loader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: cookie } }), params: {}, context: {} })
  ).json()) as {
    mailbox: Record<string, unknown> | null;
  };

describe("settings: the shared mailbox (IMAP)", () => {
  it("errors next to the field with the values kept; saved with the password encrypted and never shown again; unticking stops reading", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const cookie = await ownerCookie(creditor.id);
    const base: [string, string][] = [
      ["intent", "mailbox"],
      ["host", "imap.exemple.fr"],
      ["port", "993"],
      ["secure", "on"],
      ["username", "compta@exemple.fr"],
      ["folder", "INBOX"],
      ["processedFolder", "relance-traite"],
      ["enabled", "false"],
      ["enabled", "on"],
    ];
    const refused = await post(cookie, [...base.map(([k, v]): [string, string] => (k === "host" ? [k, "pas un hôte"] : [k, v]))]);
    expect(refused.status).toBe(400);
    expect(refused.body.mailbox.saved).toBe(false);
    expect(Object.keys(refused.body.mailbox.fieldErrors)).toEqual(["host"]);
    expect(refused.body.mailbox.values).toMatchObject({ host: "pas un hôte", username: "compta@exemple.fr" });
    expect(refused.body.mailbox.values).not.toHaveProperty("password");

    // A first connection needs its password.
    expect(Object.keys((await post(cookie, base)).body.mailbox.fieldErrors)).toEqual(["password"]);

    const saved = await post(cookie, [...base, ["password", "s3cret-imap"]]);
    expect(saved.body.mailbox).toMatchObject({ saved: true, fieldErrors: {} });
    const stored = await db.mailboxConnection.findUniqueOrThrow({ where: { creditorId: creditor.id } });
    expect(stored).toMatchObject({ host: "imap.exemple.fr", enabled: true, secure: true });
    expect(stored.passwordEnc).not.toContain("s3cret-imap");
    const page = await settingsOf(cookie);
    expect(page.mailbox).toMatchObject({ host: "imap.exemple.fr", hasPassword: true });
    expect(JSON.stringify(page)).not.toContain(stored.passwordEnc);

    // Saved again without a password and with "read this mailbox" unticked: the password stays, reading stops.
    await post(
      cookie,
      base.filter(([k, v]) => !(k === "enabled" && v === "on")),
    );
    const after = await db.mailboxConnection.findUniqueOrThrow({ where: { creditorId: creditor.id } });
    expect(after).toMatchObject({ enabled: false, passwordEnc: stored.passwordEnc });
  });
});
