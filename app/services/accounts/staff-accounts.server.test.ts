import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "~/domain/clock";
import { action as teamAction, loader as teamLoader } from "~/routes/app.team";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as invitationAction } from "~/routes/invitations.$token";
import { action as loginAction } from "~/routes/login";
import { action as resetAction } from "~/routes/reset-password";
import { hashPassword, startStaffSession, verifyLogin } from "~/utils/staff-session.server";
import { makeCreditor } from "../../testing/factories";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";
import {
  acceptInvitation,
  changePassword,
  changeRole,
  deactivateMember,
  findOpenInvitation,
  inviteColleague,
  listMySessions,
  reactivateMember,
  requestPasswordReset,
  resetPassword,
  revokeInvitation,
  signOutOtherSessions,
  StaffAccountError,
  teamOverview,
  type Actor,
  type Role,
} from "./staff-accounts.server";

const database = useTestDatabase();
const NOW = new Date();
const at = (minutes: number) => fixedClock(new Date(NOW.getTime() + minutes * 60_000));
const clock = at(0);
const PASSWORD = "correct horse battery";
let stop: () => void;

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-accounts-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

const db = () => database.get().prisma;
const uid = () => crypto.randomBytes(4).toString("hex");

async function member(creditorId: string, role: Role, opts: { password?: string } = {}) {
  const user = await db().user.create({
    data: { creditorId, email: `${role.toLowerCase()}-${uid()}@example.test`, name: `${role} ${uid()}`, role, passwordHash: await hashPassword(opts.password ?? PASSWORD) },
  });
  const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  const session = await db().session.findFirstOrThrow({ where: { userId: user.id }, orderBy: { createdAt: "desc" } });
  const actor: Actor = { userId: user.id, creditorId, role, sessionId: session.id };
  return { user, cookie, actor };
}

async function team() {
  const { creditor } = await makeCreditor(db());
  const owner = await member(creditor.id, "OWNER");
  return { creditor, owner };
}

