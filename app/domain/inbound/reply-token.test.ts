import { MAX_LOCAL_PART, readReplyToken, replyToken } from "./reply-token";

const secret = "test-reply-secret-0123456789abcdef";
const ids = { communicationId: "cm4x3a0b90042abcdxyz01234" };

describe("reply-to token", () => {
  test("round-trips a cuid in a local part within RFC 5321's 64 octets, in any case, with or without the domain and display name", () => {
    const local = replyToken(ids, secret);
    expect(local).toMatch(/^reply\+[a-z2-7]+$/);
    expect(local.length).toBe(51);
    expect(local.length).toBeLessThanOrEqual(MAX_LOCAL_PART);
    expect(readReplyToken(`${local}@in.relance.app`, secret)).toEqual(ids);
    expect(readReplyToken(`"Atelier Bois" <${local.toUpperCase()}@IN.RELANCE.APP>`, secret)).toEqual(ids);
    expect(readReplyToken(local, secret)).toEqual(ids);
  });

  test("round-trips UUIDs and short other ids; refuses an id that would not fit", () => {
    for (const communicationId of ["3f2b8c1e-9d4a-4b6f-8e2d-1a0c5b7e9f31", "c123", "comm_42"]) {
      const local = replyToken({ communicationId }, secret);
      expect(local.length).toBeLessThanOrEqual(MAX_LOCAL_PART);
      expect(readReplyToken(local, secret)).toEqual({ communicationId });
    }
    expect(() => replyToken({ communicationId: "x".repeat(40) }, secret)).toThrow();
  });

  test("rejects a changed character, another secret, a truncated token and foreign addresses", () => {
    const local = replyToken(ids, secret);
    for (let i = 6; i < local.length; i += 3) {
      const flipped = local.slice(0, i) + (local[i] === "a" ? "b" : "a") + local.slice(i + 1);
      expect(readReplyToken(flipped, secret)).toBeNull();
    }
    expect(readReplyToken(local, "another-secret-0123456789abcdef")).toBeNull();
    expect(readReplyToken(local.slice(0, -4), secret)).toBeNull();
    expect(readReplyToken("reply+@in.relance.app", secret)).toBeNull();
    expect(readReplyToken("john@example.com", secret)).toBeNull();
    expect(readReplyToken("reply+0189@in.relance.app", secret)).toBeNull();
  });

  test("a token for one communication cannot be re-pointed at another", () => {
    const a = replyToken(ids, secret);
    const b = replyToken({ communicationId: "cm4x3a0b90042abcdxyz01235" }, secret);
    // Splice b's id bytes with a's MAC (the last 16 characters): the MAC no longer matches.
    const spliced = b.slice(0, b.length - 16) + a.slice(a.length - 16);
    expect(spliced).not.toBe(a);
    expect(readReplyToken(spliced, secret)).toBeNull();
  });

  test("refuses a short secret", () => {
    expect(() => replyToken(ids, "short")).toThrow(/16 characters/);
  });
});
