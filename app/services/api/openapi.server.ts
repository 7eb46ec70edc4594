import { z } from "zod";
import { CancelBody, DebtorBody, InvoiceBody, PaymentBody } from "./schemas.server";
import { SYNC_STATUSES } from "./sync.server";

/**
 * The OpenAPI 3.1 description of /api/v1. Request bodies are generated from
 * the same zod schemas the handlers validate with, so they cannot drift.
 */
const schema = (s: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: unknown) => ({ "application/json": { schema: s } });
const error = (description: string) => ({ description, content: json(ref("Error")) });

const idempotencyHeader = (required: boolean) => ({
  name: "Idempotency-Key",
  in: "header",
  required,
  description:
    (required ? "Required: a POST without it is refused (400 idempotency_key_required). " : "Optional (a PUT is safe to repeat). ") +
    "Any unique string (e.g. a UUID), 1 to 255 characters. The first answer is stored; the same key with the same body replays it (Idempotent-Replayed: true), with another body answers 422 idempotency_key_reused. Concurrent calls with one key apply once.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
});
const idempotencyKey = idempotencyHeader(false);
const idempotencyKeyRequired = idempotencyHeader(true);
const pathParam = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string", maxLength: 100 },
});

const common = {
  "400": error(
    "Malformed JSON, a body that fails validation (details lists each problem), or a POST without Idempotency-Key (idempotency_key_required)",
  ),
  "401": error("Missing, unknown or revoked API key"),
};
const notFound = { "404": error("Not found (or belongs to another creditor)") };
const reused = { "422": error("Unprocessable: see error.code") };

const iso = "2026-03-02T09:15:00.000Z";
const cursorExample = "MjAyNi0wMy0wMlQwOToxNTowMC4wMDBafGNsejEyMw";
/** GET /<resource>: a sync list (cursor shape of /events, ordered by updatedAt then id). */
function syncList(operationId: string, summary: string, item: string, statuses: readonly string[], example: Record<string, unknown>) {
  return {
    get: {
      operationId,
      summary: `${summary}, least recently updated first. Loop with after=nextCursor while hasMore; keep the last nextCursor: the next run starts there and sees only what changed since.`,
      parameters: [
        { name: "after", in: "query", required: false, description: "nextCursor of the previous page", schema: { type: "string" } },
        { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
        {
          name: "updatedSince",
          in: "query",
          required: false,
          description: "Only rows updated at or after this instant (ISO 8601)",
          schema: { type: "string", format: "date-time" },
        },
        ...(statuses.length
          ? [
              {
                name: "status",
                in: "query",
                required: false,
                description: `Comma-separated statuses: ${statuses.join(", ")}`,
                schema: { type: "string" },
              },
            ]
          : []),
      ],
      responses: {
        "200": {
          description: `A page of ${item.toLowerCase()}s`,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["data", "hasMore", "nextCursor"],
                properties: {
                  data: { type: "array", items: ref(item) },
                  hasMore: { type: "boolean" },
                  nextCursor: { type: ["string", "null"] },
                },
              },
              example: { data: [example], hasMore: true, nextCursor: cursorExample },
            },
          },
        },
        ...common,
      },
    },
  };
}

