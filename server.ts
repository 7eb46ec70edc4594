import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { MemoryStore, rateLimit, type Store } from "express-rate-limit";
import helmet, { type HelmetOptions } from "helmet";
import { boot } from "./app/boot.server";
import type { Database } from "./app/utils/db.server";
import type { Env } from "./app/utils/env.server";
import { logger } from "./app/utils/logger.server";
import { SqlRateLimitStore } from "./app/utils/rate-limit-store.server";

installGlobals({ nativeFetch: true });

const here = path.dirname(fileURLToPath(import.meta.url));
const BUILD_PATH = path.join(here, "build", "index.js");

/** Debtor portal, magic link and back-office: pages, data and files that no cache may keep. */
const PRIVATE_PATHS = /^\/(portal|app|p)(\/|$)/;

/**
 * The HTTP application: webhooks, security headers, rate limits, CSRF check,
 * static files and the Remix handler. Exported for tests (no listening, no boot).
 */
export async function createApp({ env, build, database }: { env: Env; build: ServerBuild; database: Database }) {
  const app = express();
  app.disable("x-powered-by");
  // Only the proxies named in TRUST_PROXY may say who the client is (X-Forwarded-For):
  // by default req.ip is the socket's address, which a client cannot choose.
  app.set("trust proxy", env.TRUST_PROXY);

  // Provider webhooks: server-to-server, raw body, answered before the page
  // middleware and the Remix router (they arrive in bursts; same code as the
  // webhooks.* routes, see receiveWebhook).
  const { receiveWebhook, WEBHOOK_PROVIDERS } = await import("./app/services/webhooks/receive.server");
  app.post(
    WEBHOOK_PROVIDERS.map((p) => `/webhooks/${p}`),
    express.text({ type: () => true, limit: "1mb" }),
    async (req, res, next) => {
      try {
        const source = req.path.slice("/webhooks/".length) as (typeof WEBHOOK_PROVIDERS)[number];
        const reply = await receiveWebhook(database.prisma, source, typeof req.body === "string" ? req.body : "", {
          get: (name) => req.get(name) ?? null,
        });
        res.status(reply.status).json(reply.body);
      } catch (error) {
        next(error);
      }
    },
  );
  app.use(compression());
  // One nonce per response: the only scripts the page may run are the ones Remix renders with it.
  // Helmet's headers are the same on every response but for that nonce: written once at start.
  const setSecurityHeaders = securityHeaders(env);
  app.use((_req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    setSecurityHeaders(res, nonce);
    next();
  });
  app.use(noStoreForPrivatePages);

  // Magic-link landing, link-resend form, sign-in, reset codes and invitations:
  // brute force and mail-bomb protection, per client address. On PostgreSQL the
  // count lives in the database so every web process shares it.
  const strict = rateLimit({
    windowMs: 60_000,
    limit: env.AUTH_RATE_LIMIT,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    store: rateLimitStore(database, "auth"),
  });
  app.use(["/p/", "/s/", "/portal/link", "/login", "/forgot-password", "/reset-password", "/invitations/"], strict);

  // CSRF: a browser POST must come from our own origin (webhooks and the API authenticate otherwise).
  app.use((req, res, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method) || /^\/(webhooks|api)\//.test(req.path)) return next();
    const origin = req.get("origin") ?? req.get("referer");
    if (origin && !isSameOrigin(origin, env.APP_URL, req.get("host"))) {
      logger.warn({ origin, path: req.path }, "cross-site POST refused");
      return res.status(403).type("text/plain").send("Cross-site request refused");
    }
    next();
  });

  // Fingerprinted build files: cached for a year, compressed once (brotli or gzip) and kept in
  // memory, small chunks included (compression() leaves files under 1 KB as they are).
  const buildDir = path.join(here, "public/build");
  app.use("/build", precompressedFiles(buildDir, { warm: env.NODE_ENV === "production" }));
  app.use("/build", express.static(buildDir, { immutable: true, maxAge: "1y" }));
  // Top-level public files (favicon, robots.txt, fonts…) all have an extension:
  // other paths skip the file-system lookup and go straight to Remix.
  const publicFiles = express.static(path.join(here, "public"), { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: env.NODE_ENV === "production" ? "production" : "development",
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
    }),
  );
  return app;
}

type Compressed = { type: string; br: Buffer; gzip: Buffer };

/**
 * Serves a directory's JS, CSS and SVG files compressed ahead of time: the first request for a
 * file starts compressing it (brotli at its best setting, gzip) and falls through to
 * express.static; later requests get the stored bytes. `warm` compresses every file at start.
 */
