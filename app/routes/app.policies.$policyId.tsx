import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import {
  KNOWN_TEMPLATE_KEYS,
  TEMPLATES_BY_CHANNEL,
  validatePolicy,
  type DunningChannel,
  type DunningLevelSpec,
  type Tone,
} from "~/domain/dunning";
import { isLetterProfileComplete } from "~/domain/letter-profile";
import { formatMoney } from "~/domain/money";
import { makeT, type MessageKey } from "~/i18n";
import { levelLabel } from "~/i18n/labels";
import { useRootLocale } from "~/root";
import { getPolicy, PolicyNotFound, PolicyRefused, replacePolicyLevels, setDefaultPolicy } from "~/services/dunning/policies.server";
import { simulateDunning, summariseSimulation } from "~/services/dunning/simulation.server";
import { recordPolicySimulation } from "~/services/onboarding/checklist.server";
import { db } from "~/utils/db.server";
import { hasRole, requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "policies.title");

const CHANNELS = ["EMAIL", "SMS", "CALL_TASK", "LETTER", "HANDOFF", "MEDIATION"] as const satisfies readonly DunningChannel[];
const TONES = ["CORDIAL", "STANDARD", "FIRM"] as const satisfies readonly Tone[];
const SIMULATION_DAYS = 30;
/** The templates that send an email (reminders, the formal notice): their subject and intro can be reworded. */
const WORDED_TEMPLATES: readonly string[] = [...TEMPLATES_BY_CHANNEL.EMAIL, ...TEMPLATES_BY_CHANNEL.LETTER];

/** The editor's form; the calendar rules themselves are validatePolicy's, reported next to the field they concern. */
export function policyFormSchema(companyProfileComplete: boolean) {
  return z
    .object({
      name: z.string({ error: "policies.errors.required" }).trim().min(1, "policies.errors.required").max(100),
      levels: z
        .array(
          z.object({
            offsetDays: z.number({ error: "policies.errors.not_integer" }).int("policies.errors.not_integer"),
            channel: z.enum(CHANNELS, { error: "policies.errors.unknown_channel" }),
            templateKey: z.string({ error: "policies.errors.required" }),
            tone: z.enum(TONES, { error: "policies.errors.required" }),
          }),
        )
        .default([]),
    })
    .superRefine((value, ctx) => {
      const checked = validatePolicy(
        value.levels.map((l, position) => ({ ...l, position })),
        KNOWN_TEMPLATE_KEYS,
        {
          inOrder: true,
          companyProfileComplete,
        },
      );
      if (checked.ok) return;
      for (const error of checked.errors) {
        ctx.addIssue({
          code: "custom",
          path: error.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
          message: `policies.errors.${error.code}`,
        });
      }
    });
}

async function load(request: Request, policyId: string, role: "VIEWER" | "AGENT" = "VIEWER") {
  const staff = await requireStaff(request, role);
  const policy = await getPolicy(db, staff.creditorId, policyId).catch((error) => {
    if (error instanceof PolicyNotFound) throw new Response("Not found", { status: 404 });
    throw error;
  });
  const creditor = await db.creditor.findUniqueOrThrow({
    where: { id: staff.creditorId },
    select: { legalName: true, siren: true, addressLine1: true, postalCode: true, city: true },
  });
  return { staff, policy, profileComplete: isLetterProfileComplete(creditor) };
}

type Values = { name?: string; levels?: { offsetDays?: string; channel?: string; templateKey?: string; tone?: string }[] };
const toValues = (name: string, levels: readonly DunningLevelSpec[]): Values => ({
  name,
  levels: levels.map((l) => ({
    offsetDays: String(l.offsetDays),
    channel: l.channel,
    templateKey: l.templateKey,
    tone: l.tone ?? "STANDARD",
  })),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff, policy } = await load(request, params.policyId ?? "");
  return json({
    canEdit: hasRole(staff, "AGENT"),
    id: policy.id,
    isDefault: policy.isDefault,
    values: toValues(policy.name, policy.levels),
  });
}

type Reply = {
  intent: string;
  values: Values;
  errors: Record<string, string[] | null>;
  saved?: number;
  defaultSet?: boolean;
  simulation?: ReturnType<typeof summariseSimulation>;
};

