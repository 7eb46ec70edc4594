import fs from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";

const dir = path.resolve(`tests/.tmp/e2e-${process.env.E2E_PORT ?? 3100}/mailbox`);

type Mail = { to: string[]; subject: string; text: string; html: string };

/** Waits for the mocked provider to have "sent" an email to this address (the e2e server writes them here). */
export async function waitForEmail(to: string, match: RegExp = /./): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        if (!fs.existsSync(dir)) return false;
        const mails = fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Mail)
          .filter((m) => m.to.includes(to) && match.test(m.subject));
        found = mails.at(-1);
        return !!found;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return found!;
}

export function portalLinkIn(mail: Mail): string {
  const link = /https?:\/\/[^\s"<>]+\/p\/[\w-]+\.[\w-]+\.[\w-]+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no portal link in: ${mail.text}`);
  return new URL(link).pathname;
}
