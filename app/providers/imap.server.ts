import { ImapFlow } from "imapflow";

export type MailboxAccess = {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  processedFolder: string;
};

/** What one pass over a mailbox did. */
export type MailboxPass = { fetched: number; moved: number };

/** Reads a mailbox's unseen messages one at a time; returns true when the message is safely kept. */
export type MessageSink = (raw: Uint8Array, uid: number) => Promise<boolean>;

export type MailboxFetcher = (access: MailboxAccess, sink: MessageSink, opts?: { limit?: number }) => Promise<MailboxPass>;

/**
 * One pass over a shared mailbox (IMAP, imapflow): the unseen messages of `folder`, oldest first, each
 * handed to `sink` as raw RFC 5322 bytes and, once the sink has kept it, moved to `processedFolder`
 * (created when missing). A message the sink refuses stays where it is, unseen, for the next pass.
 * Polling every minute from the worker; IDLE would save a minute of latency at the cost of one open
 * connection per creditor, which a self-hosted worker does not need.
 */
export const fetchUnseenMessages: MailboxFetcher = async (access, sink, opts = {}) => {
  const client = new ImapFlow({
    host: access.host,
    port: access.port,
    secure: access.secure,
    auth: { user: access.username, pass: access.password },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  await client.connect();
  const pass: MailboxPass = { fetched: 0, moved: 0 };
  try {
    await ensureFolder(client, access.processedFolder);
    const lock = await client.getMailboxLock(access.folder);
    try {
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      for (const uid of uids.sort((a, b) => a - b).slice(0, opts.limit ?? 100)) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!message || !message.source) continue;
        pass.fetched++;
        if (!(await sink(new Uint8Array(message.source), uid))) continue;
        if (await client.messageMove(String(uid), access.processedFolder, { uid: true })) pass.moved++;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return pass;
};

async function ensureFolder(client: ImapFlow, folder: string) {
  const folders = await client.list();
  if (!folders.some((f) => f.path === folder)) await client.mailboxCreate(folder);
}
