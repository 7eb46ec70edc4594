import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";

/**
 * First run in production with the demo off: no creditor, nobody can sign in.
 * This spec starts its own server (production mode, fresh embedded database,
 * mocked providers) per project, reads the one-time `Setup:` link from its
 * start-up log, and goes through the wizard to a signed-in owner.
 */
test.describe.configure({ mode: "serial" });

let server: ChildProcess;
let base = "";
let setupUrl = "";

test.beforeAll(async ({ browserName: _browser }, info) => {
  test.setTimeout(120_000);
  const port = Number(process.env.E2E_PORT ?? 3100) + (info.project.name === "mobile" ? 50 : 51);
  const dataDir = path.resolve(`tests/.tmp/e2e-firstrun-${port}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  base = `http://localhost:${port}`;
  // Its own process group, so the whole tree (tsx and its node child) stops with it.
  server = spawn(path.resolve("node_modules/.bin/tsx"), ["server.ts"], {
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: base,
      SESSION_SECRET: "e2e-first-run-session-secret-0123456789abcdef",
      PORTAL_TOKEN_SECRET: "e2e-first-run-portal-secret-0123456789abcdef",
      MOCKS: "true",
      SEED_DEMO: "false",
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${dataDir}/pglite`,
      LOG_LEVEL: "warn",
      AUTH_RATE_LIMIT: "600",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  setupUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no Setup: line within 100 s:\n${log}`)), 100_000);
    const read = (chunk: Buffer) => {
      log += chunk.toString();
      const found = /Setup: (\S+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    server.stdout!.on("data", read);
    server.stderr!.on("data", read);
    server.once("exit", (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
});

test.afterAll(async () => {
  if (!server?.pid || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  process.kill(-server.pid, "SIGTERM");
  await exited;
});

test("the home page says where the setup link is; /setup without it is refused", async ({ page }) => {
  expect(setupUrl).toMatch(new RegExp(`^${base}/setup\\?token=[A-Za-z0-9_-]{43}$`));
  await page.goto(`${base}/`);
  await expect(page.getByRole("heading", { name: "Première mise en route" })).toBeVisible();
  await expect(page.getByText("« Setup: »")).toBeVisible();

  const refused = await page.goto(`${base}/setup`);
  expect(refused!.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lien de configuration invalide");
  await expect(page.getByLabel("Raison sociale")).toHaveCount(0);
});

test("the wizard creates the creditor and its owner, signs the owner in, and the link is spent", async ({ page }) => {
  await page.goto(setupUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Configurer relance");
  await expectAccessible(page);

  await page.getByLabel("Raison sociale").fill("Atelier Écume SARL");
  await page.getByLabel("SIREN (9 chiffres)").fill("732829321");
  await page.getByLabel("E-mail de contact (affiché à vos clients)").fill("contact@ecume.test");
  await page.getByLabel("Langue par défaut des relances").selectOption("fr");
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page.getByText("Ce SIREN n'est pas valide")).toBeVisible();
  await expect(page.getByLabel("Raison sociale")).toHaveValue("Atelier Écume SARL");

  await page.getByLabel("SIREN (9 chiffres)").fill("732 829 320");
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page.getByText("Étape 2 sur 2")).toBeVisible();
  await expect(page.getByText("Atelier Écume SARL — SIREN 732829320")).toBeVisible();

  await page.getByLabel("Votre nom").fill("Inès Roy");
  await page.getByLabel("Votre e-mail de connexion").fill("ines@ecume.test");
  await page.getByLabel("Choisissez un mot de passe").fill("une phrase assez longue");
  await page.getByLabel("Confirmez le nouveau mot de passe").fill("une phrase assez longue");
  await page.getByRole("button", { name: "Créer l'espace et me connecter" }).click();
  await expect(page).toHaveURL(`${base}/app`);
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();

  const again = await page.goto(setupUrl);
  expect(again!.status()).toBe(403);
});
