import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import { boot } from "./app/boot.server";
import { logger } from "./app/utils/logger.server";

installGlobals({ nativeFetch: true });

const here = path.dirname(fileURLToPath(import.meta.url));
const BUILD_PATH = path.join(here, "build", "index.js");

async function main() {
  const { env, shutdown, banner } = await boot();
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1);

  // Provider webhooks: server-to-server, raw body, answered before the page
  // middleware and the Remix router (they arrive in bursts; same code as the
  // webhooks.* routes, see receiveWebhook).
  const { receiveWebhook, WEBHOOK_PROVIDERS } = await import("./app/services/webhooks/receive.server");
  const { db } = await import("./app/utils/db.server");
  app.post(
    WEBHOOK_PROVIDERS.map((p) => `/webhooks/${p}`),
    express.text({ type: () => true, limit: "1mb" }),
    async (req, res, next) => {
      try {
        const source = req.path.slice("/webhooks/".length) as (typeof WEBHOOK_PROVIDERS)[number];
        const reply = await receiveWebhook(db, source, typeof req.body === "string" ? req.body : "", { get: (name) => req.get(name) ?? null });
        res.status(reply.status).json(reply.body);
      } catch (error) {
        next(error);
      }
    },
  );
  app.use(compression());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "script-src": ["'self'", "'unsafe-inline'"],
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

  // Magic-link landing, link-resend form, sign-in, reset codes and invitations:
  // brute force and mail-bomb protection, per client address.
  const strict = rateLimit({ windowMs: 60_000, limit: env.AUTH_RATE_LIMIT, standardHeaders: "draft-8", legacyHeaders: false });
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

  const build = (await import(BUILD_PATH)) as ServerBuild;
  app.all("*", createRequestHandler({ build, mode: env.NODE_ENV === "production" ? "production" : "development" }));

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

function isSameOrigin(origin: string, appUrl: string, host: string | undefined) {
  try {
    const o = new URL(origin);
    return o.origin === new URL(appUrl).origin || (!!host && o.host === host);
  } catch {
    return false;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
