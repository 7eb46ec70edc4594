/**
 * The debtor portal on a phone: what a page ships and how fast it shows.
 *
 * A module for `scripts/bench-portal.ts` (its `--phone` mode), not a script:
 *
 * - `measurePortalJs(baseUrl, cookie, paths)` — per page, the JavaScript (and
 *   CSS) files a real browser loads for it, each fetched again with
 *   `Accept-Encoding: gzip` only, so the bytes counted are gzip bytes as the
 *   server sends them (not the brotli a browser may get). A file that comes
 *   back without a Content-Encoding is flagged in `uncompressed`.
 * - `measurePhone(baseUrl, path, cookie)` — Chromium through Playwright with a
 *   CDP session: 400 ms round trip, 400 kbit/s down and up, CPU slowed 4×, a
 *   phone viewport, a fresh browser context (cold cache) per run. Largest
 *   Contentful Paint (PerformanceObserver, buffered) and loadEventEnd of the
 *   navigation, median of 3 runs.
 * - `openPortalSession(baseUrl, magicLink)` turns a magic link into the cookie
 *   header these take; `findPortalPages` picks the home, pay and one invoice page.
 * - `benchPortalPhone(baseUrl, cookie)` does all of it and `phoneResultFields`
 *   gives the `js_kb=… lcp_ms=… load_ms=…` part of the RESULT line.
 */
import http from "node:http";
import https from "node:https";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

/** The emulated phone and network of issue 17. */
export const PHONE = {
  latencyMs: 400,
  downloadBytesPerSecond: 50_000, // 400 kbit/s
  uploadBytesPerSecond: 50_000,
  cpuSlowdown: 4,
  viewport: { width: 412, height: 915 },
  deviceScaleFactor: 2.625,
  // A person's phone: the portal opens no session for bots (isbot flags "HeadlessChrome").
  userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
} as const;

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--no-first-run",
  "--disable-quic",
];

export type AssetWeight = {
  url: string;
  kind: "script" | "stylesheet";
  /** Bytes on the wire when the client accepts gzip only. */
  gzipBytes: number;
  /** Bytes of the file itself. */
  rawBytes: number;
  /** Content-Encoding of that answer ("" = sent uncompressed). */
  encoding: string;
  /** Bytes on the wire as the browser got them (it also accepts brotli). */
  browserWireBytes: number;
  cacheControl: string;
};

export type PageWeight = {
  path: string;
  status: number;
  /** JavaScript files the page loads. */
  files: number;
  jsGzipBytes: number;
  /** jsGzipBytes in KB (1 KB = 1024 bytes), one decimal. */
  jsKb: number;
  cssGzipBytes: number;
  htmlGzipBytes: number;
  /** Inline <script> text in the HTML (Remix context, manifest, route imports), uncompressed bytes. */
  inlineScriptBytes: number;
  /** JS/CSS files answered without compression to a gzip-accepting client. */
  uncompressed: string[];
  /** Errors the page logged in the browser (a failed hydration shows here). */
  errors: string[];
  assets: AssetWeight[];
};

export type PhoneRun = { lcpMs: number; loadMs: number; domContentLoadedMs: number; transferBytes: number };
export type PhoneTiming = { path: string; lcpMs: number; loadMs: number; domContentLoadedMs: number; runs: PhoneRun[] };

export type PortalPages = { home: string; pay: string; invoice: string };

async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** "a=1; b=2" → Playwright cookies for baseUrl. */
function cookiesFor(baseUrl: string, cookie: string) {
  return cookie
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      return { name: part.slice(0, eq), value: part.slice(eq + 1), url: baseUrl };
    });
}

async function phoneContext(browser: Browser, baseUrl: string, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: PHONE.viewport,
    deviceScaleFactor: PHONE.deviceScaleFactor,
    isMobile: true,
    hasTouch: true,
    userAgent: PHONE.userAgent,
    locale: "fr-FR",
  });
  if (cookie) await context.addCookies(cookiesFor(baseUrl, cookie));
  return context;
}

