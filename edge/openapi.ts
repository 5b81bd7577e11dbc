/**
 * The OpenAPI 3.1 description of the edge, served at /openapi.json. Written
 * by hand, kept honest by test/edge/openapi.test.ts, which checks that every
 * route the app registers is described here and nothing more.
 */
const error = { $ref: "#/components/responses/Error" }
const json = (schema: Record<string, unknown>, description = "OK") => ({ description, content: { "application/json": { schema } } })
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }
const requestIdParam = { name: "requestId", in: "path", required: true, schema: { type: "string", format: "uuid" } }
const officer = { security: [{ bearer: [] }], tags: ["officer"] }
const body = (schema: Record<string, unknown>) => ({ required: true, content: { "application/json": { schema } } })
const upload = (field: string, pdf: boolean) => ({
  required: true,
  content: {
    "multipart/form-data": { schema: { type: "object", properties: { [field]: { type: "string", format: "binary" } }, required: [field] } },
    "image/png": { schema: { type: "string", format: "binary" } },
    "image/jpeg": { schema: { type: "string", format: "binary" } },
    ...(pdf ? { "application/pdf": { schema: { type: "string", format: "binary" } } } : {})
  }
})

export const openApiDocument = (publicUrl: string) => ({
  openapi: "3.1.0",
  info: {
    title: "bienlai edge",
    version: "0.1.0",
    description:
      "Electronic receipts of Vietnam's civil judgment enforcement agencies: public verification of QR codes, lookup by code, " +
      "the trust list and status lists for offline verification, and the officers' API. Every error is JSON { error, message }: " +
      "error is a machine code, message is for people, in Vietnamese, or in English when Accept-Language ranks English first."
  },
  servers: [{ url: publicUrl }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An officer token (blk_...), scoped to the officer's agency and role." } },
    responses: { Error: json({ type: "object", required: ["error", "message"], properties: { error: { type: "string" }, message: { type: "string" } } }, "A refusal, with the reason") },
    schemas: {
      Verification: {
        type: "object",
        required: ["result", "valid", "message", "status"],
        properties: {
          result: { enum: ["Valid", "Voided", "Replaced", "SignatureInvalid", "UnknownKey", "CertificateNotValidAtIssueDate", "CertificateRevoked", "Malformed"] },
          valid: { type: "boolean" },
          message: { type: "string" },
          receipt: {
            type: "object",
            properties: {
              agency: { type: "string" },
              series: { type: "object", properties: { form: { type: "string" }, symbol: { type: "string" } } },
              number: { type: "integer" },
              printedNumber: { type: "string" },
              issuedAt: { type: "string", format: "date-time" },
              amount: { type: "string", pattern: "^[0-9]+$", description: "whole đồng" },
              maskedName: { type: "string" },
              keyId: { type: "string" }
            }
          },
          status: { type: "object", properties: { asOf: { type: ["string", "null"] }, ageSeconds: { type: ["integer", "null"] }, fresh: { type: "boolean" }, unavailable: { type: "string" } } }
        }
      },
      Receipt: { type: "object", description: "A receipt as in docs/RECEIPT.md; amount as a digit string of whole đồng." },
      Draft: {
        type: "object",
        description: "A draft or submitted draft as in docs/RECEIPT.md (status draft or submitted), with contentHash: the SHA-256 (hex) of " +
          "its canonical content (docs/CANONICAL.md), which an approval must name.",
        properties: { status: { enum: ["draft", "submitted"] }, contentHash: { type: "string", pattern: "^[0-9a-f]{64}$" } }
      },
      DraftInput: {
        type: "object",
        required: ["series", "payer", "reason", "amount", "payment"],
        properties: {
          office: { type: "string" },
          series: { type: "object", properties: { form: { type: "string", example: "01-BLTHADS" }, symbol: { type: "string", example: "AA/25E" } } },
          payer: { type: "object", properties: { name: { type: "string" }, idNumber: { type: "string" }, address: { type: "string" } } },
          case: { type: "object", properties: { decisionNumber: { type: "string", example: "1234/QĐ-CTHADS" }, decisionDate: { type: "string", format: "date" } } },
          reason: { type: "string" },
          amount: { type: "string", pattern: "^[0-9]+$", example: "125500000" },
          amountInWords: { type: "string" },
          payment: { type: "object", properties: { method: { enum: ["cash", "bank_transfer"] }, reference: { type: "string" } } }
        }
      },
      CorrectionRequest: {
        type: "object",
        description: "A correction of the payer's name or address (docs/RECEIPT.md): pending until another approver approves or rejects it",
        properties: {
          id: { type: "string", format: "uuid" },
          receiptId: { type: "string", format: "uuid" },
          field: { enum: ["payerName", "payerAddress"] },
          value: { type: "string" },
          note: { type: "string" },
          requestedBy: { type: "string" },
          requestedAt: { type: "string", format: "date-time" },
          status: { enum: ["pending", "approved", "rejected", "withdrawn"] },
          decidedBy: { type: "string" },
          decidedAt: { type: "string", format: "date-time" },
          decisionNote: { type: "string" }
        }
      },
      LookupResult: {
        type: "object",
        properties: { summary: { type: "object" }, identityMatched: { type: "boolean" }, receipt: { oneOf: [ref("Receipt"), { type: "null" }] } }
      }
    }
  },
  paths: {
    "/healthz": { get: { summary: "Liveness", responses: { 200: json({ type: "object" }) } } },
    "/openapi.json": { get: { summary: "This document", responses: { 200: json({ type: "object" }) } } },
    "/v/{token}": { get: { summary: "Verification page (HTML, Vietnamese; ?lang=en for English)", parameters: [{ name: "token", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "HTML page" }, 400: { description: "HTML page: malformed token" } } } },
    "/V/{token}": { get: { summary: "The same, as QR codes print it in capitals", parameters: [{ name: "token", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "HTML page" } } } },
    "/api/verify/{token}": {
      get: { summary: "Verify a QR token offline (signature, trust list, status list)", tags: ["public"], parameters: [{ name: "token", in: "path", required: true, schema: { type: "string" } }], responses: { 200: json(ref("Verification")), 400: json(ref("Verification"), "Malformed token"), 429: error } }
    },
    "/api/trust-list": { get: { summary: "The trust list (ETag, Cache-Control)", tags: ["public"], responses: { 200: json({ type: "object" }), 304: { description: "Not modified" } } } },
    "/api/status-lists": { get: { summary: "Index of status lists", tags: ["public"], responses: { 200: json({ type: "object" }) } } },
    "/api/status-list": {
      get: {
        summary: "One signed status list (binary; ETag, Cache-Control)",
        tags: ["public"],
        parameters: ["agency", "form", "symbol"].map((name) => ({ name, in: "query", required: true, schema: { type: "string" } })),
        responses: { 200: { description: "application/octet-stream" }, 304: { description: "Not modified" }, 400: error, 404: error }
      }
    },
    "/tra-cuu": {
      get: { summary: "Lookup page (HTML)", responses: { 200: { description: "HTML" } } },
      post: { summary: "Lookup form post: code, idNumber", responses: { 200: { description: "HTML" }, 400: { description: "HTML" }, 404: { description: "HTML" } } }
    },
    "/tra-cuu/pdf": { post: { summary: "The printable receipt (PDF) from the lookup form", responses: { 200: { description: "application/pdf" } } } },
    "/api/lookup/pdf": { post: { summary: "The printable receipt as a PDF with its QR (masked unless the identity number matches)", tags: ["public"], requestBody: body({ type: "object", required: ["lookupCode"], properties: { lookupCode: { type: "string" }, idNumber: { type: "string" } } }), responses: { 200: { description: "application/pdf" }, 400: error, 404: error, 503: error } } },
    "/kiem-tra-anh": { post: { summary: "Photo verification form post (HTML)", requestBody: upload("photo", false), responses: { 200: { description: "HTML" } } } },
    "/api/lookup": { post: { summary: "Lookup by code; full receipt only with the matching identity number", tags: ["public"], requestBody: body({ type: "object", required: ["lookupCode"], properties: { lookupCode: { type: "string" }, idNumber: { type: "string" } } }), responses: { 200: json(ref("LookupResult")), 400: error, 404: error, 429: error } } },
    "/api/lookup/{code}": { get: { summary: "Lookup by code: masked summary", tags: ["public"], parameters: [{ name: "code", in: "path", required: true, schema: { type: "string" } }], responses: { 200: json(ref("LookupResult")), 400: error, 404: error } } },
    "/api/scan": { post: { summary: "Verify a photo of a receipt's QR code", tags: ["public"], requestBody: upload("photo", false), responses: { 200: json(ref("Verification")), 413: error, 415: error, 422: error } } },
    "/api/officer/me": { get: { ...officer, summary: "The token's officer, agency and role", responses: { 200: json({ type: "object" }), 401: error } } },
    "/api/officer/officers": {
      get: { ...officer, summary: "The agency's officers (admin)", responses: { 200: json({ type: "object" }), 403: error } },
      post: { ...officer, summary: "Create an officer in the admin's agency; returns a first token, shown once", requestBody: body({ type: "object", required: ["id", "name", "role"], properties: { id: { type: "string" }, name: { type: "string" }, role: { enum: ["officer", "approver", "auditor", "admin"] } } }), responses: { 201: json({ type: "object" }), 403: error, 409: error, 422: error } }
    },
    "/api/officer/officers/{officerId}/tokens": { post: { ...officer, summary: "Grant a further token (admin)", parameters: [{ name: "officerId", in: "path", required: true, schema: { type: "string" } }], responses: { 201: json({ type: "object" }), 404: error } } },
    "/api/officer/officers/{officerId}/disable": { post: { ...officer, summary: "Disable an officer and all their tokens (admin)", parameters: [{ name: "officerId", in: "path", required: true, schema: { type: "string" } }], responses: { 200: json({ type: "object" }), 404: error, 409: error } } },
    "/api/officer/drafts": { post: { ...officer, summary: "Create a draft", requestBody: body(ref("DraftInput")), responses: { 201: json(ref("Draft")), 400: error, 403: error, 415: error, 422: error } } },
    "/api/officer/drafts/{id}": {
      patch: { ...officer, summary: "Edit a draft (its maker only); a submitted draft becomes a draft again", parameters: [idParam], requestBody: body(ref("DraftInput")), responses: { 200: json(ref("Draft")), 404: error, 409: error, 422: error } },
      delete: {
        ...officer,
        summary: "Delete a draft and its scans: its maker; an admin deletes another officer's draft with { reason }, which the audit log keeps",
        parameters: [idParam],
        requestBody: { required: false, content: { "application/json": { schema: { type: "object", properties: { reason: { type: "string" } } } } } },
        responses: { 204: { description: "Deleted" }, 403: error, 404: error, 409: error, 422: error }
      }
    },
    "/api/officer/drafts/{id}/submit": { post: { ...officer, summary: "Submit a draft for approval (its maker only; refused while a field holds the unread placeholder or the amount is 0)", parameters: [idParam], responses: { 200: json(ref("Draft")), 403: error, 404: error, 409: error } } },
    "/api/officer/drafts/{id}/withdraw": { post: { ...officer, summary: "Withdraw a submitted draft back to draft (its maker only)", parameters: [idParam], responses: { 200: json(ref("Draft")), 403: error, 404: error, 409: error } } },
    "/api/officer/drafts/{id}/approve": {
      post: {
        ...officer,
        summary: "Approve (issue) a submitted draft, naming the content approved; the approver must not be its maker. " +
          "Refused with 409 (reason content_changed) when the draft changed since contentHash was read",
        parameters: [idParam],
        requestBody: body({ type: "object", required: ["contentHash"], properties: { contentHash: { type: "string", pattern: "^[0-9a-f]{64}$", description: "contentHash of the draft as read (GET /api/officer/receipts/{id})" } } }),
        responses: { 201: json({ type: "object", properties: { receipt: ref("Receipt"), token: { type: "string" }, url: { type: "string" } } }), 403: error, 404: error, 409: error, 422: error }
      }
    },
    "/api/officer/drafts/{id}/scans": { post: { ...officer, summary: "Upload a scan to a draft (its maker only; queued for OCR; a submitted draft becomes a draft again)", parameters: [idParam], requestBody: upload("scan", true), responses: { 201: json({ type: "object" }), 409: error, 413: error, 415: error } },
      get: { ...officer, summary: "The scans of a draft: OCR status (queued, running, done, failed), what was read, why a read failed", parameters: [idParam], responses: { 200: json({
        type: "object",
        required: ["scans"],
        properties: { scans: { type: "array", items: {
          type: "object",
          required: ["id", "receiptId", "contentType", "size", "sha256", "uploadedBy", "uploadedAt", "status", "attempts", "error", "result", "finishedAt"],
          properties: {
            id: { type: "string", format: "uuid" },
            receiptId: { type: "string", format: "uuid" },
            contentType: { type: "string" },
            size: { type: "integer" },
            sha256: { type: "string" },
            uploadedBy: { type: "string" },
            uploadedAt: { type: "string", format: "date-time" },
            status: { enum: ["queued", "running", "done", "failed"] },
            attempts: { type: "integer" },
            error: { type: ["string", "null"] },
            result: { description: "What OCR read: documentType, fields, confidence (0-1 per field), warnings, and what went into the draft; null until read" },
            finishedAt: { type: ["string", "null"], format: "date-time" }
          }
        } } }
      }), 404: error } } },
    "/api/officer/receipts": {
      get: {
        ...officer,
        summary: "Search the agency's receipts (keyset pages)",
        parameters: ["name", "lookupCode", "number", "idNumber", "decisionNumber", "from", "to", "minAmount", "maxAmount", "status", "limit", "cursor"].map((name) => ({ name, in: "query", required: false, schema: { type: "string" } })),
        responses: { 200: json({ type: "object", properties: { items: { type: "array" }, nextCursor: { type: ["string", "null"] } } }), 400: error }
      }
    },
    "/api/officer/receipts/{id}": { get: { ...officer, summary: "One receipt; a draft with its contentHash", parameters: [idParam], responses: { 200: json({ oneOf: [ref("Receipt"), ref("Draft")] }), 404: error } } },
    "/api/officer/receipts/{id}/qr": { get: { ...officer, summary: "The QR token and URL of an issued receipt", parameters: [idParam], responses: { 200: json({ type: "object" }), 409: error } } },
    "/api/officer/receipts/{id}/void": { post: { ...officer, summary: "Void with a reason", parameters: [idParam], requestBody: body({ type: "object", required: ["reason"], properties: { reason: { type: "string" } } }), responses: { 200: json(ref("Receipt")), 403: error, 404: error, 409: error } } },
    "/api/officer/receipts/{id}/replace": { post: { ...officer, summary: "Draft a replacement with the corrected amount or content", parameters: [idParam], requestBody: body(ref("DraftInput")), responses: { 201: json(ref("Receipt")), 409: error, 422: error } } },
    "/api/officer/receipts/{id}/corrections": {
      post: {
        ...officer,
        summary: "Request a correction of the payer's name or address; it takes effect only once another approver approves it",
        parameters: [idParam],
        requestBody: body({ type: "object", required: ["field", "value"], properties: { field: { enum: ["payerName", "payerAddress"] }, value: { type: "string" }, note: { type: "string" } } }),
        responses: { 201: json(ref("CorrectionRequest")), 403: error, 404: error, 409: error, 422: error }
      },
      get: { ...officer, summary: "The receipt's correction requests", parameters: [idParam], responses: { 200: json({ type: "object", properties: { corrections: { type: "array", items: ref("CorrectionRequest") } } }), 404: error } }
    },
    "/api/officer/corrections": { get: { ...officer, summary: "The agency's pending correction requests", responses: { 200: json({ type: "object", properties: { corrections: { type: "array", items: ref("CorrectionRequest") } } }) } } },
    "/api/officer/corrections/{requestId}/approve": {
      post: {
        ...officer,
        summary: "Approve a correction (an approver who did not request it), naming the exact corrected text read",
        parameters: [requestIdParam],
        requestBody: body({ type: "object", required: ["value"], properties: { value: { type: "string" } } }),
        responses: { 200: json({ type: "object", properties: { receipt: ref("Receipt"), request: ref("CorrectionRequest") } }), 403: error, 404: error, 409: error, 422: error }
      }
    },
    "/api/officer/corrections/{requestId}/reject": { post: { ...officer, summary: "Reject a correction, with a reason (an approver who did not request it)", parameters: [requestIdParam], requestBody: body({ type: "object", required: ["reason"], properties: { reason: { type: "string" } } }), responses: { 200: json(ref("CorrectionRequest")), 403: error, 404: error, 409: error, 422: error } } },
    "/api/officer/corrections/{requestId}/withdraw": { post: { ...officer, summary: "Withdraw one's own correction request", parameters: [requestIdParam], responses: { 200: json(ref("CorrectionRequest")), 403: error, 404: error, 409: error } } },
    "/api/officer/receipts/{id}/audit": { get: { ...officer, summary: "The receipt's audit trail", parameters: [idParam], responses: { 200: json({ type: "object" }), 403: error, 404: error } } }
  }
})
