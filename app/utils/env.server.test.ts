import { EnvError, logLevelFrom, parseEnv } from "./env.server";

const base = { NODE_ENV: "development", SESSION_SECRET: "s".repeat(8), PORTAL_TOKEN_SECRET: "p".repeat(8) } as const;

function problems(source: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}

describe("environment schema", () => {
  it("gives the worker timers and start-up migrations their defaults", () => {
    const env = parseEnv({ ...base });
    expect(env.WORKER_TICK_MS).toBe(60_000);
    expect(env.WORKER_SEND_MS).toBe(5_000);
    expect(env.WORKER_IMPORT_MS).toBe(2_000);
    expect(env.MIGRATE_ON_START).toBe(true);
    expect(env.RESEND_BASE_URL).toBeUndefined();
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("reads the variables the worker, the boot and the mocks use", () => {
    const env = parseEnv({
      ...base,
      WORKER_TICK_MS: "1000",
      WORKER_SEND_MS: "700",
      WORKER_IMPORT_MS: "250",
      MIGRATE_ON_START: "false",
      RESEND_BASE_URL: "http://localhost:4010",
    });
    expect([env.WORKER_TICK_MS, env.WORKER_SEND_MS, env.WORKER_IMPORT_MS]).toEqual([1000, 700, 250]);
    expect(env.MIGRATE_ON_START).toBe(false);
    expect(env.RESEND_BASE_URL).toBe("http://localhost:4010");
  });

  it("names each bad value instead of starting with a broken timer or URL", () => {
    const found = problems({ ...base, WORKER_TICK_MS: "soon", WORKER_SEND_MS: "0", MIGRATE_ON_START: "maybe", RESEND_BASE_URL: "resend" });
    expect(found.some((p) => p.startsWith("WORKER_TICK_MS"))).toBe(true);
    expect(found.some((p) => p.startsWith("WORKER_SEND_MS"))).toBe(true);
    expect(found.some((p) => p.startsWith("MIGRATE_ON_START"))).toBe(true);
    expect(found.some((p) => p.startsWith("RESEND_BASE_URL"))).toBe(true);
  });

  it("keeps tests quiet by default and lets the logger read its level before the environment is complete", () => {
    expect(parseEnv({ ...base, NODE_ENV: "test" }).LOG_LEVEL).toBe("silent");
    expect(logLevelFrom({ NODE_ENV: "test" })).toBe("silent");
    expect(logLevelFrom({ NODE_ENV: "development", LOG_LEVEL: "warn" })).toBe("warn");
    expect(logLevelFrom({ NODE_ENV: "development", LOG_LEVEL: "loud" })).toBe("info");
    expect(problems({ ...base, LOG_LEVEL: "loud" })[0]).toMatch(/^LOG_LEVEL/);
  });
});
