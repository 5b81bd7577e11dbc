/**
 * The OpenAPI 3.1 description of the edge, served at /openapi.json. Written
 * by hand, kept honest by test/edge/openapi.test.ts, which checks that every
 * route the app registers is described here and nothing more.
 */
import { payoutPaths } from "./openapi-payout.ts"
import { reconciliationPaths } from "./routes/reconciliation-openapi.ts"

const error = { $ref: "#/components/responses/Error" }
const json = (schema: Record<string, unknown>, description = "OK") => ({ description, content: { "application/json": { schema } } })
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }
const officer = { security: [{ bearer: [] }], tags: ["officer"] }
const officerIdParam = { name: "officerId", in: "path", required: true, schema: { type: "string" } }
const requestIdParam = { name: "requestId", in: "path", required: true, schema: { type: "string", format: "uuid" } }
const tokenIdParam = { name: "tokenId", in: "path", required: true, schema: { type: "string", pattern: "^[0-9a-f]{16}$" } }
const roleSchema = { enum: ["officer", "approver", "auditor", "admin"] }
const pendingRequest = json({ type: "object", properties: { request: { $ref: "#/components/schemas/OfficerRequest" }, message: { type: "string" } } }, "Recorded; waiting for a second admin of the agency")
const idempotencyKey = { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 }, description: "Retry safely: the same key with the same request gets the first answer again (24 hours); with another request, 422" }
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
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An officer's own token (blk_...), scoped to the officer's agency and role; it expires (90 days by default) and can be revoked." } },
    responses: { Error: json({ type: "object", required: ["error", "message"], properties: { error: { type: "string" }, message: { type: "string" } } }, "A refusal, with the reason") },
    schemas: {
      TokenInfo: {
        type: "object",
        properties: { id: { type: "string" }, officer: { type: "string" }, label: { type: "string" }, createdAt: { type: "string", format: "date-time" }, expiresAt: { type: "string", format: "date-time" }, revokedAt: { type: ["string", "null"] }, revokedBy: { type: ["string", "null"] } }
      },
      OfficerRequest: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          kind: { enum: ["create", "role", "enable", "enrol"] },
          officer: { type: "string" },
          name: { type: "string" },
          role: { enum: ["officer", "approver", "auditor", "admin"] },
          requestedBy: { type: "string" },
          requestedAt: { type: "string", format: "date-time" },
          expiresAt: { type: "string", format: "date-time" },
          decision: { enum: ["approved", "rejected", "withdrawn", "expired", null] },
          decidedBy: { type: ["string", "null"] },
          decidedAt: { type: ["string", "null"] }
        }
      },
      Verification: {
        type: "object",
        required: ["result", "valid", "message", "status"],
        properties: {
          result: {
            enum: ["Valid", "StatusUnknown", "Voided", "Replaced", "SignatureInvalid", "UnknownKey", "CertificateNotValidAtIssueDate", "CertificateRevoked", "Malformed"],
            description: "Valid only with a status list within its stated freshness; StatusUnknown: authentic, but whether it was voided or replaced is not known"
          },
          valid: { type: "boolean" },
          message: { type: "string" },
          reason: { type: "string", description: "StatusUnknown: no_status_list, stale or not_covered; Malformed: what is wrong" },
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
          status: {
            type: "object",
            properties: {
              asOf: { type: ["string", "null"] },
              ageSeconds: { type: ["integer", "null"] },
              freshForSeconds: { type: ["integer", "null"], description: "how long the list vouches for itself" },
              fresh: { type: "boolean" },
              unavailable: { type: "string" }
            }
          }
        }
      },
      Scan: {
        allOf: [
          ref("Verification"),
          {
            type: "object",
            properties: {
              qr: {
                type: "object",
                description: "Where the QR code points: its host, whether that is the agency's published service (null: no address), and a warning if not",
                properties: { host: { type: ["string", "null"] }, official: { type: ["boolean", "null"] }, warning: { type: "string" } }
              }
            }
          }
        ]
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
        properties: {
          summary: { type: "object", description: "agency, series and number, issue time, amount, status: no personal data" },
          identityMatched: { type: "boolean" },
          receipt: { oneOf: [ref("Receipt"), { type: "null" }] },
          printable: { type: "boolean", description: "whether /api/lookup/pdf will give the PDF for this code and number" }
        }
      },
      LookupRequest: { type: "object", required: ["lookupCode"], properties: { lookupCode: { type: "string" }, idNumber: { type: "string" } } }
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
    "/api/trust-list": {
      get: {
        summary: "The trust list, signed by the root: a JWS in flattened JSON { payload, protected, signature } (docs/SIGNING.md); ETag, Cache-Control",
        tags: ["public"],
        responses: { 200: json({ type: "object", required: ["payload", "protected", "signature"], properties: { payload: { type: "string" }, protected: { type: "string" }, signature: { type: "string" } } }), 304: { description: "Not modified" } }
      }
    },
    "/api/crl": {
      get: {
        summary: "The root's certificate revocation list (X.509 CRL, DER), for ordinary PKI tools; ETag, Cache-Control",
        tags: ["public"],
        responses: { 200: { description: "The CRL", content: { "application/pkix-crl": { schema: { type: "string", format: "binary" } } } }, 304: { description: "Not modified" }, 404: { description: "No CRL is published here" } }
      }
    },
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
      get: { summary: "Lookup page (HTML); no code in the URL", responses: { 200: { description: "HTML" } } },
      post: {
        summary: "Lookup form post: code, idNumber (form fields). Refusals are the form again, with what was typed and the reason in the page's language",
        responses: { 200: { description: "HTML" }, 400: { description: "HTML" }, 404: { description: "HTML" }, 429: { description: "HTML: identity checks locked for this code, or rate limit" } }
      }
    },
    "/tra-cuu/pdf": { post: { summary: "The printable receipt (PDF) from the lookup form", responses: { 200: { description: "application/pdf" }, 403: { description: "HTML: the identity number is needed" }, 429: { description: "HTML" } } } },
    "/api/lookup/pdf": {
      post: {
        summary: "The printable receipt as a PDF with its QR; needs the matching identity number when the receipt has one (masked view for receipts without)",
        tags: ["public"],
        requestBody: body(ref("LookupRequest")),
        responses: { 200: { description: "application/pdf" }, 400: error, 403: error, 404: error, 429: error, 503: error }
      }
    },
    "/kiem-tra-anh": { post: { summary: "Photo verification form post (HTML), naming the host the QR points to and warning unless it is the agency's", requestBody: upload("photo", false), responses: { 200: { description: "HTML" }, 413: { description: "HTML" }, 415: { description: "HTML" }, 422: { description: "HTML" } } } },
    "/api/lookup": {
      post: {
        summary: "Lookup by code (in the body, never the URL); full receipt only with the matching identity number. Wrong numbers are limited per code: then 429 identity_check_locked with lockedUntil and Retry-After",
        tags: ["public"],
        requestBody: body(ref("LookupRequest")),
        responses: { 200: json(ref("LookupResult")), 400: error, 404: error, 429: error }
      }
    },
    "/api/scan": { post: { summary: "Verify a photo of a receipt's QR code; says which host the QR points to", tags: ["public"], requestBody: upload("photo", false), responses: { 200: json(ref("Scan")), 413: error, 415: error, 422: error } } },
    "/tra-cuu-chi-tra": {
      get: { summary: "Creditors' portal (HTML): lookup code and identity number of a payout notice; no code in the URL", responses: { 200: { description: "HTML" } } },
      post: {
        summary: "Portal form post: code, idNumber (both required). The creditor's payouts with the notice's QR code, or the form again with the reason",
        responses: { 200: { description: "HTML" }, 400: { description: "HTML" }, 403: { description: "HTML: the number does not match (counted)" }, 404: { description: "HTML" }, 429: { description: "HTML: identity checks locked for this code, or rate limit" } }
      }
    },
    "/api/payout-notice": {
      post: {
        summary: "A creditor's payout notice by lookup code and identity number (both required; in the body): masked name and number, lines, states, the stored QR token and its verify URL, and the creditor's rounds in the case. Wrong numbers are counted per notice code: 403 identity_mismatch, then 429 identity_check_locked",
        tags: ["public"],
        requestBody: body(ref("LookupRequest")),
        responses: { 200: json({ type: "object" }), 400: error, 403: error, 404: error, 429: error }
      }
    },
    "/api/payout-status-list": {
      get: {
        summary: "One approved payout round's signed notice status list (binary, docs/QR-TOKEN.md; ETag, Cache-Control)",
        tags: ["public"],
        parameters: ["agency", "case", "round"].map((name) => ({ name, in: "query", required: true, schema: { type: "string" } })),
        responses: { 200: { description: "application/octet-stream" }, 304: { description: "Not modified" }, 400: error, 404: error }
      }
    },
    "/api/officer/me": { get: { ...officer, summary: "The token's officer, agency and role", responses: { 200: json({ type: "object" }), 401: error } } },
    "/api/officer/enrol": {
      post: {
        tags: ["officer"],
        summary: "Exchange a one-time enrolment code (from a second admin's approval, or the operator's bootstrap) for your own token, shown once; no token needed, rate-limited",
        requestBody: body({ type: "object", required: ["code"], properties: { code: { type: "string", description: "XXXXX-XXXXX-XXXXX-XXXXX" }, label: { type: "string" }, expiresInDays: { type: "integer", minimum: 1 } } }),
        responses: { 201: json({ type: "object", properties: { officer: { type: "string" }, agency: { type: "string" }, role: { type: "string" }, token: { type: "string" }, id: { type: "string" }, expiresAt: { type: "string", format: "date-time" } } }), 400: error, 401: error, 422: error, 429: error }
      }
    },
    "/api/officer/tokens": {
      get: { ...officer, summary: "Your tokens: ids, labels, expiry, revocation (never the tokens)", responses: { 200: json({ type: "object", properties: { tokens: { type: "array", items: ref("TokenInfo") } } }), 401: error } },
      post: {
        ...officer,
        summary: "A new token for yourself, shown once; it expires no later than the token you ask with. Nobody can make a token for someone else",
        requestBody: { required: false, content: { "application/json": { schema: { type: "object", properties: { label: { type: "string" }, expiresInDays: { type: "integer", minimum: 1 } }, additionalProperties: false } } } },
        responses: { 201: json({ type: "object", properties: { token: { type: "string" }, id: { type: "string" }, expiresAt: { type: "string", format: "date-time" }, cappedByPresentingToken: { type: "boolean" } } }), 422: error }
      }
    },
    "/api/officer/tokens/{tokenId}/revoke": { post: { ...officer, summary: "Revoke one of your tokens (an admin: any token of the agency); its console sessions end too", parameters: [tokenIdParam], responses: { 200: json({ type: "object" }), 404: error, 409: error } } },
    "/api/officer/officers": {
      get: { ...officer, summary: "The agency's officers (admin)", responses: { 200: json({ type: "object" }), 403: error } },
      post: { ...officer, summary: "Request a new officer in the admin's agency; a second admin approves (202)", requestBody: body({ type: "object", required: ["id", "name", "role"], properties: { id: { type: "string" }, name: { type: "string" }, role: roleSchema } }), responses: { 202: pendingRequest, 403: error, 409: error, 422: error } }
    },
    "/api/officer/officers/{officerId}/role": { post: { ...officer, summary: "Request a role change; a second admin approves (202)", parameters: [officerIdParam], requestBody: body({ type: "object", required: ["role"], properties: { role: roleSchema } }), responses: { 202: pendingRequest, 404: error, 409: error, 422: error } } },
    "/api/officer/officers/{officerId}/enable": { post: { ...officer, summary: "Request re-enabling a disabled officer; a second admin approves, which gives a new enrolment code (202)", parameters: [officerIdParam], responses: { 202: pendingRequest, 404: error, 409: error } } },
    "/api/officer/officers/{officerId}/enrol": { post: { ...officer, summary: "Request a new enrolment code for an officer who lost their token; a second admin approves (202)", parameters: [officerIdParam], responses: { 202: pendingRequest, 404: error, 409: error } } },
    "/api/officer/officers/{officerId}/disable": { post: { ...officer, summary: "Disable an officer at once: every token, session and enrolment code ends (admin)", parameters: [officerIdParam], responses: { 200: json({ type: "object" }), 404: error, 409: error } } },
    "/api/officer/officers/{officerId}/tokens": { get: { ...officer, summary: "An officer's tokens: ids, labels, expiry (admin; never the tokens)", parameters: [officerIdParam], responses: { 200: json({ type: "object", properties: { tokens: { type: "array", items: ref("TokenInfo") } } }), 404: error } } },
    "/api/officer/officer-requests": { get: { ...officer, summary: "Requests waiting for a second admin (admin)", responses: { 200: json({ type: "object", properties: { requests: { type: "array", items: ref("OfficerRequest") } } }), 403: error } } },
    "/api/officer/officer-requests/{requestId}/approve": {
      post: {
        ...officer,
        summary: "Approve a request as shown: name its officer, name and role. Not your own (four eyes). An approval that lets someone in returns a one-time enrolment code, shown once",
        parameters: [requestIdParam],
        requestBody: body({ type: "object", required: ["officer", "name", "role"], properties: { officer: { type: "string" }, name: { type: "string" }, role: roleSchema } }),
        responses: { 200: json({ type: "object", properties: { request: ref("OfficerRequest"), enrolment: { type: ["object", "null"], properties: { code: { type: "string" }, expiresAt: { type: "string", format: "date-time" }, officer: { type: "string" }, howToUse: { type: "string" } } } } }), 403: error, 404: error, 409: error, 422: error }
      }
    },
    "/api/officer/officer-requests/{requestId}/reject": { post: { ...officer, summary: "Reject a request (the requester: withdraw it)", parameters: [requestIdParam], responses: { 200: json({ type: "object", properties: { request: ref("OfficerRequest") } }), 404: error, 409: error } } },
    "/api/officer/officer-audit": {
      get: {
        ...officer,
        summary: "The officer administration trail, newest first (admin, auditor)",
        parameters: ["officer", "before", "limit"].map((name) => ({ name, in: "query", required: false, schema: { type: "string" } })),
        responses: { 200: json({ type: "object", properties: { entries: { type: "array" } } }), 400: error, 403: error }
      }
    },
    "/api/officer/drafts": { post: { ...officer, summary: "Create a draft", parameters: [idempotencyKey], requestBody: body(ref("DraftInput")), responses: { 201: json(ref("Draft")), 400: error, 403: error, 409: error, 415: error, 422: error, 503: error } } },
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
        parameters: [idParam, idempotencyKey],
        requestBody: body({ type: "object", required: ["contentHash"], properties: { contentHash: { type: "string", pattern: "^[0-9a-f]{64}$", description: "contentHash of the draft as read (GET /api/officer/receipts/{id})" } } }),
        responses: { 201: json({ type: "object", properties: { receipt: ref("Receipt"), token: { type: "string" }, url: { type: "string" } } }), 403: error, 404: error, 409: error, 422: error, 503: error }
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
        responses: { 200: json({ type: "object", properties: { items: { type: "array" }, nextCursor: { type: ["string", "null"] } } }), 400: error, 503: error }
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
    "/api/officer/receipts/{id}/audit": { get: { ...officer, summary: "The receipt's audit trail", parameters: [idParam], responses: { 200: json({ type: "object" }), 403: error, 404: error } } },
    ...payoutPaths,
    ...reconciliationPaths,
    // Statistical reports (docs/REPORTS.md): approvers, auditors and admins of the agency; closing with four eyes.
    "/api/officer/reports/money": {
      get: {
        ...officer,
        summary: "The money report BL-TK01 of a cumulative statistical period as of an instant (JSON, PDF, XLSX, CSV)",
        parameters: [
          { name: "period", in: "query", required: true, schema: { type: "string", example: "2025/6" }, description: "statistical year / months from 1 October" },
          { name: "asOf", in: "query", required: false, schema: { type: "string", format: "date-time" }, description: "default now; never in the future" },
          { name: "format", in: "query", required: false, schema: { type: "string", enum: ["json", "pdf", "xlsx", "csv", "adjustments.csv"] } },
          { name: "agency", in: "query", required: false, schema: { type: "string" }, description: "only the officer's own" }
        ],
        responses: { 200: json({ type: "object" }), 400: error, 403: error, 409: error }
      }
    },
    "/api/officer/reports/closings": {
      get: { ...officer, summary: "The agency's closing requests and closings", responses: { 200: json({ type: "object" }), 403: error } },
      post: { ...officer, summary: "Ask to close a period (approver or admin): records the figures as of now and their SHA-256", requestBody: body({ type: "object", required: ["period"], properties: { period: { type: "string" } } }), responses: { 201: json({ type: "object" }), 400: error, 403: error, 409: error } }
    },
    "/api/officer/reports/closings/{id}/approve": { post: { ...officer, summary: "Close the period: another approver or admin names the figures' SHA-256 read", parameters: [idParam], requestBody: body({ type: "object", required: ["figuresSha256"], properties: { figuresSha256: { type: "string", pattern: "^[0-9a-f]{64}$" } } }), responses: { 200: json({ type: "object" }), 403: error, 404: error, 409: error, 422: error } } },
    "/api/officer/reports/closings/{id}/reject": { post: { ...officer, summary: "Reject a closing request, with a reason", parameters: [idParam], requestBody: body({ type: "object", required: ["figuresSha256", "reason"], properties: { figuresSha256: { type: "string" }, reason: { type: "string" } } }), responses: { 200: json({ type: "object" }), 403: error, 404: error, 409: error, 422: error } } },
    "/api/officer/reports/closings/{id}/withdraw": { post: { ...officer, summary: "The requester withdraws a closing request", parameters: [idParam], responses: { 200: json({ type: "object" }), 403: error, 404: error, 409: error } } }
  }
})