export function precompressedFiles(dir: string, { warm = false } = {}): express.RequestHandler {
  const types: Record<string, string> = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
  };
  const ready = new Map<string, Compressed>();
  const started = new Set<string>();
  const compress = (file: string) => {
    if (started.has(file)) return;
    started.add(file);
    void fs.promises
      .readFile(file)
      .then(async (raw) => {
        const [br, gzip] = await Promise.all([
          promisify(zlib.brotliCompress)(raw, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          }),
          promisify(zlib.gzip)(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
        ]);
        ready.set(file, { type: types[path.extname(file)]!, br, gzip });
      })
      .catch(() => started.delete(file));
  };
  if (warm && fs.existsSync(dir)) {
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && types[path.extname(file)]) compress(file);
    }
  }
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const file = path.join(dir, path.normalize(req.path));
    if (!file.startsWith(dir + path.sep) || !types[path.extname(file)]) return next();
    const accepted = (req.get("accept-encoding") ?? "")
      .split(",")
      .map((part) => part.trim().split(";"))
      .filter(([, q]) => !/^\s*q=0(\.0*)?\s*$/.test(q ?? ""))
      .map(([name]) => name!.toLowerCase());
    const encoding = accepted.includes("br") ? "br" : accepted.includes("gzip") ? "gzip" : null;
    if (!encoding) return next();
    const found = ready.get(file);
    if (!found) {
      compress(file);
      return next();
    }
    res.setHeader("Content-Type", found.type);
    res.setHeader("Content-Encoding", encoding);
    res.setHeader("Content-Length", found[encoding].length);
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.end(req.method === "HEAD" ? undefined : found[encoding]);
  };
}

/** The security headers (helmet: CSP with a per-response script nonce, HSTS on https, same-origin referrer…). */
export function helmetOptions(env: Env, nonce: (res: express.Response) => string): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        "script-src": ["'self'", (_req, res) => `'nonce-${nonce(res as express.Response)}'`],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'", "https://checkout.stripe.com", "https://pay.gocardless.com", "https://pay-sandbox.gocardless.com"],
        "upgrade-insecure-requests": env.NODE_ENV === "production" && env.APP_URL.startsWith("https:") ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: env.APP_URL.startsWith("https:"),
    referrerPolicy: { policy: "same-origin" },
  };
}

/**
 * Helmet run once, at start, on a recording response: its headers do not depend on the
 * request, only the CSP's nonce changes, so each response gets the recorded list with its
 * nonce put in (helmet rebuilt the whole policy string on every request).
 */
export function securityHeaders(env: Env): (res: express.Response, nonce: string) => void {
  const slot = `nonce-slot-${crypto.randomUUID()}`;
  // In helmet's order: the header removals and the values, the CSP cut where its nonce goes.
  const writes: { name: string; parts: string[] | null }[] = [];
  const recorder = {
    locals: {},
    setHeader: (name: string, value: unknown) => void writes.push({ name, parts: String(value).split(slot) }),
    removeHeader: (name: string) => void writes.push({ name, parts: null }),
  };
  let done = false;
  helmet(helmetOptions(env, () => slot))({} as express.Request, recorder as unknown as express.Response, () => (done = true));
  if (!done || !writes.some(({ parts }) => parts?.length === 2)) throw new Error("helmet did not write its headers synchronously");
  return (res, nonce) => {
    for (const { name, parts } of writes) {
      if (!parts) res.removeHeader(name);
      else res.setHeader(name, parts.length === 1 ? parts[0]! : parts.join(nonce));
    }
  };
}

export function rateLimitStore(database: Database, prefix: string): Store {
  return database.kind === "postgres" ? new SqlRateLimitStore(database.sql, prefix) : new MemoryStore();
}

/**
 * Portal, magic-link and back-office responses (documents, `?_data` requests,
 * PDFs and attachments alike) are private: `private, no-store` replaces
 * whatever a route set, at the moment the headers leave.
 */
function noStoreForPrivatePages(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (!PRIVATE_PATHS.test(req.path)) return next();
  const writeHead = res.writeHead;
  res.writeHead = function (this: express.Response, ...args: unknown[]) {
    this.setHeader("Cache-Control", "private, no-store");
    return (writeHead as (...a: unknown[]) => express.Response).apply(this, args);
  } as typeof res.writeHead;
  next();
}

function isSameOrigin(origin: string, appUrl: string, host: string | undefined) {
  try {
    const o = new URL(origin);
    return o.origin === new URL(appUrl).origin || (!!host && o.host === host);
  } catch {
    return false;
  }
}

async function main() {
  const { env, database, shutdown, banner } = await boot();
  const build = (await import(BUILD_PATH)) as ServerBuild;
  const app = await createApp({ env, build, database });
  const server = app.listen(env.PORT, () => {
    logger.info({ port: env.PORT }, "relance listening");
    console.log(banner(env.PORT));
  });

  const stop = async () => {
    server.close();
    await shutdown();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

// Started as a program (tsx server.ts), not imported by a test.
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
