import { fillPlaceholders, parseWording, splitParagraphs, unknownPlaceholders, WORDING_LIMITS, type WordingPlaceholder } from "./wording";

const values: Record<WordingPlaceholder, string> = {
  debtorName: "Boulangerie Martin",
  totalDue: "1\u00a0234,56\u00a0€",
  oldestDueDate: "31/10/2026",
  daysLate: "30",
  creditorName: "Atelier Durand",
  invoiceNumbers: "F-1, F-2",
};

describe("parseWording", () => {
  it("accepts a subject and paragraphs with known placeholders in either language", () => {
    const parsed = parseWording({
      subject: "  Rappel {nom_debiteur}\n: {total_due} ",
      body: "Bonjour {nom_debiteur},\r\nligne deux\n\n\n  Depuis le {oldest_due_date} ({jours_de_retard} jours).  \n \nMerci.",
    });
    expect(parsed).toEqual({
      ok: true,
      wording: {
        subject: "Rappel {nom_debiteur} : {total_due}",
        paragraphs: ["Bonjour {nom_debiteur},\nligne deux", "Depuis le {oldest_due_date} ({jours_de_retard} jours).", "Merci."],
      },
    });
  });

  it("names each unknown placeholder, in the field it is in", () => {
    const parsed = parseWording({ subject: "Facture {numero}", body: "Cher {nom_client}, {nom_client} et {}" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      { field: "subject", code: "unknown_placeholder", placeholder: "{numero}" },
      { field: "body", code: "unknown_placeholder", placeholder: "{nom_client}" },
      { field: "body", code: "unknown_placeholder", placeholder: "{}" },
    ]);
  });

  it("refuses an empty subject and an empty body (blank lines only)", () => {
    const parsed = parseWording({ subject: " \n ", body: "\n  \n\n" });
    expect(parsed).toEqual({
      ok: false,
      errors: [
        { field: "subject", code: "required" },
        { field: "body", code: "required" },
      ],
    });
  });

  it("refuses a subject, a paragraph or a body that is too long, and too many paragraphs", () => {
    const long = parseWording({ subject: "x".repeat(WORDING_LIMITS.subjectMax + 1), body: "y".repeat(WORDING_LIMITS.paragraphMax + 1) });
    expect(long).toEqual({
      ok: false,
      errors: [
        { field: "subject", code: "too_long", max: WORDING_LIMITS.subjectMax },
        { field: "body", code: "too_long", max: WORDING_LIMITS.paragraphMax },
      ],
    });
    const many = parseWording({
      subject: "ok",
      body: Array.from({ length: WORDING_LIMITS.paragraphsMax + 1 }, (_, i) => `p${i}`).join("\n\n"),
    });
    expect(many).toEqual({ ok: false, errors: [{ field: "body", code: "too_many_paragraphs", max: WORDING_LIMITS.paragraphsMax }] });
    const total = parseWording({ subject: "ok", body: Array.from({ length: 5 }, () => "z".repeat(900)).join("\n\n") });
    expect(total).toEqual({ ok: false, errors: [{ field: "body", code: "too_long", max: WORDING_LIMITS.bodyMax }] });
    expect(parseWording({ subject: "x".repeat(WORDING_LIMITS.subjectMax), body: "ok" }).ok).toBe(true);
  });

  it("keeps HTML as typed text (the email escapes it) and drops control characters", () => {
    const parsed = parseWording({ subject: "<b>Rappel</b>\u0007", body: '<a href="https://evil.test">payez</a>\u0000' });
    expect(parsed).toEqual({ ok: true, wording: { subject: "<b>Rappel</b>", paragraphs: ['<a href="https://evil.test">payez</a>'] } });
  });
});

describe("splitParagraphs", () => {
  it("splits on blank lines, even with spaces on them, and keeps single line breaks", () => {
    expect(splitParagraphs("a\nb\n \t\nc\r\n\r\nd")).toEqual(["a\nb", "c", "d"]);
  });
});

describe("fillPlaceholders", () => {
  it("fills French and English names, any case, and leaves unknown ones and lone braces alone", () => {
    expect(fillPlaceholders("{nom_debiteur} / {Debtor_Name} doit {total_du} depuis le {oldest_due_date}", values)).toBe(
      "Boulangerie Martin / Boulangerie Martin doit 1\u00a0234,56\u00a0€ depuis le 31/10/2026",
    );
    expect(fillPlaceholders("{days_late} j, {nom_creancier}, {invoice_numbers}, {inconnu}, { et }", values)).toBe(
      "30 j, Atelier Durand, F-1, F-2, {inconnu}, { et }",
    );
  });

  it("does not fill placeholders again inside a filled value", () => {
    expect(fillPlaceholders("{debtor_name}", { ...values, debtorName: "{total_due}" })).toBe("{total_due}");
  });
});

describe("unknownPlaceholders", () => {
  it("lists each unknown once", () => {
    expect(unknownPlaceholders("{a} {b} {a} {total_du}")).toEqual(["{a}", "{b}"]);
  });
});
