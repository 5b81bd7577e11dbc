/**
 * The payout officer API (edge/routes/payout.ts) in /openapi.json: its own
 * file so the receipt API's document stays as it was; edge/openapi.ts adds
 * these paths. Amounts are digit strings of whole đồng.
 */
const error = { $ref: "#/components/responses/Error" }
const json = (schema: Record<string, unknown>, description = "OK") => ({ description, content: { "application/json": { schema } } })
const officer = { security: [{ bearer: [] }], tags: ["payout"] }
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }
const query = (name: string, required: boolean, description: string) => ({ name, in: "query", required, schema: { type: "string" }, description })
const caseParam = query("case", true, "the case's enforcement decision number, e.g. 3699/QĐ-CTHADS")
const idempotencyKey = { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 }, description: "Retry safely (as the receipt API)" }
const body = (schema: Record<string, unknown>) => ({ required: true, content: { "application/json": { schema } } })
const money = { type: "string", pattern: "^[0-9]+$" }
const fileUpload = {
  required: true,
  content: {
    "multipart/form-data": { schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" }, mapping: { type: "string" } } } },
    "application/octet-stream": { schema: { type: "string", format: "binary" } }
  }
}
const object = json({ type: "object" })

export const payoutPaths = {
  "/api/officer/payout/cases": { get: { ...officer, summary: "The agency's cases with a creditor list: claims, owed, rounds", responses: { 200: object } } },
  "/api/officer/payout/creditors": {
    post: {
      ...officer,
      summary: "Import a case's creditor list (CSV or XLSX; columns in docs/PAYOUT.md), all or nothing: 422 rows_refused lists every refused row with every reason (details.rejects) and nothing is stored",
      parameters: [caseParam],
      requestBody: fileUpload,
      responses: { 201: json({ type: "object", properties: { claims: { type: "integer" }, owed: money } }), 400: error, 403: error, 413: error, 422: error }
    },
    get: { ...officer, summary: "A case's creditors, 200 at a time by claim id, with what the rounds so far give each", parameters: [caseParam, query("after", false, "the last claim id of the previous page")], responses: { 200: object, 422: error } }
  },
  "/api/officer/payout/creditors/history": {
    get: { ...officer, summary: "One creditor's claim and every line of every round (amount, fee, state, bank batch, reference)", parameters: [caseParam, query("claim", true, "the claim id")], responses: { 200: object, 404: error } }
  },
  "/api/officer/payout/rounds": {
    get: { ...officer, summary: "The agency's payout rounds (of one case with ?case=)", parameters: [query("case", false, "only this case")], responses: { 200: object } },
    post: {
      ...officer,
      summary: "Plan the case's next round (officer or approver); answers its SHA-256, which the approver names",
      parameters: [idempotencyKey],
      requestBody: body({
        type: "object",
        required: ["case", "legalDate", "available"],
        properties: {
          case: { type: "string" }, legalDate: { type: "string", format: "date" }, available: money, ratio: { type: "string", example: "24.81%" },
          fee: { description: "waived (default), circular216, flat:RATE, or a fee policy object (docs/PAYOUT.md)" }, costs: money, housing: money,
          coercion: { type: "object", properties: { decisionNumber: { type: "string" }, decisionDate: { type: "string", format: "date" } } }, securedAsset: { type: "string" }
        }
      }),
      responses: { 201: object, 403: error, 409: error, 422: error }
    }
  },
  "/api/officer/payout/rounds/{id}": {
    get: { ...officer, summary: "A round: sums by rank, state and settlement (addsUp), the planned header and its SHA-256, bank batches", parameters: [idParam], responses: { 200: object, 404: error } }
  },
  "/api/officer/payout/rounds/{id}/approve": {
    post: {
      ...officer,
      summary: "Approve a planned round: an approver of the agency who did not plan it, naming the SHA-256 of the planned header reviewed; the agency's key signs it",
      parameters: [idParam, idempotencyKey],
      requestBody: body({ type: "object", required: ["planSha256"], properties: { planSha256: { type: "string", pattern: "^[0-9a-f]{64}$" } } }),
      responses: { 200: object, 403: error, 404: error, 409: error, 422: error, 503: error }
    }
  },
  "/api/officer/payout/rounds/{id}/export": {
    post: {
      ...officer,
      summary: "The round's pending bank lines as a new batch (pain.001.001.09 XML, or CSV), or the latest batch again byte for byte; headers X-Payout-Batch, -Lines, -Sum, -Fresh",
      parameters: [idParam],
      requestBody: body({ type: "object", required: ["debtorName", "debtorBin", "debtorAccount"], properties: { debtorName: { type: "string" }, debtorBin: { type: "string" }, debtorAccount: { type: "string" }, format: { enum: ["pain001", "csv"] } } }),
      responses: { 200: { description: "The batch file (attachment)" }, 403: error, 404: error, 409: error, 422: error }
    }
  },
  "/api/officer/payout/rounds/{id}/deposit": {
    post: {
      ...officer,
      summary: "Put deposit lines and lines the bank returned on a savings deposit under a reference",
      parameters: [idParam, idempotencyKey],
      requestBody: body({ type: "object", required: ["reference"], properties: { reference: { type: "string" }, lines: { type: "array", items: { type: "string" } } } }),
      responses: { 200: object, 403: error, 404: error, 409: error, 422: error }
    }
  },
  "/api/officer/payout/answers": {
    post: {
      ...officer,
      summary: "The bank's answer (pain.002, camt.054/053, or a CSV/XLSX statement with ?mapping=): marks lines paid or returned; any bad answer changes nothing and is named by its element",
      parameters: [query("mapping", false, "a statement mapping id for CSV/XLSX"), query("account", false, "the agency's account the statement is of, when the file does not say")],
      requestBody: fileUpload,
      responses: { 200: object, 403: error, 413: error, 422: error }
    }
  }
}