const codeIn = (to: string) => {
  const mails = readEmails({ to });
  const text = mails.at(-1)?.text ?? "";
  return { count: mails.length, code: /\b(\d{6})\b/.exec(text)?.[1] ?? null, mail: mails.at(-1) };
};
const linkIn = (to: string) => {
  const text = readEmails({ to }).at(-1)?.text ?? "";
  return /\/invitations\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? null;
};
const code = (error: unknown) => (error instanceof StaffAccountError ? error.code : error);
const failure = (promise: Promise<unknown>) => promise.then(() => "no error", code);
const audit = (creditorId: string) => db().auditEvent.findMany({ where: { creditorId }, orderBy: { createdAt: "asc" } });
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

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
    expect(await failure(resetPassword(db(), { email: owner.user.email, code: sent!, password: "a brand new password" }, at(15)))).toBe("invalid_code");
    expect(await verifyLogin(owner.user.email, PASSWORD)).not.toBeNull();
  });

  it("dies after 5 wrong tries, even if the next one is right", async () => {
    const { creditor, owner } = await team();
    await requestPasswordReset(db(), owner.user.email, clock);
    const { code: sent } = codeIn(owner.user.email);
    const wrong = sent === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      expect(await failure(resetPassword(db(), { email: owner.user.email, code: wrong, password: "a brand new password" }, clock))).toBe("invalid_code");
    }
    expect(await failure(resetPassword(db(), { email: owner.user.email, code: sent!, password: "a brand new password" }, clock))).toBe("invalid_code");
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
    expect(await failure(resetPassword(db(), { email: owner.user.email, code: sent!, password: "yet another password" }, clock))).toBe("invalid_code");
    const events = await audit(creditor.id);
    expect(events.find((e) => e.action === "auth.password_reset")).toMatchObject({ actorUserId: owner.user.id, targetId: owner.user.id, meta: { sessionsRevoked: 2 } });
  });

  it("only the newest code works, and at most 3 codes an hour are sent", async () => {
    const { owner } = await team();
    await requestPasswordReset(db(), owner.user.email, at(0));
    const first = codeIn(owner.user.email).code!;
    await requestPasswordReset(db(), owner.user.email, at(1));
    const second = codeIn(owner.user.email).code!;
    if (first !== second) {
      expect(await failure(resetPassword(db(), { email: owner.user.email, code: first, password: "a brand new password" }, at(2)))).toBe("invalid_code");
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
    const short = await post(resetAction, "http://localhost/reset-password", { email: owner.user.email, code: "12 34 56", password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    const reply = await short.json();
    expect(reply.error).toMatchObject({ password: ["accounts.errors.passwordShort"] });
    expect(reply.initialValue).toMatchObject({ email: owner.user.email, code: "12 34 56" });
    expect(reply.initialValue?.password).toBeUndefined();
    const wrong = await (await post(resetAction, "http://localhost/reset-password", { email: owner.user.email, code: "123456", password: "long enough password", confirm: "long enough password" })).json();
    expect(wrong.error).toMatchObject({ "": ["accounts.errors.invalid_code"] });
    const mismatch = await (await post(resetAction, "http://localhost/reset-password", { email: owner.user.email, code: "123456", password: "long enough password", confirm: "long enough pasword" })).json();
    expect(mismatch.error).toMatchObject({ confirm: ["accounts.errors.confirm"] });
  });

  it("an invitation link that does not exist is refused with a message", async () => {
    const res = await invitationAction({
      request: new Request("http://localhost/invitations/x", { method: "POST", body: form({ name: "Eve", password: "long enough password", confirm: "long enough password" }) }),
      params: { token: "A".repeat(43) }, context: {},
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ "": ["accounts.errors.invitation_invalid"] });
  });
});

describe("sign-in", () => {
  it("records the last sign-in and the language, and refuses a deactivated member", async () => {
    const { creditor, owner } = await team();
    const res = await loginAction({
      request: new Request("http://localhost/login", { method: "POST", body: form({ email: owner.user.email, password: PASSWORD }), headers: { "Accept-Language": "en" } }),
      params: {}, context: {},
    });
    expect(res.status).toBe(302);
    expect(await db().user.findUniqueOrThrow({ where: { id: owner.user.id } })).toMatchObject({ locale: "en", lastLoginAt: expect.any(Date) });
    expect((await audit(creditor.id)).map((e) => e.action)).toContain("auth.login");

    const agent = await member(creditor.id, "AGENT");
    await deactivateMember(db(), owner.actor, agent.user.id, clock);
    const refused = await loginAction({ request: new Request("http://localhost/login", { method: "POST", body: form({ email: agent.user.email, password: PASSWORD }) }), params: {}, context: {} });
    expect(refused.status).toBe(400);
  });
});

describe("invitations", () => {
  it("emails a single-use link; the colleague sets name and password and gets the role", async () => {
    const { creditor, owner } = await team();
    const email = `new-${uid()}@example.test`;
    await inviteColleague(db(), owner.actor, { email: email.toUpperCase(), role: "AGENT", locale: "en" }, clock);
    const mail = readEmails({ to: email }).at(-1)!;
    expect(mail.subject).toContain("invited you to join");
    const token = linkIn(email)!;
    const stored = await db().staffInvitation.findFirstOrThrow({ where: { creditorId: creditor.id, email } });
    expect(stored.tokenHash).not.toBe(token);
    expect(stored.expiresAt.getTime() - NOW.getTime()).toBe(7 * 86_400_000);
    expect(await findOpenInvitation(db(), token, NOW)).toMatchObject({ email, role: "AGENT" });

    const user = await acceptInvitation(db(), token, { name: " Léa Martin ", password: "a long enough password" }, at(5));
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ creditorId: creditor.id, email, name: "Léa Martin", role: "AGENT", locale: "en" });
    expect(await verifyLogin(email, "a long enough password")).not.toBeNull();
    expect(await failure(acceptInvitation(db(), token, { name: "Mallory", password: "a long enough password" }, at(6)))).toBe("invitation_invalid");
    expect(await findOpenInvitation(db(), token, NOW)).toBeNull();
    const events = await audit(creditor.id);
    expect(events.find((e) => e.action === "team.invitation_sent")).toMatchObject({ actorUserId: owner.user.id, meta: { email, role: "AGENT" } });
    expect(events.find((e) => e.action === "team.invitation_accepted")).toMatchObject({ actorUserId: user.id });
  });

  it("expires after 7 days; a revoked or replaced invitation no longer works", async () => {
    const { creditor, owner } = await team();
    const email = `late-${uid()}@example.test`;
    await inviteColleague(db(), owner.actor, { email, role: "VIEWER", locale: "fr" }, clock);
    const first = linkIn(email)!;
    expect(await failure(acceptInvitation(db(), first, { name: "Late", password: "a long enough password" }, at(7 * 24 * 60)))).toBe("invitation_invalid");

    await inviteColleague(db(), owner.actor, { email, role: "AGENT", locale: "fr" }, at(1));
    const second = linkIn(email)!;
    expect(second).not.toBe(first);
    expect(await findOpenInvitation(db(), first, at(2).now())).toBeNull();
    const pending = (await teamOverview(db(), creditor.id, at(2).now())).invitations;
    expect(pending.map((i) => [i.email, i.role])).toEqual([[email, "AGENT"]]);

    expect(await revokeInvitation(db(), owner.actor, pending[0]!.id, at(3))).toBe(true);
    expect(await failure(acceptInvitation(db(), second, { name: "Late", password: "a long enough password" }, at(4)))).toBe("invitation_invalid");
    expect((await audit(creditor.id)).map((e) => e.action)).toContain("team.invitation_revoked");
  });

  it("an invitation whose email could not be sent is revoked, and the owner is told", async () => {
    const { creditor, owner } = await team();
    process.env.MOCK_RESEND_FAIL = "500";
    try {
      expect(await failure(inviteColleague(db(), owner.actor, { email: `lost-${uid()}@example.test`, role: "AGENT", locale: "fr" }, clock))).toBe("email_failed");
    } finally {
      delete process.env.MOCK_RESEND_FAIL;
    }
    expect((await teamOverview(db(), creditor.id, NOW)).invitations).toEqual([]);
    expect((await audit(creditor.id)).map((e) => e.action)).not.toContain("team.invitation_sent");
  });

  it("cannot invite an address that already has an account", async () => {
    const { owner } = await team();
    const other = await team();
    expect(await failure(inviteColleague(db(), owner.actor, { email: other.owner.user.email, role: "AGENT", locale: "fr" }, clock))).toBe("already_member");
    expect(await failure(inviteColleague(db(), owner.actor, { email: owner.user.email, role: "AGENT", locale: "fr" }, clock))).toBe("already_member");
  });
});

