import type { Clock } from "~/domain/clock";
import { isUsableEmail, sendEmail } from "~/providers/email.server";
import type { Db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { renderEmail, type NoticeProps } from "../../emails/index";
import { issuePortalLink } from "./access-links.server";
import { recordCommunication } from "./communications.server";

type NoticeKey = NoticeProps["templateKey"];
type Extra<K extends NoticeKey> = Omit<Extract<NoticeProps, { templateKey: K }>, "templateKey" | "locale" | "creditor" | "debtor" | "portalUrl">;

/**
 * Sends a transactional email (receipt, plan confirmation, dispute answer…)
 * to the debtor in its language, with a fresh portal link, and traces it.
 * Sent once per `idempotencyKey`. A debtor without a usable address gets no
 * email (the portal shows the same information); it is logged, not fatal.
 */
export async function sendNotice<K extends NoticeKey>(
  db: Db,
  input: { creditorId: string; debtorId: string; invoiceId?: string | null; key: K; extra: Extra<K>; idempotencyKey: string; clock: Clock },
) {
  const debtor = await db.debtor.findFirstOrThrow({ where: { id: input.debtorId, creditorId: input.creditorId }, include: { creditor: true } });
  if (!isUsableEmail(debtor.email)) {
    logger.info({ debtorId: debtor.id, key: input.key }, "notice not emailed: no usable address");
    return null;
  }
  const link = await issuePortalLink(db, debtor, { clock: input.clock });
  const c = debtor.creditor;
  const rendered = await renderEmail(input.key, {
    ...input.extra,
    locale: debtor.locale,
    creditor: { legalName: c.legalName, brandName: c.brandName, brandColor: c.brandColor, siren: c.siren, contactEmail: c.contactEmail, contactPhone: c.contactPhone },
    debtor: { name: debtor.name, kind: debtor.kind },
    portalUrl: link.url,
  } as never);
  const result = await sendEmail({
    to: debtor.email, subject: rendered.subject, html: rendered.html, text: rendered.text,
    idempotencyKey: input.idempotencyKey, tags: { kind: input.key },
  });
  if (!result.ok) {
    logger.warn({ debtorId: debtor.id, key: input.key, message: result.message }, "notice email failed");
    return null;
  }
  return recordCommunication(db, {
    creditorId: input.creditorId, debtorId: input.debtorId, invoiceId: input.invoiceId ?? null,
    direction: "OUT", channel: "EMAIL", kind: `notice.${input.key}`, templateKey: input.key,
    subject: rendered.subject, bodyText: rendered.text, bodyHtml: rendered.html, recipient: debtor.email,
    providerMessageId: result.providerMessageId, deliveryStatus: "SENT", actorType: "SYSTEM", occurredAt: input.clock.now(),
  });
}
