import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { MemoryStore, rateLimit, type Store } from "express-rate-limit";
import helmet from "helmet";
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
  app.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          "img-src": ["'self'", "data:"],
          "form-action": ["'self'", "https://checkout.stripe.com", "https://pay.gocardless.com", "https://pay-sandbox.gocardless.com"],
          "upgrade-insecure-requests": env.NODE_ENV === "production" && env.APP_URL.startsWith("https:") ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: env.APP_URL.startsWith("https:"),
      referrerPolicy: { policy: "same-origin" },
    }),
  );
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
  app.use(["/p/", "/portal/link", "/login", "/forgot-password", "/reset-password", "/invitations/"], strict);

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

  app.use("/build", express.static(path.join(here, "public/build"), { immutable: true, maxAge: "1y" }));
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
