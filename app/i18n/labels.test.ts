import fs from "node:fs";
import path from "node:path";
import { DUNNING_TEMPLATE_KEYS, TEMPLATE_KEYS } from "../../emails";
import { prescriptionTaskFor, type PrescriptionStage } from "~/domain/legal/prescription";
import {
  ActorType,
  CommChannel,
  DebtorKind,
  DeliveryStatus,
  DisputeReason,
  DisputeStatus,
  InvoiceStatus,
  PauseReason,
  PaymentStatus,
  PlanStatus,
  PromiseStatus,
  TaskKind,
  TaskStatus,
} from "~/generated/prisma/enums";
import { translate, type MessageKey } from "./index";
import {
  callOutcomeLabel,
  disputeReasonLabel,
  eventLabel,
  hasLabel,
  levelLabel,
  pauseReasonLabel,
  taskKindLabel,
  taskStatusLabel,
  type LabelFamily,
} from "./labels";
import { en } from "./en";
import { fr } from "./fr";

const root = path.resolve(__dirname, "../..");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const serviceFiles = sources(path.join(root, "app/services")).map((file) => ({
  file: path.relative(root, file),
  text: fs.readFileSync(file, "utf8"),
}));

/** `kind: "…"` literals written in the services; email-provider tags (`tags: { kind }`) are never shown to anyone. */
function kindLiterals() {
  const found: { file: string; value: string }[] = [];
  for (const { file, text } of serviceFiles) {
    for (const m of text.matchAll(/kind:\s*"([^"]+)"/g)) {
      if (/tags:\s*\{\s*$/.test(text.slice(Math.max(0, m.index - 20), m.index))) continue;
      found.push({ file, value: m[1]! });
    }
  }
  return found;
}

/** The dunning event types, read from the domain's `DunningEvent` union (a new type must get a label). */
function dunningEventTypes() {
  const text = fs.readFileSync(path.join(root, "app/domain/dunning/events.ts"), "utf8");
  const union = text.slice(text.indexOf("export type DunningEvent ="), text.indexOf("export type DunningEventType"));
  return [...union.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]!);
}

const lower = (values: readonly string[]) => values.map((v) => v.toLowerCase());
const STAGES: PrescriptionStage[] = ["OK", "WARN_90", "WARN_30", "ESCALATE", "EXPIRED"];

/** What each template-literal kind in the services expands to. */
const TEMPLATE_KINDS: Record<string, string[]> = {
  "task.${task.kind.toLowerCase()}": lower(Object.values(TaskKind)).map((k) => `task.${k}`),
  "task.${task.kind.toLowerCase()}_done": lower(Object.values(TaskKind)).map((k) => `task.${k}_done`),
  "payment.${to.toLowerCase()}": lower(Object.values(PaymentStatus)).map((s) => `payment.${s}`),
  "call.${input.outcome.toLowerCase()}": ["reached", "no_answer", "wrong_number"].map((o) => `call.${o}`),
  "dunning.${input.event.type.toLowerCase()}": lower(dunningEventTypes()).map((t) => `dunning.${t}`),
  "notice.${input.key}": TEMPLATE_KEYS.filter((k) => !(DUNNING_TEMPLATE_KEYS as readonly string[]).includes(k)).map((k) => `notice.${k}`),
  "prescription.${action.stage.toLowerCase()}": STAGES.flatMap((s) => prescriptionTaskFor(s)?.stage ?? []).map(
    (s) => `prescription.${s.toLowerCase()}`,
  ),
};

