import { htmlToText, visibleReply } from "./visible-reply";

const reply = (text: string) => visibleReply({ text, html: null });
const answer = "Nous réglerons le 15.";

describe("visibleReply cuts the history", () => {
  test.each([
    ["Gmail FR", `${answer}\n\nLe lun. 1 déc. 2026 à 10:00, Atelier Bois <reply+x@in.relance.app> a écrit :\n\n> Bonjour`],
    ["Gmail FR wrapped", `${answer}\n\nLe lun. 1 déc. 2026 à 10:00, Atelier Bois <\nreply+x@in.relance.app> a écrit :\n\n> Bonjour`],
    ["Gmail EN", `${answer}\n\nOn Mon, Dec 1, 2026 at 10:00 AM X <x@y.fr> wrote:\n> Hello`],
    ["Outlook FR", `${answer}\n\nDe : Atelier Bois <x@y.fr>\nEnvoyé : lundi 1 décembre 2026 10:00\nÀ : Paul\nObjet : Rappel\n\nBonjour`],
    [
      "Outlook EN",
      `${answer}\n\nFrom: Atelier Bois <x@y.fr>\nSent: Monday, December 1, 2026 10:00 AM\nTo: Paul\nSubject: Reminder\n\nHello`,
    ],
    ["Outlook ruled", `${answer}\n\n________________________________\nDe : Atelier Bois\nEnvoyé : lundi\n\nBonjour`],
    ["Original Message", `${answer}\n\n-----Original Message-----\nFrom: x\nHello`],
    ["Message d'origine", `${answer}\n\n-----Message d'origine-----\nDe : x\nBonjour`],
    ["Forwarded", `${answer}\n\n---------- Forwarded message ---------\nFrom: x <x@y.fr>\nHello`],
    ["Apple forward", `${answer}\n\nDébut du message réexpédié :\n\nDe: x <x@y.fr>\nBonjour`],
    ["bare > quoting", `${answer}\n\n> Bonjour,\n> la facture est échue.\n>`],
  ])("%s", (_name, text) => {
    expect(reply(text)).toBe(answer);
  });

  test("strips signatures: Cordialement, -- , Envoyé de mon iPhone", () => {
    expect(reply(`${answer}\n\nCordialement,\nPaul Girard\n06 12 34 56 78`)).toBe(answer);
    expect(reply(`${answer}\n-- \nPaul Girard, Boulangerie Girard`)).toBe(answer);
    expect(reply(`${answer}\n\nEnvoyé de mon iPhone`)).toBe(answer);
  });

  test("keeps a reply that merely mentions a sender (no Sent/Envoyé line follows)", () => {
    expect(reply("De : notre côté, tout est réglé.\nMerci.")).toBe("De : notre côté, tout est réglé.\nMerci.");
  });

  test("reads an HTML-only message with entities when no text part is given", () => {
    const html =
      "<html><body><p>Le virement est parti hier&nbsp;: 1&#8239;250,00&nbsp;&euro;.</p><hr><p><b>De&nbsp;:</b> X<br><b>Envoy&eacute;&nbsp;:</b> lundi</p></body></html>";
    expect(htmlToText("<p>R&eacute;gl&eacute; &amp; pay&#233;</p>")).toBe("Réglé & payé\n");
    expect(visibleReply({ text: "", html })).toBe("Le virement est parti hier : 1 250,00 €.");
  });
});
