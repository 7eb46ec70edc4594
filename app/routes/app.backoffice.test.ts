import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "~/domain/clock";
import { openDispute } from "~/services/disputes/open.server";
import { processWebhookEvents } from "~/services/webhooks/inbox.server";
import { startStaffSession } from "~/utils/staff-session.server";
import { startMockServer } from "../providers/mocks/index";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { action as inboxAction, loader as inboxLoader } from "./app._index";
import { action as debtorAction, loader as debtorLoader } from "./app.debtors.$debtorId";
import { loader as debtorsLoader } from "./app.debtors._index";
import { action as invoicesAction, loader as invoicesLoader } from "./app.invoices._index";
import { loader as kpisLoader } from "./app.kpis";

/** Route-level proof of tenant isolation and roles, through real staff session cookies. */
const database = useTestDatabase();
const NOW = new Date();
let stop: () => void;
beforeAll(() => {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "relance-backoffice-"));
  stop = startMockServer({ stripe: false, gocardless: false, resend: true });
});
afterAll(() => stop());

async function tenant(label: string) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id, { name: `${label} client` });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(NOW, -20), amount: 400_00, now: addDays(NOW, -20) },
  );
  const disputed = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(NOW, -5), amount: 100_00, now: addDays(NOW, -5) },
  );
  const dispute = await openDispute(
    db,
    { sessionId: "test", creditorId: creditor.id, debtorId: debtor.id },
    { invoiceId: disputed.id, reason: "OTHER", message: "Pas commandé.", files: [] },
    NOW,
  );
  const task = await db.task.create({
    data: { creditorId: creditor.id, debtorId: debtor.id, invoiceId: invoice.id, kind: "CALL", title: "Appeler", dueAt: NOW },
  });
  const cookie = async (role: "OWNER" | "AGENT" | "VIEWER") => {
    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `${role}-${creditor.id}@example.test`, name: role, role },
    });
    const setCookie = await startStaffSession(user, new Request("http://localhost/login"));
    return setCookie.split(";")[0]!;
  };
  return { db, creditor, debtor, invoice, dispute, task, owner: await cookie("OWNER"), viewer: await cookie("VIEWER") };
}

