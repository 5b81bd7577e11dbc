/** The reconciliation API's paths in /openapi.json (edge/openapi.ts spreads them in; test/edge/openapi.test.ts checks them). */
const error = { $ref: "#/components/responses/Error" }
const json = (schema: Record<string, unknown>, description = "OK") => ({ description, content: { "application/json": { schema } } })
const officer = { security: [{ bearer: [] }], tags: ["reconciliation"] }
const obj = { type: "object" }
const body = (schema: Record<string, unknown>) => ({ required: true, content: { "application/json": { schema } } })
const query = (name: string, description: string, required = true) => ({ name, in: "query", required, schema: { type: "string" }, description })
const credit = [
  { name: "account", in: "path", required: true, schema: { type: "string" } },
  { name: "bankReference", in: "path", required: true, schema: { type: "string" } }
]
const base = "/api/officer/reconciliation"

export const reconciliationPaths = {
  [`${base}/accounts`]: { get: { ...officer, summary: "The agency's bank accounts", responses: { 200: json(obj) } } },
  [`${base}/statements`]: {
    post: {
      ...officer,
      summary: "Import a statement (camt.053, camt.054, MT940; CSV or XLSX with a mapping): the same file twice changes nothing; every rejected entry is listed",
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["file"],
              properties: {
                file: { type: "string", format: "binary" },
                mapping: { type: "string", description: "a shipped mapping id, or a mapping as JSON (CSV, XLSX)" },
                account: { type: "string", description: "for CSV/XLSX files that do not name their account" },
                format: { enum: ["camt.053", "camt.054", "mt940", "csv", "xlsx"] }
              }
            }
          }
        }
      },
      responses: { 201: json(obj), 403: error, 409: error, 415: error, 422: error }
    }
  },
  [`${base}/run`]: { post: { ...officer, summary: "Match every unmatched credit; unmatched credits and payment requests' credits become draft receipts (made once)", responses: { 200: json(obj), 403: error } } },
  [`${base}/queue`]: { get: { ...officer, summary: "Ambiguous credits with their candidates side by side", responses: { 200: json(obj) } } },
  [`${base}/queue/{account}/{bankReference}/resolve`]: {
    post: {
      ...officer,
      summary: "Settle a queued credit by naming what it pays; the sums must agree",
      parameters: credit,
      requestBody: body({ type: "object", required: ["targets"], properties: { targets: { type: "array", items: { type: "object", required: ["kind", "id"], properties: { kind: { enum: ["receipt", "request"] }, id: { type: "string" } } } } } }),
      responses: { 200: json(obj), 403: error, 404: error, 409: error, 422: error }
    }
  },
  [`${base}/queue/{account}/{bankReference}/reject`]: { post: { ...officer, summary: "None of the candidates: the credit gets a draft receipt of its own, matched to it", parameters: credit, responses: { 201: json(obj), 403: error, 404: error, 409: error } } },
  [`${base}/report`]: {
    get: {
      ...officer,
      summary: "The daily report of an account (JSON, or CSV/XLSX with format)",
      parameters: [query("account", "the account"), query("day", "YYYY-MM-DD"), query("format", "json (default), csv or xlsx", false)],
      responses: { 200: json(obj), 404: error, 422: error }
    }
  },
  [`${base}/report/month`]: { get: { ...officer, summary: "Every day of a month", parameters: [query("account", "the account"), query("month", "YYYY-MM")], responses: { 200: json(obj), 404: error, 422: error } } },
  [`${base}/days/close`]: {
    post: {
      ...officer,
      summary: "An approver closes a balanced day; a closed day refuses change",
      requestBody: body({ type: "object", required: ["account", "day"], properties: { account: { type: "string" }, day: { type: "string", format: "date" } } }),
      responses: { 201: json(obj), 403: error, 404: error, 409: error, 422: error }
    }
  },
  [`${base}/payment-requests`]: {
    get: { ...officer, summary: "The agency's payment requests", responses: { 200: json(obj) } },
    post: {
      ...officer,
      summary: "A payment request with a dynamic VietQR (text and SVG)",
      requestBody: body({ type: "object", required: ["account", "amount", "payerName"], properties: { account: { type: "string" }, amount: { type: "string" }, payerName: { type: "string" }, decisionNumber: { type: "string" } } }),
      responses: { 201: json(obj), 403: error, 404: error, 422: error }
    }
  },
  [`${base}/payment-requests/{reference}/qr.png`]: {
    get: { ...officer, summary: "The request's VietQR as PNG", parameters: [{ name: "reference", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "PNG", content: { "image/png": {} } }, 404: error } }
  },
  [`${base}/drafts`]: { get: { ...officer, summary: "Draft receipts made from credits", responses: { 200: json(obj) } } }
}