describe("roles and deactivation", () => {
  it("keeps at least one active owner; an owner cannot deactivate themselves", async () => {
    const { creditor, owner } = await team();
    expect(await failure(changeRole(db(), owner.actor, owner.user.id, "AGENT", clock))).toBe("last_owner");
    expect(await failure(deactivateMember(db(), owner.actor, owner.user.id, clock))).toBe("self");

    const second = await member(creditor.id, "AGENT");
    expect(await changeRole(db(), owner.actor, second.user.id, "OWNER", clock)).toBe(true);
    // Two owners now: one may step down, and the other is then the last one.
    expect(await changeRole(db(), owner.actor, owner.user.id, "AGENT", clock)).toBe(true);
    const stale = owner.actor; // still says OWNER: the database is the judge
    expect(await failure(changeRole(db(), stale, second.user.id, "AGENT", clock))).toBe("forbidden");
    expect(await failure(changeRole(db(), { ...second.actor, role: "OWNER" }, second.user.id, "VIEWER", clock))).toBe("last_owner");
    const events = (await audit(creditor.id)).filter((e) => e.action === "team.role_changed");
    expect(events.map((e) => e.meta)).toEqual([
      expect.objectContaining({ from: "AGENT", to: "OWNER" }),
      expect.objectContaining({ from: "OWNER", to: "AGENT" }),
    ]);
  });

  it("deactivating ends the member's sessions at once; reactivating lets them sign in again", async () => {
    const { creditor, owner } = await team();
    const agent = await member(creditor.id, "AGENT");
    expect(await db().session.count({ where: { userId: agent.user.id } })).toBe(1);
    expect(await deactivateMember(db(), owner.actor, agent.user.id, clock)).toBe(true);
    expect(await db().session.count({ where: { userId: agent.user.id } })).toBe(0);
    const page = teamLoader({ request: new Request("http://localhost/app/team", { headers: { Cookie: agent.cookie } }), params: {}, context: {} });
    await expect(page).rejects.toMatchObject({ status: 302 });
    expect(await deactivateMember(db(), owner.actor, agent.user.id, clock)).toBe(false);
    expect(await reactivateMember(db(), owner.actor, agent.user.id, clock)).toBe(true);
    expect(await verifyLogin(agent.user.email, PASSWORD)).not.toBeNull();
    const events = await audit(creditor.id);
    expect(events.find((e) => e.action === "team.member_deactivated")).toMatchObject({ actorUserId: owner.user.id, targetId: agent.user.id, meta: { sessionsRevoked: 1 } });
    expect(events.map((e) => e.action)).toContain("team.member_reactivated");
  });

  it("agents and viewers cannot manage the team: refused by the service and by the route (403)", async () => {
    const { creditor, owner } = await team();
    const agent = await member(creditor.id, "AGENT");
    const viewer = await member(creditor.id, "VIEWER");
    for (const who of [agent, viewer]) {
      expect(await failure(inviteColleague(db(), who.actor, { email: `x-${uid()}@example.test`, role: "OWNER", locale: "fr" }, clock))).toBe("forbidden");
      expect(await failure(changeRole(db(), who.actor, who.user.id, "OWNER", clock))).toBe("forbidden");
      expect(await failure(deactivateMember(db(), who.actor, owner.user.id, clock))).toBe("forbidden");
      for (const fields of <Record<string, string>[]>[{ intent: "invite", email: `x-${uid()}@example.test`, role: "OWNER" }, { intent: "change-role", id: who.user.id, role: "OWNER" }, { intent: "deactivate", id: owner.user.id }]) {
        const post = teamAction({ request: new Request("http://localhost/app/team", { method: "POST", body: form(fields), headers: { Cookie: who.cookie } }), params: {}, context: {} });
        await expect(post).rejects.toMatchObject({ status: 403 });
      }
    }
    expect(await db().user.findUniqueOrThrow({ where: { id: viewer.user.id } })).toMatchObject({ role: "VIEWER" });
    expect(await db().staffInvitation.count({ where: { creditorId: creditor.id } })).toBe(0);
    const page = await (await teamLoader({ request: new Request("http://localhost/app/team", { headers: { Cookie: viewer.cookie } }), params: {}, context: {} })).json();
    expect(page).toMatchObject({ canManage: false, events: [] });
    expect(page.members).toHaveLength(3);
  });
});