export function buildOpenApiDocument(serverUrl: string) {
  const debtorParam = pathParam("externalRef", "Your reference for the debtor");
  const numberParam = pathParam("number", "The invoice number (unique per creditor)");
  return {
    openapi: "3.1.0",
    info: {
      title: "relance API",
      version: "1.0.0",
      description:
        "Load debtors and invoices, report payments made elsewhere, cancel invoices and follow every communication. Amounts are integers in minor units (cents). Errors: `{ error: { code, message, details? } }`.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearerAuth: [] }],
    paths: {
      "/debtors/{externalRef}": {
        parameters: [debtorParam],
        get: {
          operationId: "getDebtor",
          summary: "Read a debtor",
          responses: { "200": { description: "The debtor", content: json(ref("Debtor")) }, ...common, ...notFound },
        },
        put: {
          operationId: "putDebtor",
          summary: "Create or update a debtor",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref("DebtorInput")) },
          responses: {
            "200": { description: "Updated", content: json(ref("Debtor")) },
            "201": { description: "Created", content: json(ref("Debtor")) },
            ...common,
            ...reused,
          },
        },
      },
      "/invoices/{number}": {
        parameters: [numberParam],
        get: {
          operationId: "getInvoice",
          summary: "Read an invoice",
          responses: { "200": { description: "The invoice", content: json(ref("Invoice")) }, ...common, ...notFound },
        },
        put: {
          operationId: "putInvoice",
          summary: "Create or update an invoice (a new one enters the dunning calendar)",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref("InvoiceInput")) },
          responses: {
            "200": { description: "Updated", content: json(ref("Invoice")) },
            "201": { description: "Created, with its dunning state", content: json(ref("Invoice")) },
            ...common,
            "409": error("invoice_settled, invoice_has_payments or amount_below_paid"),
            "422": error("unknown_debtor or idempotency_key_reused"),
          },
        },
      },
      "/invoices/{number}/payments": {
        parameters: [numberParam],
        post: {
          operationId: "recordPayment",
          summary: "Record a payment made elsewhere (settled at once, allocated to this invoice)",
          parameters: [idempotencyKeyRequired],
          requestBody: { required: true, content: json(ref("PaymentInput")) },
          responses: {
            "201": {
              description: "Recorded; the invoice is PARTIALLY_PAID or PAID (dunning stops)",
              content: json(ref("PaymentRecorded")),
            },
            ...common,
            ...notFound,
            "409": error("invoice_settled"),
            "422": error("amount_exceeds_balance, currency_mismatch, paid_at_in_future or idempotency_key_reused"),
          },
        },
      },
      "/invoices/{number}/cancel": {
        parameters: [numberParam],
        post: {
          operationId: "cancelInvoice",
          summary: "Cancel an invoice (dunning stops)",
          parameters: [idempotencyKeyRequired],
          requestBody: { required: false, content: json(ref("CancelInput")) },
          responses: {
            "200": { description: "Cancelled", content: json(ref("Invoice")) },
            ...common,
            ...notFound,
            "409": error("invoice_settled"),
            ...reused,
          },
        },
      },
      "/invoices/import": {
        post: {
          operationId: "importEInvoice",
          summary:
            "Import an e-invoice (Factur-X / ZUGFeRD PDF, UBL 2.1 or UN/CEFACT CII XML): the seller must be you (SIREN or VAT), the buyer becomes a debtor (found by SIREN, VAT, name and postal code), the invoice is created or updated by its number and enters dunning; the file is kept as the invoice document the debtor downloads",
          parameters: [
            idempotencyKeyRequired,
            {
              name: "fileName",
              in: "query",
              required: false,
              description: "The file's name, kept with the original",
              schema: { type: "string", maxLength: 200 },
            },
          ],
          requestBody: {
            required: true,
            description: "The file itself as the body (not JSON). The format is read from the content.",
            content: {
              "application/pdf": {
                schema: { type: "string", format: "binary", description: "Factur-X / ZUGFeRD 2.x with factur-x.xml attached" },
              },
              "application/xml": { schema: { type: "string", description: "UBL 2.1 Invoice / CreditNote or CII CrossIndustryInvoice" } },
            },
          },
          responses: {
            "201": {
              description: "Imported: { invoice, debtor: { externalRef, name, created }, created | updated: true, outcome, warnings }",
              content: {
                "application/json": {
                  schema: { type: "object" },
                  example: {
                    invoice: { number: "FA-2026-00417", amount: 215554, currency: "EUR", dueDate: "2026-10-31" },
                    debtor: { externalRef: "404833048", name: "Résidence Les Tilleuls & Fils SARL", created: true },
                    created: true,
                    outcome: "created",
                    warnings: [],
                  },
                },
              },
            },
            ...common,
            "422": error(
              "unsupported_type, malformed (details.path names the element), another_seller, creditor_identity_missing, not_for_dunning (details.missing lists what dunning lacks, e.g. dueDate for a MINIMUM profile), invoice_locked, too_large or idempotency_key_reused",
            ),
          },
        },
      },
      "/invoices/{number}/lifecycle": {
        parameters: [numberParam],
        post: {
          operationId: "recordLifecycleStatus",
          summary:
            "Record an e-invoice life-cycle status reported by your plateforme agréée (200–211, 213): 207 En litige and 210 Refusée open a dispute with the reason and pause dunning, 208 Suspendue pauses, 211 Paiement transmis holds like a payment in flight, 213 Rejetée stops reminders and creates a task; the others are recorded. 212 Encaissée is emitted by relance (webhook lifecycle.encaissee), not received",
          parameters: [idempotencyKeyRequired],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["code"],
                  properties: {
                    code: { type: "integer" },
                    date: { type: "string", format: "date" },
                    reason: { type: "string", maxLength: 2000 },
                  },
                },
                example: { code: 210, date: "2026-10-17", reason: "Quantités erronées" },
              },
            },
          },
          responses: {
            "201": {
              description: "Recorded, with the effect applied (open_dispute, pause, payment_pending, stop_and_task or record)",
              content: {
                "application/json": {
                  schema: { type: "object" },
                  example: {
                    id: "cm…",
                    code: 210,
                    label: "Refusée",
                    occurredAt: "2026-10-17T00:00:00.000Z",
                    effect: "open_dispute",
                    disputeId: "cm…",
                  },
                },
              },
            },
            ...common,
            ...notFound,
            "422": error("unknown_code (details.knownCodes lists the codes accepted), emitted_by_relance (212) or idempotency_key_reused"),
          },
        },
      },
      "/bank-statements": {
        post: {
          operationId: "importBankStatement",
          summary:
            "Import a bank statement: every credit is matched to open invoices; exact matches are applied (invoice paid, dunning stops), the rest wait for staff",
          parameters: [
            idempotencyKeyRequired,
            {
              name: "mapping",
              in: "query",
              required: false,
              description: "Id of a saved CSV column mapping (required for text/csv)",
              schema: { type: "string" },
            },
            {
              name: "fileName",
              in: "query",
              required: false,
              description: "The file's name, shown in the back office's import list",
              schema: { type: "string", maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            description: "The statement file itself as the body (not JSON). Re-sending a file adds only the entries not seen before.",
            content: {
              "application/xml": { schema: { type: "string", description: "ISO 20022 camt.053 or camt.054" } },
              "text/plain": { schema: { type: "string", description: "CFONB 120" } },
              "application/x-ofx": { schema: { type: "string", description: "OFX 1.x (SGML) or 2.x (XML)" } },
              "text/csv": { schema: { type: "string", description: "CSV, read with the mapping given in ?mapping=" } },
            },
          },
          responses: {
            "201": {
              description: "Imported: counts of entries read, new, applied, suggested (waiting for staff) and unmatched",
              content: json(ref("StatementImported")),
            },
            ...common,
            "422": error(
              "statement_unreadable (details.where names the element or line), unsupported_format, csv_mapping_missing, empty, too_large or idempotency_key_reused",
            ),
          },
        },
      },
      "/invoices": syncList("listInvoices", "Invoices", "Invoice", SYNC_STATUSES.invoices, {
        number: "F-2026-0042",
        debtorExternalRef: "C-1001",
        issueDate: "2026-02-01",
        dueDate: "2026-03-03",
        amount: 120000,
        amountPaid: 20000,
        amountCredited: 0,
        balance: 100000,
        currency: "EUR",
        status: "PARTIALLY_PAID",
        description: null,
        deliveredAt: null,
        dunning: { level: 1, nextActionAt: iso, pauseReason: null, stopped: false },
        createdAt: iso,
        updatedAt: iso,
      }),
      "/debtors": syncList("listDebtors", "Debtors", "Debtor", SYNC_STATUSES.debtors, {
        externalRef: "C-1001",
        name: "Boulangerie Martin",
        kind: "BUSINESS",
        email: "compta@martin.test",
        language: "fr",
        legalId: "552100554",
        phone: null,
        addressLine1: "3 rue de la Paix",
        addressLine2: null,
        postalCode: "69002",
        city: "Lyon",
        country: "FR",
        transferReference: "RF18ATDC1001",
        createdAt: iso,
        updatedAt: iso,
      }),
      "/payments": syncList(
        "listPayments",
        "Payments, each with its allocations to invoices (lettrage)",
        "Payment",
        SYNC_STATUSES.payments,
        {
          id: "clz123",
          debtorExternalRef: "C-1001",
          provider: "MANUAL",
          method: "transfer",
          status: "SUCCEEDED",
          amount: 20000,
          currency: "EUR",
          failureReason: null,
          succeededAt: iso,
          allocations: [{ invoiceNumber: "F-2026-0042", amount: 20000 }],
          createdAt: iso,
          updatedAt: iso,
        },
      ),
      "/plans": syncList("listPlans", "Installment plans with their invoices and installments", "Plan", SYNC_STATUSES.plans, {
        id: "clp456",
        debtorExternalRef: "C-1001",
        status: "ACTIVE",
        proposedBy: "DEBTOR",
        totalAmount: 100000,
        downPayment: 0,
        currency: "EUR",
        counterOfId: null,
        decidedAt: iso,
        invoices: [{ invoiceNumber: "F-2026-0042", amount: 100000 }],
        installments: [
          { position: 1, dueDate: "2026-04-01", amount: 50000, status: "PAID", paidAt: iso },
          { position: 2, dueDate: "2026-05-01", amount: 50000, status: "PENDING", paidAt: null },
        ],
        createdAt: iso,
        updatedAt: iso,
      }),
      "/disputes": syncList("listDisputes", "Disputes", "Dispute", SYNC_STATUSES.disputes, {
        id: "cld789",
        debtorExternalRef: "C-1001",
        invoiceNumber: "F-2026-0042",
        status: "OPEN",
        reason: "DEFECTIVE",
        message: "Deux pièces livrées abîmées",
        creditAmount: null,
        resolutionNote: null,
        resolvedAt: null,
        createdAt: iso,
        updatedAt: iso,
      }),
      "/promises": syncList("listPromises", "Promises to pay", "Promise", SYNC_STATUSES.promises, {
        id: "clq012",
        debtorExternalRef: "C-1001",
        invoiceNumber: "F-2026-0042",
        status: "PENDING",
        promisedAt: "2026-03-15",
        amount: 100000,
        currency: "EUR",
        source: "DEBTOR",
        createdAt: iso,
        updatedAt: iso,
      }),
      "/events": {
        get: {
          operationId: "listEvents",
          summary: "The written trace (emails, letters, calls, portal actions, payments), oldest first",
          parameters: [
            { name: "after", in: "query", required: false, description: "nextCursor of the previous page", schema: { type: "string" } },
            { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
          ],
          responses: { "200": { description: "A page of events", content: json(ref("EventPage")) }, ...common },
        },
      },
      "/openapi.json": {
        get: {
          operationId: "openapi",
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1 document", content: json({ type: "object" }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API key created in Settings: `rl_<prefix>_<secret>`" },
      },
      schemas: {
        DebtorInput: schema(DebtorBody),
        InvoiceInput: schema(InvoiceBody),
        PaymentInput: schema(PaymentBody),
        CancelInput: schema(CancelBody),
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
            },
          },
        },
        Debtor: {
          type: "object",
          properties: {
            externalRef: { type: "string" },
            name: { type: "string" },
            kind: { enum: ["BUSINESS", "CONSUMER"] },
            email: { type: ["string", "null"] },
            language: { enum: ["fr", "en"] },
            legalId: { type: ["string", "null"] },
            phone: { type: ["string", "null"] },
            addressLine1: { type: ["string", "null"] },
            addressLine2: { type: ["string", "null"] },
            postalCode: { type: ["string", "null"] },
            city: { type: ["string", "null"] },
            country: { type: "string" },
            transferReference: { type: "string", description: "RF reference for bank transfers" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        Invoice: {
          type: "object",
          properties: {
            number: { type: "string" },
            debtorExternalRef: { type: "string" },
            issueDate: { type: "string", format: "date" },
            dueDate: { type: "string", format: "date" },
            amount: { type: "integer" },
            amountPaid: { type: "integer" },
            amountCredited: { type: "integer" },
            balance: { type: "integer" },
            currency: { type: "string" },
            status: { enum: ["OPEN", "PARTIALLY_PAID", "PAID", "CANCELLED", "WRITTEN_OFF"] },
            description: { type: ["string", "null"] },
            deliveredAt: { type: ["string", "null"], format: "date" },
            dunning: {
              type: ["object", "null"],
              properties: {
                level: { type: "integer" },
                nextActionAt: { type: ["string", "null"], format: "date-time" },
                pauseReason: { type: ["string", "null"] },
                stopped: { type: "boolean" },
              },
            },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        PaymentRecorded: {
          type: "object",
          properties: {
            payment: {
              type: "object",
              properties: {
                id: { type: "string" },
                amount: { type: "integer" },
                currency: { type: "string" },
                status: { type: "string" },
                paidAt: { type: "string", format: "date-time" },
              },
            },
            invoice: ref("Invoice"),
          },
        },
        Event: {
          type: "object",
          properties: {
            id: { type: "string" },
            occurredAt: { type: "string", format: "date-time" },
            kind: { type: "string" },
            channel: { enum: ["EMAIL", "CALL", "LETTER", "PORTAL", "PAYMENT", "SYSTEM"] },
            direction: { enum: ["OUT", "IN"] },
            templateKey: { type: ["string", "null"] },
            subject: { type: ["string", "null"] },
            deliveryStatus: { type: "string" },
            actorType: { type: "string" },
            debtorExternalRef: {
              type: ["string", "null"],
              description: "null for an email from an unknown sender (kind email.received), until staff assign it",
            },
            invoiceNumber: { type: ["string", "null"] },
            data: {
              description:
                'Per kind. email.received (channel EMAIL, direction IN): { inboundEmailId, from, intent: "already_paid" | "promise" | "dispute" | "request" | "other" | null, automated: "auto_reply" | null }',
            },
          },
        },
        StatementImported: {
          type: "object",
          required: ["transactions", "new", "applied", "suggested", "unmatched"],
          properties: {
            id: { type: "string", description: "The import" },
            format: { enum: ["CAMT053", "CAMT054", "CFONB120", "OFX", "CSV"] },
            transactions: { type: "integer", description: "Entries read from the file" },
            new: { type: "integer", description: "Entries not imported before" },
            applied: { type: "integer" },
            suggested: { type: "integer" },
            unmatched: { type: "integer" },
            ignored: { type: "integer", description: "Debits and non-payments" },
          },
        },
        Payment: {
          type: "object",
          properties: {
            id: { type: "string" },
            debtorExternalRef: { type: "string" },
            provider: { type: "string" },
            method: { type: ["string", "null"] },
            status: { enum: [...SYNC_STATUSES.payments] },
            amount: { type: "integer" },
            currency: { type: "string" },
            failureReason: { type: ["string", "null"] },
            succeededAt: { type: ["string", "null"], format: "date-time" },
            allocations: {
              type: "array",
              items: { type: "object", properties: { invoiceNumber: { type: "string" }, amount: { type: "integer" } } },
            },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        Plan: {
          type: "object",
          properties: {
            id: { type: "string" },
            debtorExternalRef: { type: "string" },
            status: { enum: [...SYNC_STATUSES.plans] },
            proposedBy: { enum: ["DEBTOR", "CREDITOR"] },
            totalAmount: { type: "integer" },
            downPayment: { type: "integer" },
            currency: { type: "string" },
            counterOfId: { type: ["string", "null"] },
            decidedAt: { type: ["string", "null"], format: "date-time" },
            invoices: {
              type: "array",
              items: { type: "object", properties: { invoiceNumber: { type: "string" }, amount: { type: "integer" } } },
            },
            installments: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  position: { type: "integer" },
                  dueDate: { type: "string", format: "date" },
                  amount: { type: "integer" },
                  status: { type: "string" },
                  paidAt: { type: ["string", "null"], format: "date-time" },
                },
              },
            },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        Dispute: {
          type: "object",
          properties: {
            id: { type: "string" },
            debtorExternalRef: { type: "string" },
            invoiceNumber: { type: "string" },
            status: { enum: [...SYNC_STATUSES.disputes] },
            reason: { type: "string" },
            message: { type: "string" },
            creditAmount: { type: ["integer", "null"] },
            resolutionNote: { type: ["string", "null"] },
            resolvedAt: { type: ["string", "null"], format: "date-time" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        Promise: {
          type: "object",
          properties: {
            id: { type: "string" },
            debtorExternalRef: { type: "string" },
            invoiceNumber: { type: ["string", "null"] },
            status: { enum: [...SYNC_STATUSES.promises] },
            promisedAt: { type: "string", format: "date" },
            amount: { type: "integer" },
            currency: { type: "string" },
            source: { enum: ["DEBTOR", "CREDITOR"] },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        EventPage: {
          type: "object",
          properties: {
            data: { type: "array", items: ref("Event") },
            hasMore: { type: "boolean" },
            nextCursor: { type: ["string", "null"] },
          },
        },
      },
    },
  };
}
