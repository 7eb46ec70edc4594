#!/usr/bin/env node
/**
 * A stand-in for Prisma's native `schema-engine` binary, which the Prisma CLI
 * downloads at start-up and which cannot be downloaded on machines without
 * internet. `prisma.config.ts` points PRISMA_SCHEMA_ENGINE_BINARY here; the CLI
 * spawns this script exactly as it would spawn the binary:
 *
 *   schema-engine --datamodels <file>… --datasource '{"url":"…"}' [cli <command>]
 *
 * and speaks line-delimited JSON-RPC 2.0 on stdin/stdout. Each request is
 * forwarded to Prisma's official wasm build of the same engine
 * (@prisma/schema-engine-wasm), which talks to the database through a JS
 * driver adapter: adapter-pg for postgresql:// URLs, PGlite for `file:` URLs.
 * Pinned versions: see prisma/engine/README.md.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";

// Timers created from wasm would keep this process alive after the CLI is done.
for (const name of ["setTimeout", "setInterval"]) {
  const original = globalThis[name];
  globalThis[name] = (...args) => {
    const timer = original(...args);
    timer?.unref?.();
    return timer;
  };
}

const require = createRequire(import.meta.url);
const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const load = (name) => import(pathToFileURL(require.resolve(name, { paths: [projectRoot] })).href);

// ---- arguments ---------------------------------------------------------------
const args = process.argv.slice(2);
const datamodelFiles = [];
let datasource = null;
let cliCommand = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--datamodels") datamodelFiles.push(args[++i]);
  else if (args[i] === "--datasource") datasource = JSON.parse(args[++i]);
  else if (args[i] === "--enabled-preview-features" || args[i] === "--extension-types") i++;
  else if (args[i] === "cli") cliCommand = args[++i];
  else if (args[i] === "--version" || args[i] === "-V") {
    process.stdout.write("schema-engine-wasm-bridge 1.0.0\n");
    process.exit(0);
  }
}

/** Like the native engine: a JSON log line on stderr (written synchronously), then exit 1. */
function fatal(message, errorCode) {
  const line = JSON.stringify({
    timestamp: new Date().toISOString(),
    level: "ERROR",
    fields: { message, error_code: errorCode },
    target: "schema_engine::logger",
  });
  // The CLI skips the first stderr line of `cli` commands (the native engine's start-up log).
  const banner = JSON.stringify({
    timestamp: new Date().toISOString(),
    level: "INFO",
    fields: { message: "Starting schema engine (wasm bridge)" },
    target: "schema_engine::logger",
  });
  fs.writeSync(2, `${banner}\n${line}\n`);
  process.exit(1);
}

// ---- driver adapters ------------------------------------------------------------
const isPostgres = (url) => /^postgres(ql)?:\/\//.test(url ?? "");
const pgliteDir = (url) => path.resolve(process.cwd(), url.replace(/^file:/, ""));

