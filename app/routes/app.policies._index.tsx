import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import {
  createPolicy,
  deletePolicy,
  duplicatePolicy,
  listPolicies,
  PolicyNotFound,
  PolicyRefused,
  setDefaultPolicy,
} from "~/services/dunning/policies.server";
import { db } from "~/utils/db.server";
import { hasRole, requireStaff } from "~/utils/staff-session.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "policies.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  return json({ canEdit: hasRole(staff, "AGENT"), policies: await listPolicies(db, staff.creditorId) });
}

type Reply = { intent: string; error?: string; policyId?: string; name?: string; done?: MessageKey };

/** Owners and agents: create (a copy of the French calendar), duplicate, delete an unused policy, make one the default. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "AGENT");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const policyId = String(form.get("policyId") ?? "");
  try {
    if (intent === "create") {
      const name = String(form.get("name") ?? "").trim();
      if (!name || name.length > 100) return json<Reply>({ intent, error: "policies.errors.required", name }, { status: 400 });
      const created = await createPolicy(db, staff.creditorId, name);
      return redirect(`/app/policies/${created.id}`);
    }
    if (intent === "duplicate") {
      const created = await duplicatePolicy(db, staff.creditorId, policyId);
      return redirect(`/app/policies/${created.id}`);
    }
    if (intent === "delete") {
      await deletePolicy(db, staff.creditorId, policyId);
      return json<Reply>({ intent, done: "policies.deleted" });
    }
    if (intent === "make-default") {
      await setDefaultPolicy(db, staff.creditorId, policyId);
      return json<Reply>({ intent, done: "policies.defaultSet" });
    }
  } catch (error) {
    if (error instanceof PolicyNotFound) throw new Response("Not found", { status: 404 });
    if (error instanceof PolicyRefused)
      return json<Reply>(
        { intent, policyId, name: String(form.get("name") ?? ""), error: `policies.errors.${error.code}` },
        { status: 400 },
      );
    throw error;
  }
  throw new Response("Unknown action", { status: 400 });
}

export default function Policies() {
  const { canEdit, policies } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = makeT(useRootLocale());
  return (
    <div className="stack">
      <h1>{t("policies.title")}</h1>
      <p className="muted">{t("policies.lead")}</p>
      {!canEdit ? <p className="notice">{t("policies.readOnly")}</p> : null}
      {result?.done ? (
        <p className="success" role="status">
          {t(result.done)}
        </p>
      ) : null}
      <table className="responsive">
        <thead>
          <tr>
            <th>{t("policies.name")}</th>
            <th>{t("policies.levels")}</th>
            <th>{t("policies.debtors")}</th>
            <th>
              <span className="visually-hidden">{t("policies.edit")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.id} data-testid={`policy-${p.id}`}>
              <td data-label={t("policies.name")}>
                <Link to={`/app/policies/${p.id}`}>{p.name}</Link>{" "}
                {p.isDefault ? <span className="badge">{t("policies.default")}</span> : null}
              </td>
              <td data-label={t("policies.levels")}>{p.levels}</td>
              <td data-label={t("policies.debtors")}>{p.debtors}</td>
              <td>
                {canEdit ? (
                  <Form method="post" className="row">
                    <input type="hidden" name="policyId" value={p.id} />
                    <button type="submit" name="intent" value="duplicate" className="link">
                      {t("policies.duplicate")}
                    </button>
                    {!p.isDefault ? (
                      <button type="submit" name="intent" value="make-default" className="link">
                        {t("policies.makeDefault")}
                      </button>
                    ) : null}
                    {!p.isDefault && p.debtors === 0 ? (
                      <button type="submit" name="intent" value="delete" className="link">
                        {t("policies.delete")}
                      </button>
                    ) : null}
                  </Form>
                ) : null}
                {result?.error && result.policyId === p.id ? (
                  <p className="field-error" role="alert">
                    {t(result.error as MessageKey)}
                  </p>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit ? (
        <Form method="post" className="row card">
          <input type="hidden" name="intent" value="create" />
          <label htmlFor="new-policy">{t("policies.name")}</label>
          <input
            id="new-policy"
            name="name"
            maxLength={100}
            defaultValue={result?.intent === "create" ? result.name : ""}
            aria-invalid={result?.intent === "create" && result.error ? true : undefined}
            aria-describedby="new-policy-error"
          />
          <button type="submit">{t("policies.create")}</button>
          {result?.intent === "create" && result.error ? (
            <p className="field-error" id="new-policy-error">
              {t(result.error as MessageKey)}
            </p>
          ) : null}
        </Form>
      ) : null}
    </div>
  );
}
