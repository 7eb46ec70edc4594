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

test("the new owner completes the profile, edits and simulates the calendar, and switches dunning on from the go-live checklist", async ({
  page,
}) => {
  test.slow();
  await page.goto(`${base}/login`);
  await page.getByLabel("Adresse e-mail").fill("ines@ecume.test");
  await page.getByLabel("Mot de passe").fill("une phrase assez longue");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(`${base}/app`);

  // A new creditor starts with dunning off, and every page says so.
  await expect(page.getByTestId("dunning-off")).toContainText("Les relances sont coupées");
  await page.getByTestId("dunning-off").getByRole("link", { name: "Liste de mise en service" }).click();
  await expect(page).toHaveURL(`${base}/app/setup`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mise en service");
  const item = (key: string) => page.getByTestId(`golive-${key}`);
  await expect(item("profile")).toHaveAttribute("data-state", "todo");
  await expect(item("profile")).toContainText("Il manque pour la mise en demeure : Adresse, Code postal, Ville.");
  for (const key of ["stripe", "gocardless", "resend", "webhook-stripe", "webhook-gocardless", "webhook-resend"]) {
    await expect(item(key)).toHaveAttribute("data-state", "demo");
  }
  await expect(item("stripe")).toContainText("Mode démo");
  await expect(item("policy")).toHaveAttribute("data-state", "todo");
  await expect(page.getByTestId("dunning-switch")).toHaveAttribute("data-enabled", "false");
  await expectAccessible(page);

  // The company profile the formal notice needs, in the settings.
  await item("profile").getByRole("link", { name: "Compléter les paramètres" }).click();
  await expect(page).toHaveURL(`${base}/app/settings`);
  await page.getByLabel("Adresse", { exact: true }).fill("3 quai Perrache");
  await page.getByLabel("Code postal", { exact: true }).fill("69002");
  await page.getByLabel("Ville", { exact: true }).fill("Lyon");
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(page.getByText("Paramètres enregistrés.")).toBeVisible();

  // The calendar: the J+15 reminder moved to J+20 (and the J+16 call to J+21), saved, then simulated.
  await page.goto(`${base}/app/setup`);
  await expect(item("profile")).toHaveAttribute("data-state", "done");
  await item("policy").getByRole("link", { name: "Ouvrir le calendrier Calendrier standard" }).click();
  await page.getByTestId("level-3").getByLabel("Jour (J-8 = -8)").fill("20");
  await page.getByTestId("level-4").getByLabel("Jour (J-8 = -8)").fill("21");
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Calendrier enregistré : 0 facture(s) ouverte(s) replanifiée(s).");
  await page.getByRole("button", { name: "Simuler 30 jours" }).click();
  await expect(page.getByTestId("simulation")).toContainText("Aucune action dans les 30 prochains jours");
  await expect(page.getByTestId("level-3").getByLabel("Jour (J-8 = -8)")).toHaveValue("20");

  // Back on the checklist: the calendar is ticked with who simulated it; dunning goes on.
  await page.goto(`${base}/app/setup`);
  await expect(item("policy")).toHaveAttribute("data-state", "done");
  await expect(item("policy")).toContainText("par Inès Roy");
  await page.getByRole("button", { name: "Activer les relances" }).click();
  await expect(page.getByTestId("dunning-switch").getByRole("status")).toHaveText("Les relances sont activées.");
  await expect(page.getByTestId("dunning-switch")).toHaveAttribute("data-enabled", "true");
  await expect(page.getByTestId("dunning-switch")).toContainText("par Inès Roy");
  await expect(page.getByTestId("dunning-off")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Couper les relances" })).toBeVisible();
  await expectAccessible(page);

  // Switching off asks for the sentence to be ticked first.
  await page.getByRole("button", { name: "Couper les relances" }).click();
  await expect(page.getByText("Cochez cette case pour confirmer.")).toBeVisible();
  await expect(page.getByTestId("dunning-switch")).toHaveAttribute("data-enabled", "true");
  await page.reload();
  await expect(page.getByTestId("dunning-switch")).toHaveAttribute("data-enabled", "true");
});