describe("tenant isolation", () => {
  it("an owner of creditor A can neither see nor change creditor B's members and invitations, even by id", async () => {
    const a = await team();
    const b = await team();
    const bAgent = await member(b.creditor.id, "AGENT");
    const email = `b-invite-${uid()}@example.test`;
    await inviteColleague(db(), b.owner.actor, { email, role: "VIEWER", locale: "fr" }, clock);
    const bInvitation = await db().staffInvitation.findFirstOrThrow({ where: { creditorId: b.creditor.id, email } });

    expect(await failure(changeRole(db(), a.owner.actor, bAgent.user.id, "OWNER", clock))).toBe("not_found");
    expect(await failure(deactivateMember(db(), a.owner.actor, bAgent.user.id, clock))).toBe("not_found");
    expect(await failure(reactivateMember(db(), a.owner.actor, bAgent.user.id, clock))).toBe("not_found");
    expect(await failure(revokeInvitation(db(), a.owner.actor, bInvitation.id, clock))).toBe("not_found");
    for (const fields of <Record<string, string>[]>[
      { intent: "change-role", id: bAgent.user.id, role: "OWNER" },
      { intent: "deactivate", id: b.owner.user.id },
      { intent: "revoke-invitation", id: bInvitation.id },
    ]) {
      const post = teamAction({ request: new Request("http://localhost/app/team", { method: "POST", body: form(fields), headers: { Cookie: a.owner.cookie } }), params: {}, context: {} });
      await expect(post).rejects.toMatchObject({ status: 404 });
    }
    expect(await db().user.findUniqueOrThrow({ where: { id: bAgent.user.id } })).toMatchObject({ role: "AGENT", deactivatedAt: null });
    expect(await db().session.count({ where: { userId: b.owner.user.id } })).toBe(1);
    expect(await db().staffInvitation.findUniqueOrThrow({ where: { id: bInvitation.id } })).toMatchObject({ revokedAt: null });

    const page = await (await teamLoader({ request: new Request("http://localhost/app/team", { headers: { Cookie: a.owner.cookie } }), params: {}, context: {} })).json();
    const seen = JSON.stringify(page);
    expect(seen).not.toContain(bAgent.user.email);
    expect(seen).not.toContain(email);
    expect(page.members.map((m: { id: string }) => m.id)).toEqual([a.owner.user.id]);
    expect(await db().auditEvent.count({ where: { creditorId: a.creditor.id, action: { startsWith: "team." } } })).toBe(0);
  });
});

describe("my account", () => {
  it("signs out of every other device, keeping this one", async () => {
    const { creditor, owner } = await team();
    await startStaffSession(owner.user, new Request("http://localhost/login", { headers: { "User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/130.0" } }));
    expect((await listMySessions(db(), owner.actor, NOW)).map((s) => s.current).sort()).toEqual([false, true]);
    expect(await signOutOtherSessions(db(), owner.actor, clock)).toBe(1);
    expect((await listMySessions(db(), owner.actor, NOW)).map((s) => s.id)).toEqual([owner.actor.sessionId]);
    expect((await audit(creditor.id)).find((e) => e.action === "account.sessions_revoked")).toMatchObject({ actorUserId: owner.user.id, meta: { count: 1 } });
  });

  it("changes the password only with the current one, and signs the other devices out", async () => {
    const { creditor, owner } = await team();
    await startStaffSession(owner.user, new Request("http://localhost/login"));
    expect(await failure(changePassword(db(), owner.actor, { currentPassword: "not it", password: "a brand new password" }, clock))).toBe("wrong_password");
    expect(await changePassword(db(), owner.actor, { currentPassword: PASSWORD, password: "a brand new password" }, clock)).toBe(1);
    expect(await verifyLogin(owner.user.email, "a brand new password")).not.toBeNull();
    expect((await db().session.findMany({ where: { userId: owner.user.id } })).map((s) => s.id)).toEqual([owner.actor.sessionId]);
    expect((await audit(creditor.id)).map((e) => e.action)).toContain("account.password_changed");
  });
});