describe("every code the back-office may show has words in French and English", () => {
  it("each trace kind written as a literal in app/services has its own event label", () => {
    const events = kindLiterals().filter((k) => /^[a-z_]+(\.[a-z_]+)+$/.test(k.value));
    expect(events.length).toBeGreaterThan(20);
    expect(events.filter((k) => !hasLabel("event", k.value))).toEqual([]);
  });

  it("each enum-like kind literal in app/services belongs to a labelled family", () => {
    const families: LabelFamily[] = ["taskKind", "documentKind", "payerIdentity", "debtorKind"];
    const codes = kindLiterals().filter((k) => /^[A-Z][A-Z_]*$/.test(k.value));
    expect(codes.length).toBeGreaterThan(5);
    expect(codes.filter((k) => !families.some((f) => hasLabel(f, k.value)))).toEqual([]);
    // Anything else (neither an event nor an enum) is a new shape nobody labels: fail on it.
    expect(kindLiterals().filter((k) => !/^[a-z_]+(\.[a-z_]+)+$/.test(k.value) && !/^[A-Z][A-Z_]*$/.test(k.value))).toEqual([]);
  });

  it("each template-literal kind in app/services is expanded here, and every expansion is labelled", () => {
    const templates = serviceFiles.flatMap(({ text }) => [...text.matchAll(/kind:\s*`([^`]+)`/g)].map((m) => m[1]!));
    expect(templates.filter((t) => !(t in TEMPLATE_KINDS))).toEqual([]);
    const expanded = Object.values(TEMPLATE_KINDS).flat();
    expect(expanded.length).toBeGreaterThan(40);
    expect(expanded.filter((k) => !hasLabel("event", k))).toEqual([]);
  });

  it("each value of the Prisma enums on back-office pages has a label", () => {
    const families: [LabelFamily | string, readonly string[]][] = [
      ["disputeReason", Object.values(DisputeReason)],
      ["pauseReason", Object.values(PauseReason)],
      ["taskKind", Object.values(TaskKind)],
      ["taskStatus", Object.values(TaskStatus)],
      ["debtorKind", Object.values(DebtorKind)],
      ["bo.invoiceStatus.", Object.values(InvoiceStatus)],
      ["bo.planStatus.", Object.values(PlanStatus)],
      ["bo.disputeStatus.", Object.values(DisputeStatus)],
      ["bo.promiseStatus.", Object.values(PromiseStatus)],
      ["bo.paymentStatus.", Object.values(PaymentStatus)],
      ["bo.channel.", Object.values(CommChannel)],
      ["bo.delivery.", Object.values(DeliveryStatus)],
      ["bo.actor.", Object.values(ActorType)],
    ];
    const missing = families.flatMap(([family, values]) =>
      values
        .filter((v) => (family.includes(".") ? !(`${family}${v}` in fr) : !hasLabel(family as LabelFamily, v)))
        .map((v) => `${family} ${v}`),
    );
    expect(missing).toEqual([]);
    expect(["REACHED", "NO_ANSWER", "WRONG_NUMBER"].filter((o) => !hasLabel("callOutcome", o))).toEqual([]);
  });

  it("every label exists in both languages and is words, not a code", () => {
    const labelKeys = (Object.keys(fr) as MessageKey[]).filter((k) =>
      /^(event|taskKind|taskStatus|documentKind|payerIdentity|dispute\.reason|bo\.pause|bo\.outcome|bo\.template)\./.test(k),
    );
    expect(labelKeys.length).toBeGreaterThan(100);
    for (const key of labelKeys) {
      for (const text of [fr[key], en[key]]) {
        expect(text, key).toBeTruthy();
        expect(text, key).not.toMatch(/\b[a-z]+(\.[a-z_]+)+\b|\b[A-Z]+_[A-Z_]+\b|\b[a-z]+_[a-z_]+\b/);
      }
    }
  });

  it("labels speak the page's language and an unknown code reads as a generic phrase", () => {
    expect(eventLabel("fr", "portal.link_opened")).toBe("Espace client ouvert");
    expect(eventLabel("en", "portal.link_opened")).toBe("Customer portal opened");
    expect(eventLabel("fr", "dunning.dispute_opened")).toBe("Litige ouvert : relances suspendues");
    expect(disputeReasonLabel("en", "AMOUNT_WRONG")).toBe("Wrong amount");
    expect(pauseReasonLabel("fr", "PLAN_ACTIVE")).toBe("échéancier en cours");
    expect(callOutcomeLabel("en", "NO_ANSWER")).toBe("No answer");
    expect(levelLabel("fr", "first_reminder")).toBe("Première relance");
    expect(levelLabel("en", null)).toBe(translate("en", "bo.template.other"));
    expect(taskKindLabel("fr", "CALL")).toBe("Appel");
    expect(taskStatusLabel("en", "DONE")).toBe("done");

    expect(eventLabel("fr", "portal.something_new")).toBe("Autre événement du dossier");
    expect(eventLabel("en", "portal.something_new")).toBe("Other file event");
    expect(disputeReasonLabel("fr", "NEW_REASON")).toBe("Autre motif");
    expect(levelLabel("en", "brand_new_step")).toBe(translate("en", "bo.template.other"));
    expect(taskKindLabel("en", "NEW_KIND")).toBe("Task");
  });
});
