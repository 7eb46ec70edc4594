import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { formatDateTime } from "~/components/money";
import { useCreditorTimeZone } from "./app";
import { makeT, type MessageKey } from "~/i18n";
import { useRootLocale } from "~/root";
import {
  checkEndpointUrl,
  createEndpoint,
  deleteEndpoint,
  endpointDeliveries,
  listEndpoints,
  OUTBOUND_EVENT_TYPES,
  replayDelivery,
  setEndpointEnabled,
  updateEndpointEvents,
  type OutboundEventType,
} from "~/services/webhooks/outbound.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { pageTitle } from "~/utils/page-title";
import { requireStaff } from "~/utils/staff-session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "webhooks.title");

/** Owners only: endpoints carry a signing secret and send the creditor's data out. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "OWNER");
  const endpoints = await listEndpoints(db, staff.creditorId);
  const logs = await Promise.all(endpoints.map((e) => endpointDeliveries(db, staff.creditorId, e.id, 20)));
  return json({
    endpoints: endpoints.map((e, i) => ({
      id: e.id,
      url: e.url,
      description: e.description,
      events: e.events,
      secret: e.secret,
      enabled: e.enabled,
      failureCount: e.failureCount,
      disabledAt: e.disabledAt?.toISOString() ?? null,
      deliveries: logs[i]!.map((d) => ({
        id: d.id,
        createdAt: d.createdAt.toISOString(),
        eventType: d.eventType,
        status: d.status,
        attempts: d.attempts,
        responseStatus: d.responseStatus,
        responseBody: d.responseBody,
        lastError: d.lastError,
        nextAttemptAt: d.status === "FAILED" ? d.nextAttemptAt.toISOString() : null,
      })),
    })),
  });
}

const eventsField = z.array(z.enum(OUTBOUND_EVENT_TYPES)).min(1, { message: "webhooks.errors.events" });

type Errors = Partial<Record<"url" | "events" | "description", MessageKey>>;
type Values = { url: string; description: string; events: string[] };

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "OWNER");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const endpointId = String(form.get("endpointId") ?? "");
  const now = new Date();
  const events = form.getAll("events").map(String);
  switch (intent) {
    case "create": {
      const values: Values = { url: String(form.get("url") ?? "").trim(), description: String(form.get("description") ?? ""), events };
      const errors: Errors = {};
      const problem = checkEndpointUrl(values.url, { production: getEnv().NODE_ENV === "production" });
      if (problem) errors.url = problem === "https_required" ? "webhooks.errors.https" : "webhooks.errors.url";
      if (values.url.length > 2000) errors.url = "webhooks.errors.url";
      const parsedEvents = eventsField.safeParse(events);
      if (!parsedEvents.success) errors.events = "webhooks.errors.events";
      if (Object.keys(errors).length > 0 || !parsedEvents.success)
        return json({ done: null, errors, values, endpointId: null }, { status: 400 });
      const created = await createEndpoint(db, staff.creditorId, {
        url: values.url,
        description: values.description.slice(0, 200),
        events: parsedEvents.data,
      });
      return json({ done: "webhooks.added" as MessageKey, errors: {}, values: null, endpointId: created.id });
    }
    case "events": {
      const parsed = eventsField.safeParse(events);
      if (!parsed.success)
        return json(
          { done: null, errors: { events: "webhooks.errors.events" } as Errors, values: { url: "", description: "", events }, endpointId },
          { status: 400 },
        );
      await updateEndpointEvents(db, staff.creditorId, endpointId, parsed.data as OutboundEventType[]);
      return json({ done: "webhooks.saved" as MessageKey, errors: {}, values: null, endpointId });
    }
    case "enable":
    case "disable":
      await setEndpointEnabled(db, staff.creditorId, endpointId, intent === "enable", now);
      return json({ done: "webhooks.saved" as MessageKey, errors: {}, values: null, endpointId });
    case "delete":
      await deleteEndpoint(db, staff.creditorId, endpointId);
      return json({ done: "webhooks.deleted" as MessageKey, errors: {}, values: null, endpointId: null });
    case "replay":
      await replayDelivery(db, staff.creditorId, String(form.get("deliveryId") ?? ""), now);
      return json({ done: "webhooks.replayed" as MessageKey, errors: {}, values: null, endpointId });
    default:
      throw new Response("Bad request", { status: 400 });
  }
}

export default function Webhooks() {
  const { endpoints } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const locale = useRootLocale();
  const timeZone = useCreditorTimeZone();
  const t = makeT(locale);
  const eventLabel = (type: string) => t(`webhooks.event.${type}` as MessageKey);
  const createErrors: Errors = result && result.endpointId === null ? (result.errors as Errors) : {};
  const createValues = result?.endpointId === null ? result.values : null;

  const eventBoxes = (prefix: string, checked: string[], errorKey?: MessageKey) => (
    <fieldset aria-describedby={errorKey ? `${prefix}-events-error` : undefined}>
      <legend>{t("webhooks.events")}</legend>
      {OUTBOUND_EVENT_TYPES.map((type) => (
        <div key={type} className="checkbox">
          <input type="checkbox" id={`${prefix}-${type}`} name="events" value={type} defaultChecked={checked.includes(type)} />
          <label htmlFor={`${prefix}-${type}`}>{eventLabel(type)}</label>
        </div>
      ))}
      {errorKey ? (
        <p className="field-error" id={`${prefix}-events-error`}>
          {t(errorKey)}
        </p>
      ) : null}
    </fieldset>
  );

  return (
    <div className="stack">
      <h1>{t("webhooks.title")}</h1>
      <p className="muted">{t("webhooks.lead")}</p>
      {result?.done ? (
        <p className="success" role="status">
          {t(result.done)}
        </p>
      ) : null}

      <Form method="post" className="card" noValidate>
        <h2>{t("webhooks.new")}</h2>
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor="webhook-url">{t("webhooks.url")}</label>
          <input
            id="webhook-url"
            name="url"
            type="url"
            inputMode="url"
            autoComplete="off"
            defaultValue={createValues?.url ?? ""}
            aria-invalid={createErrors.url ? true : undefined}
            aria-describedby={createErrors.url ? "webhook-url-error" : undefined}
          />
          {createErrors.url ? (
            <p className="field-error" id="webhook-url-error">
              {t(createErrors.url)}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="webhook-description">{t("webhooks.description")}</label>
          <input id="webhook-description" name="description" maxLength={200} defaultValue={createValues?.description ?? ""} />
        </div>
        {eventBoxes("new", createValues?.events ?? [], createErrors.events)}
        <button type="submit" disabled={busy}>
          {t("webhooks.add")}
        </button>
      </Form>

      {endpoints.length === 0 ? <p className="muted">{t("webhooks.none")}</p> : null}
      {endpoints.map((e) => {
        const eventsError = result?.endpointId === e.id ? (result.errors as Errors).events : undefined;
        return (
          <section key={e.id} className="card" aria-labelledby={`endpoint-${e.id}`}>
            <h2 id={`endpoint-${e.id}`}>{e.url}</h2>
            {e.description ? <p>{e.description}</p> : null}
            <p role="status">
              {!e.enabled
                ? t("webhooks.state.disabled")
                : e.failureCount > 0
                  ? t("webhooks.state.failing", { n: e.failureCount })
                  : t("webhooks.state.enabled")}
            </p>
            <details open={result?.done === "webhooks.added" && result.endpointId === e.id}>
              <summary>{t("webhooks.showSecret")}</summary>
              <p>{t("webhooks.secret")}</p>
              <code>{e.secret}</code>
            </details>
            <Form method="post">
              <input type="hidden" name="intent" value="events" />
              <input type="hidden" name="endpointId" value={e.id} />
              {eventBoxes(e.id, e.events, eventsError)}
              <button type="submit" disabled={busy}>
                {t("webhooks.saveEvents")}
              </button>
            </Form>
            <div className="actions">
              <Form method="post">
                <input type="hidden" name="intent" value={e.enabled ? "disable" : "enable"} />
                <input type="hidden" name="endpointId" value={e.id} />
                <button type="submit" className="secondary" disabled={busy}>
                  {t(e.enabled ? "webhooks.disable" : "webhooks.enable")}
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="endpointId" value={e.id} />
                <button type="submit" className="secondary" disabled={busy}>
                  {t("webhooks.delete")}
                </button>
              </Form>
            </div>
            <h3>{t("webhooks.log")}</h3>
            {e.deliveries.length === 0 ? (
              <p className="muted">{t("webhooks.log.empty")}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("webhooks.col.date")}</th>
                    <th scope="col">{t("webhooks.col.event")}</th>
                    <th scope="col">{t("webhooks.col.status")}</th>
                    <th scope="col">{t("webhooks.col.attempts")}</th>
                    <th scope="col">{t("webhooks.col.response")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("webhooks.replay")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {e.deliveries.map((d) => (
                    <tr key={d.id}>
                      <td>{formatDateTime(d.createdAt, locale, timeZone)}</td>
                      <td>{eventLabel(d.eventType)}</td>
                      <td>
                        {t(`webhooks.delivery.${d.status}` as MessageKey)}
                        {d.nextAttemptAt
                          ? ` (${t("webhooks.nextAttempt", { date: formatDateTime(d.nextAttemptAt, locale, timeZone) })})`
                          : null}
                      </td>
                      <td>{d.attempts}</td>
                      <td>
                        {d.responseStatus ?? d.lastError ?? ""}
                        {d.responseBody ? (
                          <details>
                            <summary>{t("webhooks.col.response")}</summary>
                            <pre>{d.responseBody}</pre>
                          </details>
                        ) : null}
                      </td>
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="replay" />
                          <input type="hidden" name="endpointId" value={e.id} />
                          <input type="hidden" name="deliveryId" value={d.id} />
                          <button type="submit" className="secondary" disabled={busy}>
                            {t("webhooks.replay")}
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </div>
  );
}
