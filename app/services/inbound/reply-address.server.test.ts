import { readReplyToken } from "~/domain/inbound/reply-token";
import { communicationIdFor, outgoingThreadHeaders } from "./reply-address.server";
import { replyTokenSecret } from "./secrets.server";

/** getEnv() is parsed once per process: each case sets the variable and forgets the parsed copy. */
function withInboundDomain(domain: string | undefined) {
  if (domain === undefined) delete process.env.INBOUND_DOMAIN;
  else process.env.INBOUND_DOMAIN = domain;
  (globalThis as unknown as { __relanceSingletons?: Map<string, unknown> }).__relanceSingletons?.delete("env");
}
afterAll(() => withInboundDomain(undefined));

const creditor = { replyToEmail: "relances@atelier.test", contactEmail: "contact@atelier.test" };

describe("thread headers of an outgoing email", () => {
  test("with INBOUND_DOMAIN: a signed reply+token naming the trace row, a Message-ID on that domain", () => {
    withInboundDomain("in.relance.test");
    const id = communicationIdFor("group-1");
    const { messageId, replyTo } = outgoingThreadHeaders(creditor, id);
    expect(messageId).toBe(`<${id}@in.relance.test>`);
    expect(replyTo).toMatch(/^reply\+[a-z2-7]{45}@in\.relance\.test$/);
    expect(readReplyToken(replyTo!, replyTokenSecret())).toEqual({ communicationId: id });
  });

  test("without it: the creditor's reply-to address, else its contact address; Message-ID on the sender's domain", () => {
    withInboundDomain(undefined);
    const id = communicationIdFor("group-2");
    expect(outgoingThreadHeaders(creditor, id).replyTo).toBe("relances@atelier.test");
    expect(outgoingThreadHeaders({ ...creditor, replyToEmail: null }, id).replyTo).toBe("contact@atelier.test");
    expect(outgoingThreadHeaders({ replyToEmail: null, contactEmail: null }, id).replyTo).toBeNull();
    expect(outgoingThreadHeaders(creditor, id).messageId).toMatch(new RegExp(`^<${id}@[a-z0-9.-]+>$`));
  });

  test("the trace id is fixed by the group key (a retried send keeps its Message-ID) and cuid-shaped", () => {
    expect(communicationIdFor("k")).toBe(communicationIdFor("k"));
    expect(communicationIdFor("k")).not.toBe(communicationIdFor("l"));
    expect(communicationIdFor("k")).toMatch(/^c[0-9a-z]{24}$/);
  });
});
