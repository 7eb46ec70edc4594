import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";
import { waitForEmail } from "./mailbox";

/**
 * Debtors' replies on the demo data, with and without JavaScript. Fromagerie Vial (C-1014) gets its J+1
 * reminder, answers it from the dev mailbox "Nous réglerons la facture le 15 janvier"; the worker reads
 * the reply and the inbox's Réponses suggests a promise for 15 January; one click accepts it and the
 * debtor's file shows the chase paused by the promise, the conversation threaded. Librairie Ravel's
 * accountant (C-1015) writes from an address relance does not know: staff assign it once, and the next
 * email from that address goes straight to the debtor. Debtors no other journey touches.
 */
async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail").fill("owner@atelier-durand.test");
  await page.getByLabel("Mot de passe").fill("relance-demo");
  await page.getByRole("button", { name: "Connexion" }).click();
  await expect(page).toHaveURL(/\/app$/);
}

/** Processing is asynchronous (the worker of the e2e server): reload the page until the item is there. */
async function reloadUntilVisible(page: Page, item: () => Locator) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return item().count();
      },
      { timeout: 30_000, intervals: [500, 1000, 1500] },
    )
    .toBeGreaterThan(0);
}

/** From the dev mailbox: answer the latest email to this address, as the debtor or from another address. */
async function replyFromMailbox(page: Page, to: string, text: string, unknownFrom?: string) {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
  const mail = page.locator("article").first();
  await mail.getByText("Répondre comme le client").click();
  await mail.getByLabel("Texte de la réponse").fill(text);
  if (unknownFrom) {
    await mail.getByLabel("Envoyer depuis une adresse inconnue").check();
    await mail.getByLabel("Adresse de l'expéditeur").fill(unknownFrom);
  }
  await mail.getByRole("button", { name: /^Envoyer la réponse/ }).click();
  await expect(page.getByRole("status")).toContainText("Réponse reçue par relance");
}

test("a debtor's email reply becomes a promise in one click; an unknown sender is assigned once and then routes itself", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await signIn(page);

  // The reminder went out; the debtor answers it from its mail client (the dev mailbox builds a real MIME reply).
  await waitForEmail("compta@fromagerie-vial.test", /./);
  await page.goto("/dev/mailbox?to=compta@fromagerie-vial.test");
  await expect(page.locator("article").first().getByLabel("Texte de la réponse")).toHaveValue("Nous réglerons la facture le 15 janvier");
  await replyFromMailbox(page, "compta@fromagerie-vial.test", "Nous réglerons la facture le 15 janvier");

  // The inbox suggests a promise for 15 January, with the words that triggered it.
  await page.goto("/app");
  const reply = () => page.locator("li.card.reply").filter({ hasText: "Fromagerie Vial SARL" });
  await reloadUntilVisible(page, reply);
  await expect(reply()).toContainText("Promesse de paiement");
  await expect(reply()).toContainText(/promesse de paiement pour le 15 janv\. 20\d\d \(F-2026-1014\)/);
  await expect(reply()).toContainText("« nous réglerons »");
  await expect(reply()).toContainText("Nous réglerons la facture le 15 janvier");
  await expectAccessible(page);
  await reply().getByRole("button", { name: "Accepter la suggestion pour Fromagerie Vial SARL" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Promesse enregistrée" })).toBeVisible();
  await expect(reply()).toHaveCount(0);

  // The debtor's file: dunning paused by the promise until after the 15th, the promise listed, the conversation threaded.
  await page.goto("/app/debtors");
  await page.getByLabel("Nom, e-mail ou référence").fill("Vial");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.getByRole("link", { name: "Fromagerie Vial SARL" }).click();
  const row = page.getByRole("row").filter({ hasText: "F-2026-1014" });
  await expect(row).toContainText("Suspendues : promesse de paiement");
  await expect(row).toContainText(/jusqu'au \d+ janv\. 20\d\d/);
  await expect(page.locator("li").filter({ hasText: /^15 janv\. 20\d\d — 840,00/ })).toContainText("F-2026-1014");
  const thread = page.locator("article.thread-card").first();
  await expect(thread.locator("li.from-creditor").first()).toBeVisible();
  await expect(thread.locator("li.from-debtor")).toContainText("Nous réglerons la facture le 15 janvier");
  await expect(thread.getByRole("link", { name: /^Voir le message d'origine/ })).toBeVisible();
  await expectAccessible(page);

  // An email from an address nobody knows waits in the inbox until staff say whose it is.
  await waitForEmail("contact@librairie-ravel.test", /./);
  await replyFromMailbox(
    page,
    "contact@librairie-ravel.test",
    "Bonjour, pouvez-vous nous rappeler au sujet de notre compte ?",
    "gerance@holding-ravel.test",
  );
  await page.goto("/app");
  const unknown = () =>
    page
      .locator("li.card")
      .filter({ hasText: "gerance@holding-ravel.test" })
      .filter({ has: page.getByRole("combobox") });
  await reloadUntilVisible(page, unknown);
  await unknown().getByRole("combobox", { name: "Client" }).selectOption({ label: "Librairie Ravel" });
  await unknown().getByRole("button", { name: "Rattacher l'e-mail de gerance@holding-ravel.test au client choisi" }).click();
  await expect(page.getByRole("status").filter({ hasText: "E-mail rattaché" })).toBeVisible();
  await expect(unknown()).toHaveCount(0);

  // The next one from that address routes itself: straight to Librairie Ravel's replies.
  await replyFromMailbox(page, "contact@librairie-ravel.test", "Nous réglerons la facture le 20 janvier", "gerance@holding-ravel.test");
  await page.goto("/app");
  const routed = () => page.locator("li.card.reply").filter({ hasText: "Librairie Ravel" });
  await reloadUntilVisible(page, routed);
  await expect(routed()).toContainText("gerance@holding-ravel.test");
  await expect(routed()).toContainText(/promesse de paiement pour le 20 janv\. 20\d\d/);
  await expect(unknown()).toHaveCount(0);
});
