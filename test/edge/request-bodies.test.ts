/**
 * Request bodies go through Hono's validator with Effect Schemas
 * (edge/http/body.ts), and the answers are the edge's own: through the app
 * as `npm start` builds it, every route that takes a body answers a body
 * that is not JSON, not valid JSON or not an object with 415 / 400 in the
 * client's language (Vietnamese unless it asks for English); a draft's body
 * is refused with every problem named at once (unknown keys, missing
 * fields, a malformed amount); a role that may not act, or a body naming
 * another agency, is refused as such before anything about the body.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { fieldLabels } from "../../edge/officers/field-messages.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"

type Who = keyof ConsoleFixture["tokens"] | null

// A letter only Vietnamese has: the message is in Vietnamese.
const vietnamese = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i

describe("request bodies: Hono's validator with the edge's answers", () => {
  let f: ConsoleFixture
  let draftId = ""
  let issuedId = ""

  const send = async (who: Who, method: string, path: string, body: string | undefined, type: string | undefined, lang?: string) => {
    const headers: Record<string, string> = {}
    if (who !== null) headers["Authorization"] = `Bearer ${f.tokens[who]}`
    if (type !== undefined) headers["Content-Type"] = type
    if (lang !== undefined) headers["Accept-Language"] = lang
    const res = await f.app.request(path, { method, headers, ...(body === undefined ? {} : { body }) })
    const text = await res.text()
    return { status: res.status, body: (text === "" ? null : JSON.parse(text)) as any }
  }
  const json = (who: Who, method: string, path: string, value: unknown, lang?: string) => send(who, method, path, JSON.stringify(value), "application/json", lang)

  const draft = (over: Record<string, unknown> = {}) => ({
    series: { form: "01-BLTHADS", symbol: "AA/25E" },
    payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234" },
    reason: "Nộp tiền thi hành án",
    amount: "1500000",
    payment: { method: "cash" },
    ...over
  })

  beforeAll(async () => {
    f = await makeConsoleFixture()
    draftId = (await json("officer", "POST", "/api/officer/drafts", draft())).body.id
    const d = (await json("officer", "POST", "/api/officer/drafts", draft({ amount: "2000000" }))).body
    const submitted = (await send("officer", "POST", `/api/officer/drafts/${d.id}/submit`, undefined, undefined)).body
    issuedId = (await json("approver", "POST", `/api/officer/drafts/${d.id}/approve`, { contentHash: submitted.contentHash })).body.receipt.id
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  // Every route that reads a JSON body, with a principal that may use it.
  const routes = (): ReadonlyArray<readonly [Who, string, string]> => [
    ["officer", "POST", "/api/officer/drafts"],
    ["officer", "PATCH", `/api/officer/drafts/${draftId}`],
    ["officer", "DELETE", `/api/officer/drafts/${draftId}`],
    ["approver", "POST", `/api/officer/drafts/${draftId}/approve`],
    ["approver", "POST", `/api/officer/receipts/${issuedId}/void`],
    ["officer", "POST", `/api/officer/receipts/${issuedId}/replace`],
    ["officer", "POST", `/api/officer/receipts/${issuedId}/corrections`],
    ["approver", "POST", "/api/officer/corrections/00000000-0000-4000-8000-000000000000/approve"],
    ["approver", "POST", "/api/officer/corrections/00000000-0000-4000-8000-000000000000/reject"],
    ["admin", "POST", "/api/officer/officers"],
    ["admin", "POST", "/api/officer/officers/lan.nguyen/role"],
    ["admin", "POST", "/api/officer/officer-requests/00000000-0000-4000-8000-000000000000/approve"],
    ["officer", "POST", "/api/officer/tokens"],
    [null, "POST", "/api/officer/enrol"],
    [null, "POST", "/api/lookup"],
    [null, "POST", "/api/lookup/pdf"]
  ]

  test("a body that is not JSON, not valid JSON or not an object: 415 or 400 on every route, in Vietnamese, in English on request", async () => {
    const bad = [
      { body: "lookupCode=X", type: "text/plain", status: 415, error: "unsupported_media_type" },
      { body: "{}", type: "application/json-seq", status: 415, error: "unsupported_media_type" },
      { body: '{"reason": ', type: "application/json", status: 400, error: "invalid_json" },
      { body: "[1, 2]", type: "application/json", status: 400, error: "invalid_body" },
      { body: "null", type: "application/json; charset=utf-8", status: 400, error: "invalid_body" },
      { body: '"text"', type: "application/vnd.bienlai+json", status: 400, error: "invalid_body" }
    ]
    for (const [who, method, path] of routes()) {
      for (const b of bad) {
        const vi = await send(who, method, path, b.body, b.type)
        const en = await send(who, method, path, b.body, b.type, "en-GB,en;q=0.9")
        const where = `${method} ${path} with ${b.type} ${b.body}`
        expect([where, vi.status, vi.body.error]).toEqual([where, b.status, b.error])
        expect([where, en.status, en.body.error]).toEqual([where, b.status, b.error])
        expect([where, vietnamese.test(vi.body.message)]).toEqual([where, true])
        expect([where, vietnamese.test(en.body.message)]).toEqual([where, false])
      }
    }
  }, 60_000)

  test("property: a draft's body is refused with every problem named at once — unknown keys, missing fields and a malformed amount — or accepted", async () => {
    const required = ["series", "payer", "reason", "amount", "payment"] as const
    const present = { series: draft().series, payer: draft().payer, reason: draft().reason, payment: draft().payment }
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...required]),
        fc.constantFrom<unknown>("1500000", 5, "-5", "1.000", null, "", "0012"),
        fc.uniqueArray(fc.constantFrom("colour", "payerName", "Amount", "reason ", "agencyCode"), { maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom(undefined, "en"),
        async (keys, amount, unknown, ownAgency, lang) => {
          const body: Record<string, unknown> = {}
          for (const k of keys) body[k] = k === "amount" ? amount : present[k]
          for (const k of unknown) body[k] = "?"
          if (ownAgency) body["agency"] = "HCM"
          const expected = [
            ...unknown,
            ...required.filter((k) => !keys.includes(k)),
            ...(keys.includes("amount") && amount !== "1500000" ? ["amount"] : [])
          ].sort()
          const r = await json("officer", "POST", "/api/officer/drafts", body, lang)
          if (expected.length === 0) {
            expect(r.status).toBe(201)
            return
          }
          expect(r.status).toBe(422)
          expect(r.body.error).toBe("invalid_receipt")
          expect((r.body.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(expected)
          // The message names each problem by the field's label on the form, in the client's language.
          for (const path of expected) expect(r.body.message).toContain(fieldLabels[path]?.[lang === "en" ? "en" : "vi"] ?? path)
          expect(r.body.message).toStartWith(lang === "en" ? "Not saved; these fields are not valid: " : "Chưa lưu được, vì các trường sau chưa hợp lệ: ")
        }
      ),
      { numRuns: 80 }
    )
  }, 60_000)

  test("a role that may not act is told so before anything about its body; so is a body naming another agency", async () => {
    for (const body of ['{"payer": ', "[1]", JSON.stringify({ colour: "red" })]) {
      const r = await send("auditor", "POST", "/api/officer/drafts", body, "application/json")
      expect([body, r.status, r.body.error]).toEqual([body, 403, "forbidden"])
      const approve = await send("officer", "POST", `/api/officer/drafts/${draftId}/approve`, body, "application/json")
      expect([body, approve.status, approve.body.error]).toEqual([body, 403, "forbidden"])
    }
    const noBody = await send("admin", "POST", `/api/officer/drafts/${draftId}/approve`, undefined, undefined)
    expect([noBody.status, noBody.body.error]).toEqual([403, "forbidden"])
    for (const [who, method, path] of routes().filter(([, , p]) => p.startsWith("/api/officer/") && !/officers|officer-requests|tokens|enrol/.test(p))) {
      const r = await json(who, method, path, { agency: "HNI", colour: "red", amount: 5 })
      expect([path, r.status, r.body.error]).toEqual([path, 403, "other_agency"])
      expect(r.body.message).toBe("Bạn làm việc cho cơ quan HCM; không thể thao tác thay cơ quan HNI.")
    }
  })

  test("the small bodies name every problem, in Vietnamese by default and in English on request", async () => {
    const correction = `/api/officer/receipts/${issuedId}/corrections`
    const vi = await json("officer", "POST", correction, { field: "amount", note: " " })
    expect(vi.status).toBe(422)
    expect(vi.body).toEqual({
      error: "invalid_field",
      message: "Chỉ đính chính được họ tên (payerName) hoặc địa chỉ (payerAddress) người nộp; sai số tiền hay nội dung thì lập biên lai thay thế. Giá trị đính chính (value) không được để trống. Ghi chú (note) không được để trống.",
      field: "field"
    })
    const en = await json("officer", "POST", correction, { field: "amount", note: " " }, "en")
    expect(en.body.message).toBe("field must be payerName or payerAddress; a wrong amount or content needs a replacement receipt; value must be a non-empty string; note must be a non-empty string")

    const voided = await json("approver", "POST", `/api/officer/receipts/${issuedId}/void`, { reason: "   " })
    expect(voided.body).toEqual({ error: "invalid_field", message: "Lý do (reason) không được để trống.", field: "reason" })

    const officer = await json("admin", "POST", "/api/officer/officers", { id: "Vy Truong", name: "", role: "chief" })
    expect(officer.status).toBe(422)
    expect(officer.body.error).toBe("invalid_officer")
    expect(officer.body.problems).toHaveLength(3)
    expect(officer.body.message).toStartWith("Thông tin cán bộ chưa hợp lệ: id phải gồm chữ thường")
    expect((await json("admin", "POST", "/api/officer/officers", { id: "Vy Truong", name: "", role: "chief" }, "en")).body.message)
      .toBe("id must be lowercase letters, digits, . _ - (2–64), like lan.nguyen; name must be a non-empty string of at most 200 characters; role must be one of officer, approver, auditor, admin")

    const lookup = await json(null, "POST", "/api/lookup", { lookupCode: 7, idNumber: 5 })
    expect(lookup.status).toBe(400)
    expect(lookup.body.message).toBe('Hãy gửi { "lookupCode": "...", "idNumber": "..." } (idNumber không bắt buộc). Số định danh (idNumber) phải là một chuỗi ký tự.')

    const token = await json("officer", "POST", "/api/officer/tokens", { owner: "hung.tran", officer: "hung.tran" }, "en")
    expect(token.status).toBe(422)
    expect(token.body.message).toBe('unknown field "owner", "officer": a token is only ever made for the officer who asks, with { label?, expiresInDays? }')
  })

  test("a body is optional where the route says so, and what was sent is what the handler gets", async () => {
    // No body at all: a token with the defaults; a maker deleting their own draft.
    const token = await send("officer", "POST", "/api/officer/tokens", undefined, undefined)
    expect(token.status).toBe(201)
    const own = (await json("officer", "POST", "/api/officer/drafts", draft())).body
    expect((await send("officer", "DELETE", `/api/officer/drafts/${own.id}`, undefined, undefined)).status).toBe(204)
    // The validated body is the decoded one: the amount as whole đồng, the officer's name trimmed.
    const edited = await json("officer", "PATCH", `/api/officer/drafts/${draftId}`, { amount: "125500000", agency: "HCM" })
    expect(edited.status).toBe(200)
    expect(edited.body.amount).toBe("125500000")
    expect(edited.body.amountInWords).toBe("Một trăm hai mươi lăm triệu năm trăm nghìn đồng")
    const asked = await json("admin", "POST", "/api/officer/officers", { id: "tam.ly", name: "  Lý Minh Tâm ", role: "officer" })
    expect(asked.status).toBe(202)
    expect(asked.body.request.name).toBe("Lý Minh Tâm")
  })
})