const get = (url: string, cookie: string) => new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });
const post = (url: string, cookie: string, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
  return new Request(`http://localhost${url}`, {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
};
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
const status = async (p: Promise<unknown>) => {
  const outcome = await p.then(
    (r) => r,
    (e: unknown) => e,
  );
  return outcome instanceof Response ? outcome.status : -1;
};

describe("back-office routes", () => {
  let a: Awaited<ReturnType<typeof tenant>>;
  let b: Awaited<ReturnType<typeof tenant>>;
  beforeAll(async () => {
    a = await tenant("A");
    b = await tenant("B");
  });

  it("a user of creditor A cannot read creditor B's debtor (404), nor see B's rows in lists", async () => {
    expect(await status(debtorLoader(args(get(`/app/debtors/${b.debtor.id}`, a.owner), { debtorId: b.debtor.id })))).toBe(404);
    const own = await (await debtorLoader(args(get(`/app/debtors/${a.debtor.id}`, a.owner), { debtorId: a.debtor.id }))).json();
    expect(own.debtor.name).toBe("A client");
    const debtors = await (await debtorsLoader(args(get("/app/debtors?q=client", a.owner)))).json();
    expect(debtors.debtors.map((d: { name: string }) => d.name)).toEqual(["A client"]);
    const invoices = await (await invoicesLoader(args(get(`/app/invoices?debtorId=${b.debtor.id}`, a.owner)))).json();
    expect(invoices.total).toBe(0);
    const inbox = await (await inboxLoader(args(get("/app", a.owner)))).json();
    expect(inbox.disputes.map((d: { id: string }) => d.id)).toEqual([a.dispute.id]);
    expect(inbox.calls.map((t: { id: string }) => t.id)).toEqual([a.task.id]);
    const kpis = await (await kpisLoader(args(get("/app/kpis", a.owner)))).json();
    expect(kpis.openBalance).toBe(500_00);
  });

  it("a user of creditor A cannot act on B's debtor, invoice, dispute or task (404), and B's rows are untouched", async () => {
    expect(
      await status(
        debtorAction(
          args(post(`/app/debtors/${b.debtor.id}`, a.owner, { intent: "pause", note: "x", invoiceId: b.invoice.id }), {
            debtorId: b.debtor.id,
          }),
        ),
      ),
    ).toBe(404);
    expect(
      await status(
        debtorAction(
          args(post(`/app/debtors/${a.debtor.id}`, a.owner, { intent: "pause", note: "x", invoiceId: b.invoice.id }), {
            debtorId: a.debtor.id,
          }),
        ),
      ),
    ).toBe(404);
    expect(
      await status(debtorAction(args(post(`/app/debtors/${b.debtor.id}`, a.owner, { intent: "revoke-links" }), { debtorId: b.debtor.id }))),
    ).toBe(404);
    expect(
      await status(invoicesAction(args(post("/app/invoices?index", a.owner, { bulk: "write-off", note: "x", invoiceId: [b.invoice.id] })))),
    ).toBe(404);
    expect(
      await status(inboxAction(args(post("/app?index", a.owner, { intent: "dispute-reject", disputeId: b.dispute.id, note: "non" })))),
    ).toBe(404);
    expect(
      await status(
        inboxAction(
          args(post("/app?index", a.owner, { intent: "dispute-credit", disputeId: b.dispute.id, creditAmount: "10", note: "non" })),
        ),
      ),
    ).toBe(404);
    expect(
      await status(inboxAction(args(post("/app?index", a.owner, { intent: "call-log", taskId: b.task.id, outcome: "NO_ANSWER" })))),
    ).toBe(404);
    expect((await b.db.invoice.findUniqueOrThrow({ where: { id: b.invoice.id } })).status).toBe("OPEN");
    expect((await b.db.dispute.findUniqueOrThrow({ where: { id: b.dispute.id } })).status).toBe("OPEN");
    expect((await b.db.task.findUniqueOrThrow({ where: { id: b.task.id } })).status).toBe("OPEN");
    expect(await b.db.communication.count({ where: { creditorId: b.creditor.id, actorType: "STAFF" } })).toBe(0);
  });

  it("staff retry a failed provider event of their own creditor only, and not as a viewer; the next pass applies it", async () => {
    const failed = (creditorId: string) =>
      a.db.webhookEvent.create({
        data: {
          provider: "STRIPE",
          eventId: `evt_${crypto.randomUUID()}`,
          type: "customer.created",
          payload: { type: "customer.created", data: { object: {} } },
          creditorId,
          status: "FAILED",
          attempts: 8,
          lastError: "boom",
          nextAttemptAt: addDays(NOW, 1),
        },
      });
    const mine = await failed(a.creditor.id);
    const theirs = await failed(b.creditor.id);
    expect(await status(inboxAction(args(post("/app", a.owner, { intent: "webhook-retry", webhookId: theirs.id }))))).toBe(404);
    expect(await status(inboxAction(args(post("/app", a.viewer, { intent: "webhook-retry", webhookId: mine.id }))))).toBe(403);
    const response = (await inboxAction(args(post("/app", a.owner, { intent: "webhook-retry", webhookId: mine.id })))) as Response;
    expect(response.headers.get("Location")).toBe("/app?done=webhookRetried");
    const retried = await a.db.webhookEvent.findUniqueOrThrow({ where: { id: mine.id } });
    expect(retried.attempts).toBe(7);
    expect(retried.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await a.db.webhookEvent.findUniqueOrThrow({ where: { id: theirs.id } })).nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(await a.db.auditEvent.count({ where: { creditorId: a.creditor.id, action: "webhook.retried", targetId: mine.id } })).toBe(1);
    await processWebhookEvents(a.db, new Date());
    expect((await a.db.webhookEvent.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe("IGNORED");
    expect((await a.db.webhookEvent.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("FAILED");
  });

  it("a VIEWER reads but cannot act (403)", async () => {
    const page = await (await debtorLoader(args(get(`/app/debtors/${a.debtor.id}`, a.viewer), { debtorId: a.debtor.id }))).json();
    expect(page.canAct).toBe(false);
    expect(
      await status(invoicesAction(args(post("/app/invoices?index", a.viewer, { bulk: "pause", note: "x", invoiceId: [a.invoice.id] })))),
    ).toBe(403);
    expect(
      await status(debtorAction(args(post(`/app/debtors/${a.debtor.id}`, a.viewer, { intent: "send-link" }), { debtorId: a.debtor.id }))),
    ).toBe(403);
    expect(
      await status(inboxAction(args(post("/app?index", a.viewer, { intent: "call-log", taskId: a.task.id, outcome: "NO_ANSWER" })))),
    ).toBe(403);
  });

  it("the contact form re-renders errors with the input kept, then saves and traces the change", async () => {
    const bad = await debtorAction(
      args(
        post(`/app/debtors/${a.debtor.id}`, a.owner, {
          intent: "contact",
          name: "A client",
          email: "pas-un-email",
          phone: "abc",
          locale: "fr",
          country: "FR",
        }),
        { debtorId: a.debtor.id },
      ),
    );
    expect((bad as Response).status).toBe(400);
    const reply = await (bad as Response).json();
    expect(reply.reply.error).toMatchObject({ email: ["bo.errors.email"], phone: ["bo.errors.phone"] });
    expect(reply.reply.initialValue).toMatchObject({ email: "pas-un-email" });

    const ok = (await debtorAction(
      args(
        post(`/app/debtors/${a.debtor.id}`, a.owner, {
          intent: "contact",
          name: "A client",
          email: "Compta@A.example",
          phone: "+33 4 72 00 00 01",
          locale: "en",
          country: "FR",
        }),
        { debtorId: a.debtor.id },
      ),
    )) as Response;
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe(`/app/debtors/${a.debtor.id}?done=contact`);
    expect(await a.db.debtor.findUniqueOrThrow({ where: { id: a.debtor.id } })).toMatchObject({ email: "compta@a.example", locale: "en" });
    expect(await a.db.communication.count({ where: { creditorId: a.creditor.id, kind: "debtor.updated", actorType: "STAFF" } })).toBe(1);
  });

  it("an agent logs a call with a promise from the inbox (POST-redirect-GET), and sends the portal link by email", async () => {
    const res = (await inboxAction(
      args(
        post("/app?index", a.owner, {
          intent: "call-log",
          taskId: a.task.id,
          outcome: "REACHED",
          promiseDate: addDays(NOW, 5).toISOString().slice(0, 10),
          promiseAmount: "400,00",
        }),
      ),
    )) as Response;
    expect(res.headers.get("Location")).toBe("/app?done=promiseLogged");
    expect(await a.db.promiseToPay.count({ where: { creditorId: a.creditor.id, invoiceId: a.invoice.id, status: "PENDING" } })).toBe(1);

    const sent = (await debtorAction(
      args(post(`/app/debtors/${a.debtor.id}`, a.owner, { intent: "send-link" }), { debtorId: a.debtor.id }),
    )) as Response;
    expect(sent.headers.get("Location")).toBe(`/app/debtors/${a.debtor.id}?done=link`);
    expect(await a.db.communication.count({ where: { creditorId: a.creditor.id, kind: "notice.portal_link" } })).toBe(1);
    expect(
      await a.db.communication.count({ where: { creditorId: a.creditor.id, kind: "staff.portal_link_sent", actorType: "STAFF" } }),
    ).toBe(1);
  });
});
