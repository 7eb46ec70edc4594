import { startStaffSession, verifyLogin } from "~/utils/staff-session.server";
import { changePassword, listMySessions, signOutOtherSessions } from "./my-account.server";
import { useStaffAccountsTest } from "~/testing/staff-accounts";

const { db, NOW, clock, PASSWORD, team, failure, audit } = useStaffAccountsTest();

describe("my account", () => {
  it("signs out of every other device, keeping this one", async () => {
    const { creditor, owner } = await team();
    await startStaffSession(
      owner.user,
      new Request("http://localhost/login", { headers: { "User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/130.0" } }),
    );
    expect((await listMySessions(db(), owner.actor, NOW)).map((s) => s.current).sort()).toEqual([false, true]);
    expect(await signOutOtherSessions(db(), owner.actor, clock)).toBe(1);
    expect((await listMySessions(db(), owner.actor, NOW)).map((s) => s.id)).toEqual([owner.actor.sessionId]);
    expect((await audit(creditor.id)).find((e) => e.action === "account.sessions_revoked")).toMatchObject({
      actorUserId: owner.user.id,
      meta: { count: 1 },
    });
  });

  it("changes the password only with the current one, and signs the other devices out", async () => {
    const { creditor, owner } = await team();
    await startStaffSession(owner.user, new Request("http://localhost/login"));
    expect(await failure(changePassword(db(), owner.actor, { currentPassword: "not it", password: "a brand new password" }, clock))).toBe(
      "wrong_password",
    );
    expect(await changePassword(db(), owner.actor, { currentPassword: PASSWORD, password: "a brand new password" }, clock)).toBe(1);
    expect(await verifyLogin(owner.user.email, "a brand new password")).not.toBeNull();
    expect((await db().session.findMany({ where: { userId: owner.user.id } })).map((s) => s.id)).toEqual([owner.actor.sessionId]);
    expect((await audit(creditor.id)).map((e) => e.action)).toContain("account.password_changed");
  });
});
