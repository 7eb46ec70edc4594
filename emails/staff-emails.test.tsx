import { renderStaffEmail } from "./index";

const invitation = {
  inviterName: "Claire Durand",
  creditorName: "Atelier Durand",
  role: "AGENT" as const,
  expiresAt: new Date("2026-12-02T10:00:00Z"),
  actionUrl: "https://relance.example.test/invitations/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
};
const resetCode = {
  name: "Claire Durand",
  creditorName: "Atelier Durand",
  code: "042917",
  validMinutes: 15,
  actionUrl: "https://relance.example.test/reset-password?email=a%40b.test",
};

describe("staff emails", () => {
  it.each(["fr", "en"] as const)("the invitation carries its single-use link and expiry (%s)", async (locale) => {
    const email = await renderStaffEmail("staff_invitation", { ...invitation, locale });
    expect(email.subject).toBe(
      locale === "fr"
        ? "Claire Durand vous invite à rejoindre Atelier Durand sur relance"
        : "Claire Durand invited you to join Atelier Durand on relance",
    );
    expect(email.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
    expect(email.html).toContain(`href="${invitation.actionUrl}"`);
    expect(email.text).toContain(invitation.actionUrl);
    expect(email.text).toContain(locale === "fr" ? "expire le 02/12/2026" : "expires on 2 Dec 2026");
    expect(email.text).toContain(locale === "fr" ? "Votre rôle\u00a0: agent" : "Your role: agent");
    // eslint-disable-next-line no-control-regex -- the check is for a NUL character leaking into the rendered email
    expect(email.html + email.text).not.toMatch(/\u0000|\ufffd|undefined|NaN|\[object/);
  });

  it.each(["fr", "en"] as const)("the reset email shows the code and its validity, not in the subject (%s)", async (locale) => {
    const email = await renderStaffEmail("staff_reset_code", { ...resetCode, locale });
    expect(email.subject).not.toContain("042917");
    expect(email.text).toContain("042917");
    expect(email.text).toContain("15 minutes");
    expect(email.text).toContain(resetCode.actionUrl);
    expect(email.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
  });

  it("refuses a link that is not http(s)", async () => {
    await expect(renderStaffEmail("staff_reset_code", { ...resetCode, locale: "fr", actionUrl: "javascript:alert(1)" })).rejects.toThrow(
      /http/,
    );
  });
});