/**
 * Without JavaScript everything is a submit: add-level / remove-level-N
 * re-render the form with the values as typed, simulate runs them on a
 * rolled-back copy, save writes them and reschedules the open invoices.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  const { staff, policy, profileComplete } = await load(request, params.policyId ?? "", intent === "simulate" ? "VIEWER" : "AGENT");

  if (intent === "make-default") {
    await setDefaultPolicy(db, staff.creditorId, policy.id);
    return json<Reply>({ intent, values: toValues(policy.name, policy.levels), errors: {}, defaultSet: true });
  }

  const submission = parseWithZod(form, { schema: policyFormSchema(profileComplete) });
  const values = (submission.payload ?? {}) as Values;
  const remove = /^remove-level-(\d+)$/.exec(intent);
  if (intent === "add-level" || remove) {
    const levels = [...(values.levels ?? [])];
    if (remove) levels.splice(Number(remove[1]), 1);
    else {
      const last = levels.at(-1);
      levels.push({
        offsetDays: String((Number(last?.offsetDays) || 0) + 7),
        channel: "EMAIL",
        templateKey: "first_reminder",
        tone: "STANDARD",
      });
    }
    return json<Reply>({ intent, values: { ...values, levels }, errors: {} });
  }

  if (submission.status !== "success") return json<Reply>({ intent, values, errors: submission.reply().error ?? {} }, { status: 400 });
  const levels = submission.value.levels.map((l, position) => ({ ...l, position }));
  const now = new Date();

  if (intent === "simulate") {
    const actions = await simulateDunning(db, {
      creditorId: staff.creditorId,
      from: now,
      days: SIMULATION_DAYS,
      policy: { id: policy.id, levels },
    });
    await recordPolicySimulation(db, { creditorId: staff.creditorId, policyId: policy.id, userId: staff.userId, at: now });
    return json<Reply>({ intent, values, errors: {}, simulation: summariseSimulation(actions) });
  }

  try {
    const moved = await db.$transaction(
      (tx) =>
        replacePolicyLevels(tx, {
          creditorId: staff.creditorId,
          policyId: policy.id,
          name: submission.value.name,
          levels,
          now,
          actor: { type: "STAFF", id: staff.userId },
        }),
      { timeout: 60_000 },
    );
    return json<Reply>({ intent, values, errors: {}, saved: moved.filter((m) => m.changed).length });
  } catch (error) {
    if (error instanceof PolicyRefused)
      return json<Reply>({ intent, values, errors: { name: [`policies.errors.${error.code}`] } }, { status: 400 });
    throw error;
  }
}

export default function PolicyEditor() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const t = makeT(locale);
  const values: Values = result?.values ?? loaded.values;
  const errors: Record<string, string[] | null> = result?.errors ?? {};
  const error = (name: string) => {
    const code = errors[name]?.[0];
    return code ? (
      <p className="field-error" id={`${name}-error`}>
        {t(code as MessageKey)}
      </p>
    ) : null;
  };
  const described = (name: string) => (errors[name]?.[0] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});
  const levels = values.levels ?? [];

  return (
    <div className="stack">
      <p>
        <Link to="/app/policies">← {t("policies.back")}</Link>
      </p>
      <h1>{values.name || loaded.values.name}</h1>
      {loaded.isDefault || result?.defaultSet ? <p className="badge">{t("policies.default")}</p> : null}
      {!loaded.canEdit ? <p className="notice">{t("policies.readOnly")}</p> : null}
      {result?.saved !== undefined ? (
        <p className="success" role="status">
          {t("policies.saved", { count: result.saved })}
        </p>
      ) : null}
      {result?.defaultSet ? (
        <p className="success" role="status">
          {t("policies.defaultSet")}
        </p>
      ) : null}

      <Form method="post" key={JSON.stringify(values)} className="stack" noValidate>
        <fieldset disabled={!loaded.canEdit} className="card stack">
          <div className="field">
            <label htmlFor="name">{t("policies.name")}</label>
            <input id="name" name="name" defaultValue={values.name ?? ""} maxLength={100} {...described("name")} />
            {error("name")}
          </div>
          {error("levels")}
          {levels.map((level, i) => {
            const n = (field: string) => `levels[${i}].${field}`;
            return (
              <fieldset key={i} className="card settings-grid" data-testid={`level-${i}`}>
                <legend>{t("policies.level", { n: i + 1 })}</legend>
                <div className="field">
                  <label htmlFor={n("offsetDays")}>{t("policies.offsetDays")}</label>
                  <input
                    id={n("offsetDays")}
                    name={n("offsetDays")}
                    type="number"
                    inputMode="numeric"
                    defaultValue={level.offsetDays ?? ""}
                    {...described(n("offsetDays"))}
                  />
                  {error(n("offsetDays"))}
                </div>
                <div className="field">
                  <label htmlFor={n("channel")}>{t("policies.channel")}</label>
                  <select id={n("channel")} name={n("channel")} defaultValue={level.channel} {...described(n("channel"))}>
                    {CHANNELS.map((c) => (
                      <option key={c} value={c}>
                        {t(`policies.channel.${c}`)}
                      </option>
                    ))}
                  </select>
                  {error(n("channel"))}
                </div>
                <div className="field">
                  <label htmlFor={n("templateKey")}>{t("policies.templateKey")}</label>
                  <select id={n("templateKey")} name={n("templateKey")} defaultValue={level.templateKey} {...described(n("templateKey"))}>
                    {CHANNELS.map((c) => (
                      <optgroup key={c} label={t(`policies.channel.${c}`)}>
                        {TEMPLATES_BY_CHANNEL[c].map((key) => (
                          <option key={key} value={key}>
                            {levelLabel(locale, key)}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                  {error(n("templateKey"))}
                </div>
                <div className="field">
                  <label htmlFor={n("tone")}>{t("policies.tone")}</label>
                  <select id={n("tone")} name={n("tone")} defaultValue={level.tone} {...described(n("tone"))}>
                    {TONES.map((tone) => (
                      <option key={tone} value={tone}>
                        {t(`policies.tone.${tone}`)}
                      </option>
                    ))}
                  </select>
                  {error(n("tone"))}
                </div>
                {WORDED_TEMPLATES.includes(level.templateKey ?? "") ? (
                  <Link to={`/app/wording/${level.templateKey}/${(level.tone ?? "STANDARD").toLowerCase()}?policy=${loaded.id}`}>
                    {t("wording.link", { n: i + 1 })}
                  </Link>
                ) : null}
                {loaded.canEdit ? (
                  <button type="submit" name="intent" value={`remove-level-${i}`} className="link" formNoValidate>
                    {t("policies.removeLevel", { n: i + 1 })}
                  </button>
                ) : null}
              </fieldset>
            );
          })}
          {loaded.canEdit ? (
            <button type="submit" name="intent" value="add-level" className="secondary">
              {t("policies.addLevel")}
            </button>
          ) : null}
        </fieldset>
        <p className="muted">{t("policies.saveHint")}</p>
        <div className="row">
          {loaded.canEdit ? (
            <button type="submit" name="intent" value="save" disabled={busy}>
              {t("policies.save")}
            </button>
          ) : null}
          <button type="submit" name="intent" value="simulate" className="secondary" disabled={busy}>
            {t("policies.simulate")}
          </button>
          {loaded.canEdit && !loaded.isDefault && !result?.defaultSet ? (
            <button type="submit" name="intent" value="make-default" className="secondary">
              {t("policies.makeDefault")}
            </button>
          ) : null}
        </div>
      </Form>

      {result?.simulation ? (
        <section className="card stack" aria-labelledby="simulation" data-testid="simulation">
          <h2 id="simulation">{t("policies.sim.title")}</h2>
          {result.simulation.length === 0 ? (
            <p className="muted">{t("policies.sim.none")}</p>
          ) : (
            <table className="responsive">
              <thead>
                <tr>
                  <th>{t("policies.sim.date")}</th>
                  <th>{t("policies.sim.emails")}</th>
                  <th>{t("policies.sim.calls")}</th>
                  <th>{t("policies.sim.letters")}</th>
                  <th>{t("policies.sim.handoffs")}</th>
                  <th>{t("policies.sim.amount")}</th>
                  <th>{t("policies.sim.debtors")}</th>
                </tr>
              </thead>
              <tbody>
                {result.simulation.map((d) => (
                  <tr key={d.day}>
                    <td data-label={t("policies.sim.date")}>{new Date(d.date).toLocaleDateString(locale, { timeZone: "UTC" })}</td>
                    <td data-label={t("policies.sim.emails")}>{d.emails}</td>
                    <td data-label={t("policies.sim.calls")}>{d.calls}</td>
                    <td data-label={t("policies.sim.letters")}>{d.letters}</td>
                    <td data-label={t("policies.sim.handoffs")}>{d.handoffs}</td>
                    <td data-label={t("policies.sim.amount")}>
                      {d.amounts.map((a) => formatMoney(a.amount, a.currency, locale)).join(", ")}
                    </td>
                    <td data-label={t("policies.sim.debtors")}>{d.debtors.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </div>
  );
}
