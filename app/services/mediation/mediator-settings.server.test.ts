import { parseMediatorForm } from "~/domain/mediation/mediator";
import { useTestDatabase } from "../../testing/db";
import { makeCreditor, makeDebtor } from "../../testing/factories";
import { goLiveChecklist, setDunningEnabled } from "../onboarding/checklist.server";
import { readConsumerMediator, saveConsumerMediator } from "./mediator-settings.server";

const database = useTestDatabase();
const NOW = new Date("2026-12-01T10:00:00Z");

const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
};

describe("the consumer mediator in the settings", () => {
  it("needs a name and a website (http/https) or a postal address; all empty clears it", () => {
    expect(parseMediatorForm({ name: "CM2C", url: "https://www.cm2c.net" })).toMatchObject({ ok: true });
    expect(parseMediatorForm({ name: "CM2C", address: "14 rue Saint-Jean\n75017 Paris" })).toEqual({
      ok: true,
      value: { consumerMediatorName: "CM2C", consumerMediatorUrl: null, consumerMediatorAddr: "14 rue Saint-Jean, 75017 Paris" },
    });
    expect(parseMediatorForm({ name: "CM2C" })).toEqual({ ok: false, fieldErrors: { url: "reach" } });
    expect(parseMediatorForm({ url: "https://www.cm2c.net" })).toEqual({ ok: false, fieldErrors: { name: "name" } });
    expect(parseMediatorForm({ name: "CM2C", url: "javascript:alert(1)" })).toEqual({ ok: false, fieldErrors: { url: "url" } });
    expect(parseMediatorForm({ name: " ", url: "", address: "" })).toMatchObject({ ok: true, value: { consumerMediatorName: null } });
  });

  it("saves for the staff member's creditor only, and gives the typed values back on error", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db);
    const { creditor: other } = await makeCreditor(db);
    const bad = await saveConsumerMediator(db, creditor.id, form({ name: "CM2C", url: "cm2c", address: "" }));
    expect(bad).toEqual({ saved: false, fieldErrors: { url: "url" }, values: { name: "CM2C", url: "cm2c", address: "" } });
    expect((await readConsumerMediator(db, creditor.id)).name).toBe("");
    const ok = await saveConsumerMediator(db, creditor.id, form({ name: "CM2C", url: "https://www.cm2c.net", address: "" }));
    expect(ok.saved).toBe(true);
    expect(await readConsumerMediator(db, creditor.id)).toEqual({ name: "CM2C", url: "https://www.cm2c.net", address: "" });
    expect((await readConsumerMediator(db, other.id)).name).toBe("");
  });

  it("go-live: with consumer debtors and no mediator the item is to do and dunning cannot be switched on; set, it can", async () => {
    const db = database.get().prisma;
    const { creditor } = await makeCreditor(db, { dunningEnabled: false });
    const user = await db.user.create({
      data: { creditorId: creditor.id, email: `owner-${creditor.id}@example.test`, name: "Owner", role: "OWNER" },
    });
    const item = async () => (await goLiveChecklist(db, creditor.id, NOW)).items.find((i) => i.key === "mediator");
    expect(await item()).toMatchObject({ state: "done", consumers: 0 });

    await makeDebtor(db, creditor.id, { kind: "CONSUMER" });
    expect(await item()).toMatchObject({ state: "todo", consumers: 1, name: null });
    expect(await setDunningEnabled(db, { creditorId: creditor.id, userId: user.id, enabled: true, at: NOW })).toEqual({
      blocked: "mediator",
    });
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).dunningEnabled).toBe(false);

    await saveConsumerMediator(db, creditor.id, form({ name: "CM2C", url: "https://www.cm2c.net", address: "" }));
    expect(await item()).toMatchObject({ state: "done", name: "CM2C" });
    expect(await setDunningEnabled(db, { creditorId: creditor.id, userId: user.id, enabled: true, at: NOW })).toBeNull();
    expect((await db.creditor.findUniqueOrThrow({ where: { id: creditor.id } })).dunningEnabled).toBe(true);
  });
});