function mergeCookies(cookie: string, setCookies: string[]): string {
  const jar = new Map<string, string>();
  for (const part of cookie.split(";").map((p) => p.trim())) {
    const eq = part.indexOf("=");
    if (eq > 0) jar.set(part.slice(0, eq), part.slice(eq + 1));
  }
  for (const line of setCookies) {
    const pair = line.split(";")[0]!;
    const eq = pair.indexOf("=");
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/**
 * A magic link → the Cookie header of an open portal session: the landing sets
 * the cookie naming the session to open, the first portal page opens it.
 * The link may carry any origin: it is rebased on baseUrl.
 */
export async function openPortalSession(baseUrl: string, magicLink: string): Promise<string> {
  const link = new URL(magicLink);
  const landing = await fetch(new URL(link.pathname + link.search, baseUrl), {
    redirect: "manual",
    headers: { "User-Agent": PHONE.userAgent },
  });
  let cookie = mergeCookies("", landing.headers.getSetCookie());
  const location = landing.headers.get("location") ?? "/portal";
  const first = await fetch(new URL(location, baseUrl), { redirect: "manual", headers: { "User-Agent": PHONE.userAgent, cookie } });
  cookie = mergeCookies(cookie, first.headers.getSetCookie());
  await first.arrayBuffer();
  if (!cookie) throw new Error(`magic link ${link.pathname} set no cookie (status ${landing.status})`);
  return cookie;
}

/** The portal pages issue 17 reports on: home, pay and the first invoice the home links to. */
export async function findPortalPages(baseUrl: string, cookie: string): Promise<PortalPages> {
  const response = await fetch(new URL("/portal", baseUrl), { headers: { "User-Agent": PHONE.userAgent, cookie } });
  const html = await response.text();
  const invoice = html.match(/href="(\/portal\/invoices\/[^"/?#]+)"/)?.[1];
  if (response.status !== 200 || !invoice) throw new Error(`portal home (status ${response.status}) links to no invoice page`);
  return { home: "/portal", pay: "/portal/pay", invoice };
}

/** GET with Accept-Encoding: gzip, body bytes counted as received (not decoded). */
function gzipGet(
  url: string,
  cookie: string,
): Promise<{ status: number; bytes: number; encoding: string; body: Buffer; cacheControl: string }> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      target,
      { headers: { "Accept-Encoding": "gzip", "User-Agent": PHONE.userAgent, ...(cookie ? { cookie } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            bytes: body.length,
            encoding: String(response.headers["content-encoding"] ?? ""),
            body,
            cacheControl: String(response.headers["cache-control"] ?? ""),
          });
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
  });
}

async function rawLength(url: string): Promise<number> {
  const response = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
  return (await response.arrayBuffer()).byteLength;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/**
 * Per page, the JS and CSS files a browser (JavaScript on, no throttling) loads
 * until the network is idle — modulepreloads, the route modules and anything
 * imported after hydration — weighed as gzip bytes on the wire.
 */
export async function measurePortalJs(baseUrl: string, cookie: string, paths: string[]): Promise<PageWeight[]> {
  const browser = await launch();
  try {
    const pages: PageWeight[] = [];
    for (const path of paths) {
      const context = await phoneContext(browser, baseUrl, cookie);
      const page = await context.newPage();
      const loaded = new Map<string, { kind: AssetWeight["kind"]; wire: number }>();
      const pending: Promise<void>[] = [];
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) errors.push(message.text());
      });
      page.on("requestfinished", (request) => {
        const type = request.resourceType();
        if (type !== "script" && type !== "stylesheet") return;
        pending.push(
          request.sizes().then((sizes) => {
            loaded.set(request.url(), { kind: type, wire: sizes.responseBodySize + sizes.responseHeadersSize });
          }),
        );
      });
      const response = await page.goto(new URL(path, baseUrl).toString(), { waitUntil: "networkidle" });
      await Promise.all(pending);
      const html = await page.content();
      await context.close();

      const assets: AssetWeight[] = [];
      for (const [url, { kind, wire }] of loaded) {
        const gz = await gzipGet(url, "");
        assets.push({
          url: new URL(url).pathname,
          kind,
          gzipBytes: gz.bytes,
          rawBytes: gz.encoding ? await rawLength(url) : gz.bytes,
          encoding: gz.encoding,
          browserWireBytes: wire,
          cacheControl: gz.cacheControl,
        });
      }
      const document = await gzipGet(new URL(path, baseUrl).toString(), cookie);
      const inlineScriptBytes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce(
        (sum, m) => sum + Buffer.byteLength(m[1]!),
        0,
      );
      const js = assets.filter((a) => a.kind === "script");
      const jsGzipBytes = js.reduce((sum, a) => sum + a.gzipBytes, 0);
      pages.push({
        path,
        status: response?.status() ?? 0,
        files: js.length,
        jsGzipBytes,
        jsKb: kb(jsGzipBytes),
        cssGzipBytes: assets.filter((a) => a.kind === "stylesheet").reduce((sum, a) => sum + a.gzipBytes, 0),
        htmlGzipBytes: document.bytes,
        inlineScriptBytes,
        uncompressed: assets.filter((a) => !a.encoding).map((a) => a.url),
        errors,
        assets: assets.sort((a, b) => b.gzipBytes - a.gzipBytes),
      });
    }
    return pages;
  } finally {
    await browser.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

declare global {
  interface Window {
    __benchLcp?: number;
  }
}

/**
 * One portal page on the emulated phone, cold cache each run: median LCP and
 * loadEventEnd (ms from navigation start) of `runs` runs (3 by default).
 */
export async function measurePhone(
  baseUrl: string,
  path: string,
  cookie: string,
  { runs = 3 }: { runs?: number } = {},
): Promise<PhoneTiming> {
  const browser = await launch();
  try {
    const results: PhoneRun[] = [];
    for (let run = 0; run < runs; run++) {
      const context = await phoneContext(browser, baseUrl, cookie);
      const page = await context.newPage();
      await page.addInitScript(() => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          const last = entries[entries.length - 1] as PerformanceEntry & { renderTime?: number; loadTime?: number };
          window.__benchLcp = last.renderTime || last.loadTime || last.startTime;
        }).observe({ type: "largest-contentful-paint", buffered: true });
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: PHONE.latencyMs,
        downloadThroughput: PHONE.downloadBytesPerSecond,
        uploadThroughput: PHONE.uploadBytesPerSecond,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: PHONE.cpuSlowdown });
      let transferBytes = 0;
      cdp.on("Network.loadingFinished", (event: { encodedDataLength: number }) => {
        transferBytes += event.encodedDataLength;
      });
      const response = await page.goto(new URL(path, baseUrl).toString(), { waitUntil: "load", timeout: 60_000 });
      if (!response || response.status() !== 200) throw new Error(`${path}: status ${response?.status()} on the phone`);
      // loadEventEnd is set once the load handlers return; LCP entries are final once the page has painted after load.
      await page.waitForFunction(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd > 0);
      await page.waitForTimeout(500);
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        return { lcp: window.__benchLcp ?? Number.NaN, load: nav.loadEventEnd, dcl: nav.domContentLoadedEventEnd };
      });
      results.push({
        lcpMs: Math.round(timing.lcp),
        loadMs: Math.round(timing.load),
        domContentLoadedMs: Math.round(timing.dcl),
        transferBytes,
      });
      await context.close();
    }
    return {
      path,
      lcpMs: median(results.map((r) => r.lcpMs)),
      loadMs: median(results.map((r) => r.loadMs)),
      domContentLoadedMs: median(results.map((r) => r.domContentLoadedMs)),
      runs: results,
    };
  } finally {
    await browser.close();
  }
}

