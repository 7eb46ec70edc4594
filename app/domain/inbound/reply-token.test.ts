import { readReplyToken, replyToken } from "./reply-token";

const secret = "test-reply-secret-0123456789abcdef";
const ids = {
  creditorId: "cm4x2k9p10000qzrmn831i7rn",
  debtorId: "cm4x2k9p20001qzrm7h2b5c9d",
  communicationId: "cm4x3a0b90042abcdxyz01234",
};

describe("reply-to token", () => {
  test("round-trips three cuids, in any case, with or without the domain and display name", () => {
    const local = replyToken(ids, secret);
    expect(local).toMatch(/^reply\+[a-z2-7]+$/);
    expect(local.length).toBe(6 + 109);
    expect(readReplyToken(`${local}@in.relance.app`, secret)).toEqual(ids);
    expect(readReplyToken(`"Atelier Bois" <${local.toUpperCase()}@IN.RELANCE.APP>`, secret)).toEqual(ids);
    expect(readReplyToken(local, secret)).toEqual(ids);
  });

  test("round-trips UUIDs and other ids", () => {
    const other = { creditorId: "3f2b8c1e-9d4a-4b6f-8e2d-1a0c5b7e9f31", debtorId: "debtor_42", communicationId: "c123" };
    expect(readReplyToken(replyToken(other, secret), secret)).toEqual(other);
  });

  test("rejects a changed character, another secret, a truncated token and foreign addresses", () => {
    const local = replyToken(ids, secret);
    for (let i = 6; i < local.length; i += 7) {
      const flipped = local.slice(0, i) + (local[i] === "a" ? "b" : "a") + local.slice(i + 1);
      expect(readReplyToken(flipped, secret)).toBeNull();
    }
    expect(readReplyToken(local, "another-secret-0123456789abcdef")).toBeNull();
    expect(readReplyToken(local.slice(0, -4), secret)).toBeNull();
    expect(readReplyToken("reply+@in.relance.app", secret)).toBeNull();
    expect(readReplyToken("john@example.com", secret)).toBeNull();
    expect(readReplyToken("reply+0189@in.relance.app", secret)).toBeNull();
  });

  test("a token for one communication cannot be re-pointed at another debtor", () => {
    const a = replyToken(ids, secret);
    const b = replyToken({ ...ids, debtorId: "cm4x2k9p20001qzrm7h2b5c9e" }, secret);
    // Splice b's id bytes with a's MAC: the MAC no longer matches.
    const spliced = b.slice(0, b.length - 26) + a.slice(a.length - 26);
    expect(readReplyToken(spliced, secret)).toBeNull();
  });

  test("refuses a short secret", () => {
    expect(() => replyToken(ids, "short")).toThrow(/16 characters/);
  });
});
