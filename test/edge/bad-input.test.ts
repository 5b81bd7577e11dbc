/**
 * Whatever arrives, the edge answers below 500, and every refusal on the
 * API is JSON with an error code and a message: random methods, paths,
 * bodies and content types, with and without an officer token.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { freshPglite } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

describe("bad input never gives a 500", () => {
  let h: Harness
  let token = ""
  let draftId = ""
  let issuedId = ""
  let lookupCode = ""
  beforeAll(async () => {
    h = await makeHarness(await freshPglite(), { rateLimit: null })
    await h.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục THADS HCM')")
    await insertOfficer(h.db.db, { id: "hung.tran", agency: "HCM", name: "Trần Quốc Hùng", role: "approver" })
    token = await grantToken(h.db.db, "hung.tran", "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
    draftId = (await h.draft()).id
    const issued = await h.issue()
    issuedId = issued.receipt.id
    lookupCode = issued.receipt.lookupCode
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  test("random requests against every route get a status below 500, and API refusals are JSON", async () => {
    const segment = fc.oneof(
      fc.constantFrom(() => draftId, () => issuedId, () => lookupCode, () => "00000000-0000-4000-8000-000000000000").map((f) => f()),
      fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
      fc.constantFrom("%2F", "%25", "..", "%00", "Nguy%E1%BB%85n", "%E0%A4", "x".repeat(300))
    )
    const template = fc.constantFrom(
      "/api/verify/{}", "/v/{}", "/api/status-list?agency={}&form={}&symbol={}", "/api/lookup/{}", "/api/lookup", "/api/lookup/pdf",
      "/api/scan", "/tra-cuu", "/tra-cuu/pdf", "/kiem-tra-anh", "/api/officer/drafts", "/api/officer/drafts/{}", "/api/officer/drafts/{}/approve",
      "/api/officer/drafts/{}/scans", "/api/officer/receipts?name={}&status={}&limit={}&cursor={}", "/api/officer/receipts/{}",
      "/api/officer/receipts/{}/void", "/api/officer/receipts/{}/replace", "/api/officer/receipts/{}/annotations",
      "/api/officer/receipts/{}/audit", "/api/officer/receipts/{}/qr", "/api/officer/officers", "/api/officer/officers/{}/disable", "/{}"
    )
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.record({ amount: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), payer: fc.anything({ maxDepth: 2 }), reason: fc.string(), lookupCode: fc.string(), field: fc.string(), value: fc.anything({ maxDepth: 1 }) }).map((o) =>
        JSON.stringify(o, (_, v) => (typeof v === "bigint" ? v.toString() : v))
      ),
      fc.uint8Array({ maxLength: 300 })
    )
    const contentType = fc.constantFrom(undefined, "application/json", "text/plain", "multipart/form-data; boundary=x", "image/png", "application/x-www-form-urlencoded", "application/pdf")
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT"),
        template,
        fc.array(segment, { minLength: 4, maxLength: 4 }),
        body,
        contentType,
        fc.boolean(),
        async (method, path, parts, payload, type, authenticated) => {
          let i = 0
          const url = path.replace(/\{\}/g, () => parts[i++] ?? "")
          const headers: Record<string, string> = {}
          if (type !== undefined) headers["Content-Type"] = type
          if (authenticated) headers["Authorization"] = `Bearer ${token}`
          const init: RequestInit = { method, headers }
          if (payload !== undefined && method !== "GET") init.body = payload as BodyInit
          const res = await h.app.request(url, init)
          if (res.status >= 500) throw new Error(`${method} ${url} → ${res.status}: ${await res.text()}`)
          if (res.status >= 400 && url.startsWith("/api/")) {
            const json = (await res.json()) as { error?: unknown; message?: unknown }
            expect(typeof json.error).toBe("string")
            expect(typeof json.message).toBe("string")
          }
        }
      ),
      { numRuns: 300 }
    )
  }, 60_000)
})
