import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FieldError, FormError, TextField } from "~/components/form-fields";
import { formatDate, formatDateTime } from "~/components/money";
import { systemClock } from "~/domain/clock";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import { useCreditorTimeZone } from "./app";
import { AUDIT_ACTIONS, recentAuditEvents } from "~/services/accounts/audit.server";
import { INVITATION_DAYS, InviteSchema, StaffAccountError, type Role } from "~/services/accounts/schemas";
import {
  changeRole,
  deactivateMember,
  inviteColleague,
  reactivateMember,
  revokeInvitation,
  teamOverview,
} from "~/services/accounts/team.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accounts.team.title");

/** Listed most-trusted last, so the safe choice comes first. */
const ROLE_OPTIONS = ["VIEWER", "AGENT", "OWNER"] as const satisfies readonly Role[];
const isRole = (value: unknown): value is Role => (ROLE_OPTIONS as readonly unknown[]).includes(value);

/** Everyone sees the team; only owners see the controls and the activity. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const now = systemClock.now();
  const canManage = staff.role === "OWNER";
  const [team, events, locale] = await Promise.all([
    teamOverview(db, staff.creditorId, now),
    canManage ? recentAuditEvents(db, staff.creditorId) : Promise.resolve([]),
    getLocale(request),
  ]);
  const t = makeT(locale);
  const roleName = (role: unknown) => (isRole(role) ? t(`accounts.role.${role}`) : String(role ?? ""));
  const describe = (action: string, meta: unknown) => {
    const m = (meta && typeof meta === "object" ? meta : {}) as Record<string, unknown>;
    const vars = {
      name: String(m.name ?? ""),
      email: String(m.email ?? ""),
      count: Number(m.count ?? 0),
      role: roleName(m.role),
      from: roleName(m.from),
      to: roleName(m.to),
    };
    return (AUDIT_ACTIONS as readonly string[]).includes(action) ? t(`accounts.audit.${action}` as MessageKey, vars) : action;
  };
  return json({
    me: staff.userId,
    canManage,
    invitationDays: INVITATION_DAYS,
    members: team.members.map((m) => ({
      ...m,
      lastLoginAt: m.lastLoginAt?.toISOString() ?? null,
      deactivatedAt: m.deactivatedAt?.toISOString() ?? null,
    })),
    invitations: team.invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      expired: i.expired,
      expiresAt: i.expiresAt.toISOString(),
      invitedBy: i.invitedBy?.name ?? null,
    })),
    events: events.map((e) => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      actor: e.actor?.name ?? null,
      text: describe(e.action, e.meta),
    })),
  });
}

const DONE = {
  invited: "accounts.done.invited",
  roleChanged: "accounts.done.roleChanged",
  deactivated: "accounts.done.deactivated",
  reactivated: "accounts.done.reactivated",
  revoked: "accounts.done.revoked",
  unchanged: "accounts.done.unchanged",
} as const satisfies Record<string, MessageKey>;

const done = (key: keyof typeof DONE) => redirect(`/app/team?done=${key}`);

/** Owners only (403 otherwise). Ids from the form are looked up within the owner's creditor: another team's id is a 404. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "OWNER");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  try {
    switch (intent) {
      case "invite": {
        const submission = parseWithZod(form, { schema: InviteSchema });
        if (submission.status !== "success") return json({ intent, id, error: null, lastResult: submission.reply() }, { status: 400 });
        try {
          await inviteColleague(db, staff, { ...submission.value, locale: await getLocale(request) }, systemClock);
        } catch (error) {
          if (error instanceof StaffAccountError && (error.code === "already_member" || error.code === "email_failed")) {
            const field = error.code === "already_member" ? "email" : "";
            const reply = field
              ? submission.reply({ fieldErrors: { email: [`accounts.errors.${error.code}`] } })
              : submission.reply({ formErrors: [`accounts.errors.${error.code}`] });
            return json({ intent, id, error: null, lastResult: reply }, { status: 400 });
          }
          throw error;
        }
        return done("invited");
      }
      case "change-role": {
        const role = form.get("role");
        if (!isRole(role)) return json({ intent, id, error: "accounts.errors.role", lastResult: null }, { status: 400 });
        return done((await changeRole(db, staff, id, role, systemClock)) ? "roleChanged" : "unchanged");
      }
      case "deactivate":
        return done((await deactivateMember(db, staff, id, systemClock)) ? "deactivated" : "unchanged");
      case "reactivate":
        return done((await reactivateMember(db, staff, id, systemClock)) ? "reactivated" : "unchanged");
      case "revoke-invitation":
        return done((await revokeInvitation(db, staff, id, systemClock)) ? "revoked" : "unchanged");
    }
  } catch (error) {
    if (error instanceof StaffAccountError) {
      if (error.code === "not_found") throw new Response("Not found", { status: 404 });
      if (error.code === "forbidden") throw new Response("Forbidden", { status: 403 });
      return json({ intent, id, error: `accounts.errors.${error.code}`, lastResult: null }, { status: 400 });
    }
    throw error;
  }
  throw new Response("Unknown action", { status: 400 });
}

export default function Team() {
  const { me, canManage, invitationDays, members, invitations, events } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const timeZone = useCreditorTimeZone();
  const t = makeT(locale);
  const doneKey = params.get("done");
  const confirmation = !result && doneKey && doneKey in DONE ? DONE[doneKey as keyof typeof DONE] : null;
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);
  const day = (iso: string) => formatDate(iso, locale);
  const rowError = (intent: string, id: string) =>
    result && result.intent === intent && result.id === id && result.error ? (
      <p className="field-error" role="alert">
        {t(result.error as MessageKey)}
      </p>
    ) : null;

  const [form, fields] = useForm<{ email: string; role: Role }>({
    lastResult: result?.intent === "invite" ? result.lastResult : undefined,
    defaultValue: { role: "AGENT" },
    shouldValidate: "onSubmit",
  });
  const msg = (errors?: string[]) => (errors?.[0] ? t(errors[0] as MessageKey) : null);

  return (
    <div className="stack">
      <h1>{t("accounts.team.title")}</h1>
      {confirmation ? (
        <p className="success" role="status">
          {t(confirmation)}
        </p>
      ) : null}
      {!canManage ? <p className="notice">{t("accounts.team.readOnly")}</p> : null}

      <section aria-labelledby="members" className="stack">
        <h2 id="members">{t("accounts.team.members")}</h2>
        <table className="responsive">
          <thead>
            <tr>
              <th scope="col">{t("accounts.team.name")}</th>
              <th scope="col">{t("accounts.team.email")}</th>
              <th scope="col">{t("accounts.team.role")}</th>
              <th scope="col">{t("accounts.team.lastLogin")}</th>
              <th scope="col">{t("accounts.team.status")}</th>
              {canManage ? <th scope="col">{t("accounts.team.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td data-label={t("accounts.team.name")}>
                  {m.name} {m.id === me ? <span className="muted">{t("accounts.team.you")}</span> : null}
                </td>
                <td data-label={t("accounts.team.email")}>{m.email}</td>
                <td data-label={t("accounts.team.role")}>{t(`accounts.role.${m.role}`)}</td>
                <td data-label={t("accounts.team.lastLogin")}>{m.lastLoginAt ? when(m.lastLoginAt) : t("accounts.team.never")}</td>
                <td data-label={t("accounts.team.status")}>
                  {m.deactivatedAt ? t("accounts.team.deactivatedOn", { date: day(m.deactivatedAt) }) : t("accounts.team.active")}
                </td>
                {canManage ? (
                  <td data-label={t("accounts.team.actions")}>
                    <div className="stack">
                      {!m.deactivatedAt ? (
                        <Form method="post" className="row">
                          <input type="hidden" name="intent" value="change-role" />
                          <input type="hidden" name="id" value={m.id} />
                          <label htmlFor={`role-${m.id}`} className="visually-hidden">
                            {t("accounts.team.roleOf", { name: m.name })}
                          </label>
                          <select id={`role-${m.id}`} name="role" defaultValue={m.role} className="grow">
                            {ROLE_OPTIONS.map((r) => (
                              <option key={r} value={r}>
                                {t(`accounts.role.${r}`)}
                              </option>
                            ))}
                          </select>
                          <button type="submit" className="secondary" disabled={busy}>
                            {t("accounts.team.changeRole")}
                            <span className="visually-hidden"> — {m.name}</span>
                          </button>
                        </Form>
                      ) : null}
                      {rowError("change-role", m.id)}
                      {m.id !== me ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value={m.deactivatedAt ? "reactivate" : "deactivate"} />
                          <input type="hidden" name="id" value={m.id} />
                          <button type="submit" className={m.deactivatedAt ? "secondary" : "danger"} disabled={busy}>
                            {t(m.deactivatedAt ? "accounts.team.reactivate" : "accounts.team.deactivate")}
                            <span className="visually-hidden"> — {m.name}</span>
                          </button>
                        </Form>
                      ) : null}
                      {rowError("deactivate", m.id)}
                    </div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="invitations" className="stack">
        <h2 id="invitations">{t("accounts.team.invitations")}</h2>
        {invitations.length === 0 ? <p className="muted">{t("accounts.team.noInvitations")}</p> : null}
        {invitations.length > 0 ? (
          <table className="responsive">
            <thead>
              <tr>
                <th scope="col">{t("accounts.team.email")}</th>
                <th scope="col">{t("accounts.team.role")}</th>
                <th scope="col">{t("accounts.team.invitedBy")}</th>
                <th scope="col">{t("accounts.team.expires")}</th>
                {canManage ? <th scope="col">{t("accounts.team.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}>
                  <td data-label={t("accounts.team.email")}>{i.email}</td>
                  <td data-label={t("accounts.team.role")}>{t(`accounts.role.${i.role}`)}</td>
                  <td data-label={t("accounts.team.invitedBy")}>{i.invitedBy ?? "—"}</td>
                  <td data-label={t("accounts.team.expires")}>
                    {i.expired ? t("accounts.team.expiredOn", { date: day(i.expiresAt) }) : day(i.expiresAt)}
                  </td>
                  {canManage ? (
                    <td data-label={t("accounts.team.actions")}>
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke-invitation" />
                        <input type="hidden" name="id" value={i.id} />
                        <button type="submit" className="link" aria-label={t("accounts.team.revoke", { email: i.email })} disabled={busy}>
                          {t("accounts.team.revokeShort")}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      {canManage ? (
        <section aria-labelledby="invite" className="card stack">
          <h2 id="invite">{t("accounts.team.invite")}</h2>
          <p className="muted">{t("accounts.team.inviteLead", { days: invitationDays })}</p>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="invite" />
            <FormError form={form} msg={msg} />
            <TextField field={fields.email} label={t("accounts.team.inviteEmail")} type="email" msg={msg} autoComplete="off" required />
            <div className="field">
              <label htmlFor={fields.role.id}>{t("accounts.team.role")}</label>
              <select {...getSelectProps(fields.role, { ariaDescribedBy: "roles-help" })}>
                {ROLE_OPTIONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`accounts.role.${r}`)}
                  </option>
                ))}
              </select>
              <p className="muted" id="roles-help">
                {t("accounts.roles.help")}
              </p>
              <FieldError field={fields.role} msg={msg} />
            </div>
            <button type="submit" disabled={busy}>
              {t("accounts.team.inviteSubmit")}
            </button>
          </Form>
        </section>
      ) : null}

      {canManage ? (
        <section aria-labelledby="activity" className="stack">
          <h2 id="activity">{t("accounts.team.activity")}</h2>
          {events.length === 0 ? <p className="muted">{t("accounts.team.noActivity")}</p> : null}
          {events.length > 0 ? (
            <table className="responsive">
              <caption>{t("accounts.team.activityCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("accounts.team.when")}</th>
                  <th scope="col">{t("accounts.team.who")}</th>
                  <th scope="col">{t("accounts.team.what")}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id}>
                    <td data-label={t("accounts.team.when")}>
                      <time dateTime={e.at}>{when(e.at)}</time>
                    </td>
                    <td data-label={t("accounts.team.who")}>{e.actor ?? t("accounts.team.nobody")}</td>
                    <td data-label={t("accounts.team.what")}>{e.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
