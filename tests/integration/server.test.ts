import http from "node:http";
import type { AddressInfo } from "node:net";
import { json, type ServerBuild } from "@remix-run/node";
import { createElement } from "react";
import * as entryServer from "~/entry.server";
import * as root from "~/root";
import { isPostgresUrl, openPostgres, type Database } from "~/utils/db.server";
import { parseEnv } from "~/utils/env.server";
import { useTestDatabase } from "~/testing/db";
import { createApp } from "../../server";

/**
 * server.ts over HTTP: the real middleware, entry.server and root document,
 * with a few stand-in routes (a portal page, a back-office file, a sign-in
 * page, a public page) so no Remix build is needed.
 */
const database = useTestDatabase();

const route = (id: string, path: string | undefined, module: Record<string, unknown>, index = false) => ({
  server: { id, parentId: "root", path, index, module },
  entry: {
    id,
    parentId: "root",
    path,
    index,
    module: `/build/${id}.js`,
    imports: [],
    hasLoader: "loader" in module,
    hasAction: "action" in module,
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: false,
  },
});
const routes = [
  route("routes/portal-page", "portal/page", {
    loader: () => json({ amount: 12_00 }, { headers: { "Cache-Control": "public, max-age=600" } }),
    headers: ({ loaderHeaders }: { loaderHeaders: Headers }) => loaderHeaders,
    default: () => createElement("p", null, "Votre solde"),
  }),
  route("routes/app-file", "app/documents/:id/file", {
    loader: () =>
      new Response("%PDF-1.4 test", { headers: { "Content-Type": "application/pdf", "Cache-Control": "public, max-age=3600" } }),
  }),
  route("routes/login", "login", { loader: () => new Response("sign in") }),
  route("routes/_index", undefined, { default: () => createElement("p", null, "relance") }, true),
];
const build = {
  mode: "production",
  entry: { module: entryServer },
  routes: {
    root: { id: "root", path: "", module: root },
    ...Object.fromEntries(routes.map((r) => [r.server.id, r.server])),
  },
  assets: {
    entry: { module: "/build/entry.client.js", imports: [] },
    routes: {
      root: {
        id: "root",
        path: "",
        module: "/build/root.js",
        imports: [],
        hasLoader: true,
        hasAction: false,
        hasClientAction: false,
        hasClientLoader: false,
        hasErrorBoundary: true,
      },
      ...Object.fromEntries(routes.map((r) => [r.entry.id, r.entry])),
    },
    url: "/build/manifest-test.js",
    version: "test",
  },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;

const servers: http.Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

/** Starts one app instance on an ephemeral port; returns a fetch bound to it. */
async function start(vars: Record<string, string | undefined> = {}, db: Database = database.get()) {
  const env = parseEnv({ ...process.env, AUTH_RATE_LIMIT: "3", ...vars });
  const server = http.createServer(await createApp({ env, build, database: db }));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers, redirect: "manual" });
}

const scriptSrc = (response: Response) =>
  (response.headers.get("Content-Security-Policy") ?? "")
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src")) ?? "";

describe("Content-Security-Policy", () => {
  it("allows scripts by a per-request nonce, never 'unsafe-inline', and every script tag carries it", async () => {
    const get = await start();
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await get("/portal/page");
      expect(response.status).toBe(200);
      const policy = scriptSrc(response);
      expect(policy).not.toContain("unsafe-inline");
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
      expect(nonce).toBeTruthy();
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      // The inline context, the module entry and ScrollRestoration, at least.
      expect(scripts.length).toBeGreaterThanOrEqual(2);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});

describe("Cache-Control on private pages", () => {
  it("portal documents, their data requests and back-office files are private, no-store whatever the route said", async () => {
    const get = await start();
    const page = await get("/portal/page");
    expect(page.headers.get("Cache-Control")).toBe("private, no-store");
    const data = await get("/portal/page?_data=routes%2Fportal-page");
    expect(data.status).toBe(200);
    expect(await data.json()).toEqual({ amount: 12_00 });
    expect(data.headers.get("Cache-Control")).toBe("private, no-store");
    const file = await get("/app/documents/doc-1/file");
    expect(file.headers.get("Content-Type")).toBe("application/pdf");
    expect(file.headers.get("Cache-Control")).toBe("private, no-store");
    // A missing portal page (404) is not cached either; public pages are left alone.
    expect((await get("/portal/nothing-here")).headers.get("Cache-Control")).toBe("private, no-store");
    expect((await get("/")).headers.get("Cache-Control") ?? "").not.toContain("no-store");
  });
});

describe("client address and rate limits", () => {
  it("without TRUST_PROXY a client cannot reset its limit by changing X-Forwarded-For", async () => {
    const get = await start({ TRUST_PROXY: undefined });
    for (let i = 0; i < 3; i++) expect((await get("/login", { "X-Forwarded-For": `203.0.113.${i + 1}` })).status).toBe(200);
    expect((await get("/login", { "X-Forwarded-For": "198.51.100.9" })).status).toBe(429);
  });

  it("SMS short links (/s/<code>) share the magic links' limit: guessing codes is throttled", async () => {
    // A client address of its own: on PostgreSQL the count is shared by every server of this file.
    const get = await start({ TRUST_PROXY: "1" });
    const client = { "X-Forwarded-For": "192.0.2.77" };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`/s/guess${i}abcdefg`, client)).status);
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
  });

  it("with TRUST_PROXY=1 the proxy's X-Forwarded-For names the client", async () => {
    const get = await start({ TRUST_PROXY: "1" });
    for (let i = 0; i < 3; i++) expect((await get("/login", { "X-Forwarded-For": "203.0.113.7" })).status).toBe(200);
    expect((await get("/login", { "X-Forwarded-For": "203.0.113.7" })).status).toBe(429);
    expect((await get("/login", { "X-Forwarded-For": "198.51.100.9" })).status).toBe(200);
  });

  it("TRUST_PROXY accepts hop counts, addresses, CIDRs and Express's names, and refuses trusting everyone", () => {
    const parse = (v: string | undefined) => parseEnv({ ...process.env, TRUST_PROXY: v }).TRUST_PROXY;
    expect(parse(undefined)).toBe(false);
    expect(parse("2")).toBe(2);
    expect(parse("loopback, 10.0.0.0/8,2001:db8::1")).toEqual(["loopback", "10.0.0.0/8", "2001:db8::1"]);
    expect(() => parse("true")).toThrow(/TRUST_PROXY/);
    expect(() => parse("10.0.0.0/33")).toThrow(/TRUST_PROXY/);
  });

  describe.skipIf(!isPostgresUrl(process.env.DATABASE_URL))("on PostgreSQL", () => {
    let second: Database;
    beforeAll(async () => {
      const [current] = await database.get().sql.query<{ name: string }>("SELECT current_database() AS name");
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${current!.name}`;
      second = await openPostgres(url.toString(), { max: 2 });
    });
    afterAll(() => second?.close());

    it("two web processes (two stores on one database) share one count per client", async () => {
      const one = await start({ TRUST_PROXY: "1" });
      const two = await start({ TRUST_PROXY: "1" }, second);
      const client = { "X-Forwarded-For": "192.0.2.44" };
      const statuses = [];
      for (const get of [one, two, one, two]) statuses.push((await get("/login", client)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const left = await two("/login", { "X-Forwarded-For": "192.0.2.45" });
      expect(left.status).toBe(200);
      expect(left.headers.get("RateLimit")).toMatch(/r=2/);
    });
  });
});
