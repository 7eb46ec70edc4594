import { addDays } from "~/domain/clock";
import { startStaffSession } from "~/utils/staff-session.server";
import { makeCreditor, makeDebtor, makeInvoice } from "../testing/factories";
import { useTestDatabase } from "../testing/db";
import { loader as debtorsCsv } from "./app.debtors[.csv]";
import { loader as invoicePage } from "./app.invoices.$invoiceId";
import { loader as invoicesCsv } from "./app.invoices[.csv]";

/** The invoice page and the CSV exports, through real staff session cookies: one creditor never reads another's rows. */
const database = useTestDatabase();
const NOW = new Date();

async function tenant(label: string) {
  const db = database.get().prisma;
  const { creditor, policy } = await makeCreditor(db);
  const debtor = await makeDebtor(db, creditor.id, { name: `${label} client` });
  const invoice = await makeInvoice(
    db,
    { creditorId: creditor.id, debtorId: debtor.id, policy },
    { dueDate: addDays(NOW, -20), amount: 400_00, now: addDays(NOW, -20), number: `${label}-0001` },
  );
  const user = await db.user.create({
    data: { creditorId: creditor.id, email: `owner-${creditor.id}@example.test`, name: "Owner", role: "OWNER" },
  });
  const cookie = (await startStaffSession(user, new Request("http://localhost/login"))).split(";")[0]!;
  return { debtor, invoice, cookie };
}

const get = (url: string, cookie: string) => new Request(`http://localhost${url}`, { headers: { Cookie: `${cookie}; lang=fr` } });
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

describe("back-office invoice page and exports", () => {
  let a: Awaited<ReturnType<typeof tenant>>;
  let b: Awaited<ReturnType<typeof tenant>>;
  beforeAll(async () => {
    a = await tenant("AAA");
    b = await tenant("BBB");
  });

  it("an invoice of another creditor is a 404; one's own opens", async () => {
    const outcome = await invoicePage(args(get(`/app/invoices/${b.invoice.id}`, a.cookie), { invoiceId: b.invoice.id })).catch(
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(404);
    const own = await (await invoicePage(args(get(`/app/invoices/${a.invoice.id}`, a.cookie), { invoiceId: a.invoice.id }))).json();
    expect(own.invoice.number).toBe("AAA-0001");
  });

  it("the invoice CSV is an attachment with a BOM and ';', and holds only the signed-in creditor's invoices", async () => {
    const response = await invoicesCsv(args(get("/app/invoices.csv?sort=amount&dir=desc", a.cookie)));
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = text.slice(1).trimEnd().split("\r\n");
    expect(header!.split(";")).toContain("Reste dû");
    expect(header!.split(";")).toContain("Devise");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("AAA-0001");
    expect(rows[0]).toContain("400,00");
    expect(text).not.toContain("BBB");
  });

  it("the debtor CSV holds only the signed-in creditor's debtors", async () => {
    const text = await (await debtorsCsv(args(get("/app/debtors.csv", b.cookie)))).text();
    expect(text).toContain("BBB client");
    expect(text).not.toContain("AAA client");
  });
});
