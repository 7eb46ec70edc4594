import { readEmails } from "../../providers/mocks/utils";
import { verifyLogin } from "~/utils/staff-session.server";
import { action as teamAction, loader as teamLoader } from "~/routes/app.team";
import {
  acceptInvitation,
  changeRole,
  deactivateMember,
  findOpenInvitation,
  inviteColleague,
  reactivateMember,
  revokeInvitation,
  teamOverview,
} from "./team.server";
import { useStaffAccountsTest } from "~/testing/staff-accounts";

const { db, uid, NOW, at, clock, PASSWORD, member, team, linkIn, failure, audit, form } = useStaffAccountsTest();

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
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      creditorId: creditor.id,
      email,
      name: "Léa Martin",
      role: "AGENT",
      locale: "en",
    });
    expect(await verifyLogin(email, "a long enough password")).not.toBeNull();
    expect(await failure(acceptInvitation(db(), token, { name: "Mallory", password: "a long enough password" }, at(6)))).toBe(
      "invitation_invalid",
    );
    expect(await findOpenInvitation(db(), token, NOW)).toBeNull();
    const events = await audit(creditor.id);
    expect(events.find((e) => e.action === "team.invitation_sent")).toMatchObject({
      actorUserId: owner.user.id,
      meta: { email, role: "AGENT" },
    });
    expect(events.find((e) => e.action === "team.invitation_accepted")).toMatchObject({ actorUserId: user.id });
  });

  it("expires after 7 days; a revoked or replaced invitation no longer works", async () => {
    const { creditor, owner } = await team();
    const email = `late-${uid()}@example.test`;
    await inviteColleague(db(), owner.actor, { email, role: "VIEWER", locale: "fr" }, clock);
    const first = linkIn(email)!;
    expect(await failure(acceptInvitation(db(), first, { name: "Late", password: "a long enough password" }, at(7 * 24 * 60)))).toBe(
      "invitation_invalid",
    );

    await inviteColleague(db(), owner.actor, { email, role: "AGENT", locale: "fr" }, at(1));
    const second = linkIn(email)!;
    expect(second).not.toBe(first);
    expect(await findOpenInvitation(db(), first, at(2).now())).toBeNull();
    const pending = (await teamOverview(db(), creditor.id, at(2).now())).invitations;
    expect(pending.map((i) => [i.email, i.role])).toEqual([[email, "AGENT"]]);

    expect(await revokeInvitation(db(), owner.actor, pending[0]!.id, at(3))).toBe(true);
    expect(await failure(acceptInvitation(db(), second, { name: "Late", password: "a long enough password" }, at(4)))).toBe(
      "invitation_invalid",
    );
    expect((await audit(creditor.id)).map((e) => e.action)).toContain("team.invitation_revoked");
  });

  it("an invitation whose email could not be sent is revoked, and the owner is told", async () => {
    const { creditor, owner } = await team();
    process.env.MOCK_RESEND_FAIL = "500";
    try {
      expect(
        await failure(inviteColleague(db(), owner.actor, { email: `lost-${uid()}@example.test`, role: "AGENT", locale: "fr" }, clock)),
      ).toBe("email_failed");
    } finally {
      delete process.env.MOCK_RESEND_FAIL;
    }
    expect((await teamOverview(db(), creditor.id, NOW)).invitations).toEqual([]);
    expect((await audit(creditor.id)).map((e) => e.action)).not.toContain("team.invitation_sent");
  });

  it("cannot invite an address that already has an account", async () => {
    const { owner } = await team();
    const other = await team();
    expect(await failure(inviteColleague(db(), owner.actor, { email: other.owner.user.email, role: "AGENT", locale: "fr" }, clock))).toBe(
      "already_member",
    );
    expect(await failure(inviteColleague(db(), owner.actor, { email: owner.user.email, role: "AGENT", locale: "fr" }, clock))).toBe(
      "already_member",
    );
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
    const page = teamLoader({
      request: new Request("http://localhost/app/team", { headers: { Cookie: agent.cookie } }),
      params: {},
      context: {},
    });
    await expect(page).rejects.toMatchObject({ status: 302 });
    expect(await deactivateMember(db(), owner.actor, agent.user.id, clock)).toBe(false);
    expect(await reactivateMember(db(), owner.actor, agent.user.id, clock)).toBe(true);
    expect(await verifyLogin(agent.user.email, PASSWORD)).not.toBeNull();
    const events = await audit(creditor.id);
    expect(events.find((e) => e.action === "team.member_deactivated")).toMatchObject({
      actorUserId: owner.user.id,
      targetId: agent.user.id,
      meta: { sessionsRevoked: 1 },
    });
    expect(events.map((e) => e.action)).toContain("team.member_reactivated");
  });

  it("agents and viewers cannot manage the team: refused by the service and by the route (403)", async () => {
    const { creditor, owner } = await team();
    const agent = await member(creditor.id, "AGENT");
    const viewer = await member(creditor.id, "VIEWER");
    for (const who of [agent, viewer]) {
      expect(
        await failure(inviteColleague(db(), who.actor, { email: `x-${uid()}@example.test`, role: "OWNER", locale: "fr" }, clock)),
      ).toBe("forbidden");
      expect(await failure(changeRole(db(), who.actor, who.user.id, "OWNER", clock))).toBe("forbidden");
      expect(await failure(deactivateMember(db(), who.actor, owner.user.id, clock))).toBe("forbidden");
      for (const fields of <Record<string, string>[]>[
        { intent: "invite", email: `x-${uid()}@example.test`, role: "OWNER" },
        { intent: "change-role", id: who.user.id, role: "OWNER" },
        { intent: "deactivate", id: owner.user.id },
      ]) {
        const post = teamAction({
          request: new Request("http://localhost/app/team", { method: "POST", body: form(fields), headers: { Cookie: who.cookie } }),
          params: {},
          context: {},
        });
        await expect(post).rejects.toMatchObject({ status: 403 });
      }
    }
    expect(await db().user.findUniqueOrThrow({ where: { id: viewer.user.id } })).toMatchObject({ role: "VIEWER" });
    expect(await db().staffInvitation.count({ where: { creditorId: creditor.id } })).toBe(0);
    const page = await (
      await teamLoader({
        request: new Request("http://localhost/app/team", { headers: { Cookie: viewer.cookie } }),
        params: {},
        context: {},
      })
    ).json();
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
      const post = teamAction({
        request: new Request("http://localhost/app/team", { method: "POST", body: form(fields), headers: { Cookie: a.owner.cookie } }),
        params: {},
        context: {},
      });
      await expect(post).rejects.toMatchObject({ status: 404 });
    }
    expect(await db().user.findUniqueOrThrow({ where: { id: bAgent.user.id } })).toMatchObject({ role: "AGENT", deactivatedAt: null });
    expect(await db().session.count({ where: { userId: b.owner.user.id } })).toBe(1);
    expect(await db().staffInvitation.findUniqueOrThrow({ where: { id: bInvitation.id } })).toMatchObject({ revokedAt: null });

    const page = await (
      await teamLoader({
        request: new Request("http://localhost/app/team", { headers: { Cookie: a.owner.cookie } }),
        params: {},
        context: {},
      })
    ).json();
    const seen = JSON.stringify(page);
    expect(seen).not.toContain(bAgent.user.email);
    expect(seen).not.toContain(email);
    expect(page.members.map((m: { id: string }) => m.id)).toEqual([a.owner.user.id]);
    expect(await db().auditEvent.count({ where: { creditorId: a.creditor.id, action: { startsWith: "team." } } })).toBe(0);
  });
});
