import { action as forgotAction } from "~/routes/forgot-password";
import { action as invitationAction } from "~/routes/invitations.$token";
import { action as loginAction } from "~/routes/login";
import { action as resetAction } from "~/routes/reset-password";
import { startStaffSession, verifyLogin } from "~/utils/staff-session.server";
import { readEmails } from "../../providers/mocks/utils";
import { requestPasswordReset, resetPassword } from "./passwords.server";
import { deactivateMember } from "./team.server";
import { useStaffAccountsTest } from "~/testing/staff-accounts";

const { db, uid, NOW, at, clock, PASSWORD, member, team, codeIn, failure, audit, form } = useStaffAccountsTest();

describe("password reset by emailed code", () => {
  it("answers nothing about unknown addresses; emails a known one a 6-digit code stored only as a keyed hash", async () => {
    const { creditor, owner } = await team();
    const stranger = `nobody-${uid()}@example.test`;
    await requestPasswordReset(db(), stranger, clock);
    expect(readEmails({ to: stranger })).toHaveLength(0);

    await requestPasswordReset(db(), `  ${owner.user.email.toUpperCase()} `, clock);
    const { code: sent, mail } = codeIn(owner.user.email);
    expect(sent).toMatch(/^\d{6}$/);
    expect(mail!.subject).toContain("mot de passe");
    expect(mail!.text).toContain("/reset-password?email=");
    const row = await db().passwordResetCode.findFirstOrThrow({ where: { userId: owner.user.id } });
    expect(row.codeHash).not.toContain(sent);
    expect(row.expiresAt.getTime() - NOW.getTime()).toBe(15 * 60_000);
    expect((await audit(creditor.id)).map((e) => [e.action, e.actorUserId])).toContainEqual(["auth.reset_requested", null]);

    // Unknown address or wrong code: one and the same answer.
    expect(await failure(resetPassword(db(), { email: stranger, code: sent!, password: "another long one" }, clock))).toBe("invalid_code");
  });

  it("expires after 15 minutes", async () => {
    const { owner } = await team();
    await requestPasswordReset(db(), owner.user.email, clock);
    const { code: sent } = codeIn(owner.user.email);
    expect(await failure(resetPassword(db(), { email: owner.user.email, code: sent!, password: "a brand new password" }, at(15)))).toBe(
      "invalid_code",
    );
    expect(await verifyLogin(owner.user.email, PASSWORD)).not.toBeNull();
  });

  it("dies after 5 wrong tries, even if the next one is right", async () => {
    const { creditor, owner } = await team();
    await requestPasswordReset(db(), owner.user.email, clock);
    const { code: sent } = codeIn(owner.user.email);
    const wrong = sent === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      expect(await failure(resetPassword(db(), { email: owner.user.email, code: wrong, password: "a brand new password" }, clock))).toBe(
        "invalid_code",
      );
    }
    expect(await failure(resetPassword(db(), { email: owner.user.email, code: sent!, password: "a brand new password" }, clock))).toBe(
      "invalid_code",
    );
    expect(await verifyLogin(owner.user.email, "a brand new password")).toBeNull();
    expect((await audit(creditor.id)).map((e) => e.action)).toContain("auth.reset_code_locked");
  });

  it("a right code sets the password once, ends every session of the user, and is traced", async () => {
    const { creditor, owner } = await team();
    await startStaffSession(owner.user, new Request("http://localhost/login"));
    expect(await db().session.count({ where: { userId: owner.user.id } })).toBe(2);
    await requestPasswordReset(db(), owner.user.email, clock);
    const { code: sent } = codeIn(owner.user.email);

    const user = await resetPassword(db(), { email: owner.user.email, code: sent!, password: "a brand new password" }, clock);
    expect(user).toEqual({ id: owner.user.id, creditorId: creditor.id });
    expect(await db().session.count({ where: { userId: owner.user.id } })).toBe(0);
    expect(await verifyLogin(owner.user.email, "a brand new password")).not.toBeNull();
    expect(await verifyLogin(owner.user.email, PASSWORD)).toBeNull();
    // Single use.
    expect(await failure(resetPassword(db(), { email: owner.user.email, code: sent!, password: "yet another password" }, clock))).toBe(
      "invalid_code",
    );
    const events = await audit(creditor.id);
    expect(events.find((e) => e.action === "auth.password_reset")).toMatchObject({
      actorUserId: owner.user.id,
      targetId: owner.user.id,
      meta: { sessionsRevoked: 2 },
    });
  });

  it("only the newest code works, and at most 3 codes an hour are sent", async () => {
    const { owner } = await team();
    await requestPasswordReset(db(), owner.user.email, at(0));
    const first = codeIn(owner.user.email).code!;
    await requestPasswordReset(db(), owner.user.email, at(1));
    const second = codeIn(owner.user.email).code!;
    if (first !== second) {
      expect(await failure(resetPassword(db(), { email: owner.user.email, code: first, password: "a brand new password" }, at(2)))).toBe(
        "invalid_code",
      );
    }
    await requestPasswordReset(db(), owner.user.email, at(2));
    await requestPasswordReset(db(), owner.user.email, at(3));
    expect(codeIn(owner.user.email).count).toBe(3);
    await requestPasswordReset(db(), owner.user.email, at(61));
    expect(codeIn(owner.user.email).count).toBe(4);
  });

  it("a deactivated member gets no code and cannot sign in", async () => {
    const { creditor, owner } = await team();
    const agent = await member(creditor.id, "AGENT");
    await deactivateMember(db(), owner.actor, agent.user.id, clock);
    await requestPasswordReset(db(), agent.user.email, clock);
    expect(readEmails({ to: agent.user.email })).toHaveLength(0);
    expect(await verifyLogin(agent.user.email, PASSWORD)).toBeNull();
  });
});

