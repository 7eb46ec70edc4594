import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const singletons = () => (globalThis as { __relanceSingletons?: Map<string, unknown> }).__relanceSingletons;

describe("the Resend stand-in reads the environment when a request comes, not when it is imported", () => {
  it("importing the mocks parses nothing; an email sent after DATA_DIR is set lands under that DATA_DIR", async () => {
    singletons()?.delete("env");
    const { startMockServer } = await import("./index");
    expect(singletons()?.has("env") ?? false).toBe(false);

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "relance-resend-mock-"));
    process.env.DATA_DIR = dataDir;
    const stop = startMockServer({ stripe: false, gocardless: false, resend: true });
    try {
      const response = await fetch("https://api.resend.com/emails", {
        method: "POST",
        headers: { authorization: "Bearer re_test", "content-type": "application/json" },
        body: JSON.stringify({ from: "a@example.com", to: "b@example.com", subject: "Hello", text: "Hi" }),
      });
      expect(response.status).toBe(200);
      expect(fs.readdirSync(path.join(dataDir, "mailbox")).filter((f) => f.endsWith(".json"))).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
