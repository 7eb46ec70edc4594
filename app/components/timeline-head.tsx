import { formatDateTime } from "~/components/money";
import { makeT, type Locale, type MessageKey } from "~/i18n";

const CHANNEL_ICON: Record<string, string> = { EMAIL: "✉", CALL: "☎", LETTER: "✉︎", PORTAL: "⌂", PAYMENT: "€", SYSTEM: "•" };

/** The first line of a timeline entry (debtor file, invoice page): channel, moment on the creditor's clock, direction, delivery, who. */
export function TimelineHead(props: {
  entry: { channel: string; direction: string; occurredAt: string; deliveryStatus: string; actorType: string };
  locale: Locale;
  timeZone: string;
}) {
  const { entry: c, locale, timeZone } = props;
  const t = makeT(locale);
  const failed = c.deliveryStatus === "BOUNCED" || c.deliveryStatus === "FAILED";
  return (
    <div className="tl-head">
      <span aria-hidden="true" className="tl-icon">
        {CHANNEL_ICON[c.channel] ?? "•"}
      </span>
      <time dateTime={c.occurredAt}>{formatDateTime(c.occurredAt, locale, timeZone)}</time>
      <span className="tl-channel">
        {t(`bo.channel.${c.channel}` as MessageKey)} · {t(`bo.direction.${c.direction}` as MessageKey)}
      </span>
      {c.deliveryStatus !== "NOT_APPLICABLE" ? (
        <span className={`status ${failed ? "late" : "due"}`}>{t(`bo.delivery.${c.deliveryStatus}` as MessageKey)}</span>
      ) : null}
      <span className="muted">{t(`bo.actor.${c.actorType}` as MessageKey)}</span>
    </div>
  );
}