describe("the reset pages", () => {
  const post = (fn: typeof forgotAction, url: string, fields: Record<string, string>) =>
    fn({ request: new Request(url, { method: "POST", body: form(fields) }), params: {}, context: {} });

  it("/forgot-password gives the same answer whether the address has an account or not", async () => {
    const { owner } = await team();
    const known = await post(forgotAction, "http://localhost/forgot-password", { email: owner.user.email });
    const unknown = await post(forgotAction, "http://localhost/forgot-password", { email: `nobody-${uid()}@example.test` });
    const shape = (res: Response) => ({ status: res.status, location: res.headers.get("Location")?.replace(/email=[^&]+/, "email=…") });
    expect(shape(known)).toEqual(shape(unknown));
    expect(shape(known)).toEqual({ status: 302, location: "/reset-password?email=…&sent=1" });
    await vi.waitFor(() => expect(readEmails({ to: owner.user.email })).toHaveLength(1), { timeout: 10_000 });
  });

  it("/reset-password keeps the user's input and says what is wrong", async () => {
    const { owner } = await team();
    const short = await post(resetAction, "http://localhost/reset-password", {
      email: owner.user.email,
      code: "12 34 56",
      password: "short",
      confirm: "short",
    });
    expect(short.status).toBe(400);
    const reply = await short.json();
    expect(reply.error).toMatchObject({ password: ["accounts.errors.passwordShort"] });
    expect(reply.initialValue).toMatchObject({ email: owner.user.email, code: "12 34 56" });
    expect(reply.initialValue?.password).toBeUndefined();
    const wrong = await (
      await post(resetAction, "http://localhost/reset-password", {
        email: owner.user.email,
        code: "123456",
        password: "long enough password",
        confirm: "long enough password",
      })
    ).json();
    expect(wrong.error).toMatchObject({ "": ["accounts.errors.invalid_code"] });
    const mismatch = await (
      await post(resetAction, "http://localhost/reset-password", {
        email: owner.user.email,
        code: "123456",
        password: "long enough password",
        confirm: "long enough pasword",
      })
    ).json();
    expect(mismatch.error).toMatchObject({ confirm: ["accounts.errors.confirm"] });
  });

  it("an invitation link that does not exist is refused with a message", async () => {
    const res = await invitationAction({
      request: new Request("http://localhost/invitations/x", {
        method: "POST",
        body: form({ name: "Eve", password: "long enough password", confirm: "long enough password" }),
      }),
      params: { token: "A".repeat(43) },
      context: {},
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ "": ["accounts.errors.invitation_invalid"] });
  });
});

describe("sign-in", () => {
  it("records the last sign-in and the language, and refuses a deactivated member", async () => {
    const { creditor, owner } = await team();
    const res = await loginAction({
      request: new Request("http://localhost/login", {
        method: "POST",
        body: form({ email: owner.user.email, password: PASSWORD }),
        headers: { "Accept-Language": "en" },
      }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(302);
    expect(await db().user.findUniqueOrThrow({ where: { id: owner.user.id } })).toMatchObject({
      locale: "en",
      lastLoginAt: expect.any(Date),
    });
    expect((await audit(creditor.id)).map((e) => e.action)).toContain("auth.login");

    const agent = await member(creditor.id, "AGENT");
    await deactivateMember(db(), owner.actor, agent.user.id, clock);
    const refused = await loginAction({
      request: new Request("http://localhost/login", { method: "POST", body: form({ email: agent.user.email, password: PASSWORD }) }),
      params: {},
      context: {},
    });
    expect(refused.status).toBe(400);
  });
});
