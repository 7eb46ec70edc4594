import type express from "express";
import helmet from "helmet";
import { parseEnv } from "~/utils/env.server";
import { helmetOptions, securityHeaders } from "../../server";

/** A response that only records what is written to its headers, in order. */
function recorder() {
  const writes: string[] = [];
  const res = {
    locals: {},
    setHeader: (name: string, value: unknown) => void writes.push(`set ${name}: ${String(value)}`),
    removeHeader: (name: string) => void writes.push(`remove ${name}`),
  };
  return { writes, res: res as unknown as express.Response };
}

describe("security headers written once at start", () => {
  for (const vars of [
    { NODE_ENV: "test", APP_URL: "http://localhost:3000" },
    { NODE_ENV: "production", APP_URL: "https://relance.example" },
  ]) {
    it(`are exactly helmet's, nonce included, on every response (${vars.APP_URL})`, () => {
      const env = parseEnv({ ...process.env, ...vars } as NodeJS.ProcessEnv);
      const write = securityHeaders(env);
      for (const nonce of ["bm9uY2Ux", "c2Vjb25kK25vbmNlLz0="]) {
        const expected = recorder();
        helmet(helmetOptions(env, () => nonce))({} as express.Request, expected.res, () => {});
        const actual = recorder();
        write(actual.res, nonce);
        expect(actual.writes).toEqual(expected.writes);
        const policy = actual.writes.find((w) => w.startsWith("set Content-Security-Policy"));
        const scriptSrc = policy?.split(";").find((d) => d.startsWith("script-src "));
        expect(scriptSrc).toBe(`script-src 'self' 'nonce-${nonce}'`);
      }
      // HSTS and upgrade-insecure-requests only on https.
      const https = vars.APP_URL.startsWith("https:");
      const all = recorder();
      write(all.res, "x");
      expect(all.writes.some((w) => w.startsWith("set Strict-Transport-Security"))).toBe(https);
      expect(all.writes.some((w) => w.includes("upgrade-insecure-requests"))).toBe(https);
    });
  }
});
