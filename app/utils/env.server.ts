import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { z } from "zod";
import { singleton } from "./singleton.server";

const secret = (name: string) =>
  z
    .string()
    .min(32, `${name} must be at least 32 characters (generate one with: openssl rand -hex 32)`)
    .refine((v) => new Set(v).size >= 10, `${name} looks weak: use a random value (openssl rand -hex 32)`);

const boolish = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

/**
 * Express's "trust proxy": which hops may set X-Forwarded-For. Unset trusts
 * none (a client reaching the server directly cannot choose its address);
 * a hop count, or proxy addresses / CIDRs and Express's names, comma-separated.
 */
const PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"];
const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): false | number | string[] => {
    const v = value?.trim() ?? "";
    if (v === "" || v === "false" || v === "0") return false;
    if (/^\d+$/.test(v)) return Number(v);
    const items = v
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    const bad = items.find((item) => !PROXY_NAMES.includes(item) && !isIpOrCidr(item));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `TRUST_PROXY: "${bad}" is not a hop count, an IP address, a CIDR or one of ${PROXY_NAMES.join(", ")} (trusting every hop, "true", is refused: any client could choose its address)`,
      });
      return z.NEVER;
    }
    return items;
  });

function isIpOrCidr(item: string) {
  const [address, bits, extra] = item.split("/");
  const family = net.isIP(address ?? "");
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional();

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    APP_URL: z.url({ message: "APP_URL must be an absolute URL such as https://pay.example.com" }).optional(),
    DATABASE_URL: z
      .string()
      .regex(
        /^(postgres(ql)?:\/\/|file:)/,
        "DATABASE_URL must start with postgresql:// (real PostgreSQL) or file: (embedded PGlite folder)",
      )
      .optional(),
    DATA_DIR: z.string().default("./data"),
    SESSION_SECRET: z.string().optional(),
    PORTAL_TOKEN_SECRET: z.string().optional(),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, "STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_")
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_/, "STRIPE_WEBHOOK_SECRET must start with whsec_")
      .optional(),
    GOCARDLESS_ACCESS_TOKEN: z.string().min(10).optional(),
    GOCARDLESS_ENVIRONMENT: z.enum(["sandbox", "live"]).default("sandbox"),
    GOCARDLESS_WEBHOOK_SECRET: z.string().min(10).optional(),
    /** GoCardless Bank Account Data (open-banking feed of the creditor's own account): user secrets; absent = mocked. */
    GOCARDLESS_BANK_SECRET_ID: z.string().min(8).optional(),
    GOCARDLESS_BANK_SECRET_KEY: z.string().min(8).optional(),
    RESEND_API_KEY: z.string().regex(/^re_/, "RESEND_API_KEY must start with re_").optional(),
    RESEND_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_/, "RESEND_WEBHOOK_SECRET must start with whsec_")
      .optional(),
    EMAIL_FROM: z.string().default("relance <relance@localhost>"),
    /** Twilio (SMS reminders, decision 026): account SID, auth token (also signs its webhooks), sender number or ID; absent = local stand-in. */
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-f]{32}$/, "TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits")
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16, "TWILIO_AUTH_TOKEN looks too short").optional(),
    TWILIO_FROM: z.string().min(2).optional(),
    MOCKS: boolish,
    WORKER: z.enum(["inline", "off"]).default("inline"),
    AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
    TRUST_PROXY: trustProxy,
    SEED_DEMO: boolish,
    /** Solvency watch (decision 024): true = ask the real Recherche d'entreprises and BODACC APIs outside production too. */
    COMPANY_REGISTRY_LIVE: boolish,
    /** Self-service sign-up of new creditors at /signup (email verified); off = /signup answers 404. */
    SIGNUP: z.enum(["open", "off"], { message: 'SIGNUP must be "open" or "off"' }).default("off"),
    LOG_LEVEL: logLevel,
    MIGRATE_ON_START: boolish.transform((v) => v ?? true),
    /** Inline worker timers: dunning tick, outbox and webhook sends, CSV import batches. */
    WORKER_TICK_MS: z.coerce.number().int().min(50).default(60_000),
    WORKER_SEND_MS: z.coerce.number().int().min(50).default(5_000),
    WORKER_IMPORT_MS: z.coerce.number().int().min(50).default(2_000),
    /** Resend's API base: the Resend SDK reads it itself, and the local mocks answer on it. */
    RESEND_BASE_URL: z.url({ message: "RESEND_BASE_URL must be an absolute URL" }).optional(),
    /** Domain receiving debtors' replies (Resend Inbound or a relay): Reply-To becomes reply+<token>@INBOUND_DOMAIN. */
    INBOUND_DOMAIN: z
      .string()
      .regex(
        /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
        "INBOUND_DOMAIN must be a domain name such as in.example.com",
      )
      .optional(),
    /** Bearer secret of POST /webhooks/inbound-email (raw MIME relays); generated in development. */
    INBOUND_EMAIL_SECRET: z.string().min(24, "INBOUND_EMAIL_SECRET must be at least 24 characters (openssl rand -hex 32)").optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    for (const name of ["SESSION_SECRET", "PORTAL_TOKEN_SECRET"] as const) {
      const result = secret(name).safeParse(env[name]);
      if (!result.success) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: env[name] ? result.error.issues[0]!.message : `${name} is required in production`,
        });
      }
    }
    if (!env.APP_URL)
      ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "APP_URL is required in production (the public URL used in emails)" });
    if (!env.MOCKS) {
      const pairs = [
        ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"],
        ["GOCARDLESS_ACCESS_TOKEN", "GOCARDLESS_WEBHOOK_SECRET"],
        ["RESEND_API_KEY", "RESEND_WEBHOOK_SECRET"],
      ] as const;
      for (const [key, hook] of pairs) {
        if (!env[key])
          ctx.addIssue({ code: "custom", path: [key], message: `${key} is required in production (or set MOCKS=true for a demo)` });
        else if (!env[hook]) ctx.addIssue({ code: "custom", path: [hook], message: `${hook} is required when ${key} is set` });
      }
    }
  });