export type PhoneReport = { pages: PortalPages; weights: PageWeight[]; timings: PhoneTiming[] };

/** Weights of the home, pay and an invoice page, and the phone timings of each. */
export async function benchPortalPhone(baseUrl: string, cookie: string, { runs = 3 }: { runs?: number } = {}): Promise<PhoneReport> {
  const pages = await findPortalPages(baseUrl, cookie);
  const paths = [pages.home, pages.pay, pages.invoice];
  const weights = await measurePortalJs(baseUrl, cookie, paths);
  const timings: PhoneTiming[] = [];
  for (const path of paths) timings.push(await measurePhone(baseUrl, path, cookie, { runs }));
  return { pages, weights, timings };
}

/** Human lines: per page JS weight, files, uncompressed files, LCP and load. */
export function describePhoneReport(report: PhoneReport): string[] {
  const lines: string[] = [];
  for (const weight of report.weights) {
    const timing = report.timings.find((t) => t.path === weight.path);
    lines.push(
      `  ${weight.path}: ${weight.jsKb} KB gzipped JS in ${weight.files} files, CSS ${kb(weight.cssGzipBytes)} KB, HTML ${kb(weight.htmlGzipBytes)} KB` +
        (timing
          ? `; phone LCP ${timing.lcpMs} ms, load ${timing.loadMs} ms (runs ${timing.runs.map((r) => `${r.lcpMs}/${r.loadMs}`).join(", ")})`
          : ""),
    );
    if (weight.uncompressed.length > 0) lines.push(`    served uncompressed: ${weight.uncompressed.join(", ")}`);
    for (const error of weight.errors) lines.push(`    browser error: ${error.slice(0, 200)}`);
  }
  return lines;
}

/**
 * The RESULT fields: js_kb is the heaviest of the measured pages (the goal is
 * ≤ 100 KB on every page), lcp_ms and load_ms are the portal home's.
 */
export function phoneResultFields(report: PhoneReport): string {
  const jsKb = Math.max(...report.weights.map((w) => w.jsKb));
  const home = report.timings.find((t) => t.path === report.pages.home) ?? report.timings[0]!;
  return `js_kb=${jsKb} lcp_ms=${home.lcpMs} load_ms=${home.loadMs}`;
}
