import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { getEnv } from "~/utils/env.server";

/** Mocked SMS land here as JSON files: tests and the dev SMS page (/dev/sms) read them. */
export function smsOutboxDir() {
  return path.resolve(getEnv().DATA_DIR, "sms");
}

export type MockSms = {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  createdAt: string;
};

const API = "https://api.twilio.com/2010-04-01/Accounts";

/**
 * Twilio's Messages API as the SDK calls it (form-encoded, Basic auth): validates like the real one
 * (error 21211 for a number that is not E.164, 21602 without a body) and stores the SMS locally.
 */
export const twilioHandlers = [
  http.post(`${API}/:accountSid/Messages.json`, async ({ request, params }) => {
    if (!request.headers.get("authorization")?.startsWith("Basic ")) return twilioError(401, 20003, "Authenticate");
    const form = new URLSearchParams(await request.text());
    const to = form.get("To") ?? "";
    const body = form.get("Body") ?? "";
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!body) return twilioError(400, 21602, "Message body is required.");
    const sms: MockSms = {
      sid: `SM${crypto.randomBytes(16).toString("hex")}`,
      accountSid: String(params.accountSid),
      to,
      from: form.get("From") ?? "",
      body,
      statusCallback: form.get("StatusCallback"),
      createdAt: new Date().toISOString(),
    };
    fs.mkdirSync(smsOutboxDir(), { recursive: true });
    const file = path.join(smsOutboxDir(), `${Date.now()}-${sms.sid}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(sms, null, 2));
    fs.renameSync(`${file}.tmp`, file);
    return HttpResponse.json(
      {
        sid: sms.sid,
        account_sid: sms.accountSid,
        to,
        from: sms.from,
        body,
        status: "queued",
        num_segments: "1",
        direction: "outbound-api",
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${sms.accountSid}/Messages/${sms.sid}.json`,
      },
      { status: 201 },
    );
  }),
];

/** Twilio's Accounts API (the go-live check): an active full account, as the live API answers it. */
export const twilioAccountHandlers = [
  http.get(`${API}/:accountSid.json`, ({ request, params }) => {
    if (!request.headers.get("authorization")?.startsWith("Basic ")) return twilioError(401, 20003, "Authenticate");
    const sid = String(params.accountSid);
    return HttpResponse.json({
      sid,
      owner_account_sid: sid,
      friendly_name: "Atelier Durand",
      status: "active",
      type: "Full",
      date_created: "Mon, 02 Mar 2026 09:00:00 +0000",
      uri: `/2010-04-01/Accounts/${sid}.json`,
    });
  }),
];

function twilioError(status: number, code: number, message: string) {
  return HttpResponse.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });
}

export function readSms(filter?: { to?: string }): MockSms[] {
  if (!fs.existsSync(smsOutboxDir())) return [];
  return fs
    .readdirSync(smsOutboxDir())
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(smsOutboxDir(), f), "utf8")) as MockSms)
    .filter((s) => !filter?.to || s.to === filter.to);
}