export type Env = Omit<z.infer<typeof schema>, "LOG_LEVEL"> & {
  LOG_LEVEL: NonNullable<z.infer<typeof logLevel>>;
  APP_URL: string;
  SESSION_SECRET: string;
  PORTAL_TOKEN_SECRET: string;
  /** Per provider: true when its HTTP calls are answered by the local MSW handlers. */
  mocks: { stripe: boolean; gocardless: boolean; resend: boolean; gocardlessBank: boolean; sms: boolean };
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Development secrets are generated once and kept in the data folder so links survive restarts. */
type DevSecrets = { SESSION_SECRET: string; PORTAL_TOKEN_SECRET: string; INBOUND_EMAIL_SECRET: string };

function devSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  let stored: Partial<DevSecrets> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    stored = {};
  }
  const secrets: DevSecrets = {
    SESSION_SECRET: stored.SESSION_SECRET ?? crypto.randomBytes(32).toString("hex"),
    PORTAL_TOKEN_SECRET: stored.PORTAL_TOKEN_SECRET ?? crypto.randomBytes(32).toString("hex"),
    // Added later than the two above: an older file gains it, keeping theirs.
    INBOUND_EMAIL_SECRET: stored.INBOUND_EMAIL_SECRET ?? crypto.randomBytes(32).toString("hex"),
  };
  if (Object.keys(stored).length < 3 || Object.values(stored).some((v) => typeof v !== "string")) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`));
  }
  const env = result.data;
  const fallback =
    env.SESSION_SECRET && env.PORTAL_TOKEN_SECRET
      ? { SESSION_SECRET: env.SESSION_SECRET, PORTAL_TOKEN_SECRET: env.PORTAL_TOKEN_SECRET, INBOUND_EMAIL_SECRET: undefined }
      : devSecrets(env.DATA_DIR);
  const forceMocks = env.MOCKS === true;
  return {
    ...env,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    LOG_LEVEL: env.LOG_LEVEL ?? defaultLogLevel(env.NODE_ENV),
    SESSION_SECRET: env.SESSION_SECRET ?? fallback.SESSION_SECRET,
    PORTAL_TOKEN_SECRET: env.PORTAL_TOKEN_SECRET ?? fallback.PORTAL_TOKEN_SECRET,
    // Never generated in production: a relay must be given the secret explicitly.
    INBOUND_EMAIL_SECRET:
      env.INBOUND_EMAIL_SECRET ??
      (env.NODE_ENV === "production"
        ? undefined
        : (fallback.INBOUND_EMAIL_SECRET ??
          crypto.createHmac("sha256", fallback.SESSION_SECRET).update("inbound-email-secret").digest("hex"))),
    mocks: {
      stripe: forceMocks || !env.STRIPE_SECRET_KEY,
      gocardless: forceMocks || !env.GOCARDLESS_ACCESS_TOKEN,
      resend: forceMocks || !env.RESEND_API_KEY,
      gocardlessBank: forceMocks || !env.GOCARDLESS_BANK_SECRET_ID || !env.GOCARDLESS_BANK_SECRET_KEY,
      // SMS is optional: in production without Twilio keys it is off (the send fails and says so), never stood in.
      sms: forceMocks || (env.NODE_ENV !== "production" && (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN)),
    },
  };
}

const defaultLogLevel = (nodeEnv: string | undefined) => (nodeEnv === "test" ? "silent" : "info");

/**
 * The logger's level, read on its own: the logger is made when its module loads, before the environment
 * may be complete (tests and scripts set variables before they first call getEnv()), and it must work
 * while getEnv() is reporting a bad configuration. An invalid value is reported by getEnv() at boot.
 */
export function logLevelFrom(source: NodeJS.ProcessEnv): Env["LOG_LEVEL"] {
  const level = logLevel.safeParse(source.LOG_LEVEL);
  return (level.success ? level.data : undefined) ?? defaultLogLevel(source.NODE_ENV);
}

/** The validated environment, parsed once per process. Throws EnvError naming each bad variable. */
export function getEnv(): Env {
  return singleton("env", () => parseEnv(process.env));
}
