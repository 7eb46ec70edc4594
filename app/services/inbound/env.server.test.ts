import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "~/utils/env.server";

describe("INBOUND_EMAIL_SECRET", () => {
  test("development: generated with the other development secrets, in the data folder's file; an older file gains it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relance-env-"));
    const env = parseEnv({ NODE_ENV: "development", DATA_DIR: dir });
    const file = JSON.parse(fs.readFileSync(path.join(dir, "dev-secrets.json"), "utf8"));
    expect(env.INBOUND_EMAIL_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(file).toEqual({
      SESSION_SECRET: env.SESSION_SECRET,
      PORTAL_TOKEN_SECRET: env.PORTAL_TOKEN_SECRET,
      INBOUND_EMAIL_SECRET: env.INBOUND_EMAIL_SECRET,
    });
    expect(parseEnv({ NODE_ENV: "development", DATA_DIR: dir }).INBOUND_EMAIL_SECRET).toBe(env.INBOUND_EMAIL_SECRET);

    const older = fs.mkdtempSync(path.join(os.tmpdir(), "relance-env-"));
    fs.writeFileSync(
      path.join(older, "dev-secrets.json"),
      JSON.stringify({
        SESSION_SECRET: "s".repeat(10) + "0123456789abcdefghijklmnop",
        PORTAL_TOKEN_SECRET: "p0123456789abcdefghijklmnopqrstuv",
      }),
    );
    const upgraded = parseEnv({ NODE_ENV: "development", DATA_DIR: older });
    expect(upgraded.SESSION_SECRET).toBe("s".repeat(10) + "0123456789abcdefghijklmnop");
    expect(JSON.parse(fs.readFileSync(path.join(older, "dev-secrets.json"), "utf8")).INBOUND_EMAIL_SECRET).toBe(
      upgraded.INBOUND_EMAIL_SECRET,
    );
  });

  test("production: never generated (the raw door stays shut unless it is set); a short one is refused", () => {
    const base = {
      NODE_ENV: "production" as const,
      MOCKS: "true",
      APP_URL: "https://pay.example.test",
      SESSION_SECRET: "0123456789abcdef0123456789abcdefghij",
      PORTAL_TOKEN_SECRET: "abcdefghij0123456789abcdefghij012345",
    };
    expect(parseEnv(base).INBOUND_EMAIL_SECRET).toBeUndefined();
    expect(() => parseEnv({ ...base, INBOUND_EMAIL_SECRET: "short" })).toThrow(/INBOUND_EMAIL_SECRET/);
    expect(() => parseEnv({ ...base, INBOUND_DOMAIN: "not a domain" })).toThrow(/INBOUND_DOMAIN/);
    expect(parseEnv({ ...base, INBOUND_DOMAIN: "in.example.test" }).INBOUND_DOMAIN).toBe("in.example.test");
  });
});