async function postgresFactory(url, shadowUrl) {
  const pg = (await load("pg")).default;
  const { PrismaPg } = await load("@prisma/adapter-pg");

  // adapter-pg cannot describe pg_catalog columns of type "char" (oid 18) and
  // name (oid 19), which the engine's introspection queries return: as text.
  const asText = (res) => {
    for (const field of res?.fields ?? []) if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
    return res;
  };
  const originalQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (...queryArgs) {
    // Pool.query calls Client.query with a callback; direct callers use the promise.
    const last = queryArgs.length - 1;
    if (typeof queryArgs[last] === "function") {
      const callback = queryArgs[last];
      queryArgs[last] = (error, res) => callback(error, error ? res : asText(res));
      return originalQuery.apply(this, queryArgs);
    }
    const result = originalQuery.apply(this, queryArgs);
    return result && typeof result.then === "function" ? result.then(asText) : result;
  };

  const adapterFor = async (connectionString, dispose) => {
    const pool = new pg.Pool({ connectionString, max: 2 });
    const adapter = await new PrismaPg(pool).connect();
    // adapter-pg splits scripts on ";" (breaks $$ bodies, not atomic): one simple query instead.
    adapter.executeScript = async (script) => {
      try {
        await pool.query(script);
      } catch (error) {
        throw toDriverError(error);
      }
    };
    const originalDispose = adapter.dispose?.bind(adapter);
    adapter.dispose = async () => {
      await originalDispose?.().catch(() => {});
      await pool.end().catch(() => {});
      await dispose?.();
    };
    return adapter;
  };

  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => adapterFor(url),
    // adapter-pg's own shadow database ignores `database` with a connection string and is
    // dropped while its pool is open: create and drop it ourselves (needs CREATEDB).
    connectToShadowDb: async () => {
      if (shadowUrl) return adapterFor(shadowUrl);
      const name = `prisma_shadow_${crypto.randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const shadow = new URL(url);
      shadow.pathname = `/${name}`;
      return adapterFor(shadow.toString(), async () => {
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await dropper.end();
      });
    },
  };
}

const opened = [];
async function pgliteFactory(url) {
  const { PGlite } = await load("@electric-sql/pglite");
  const { PrismaPGlite } = await load("pglite-prisma-adapter");
  const adapterFor = async (pglite) => {
    await pglite.waitReady;
    opened.push(pglite);
    const adapter = await new PrismaPGlite(pglite).connect();
    // pglite-prisma-adapter runs scripts as prepared statements without awaiting
    // them (errors vanish): PGlite.exec runs a multi-statement script properly.
    adapter.executeScript = async (script) => {
      try {
        await pglite.exec(script);
      } catch (error) {
        throw toDriverError(error);
      }
    };
    return adapter;
  };
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: async () => {
      const dir = pgliteDir(url);
      const lock = path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
      if (fs.existsSync(lock)) {
        const pid = Number(fs.readFileSync(lock, "utf8"));
        let alive = false;
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (error) {
          alive = error.code === "EPERM";
        }
        if (alive) fatal(`The embedded database ${dir} is in use by process ${pid} (a running relance server). Stop it first.`, "P1001");
      }
      fs.mkdirSync(dir, { recursive: true });
      return adapterFor(new PGlite(dir));
    },
    connectToShadowDb: () => adapterFor(new PGlite()),
  };
}

/** Shapes a driver error the way the engine's error mapping expects. */
function toDriverError(error) {
  const e = new Error(error.message);
  e.name = "DriverAdapterError";
  e.cause = {
    originalCode: error.code,
    originalMessage: error.message,
    kind: "postgres",
    code: error.code ?? "",
    severity: error.severity ?? "ERROR",
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  };
  return e;
}

// ---- the wasm engine ---------------------------------------------------------------
let lastPanic = null;
// A panic message is kept and returned in the JSON-RPC error of the request that caused it.
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message) => {
    lastPanic = message;
  },
};

async function loadWasmEngine() {
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm", { paths: [projectRoot] }));
  const bindings = await import(pathToFileURL(path.join(dir, "schema_engine_bg.js")).href);
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(path.join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bindings;
}

const url = datasource?.url ?? process.env.DATABASE_URL ?? "file:./data/pglite";
const shadowUrl = datasource?.shadowDatabaseUrl ?? process.env.SHADOW_DATABASE_URL;

async function makeFactory() {
  const { bindMigrationAwareSqlAdapterFactory } = await load("@prisma/driver-adapter-utils");
  const base = isPostgres(url) ? await postgresFactory(url, shadowUrl) : await pgliteFactory(url);
  return bindMigrationAwareSqlAdapterFactory(base);
}

async function closeAll() {
  await Promise.all(opened.map((p) => p.close().catch(() => {})));
}

// ---- `cli <command>` mode (can-connect-to-database, create-database, drop-database) --------
if (cliCommand) {
  try {
    if (isPostgres(url)) {
      const pg = (await load("pg")).default;
      const target = new URL(url);
      const dbName = decodeURIComponent(target.pathname.slice(1)) || "postgres";
      if (cliCommand === "can-connect-to-database") {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.end();
      } else if (cliCommand === "create-database" || cliCommand === "drop-database") {
        const admin = new URL(url);
        admin.pathname = "/postgres";
        const client = new pg.Client({ connectionString: admin.toString() });
        await client.connect();
        const exists = (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [dbName])).rowCount > 0;
        if (cliCommand === "create-database" && !exists) await client.query(`CREATE DATABASE "${dbName}"`);
        if (cliCommand === "drop-database" && exists) await client.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
        await client.end();
      }
    } else {
      const dir = pgliteDir(url);
      if (cliCommand === "drop-database") fs.rmSync(dir, { recursive: true, force: true });
      else fs.mkdirSync(dir, { recursive: true });
    }
    process.stdout.write(JSON.stringify({ result: null }) + "\n");
    process.exit(0);
  } catch (error) {
    const code = error.code === "3D000" ? "P1003" : "P1001";
    fatal(`Can't reach database server at ${safeHost(url)}: ${error.message}`, code);
  }
}

