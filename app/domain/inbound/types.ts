/** A debtor's email as relance reads it: plain data, no parser objects (see parse.ts). */

export interface InboundAddress {
  address: string;
  name: string;
}

export interface InboundAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  content: Uint8Array;
}

export interface InboundMessage {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: InboundAddress | null;
  to: InboundAddress[];
  replyTo: InboundAddress | null;
  subject: string;
  date: Date | null;
  /** The plain-text body; for HTML-only messages, the HTML converted to text. */
  text: string;
  html: string | null;
  attachments: InboundAttachment[];
  /**
   * The headers that tell a human from a machine (lower-case names, raw values), e.g.
   * `auto-submitted`, `precedence`, `content-type` (with its parameters).
   */
  headers: Record<string, string>;
}

/** The message could not be read: unparseable, or neither a sender nor any content. */
export class InboundParseError extends Error {
  constructor(
    public readonly reason: "unparseable" | "empty",
    message: string,
  ) {
    super(message);
    this.name = "InboundParseError";
  }
}
