import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { action as loginAction } from "~/routes/login";
import { action as signupAction, loader as signupLoader } from "~/routes/signup";
import { action as verifyAction, loader as verifyLoader } from "~/routes/signup_.verify.$token";
import { EnvError, getEnv, parseEnv } from "~/utils/env.server";
import { verifyLogin } from "~/utils/staff-session.server";
import { startMockServer } from "../../providers/mocks/index";
import { readEmails } from "../../providers/mocks/utils";
import { useTestDatabase } from "../../testing/db";

const database = useTestDatabase();
const db = () => database.get().prisma;
let stop: () => void;

/** The environment is parsed once per process: a test that changes it parses it again. */
function setSignup(value: string | undefined) {
  if (value === undefined) delete process.env.SIGNUP;
  else process.env.SIGNUP = value;
  (globalThis as unknown as { __relanceSingletons: Map<string, unknown> }).__relanceSingletons.delete("env");
}

beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-signup-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => {
  stop();
  setSignup(undefined);
});

const PASSWORD = "une phrase assez longue";
const FIELDS = {
  legalName: "Boulangerie Lune SAS",
  siren: "542107651",
  ownerName: "Léa Lune",
  email: "lea@lune.test",
  password: PASSWORD,
  confirm: PASSWORD,
};
const body = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
};
const signup = (fields: Record<string, string>) =>
  signupAction({ request: new Request("http://localhost/signup", { method: "POST", body: body(fields) }), params: {}, context: {} });
const args = (token: string, method = "GET") => ({
  request: new Request(`http://localhost/signup/verify/${token}`, { method }),
  params: { token },
  context: {},
});

async function status(fn: () => Promise<unknown>) {
  try {
    const res = await fn();
    return (res as Response).status;
  } catch (thrown) {
    return (thrown as Response).status;
  }
}

describe("self-service sign-up", () => {
  it("is off by default: /signup and its verification links answer 404; SIGNUP accepts only open or off", async () => {
    setSignup(undefined);
    expect(getEnv().SIGNUP).toBe("off");
    expect(await status(() => signupLoader())).toBe(404);
    expect(await status(() => signup(FIELDS))).toBe(404);
    expect(await status(() => verifyLoader(args("x".repeat(43))))).toBe(404);
    expect(await status(() => verifyAction(args("x".repeat(43), "POST")))).toBe(404);
    expect(await db().signupRequest.count()).toBe(0);
    expect(() => parseEnv({ ...process.env, SIGNUP: "yes" })).toThrow(EnvError);
  });

  it("open: sign-up → verification email in the mock mailbox → verified → the owner can sign in", async () => {
    setSignup("open");
    expect(await status(() => signupLoader())).toBe(200);

    const sent = await signup(FIELDS);
    expect(sent.status).toBe(200);
    expect((await sent.json()).sent).toBe("lea@lune.test");

    // Not usable before the address is verified.
    expect(await verifyLogin("lea@lune.test", PASSWORD)).toBeNull();
    expect(await db().creditor.count({ where: { legalName: FIELDS.legalName } })).toBe(0);

    const [email] = readEmails({ to: "lea@lune.test" });
    expect(email!.subject).toContain("Boulangerie Lune SAS");
    expect(email!.html).toContain("<html"); // the staff frame's react-email layout
    const token = /\/signup\/verify\/([A-Za-z0-9_-]{43})/.exec(email!.text ?? "")![1]!;
    const stored = await db().signupRequest.findFirstOrThrow({ where: { email: "lea@lune.test" } });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.passwordHash).not.toContain(PASSWORD);

    // Reading the link (a mail scanner) creates nothing.
    const page = await verifyLoader(args(token));
    expect(page.status).toBe(200);
    expect(await db().creditor.count({ where: { legalName: FIELDS.legalName } })).toBe(0);

    const verified = await verifyAction(args(token, "POST"));
    expect((verified as Response).status).toBe(302);
    expect((verified as Response).headers.get("Location")).toBe("/app");
    const creditor = await db().creditor.findFirstOrThrow({ where: { legalName: FIELDS.legalName }, include: { users: true } });
    expect(creditor).toMatchObject({ slug: "boulangerie-lune-sas", siren: "542107651", contactEmail: "lea@lune.test" });
    expect(creditor.users).toMatchObject([{ email: "lea@lune.test", name: "Léa Lune", role: "OWNER" }]);

    const login = await loginAction({
      request: new Request("http://localhost/login", { method: "POST", body: body({ email: "lea@lune.test", password: PASSWORD }) }),
      params: {},
      context: {},
    });
    expect(login.status).toBe(302);
    expect(login.headers.get("Location")).toBe("/app");

    // The link works once.
    expect((await verifyLoader(args(token))).status).toBe(410);
    expect(((await verifyAction(args(token, "POST"))) as Response).status).toBe(400);
    expect(await db().creditor.count({ where: { legalName: FIELDS.legalName } })).toBe(1);
  });

  it("keeps the values and names the field: a wrong SIREN, an address that already has an account", async () => {
    setSignup("open");
    const bad = await signup({ ...FIELDS, email: "new@lune.test", siren: "542107652" });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
    expect(badBody.result.error.siren).toEqual(["onboarding.errors.siren"]);
    expect(badBody.result.initialValue.legalName).toBe(FIELDS.legalName);
    expect(badBody.result.initialValue.password).toBeUndefined();

    const taken = await signup(FIELDS);
    expect(taken.status).toBe(400);
    expect(((await taken.json()) as typeof badBody).result.error.email).toEqual(["onboarding.errors.email_taken"]);
  });
});