function safeHost(value) {
  try {
    return new URL(value).host || value;
  } catch {
    return "the configured database";
  }
}

// ---- JSON-RPC loop --------------------------------------------------------------------
const bindings = await loadWasmEngine();
const datamodels = datamodelFiles.map((file) => [file, fs.readFileSync(file, "utf8")]);
let engine;
try {
  engine = await bindings.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, () => {}, await makeFactory());
} catch (error) {
  fatal(error?.message ?? String(error), "P1001");
}

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
let nextOwnId = 1_000_000;
const pendingPrints = new Map();

/** The native engine prints `diff` output by asking the CLI to print it. */
function askCliToPrint(content) {
  const id = nextOwnId++;
  return new Promise((resolve) => {
    pendingPrints.set(id, resolve);
    send({ jsonrpc: "2.0", id, method: "print", params: { content } });
  });
}

const METHOD_ALIASES = { getDatabaseVersion: "version" };

async function handle(request) {
  const method = METHOD_ALIASES[request.method] ?? request.method;
  if (typeof engine[method] !== "function") {
    return { jsonrpc: "2.0", id: request.id, error: { code: -32601, message: `Method not found: ${request.method}` } };
  }
  try {
    lastPanic = null;
    let result = await engine[method](request.params ?? {});
    if (request.method === "diff" && result && typeof result.stdout === "string") {
      if (result.stdout.length > 0) await askCliToPrint(result.stdout.replace(/\n$/, ""));
      result = { exitCode: result.exitCode };
    }
    return { jsonrpc: "2.0", id: request.id, result: result ?? null };
  } catch (error) {
    if (process.env.BRIDGE_DEBUG) process.stderr.write(`bridge error: ${JSON.stringify(error, Object.getOwnPropertyNames(error ?? {}))}\n`);
    const isPanic = lastPanic !== null;
    const message = lastPanic ?? error?.message ?? String(error);
    return {
      jsonrpc: "2.0",
      id: request.id,
      error: {
        code: 4466,
        message: "An error happened. Check the data field for details.",
        data: { is_panic: isPanic, message, error_code: error?.error_code ?? error?.code, meta: error?.meta ?? {} },
      },
    };
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
rl.on("line", (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  if (message.id !== undefined && pendingPrints.has(message.id) && !message.method) {
    pendingPrints.get(message.id)();
    pendingPrints.delete(message.id);
    return;
  }
  // Requests are answered in order, one at a time, like the native engine.
  queue = queue.then(async () => send(await handle(message)));
});
rl.on("close", async () => {
  await queue;
  await closeAll();
  process.exit(0);
});
