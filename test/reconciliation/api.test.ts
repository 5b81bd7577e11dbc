/**
 * The reconciliation API through the app as `npm start` builds it (buildApp
 * over the program's own layers, test/console/fixture.ts): a statement
 * uploaded, a run that turns an unmatched credit into a real draft receipt
 * (made on behalf of the importing officer, matched to its credit, made
 * once however often the run is repeated), a payment request whose credit
 * becomes its draft, the ambiguous queue settled by an officer; and every
 * control attacked: another agency's statement and account, closing a day
 * without the approver role, changing a closed day, resolving with sums that
 * disagree, and four eyes on the drafts the run made.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import ExcelJS from "exceljs"
import { decodeQrImage } from "../../adapters/qr/decode.ts"
import { NOT_READ } from "../../domain/submission.ts"
import { registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"
import { mt940Statement } from "./mt940-builder.ts"

const ACCOUNT = "0071000123456"
const HNI_ACCOUNT = "0451000999999"
const DAY = "2025-06-20"

describe("reconciliation API through the shipped app", () => {
  let f: ConsoleFixture
  type Who = keyof ConsoleFixture["tokens"]
  const api = async (who: Who, method: string, path: string, body?: unknown) => {
    const res = await f.app.request(`/api/officer/reconciliation${path}`, {
      method,
      headers: { authorization: `Bearer ${f.tokens[who]}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    let json: Record<string, unknown> = {}
    try {
      json = JSON.parse(text) as Record<string, unknown>
    } catch {}
    return { status: res.status, json, text }
  }
  const upload = async (who: Who, name: string, content: string, extra: Record<string, string> = {}) => {
    const form = new FormData()
    form.set("file", new File([content], name))
    for (const [k, v] of Object.entries(extra)) form.set(k, v)
    const res = await f.app.request("/api/officer/reconciliation/statements", { method: "POST", headers: { authorization: `Bearer ${f.tokens[who]}` }, body: form })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }
  const receiptOf = async (id: string): Promise<Record<string, any>> =>
    (await (await f.app.request(`/api/officer/receipts/${id}`, { headers: { authorization: `Bearer ${f.tokens.officer}` } })).json()) as Record<string, any>
  let ambiguous: Array<string> = []
  let requestRef = ""

  beforeAll(async () => {
    f = await makeConsoleFixture()
    await registerBankAccount(f.h.db.db, { agency: "HCM", account: ACCOUNT, bankBin: "970436" })
    await registerBankAccount(f.h.db.db, { agency: "HNI", account: HNI_ACCOUNT, bankBin: "970436" })
    // Two issued receipts of one decision, amount and payer: a credit naming that decision is ambiguous.
    for (let i = 0; i < 2; i++) ambiguous.push((await f.h.issue({ payment: { method: "bank_transfer", reference: `FT2516300000${i}` } })).receipt.id)
    ambiguous = ambiguous.sort()
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  test("a payment request carries a dynamic VietQR and its QR image", async () => {
    const made = await api("officer", "POST", "/payment-requests", { account: ACCOUNT, amount: "3.500.000", payerName: "Trần Thị Bích", decisionNumber: "88/QĐ-CCTHADS" })
    expect(made.status).toBe(201)
    requestRef = String(made.json["reference"])
    expect(requestRef).toMatch(/^BL[0-9A-HJKMNP-TV-Z]{11}$/)
    const qr = String(made.json["vietqr"])
    expect(qr).toContain("A000000727")
    expect(qr).toContain("QRIBFTTA")
    expect(qr).toContain("5407" + "3500000")
    expect(qr).toContain(requestRef)
    expect(String(made.json["qrSvg"])).toContain("<svg")
    const png = await f.app.request(`/api/officer/reconciliation/payment-requests/${requestRef}/qr.png`, { headers: { authorization: `Bearer ${f.tokens.officer}` } })
    expect(png.headers.get("content-type")).toBe("image/png")
    // The image carries exactly the VietQR text: a banking app reads what the API returned.
    expect(await decodeQrImage(new Uint8Array(await png.arrayBuffer()))).toEqual({ _tag: "Found", text: qr })
    // Another agency's officer does not see it; a fractional amount is refused naming it.
    expect(((await api("otherAgency", "GET", "/payment-requests")).json["requests"] as Array<unknown>).length).toBe(0)
    const bad = await api("officer", "POST", "/payment-requests", { account: ACCOUNT, amount: "10,5", payerName: "X" })
    expect(bad.status).toBe(422)
    expect(bad.json["message"]).toContain("amount")
    expect((await api("officer", "POST", "/payment-requests", { account: ACCOUNT, amount: "1000", payerName: "A".repeat(201) })).status).toBe(422)
    // Another agency's account is not found, whoever owns it.
    expect((await api("officer", "POST", "/payment-requests", { account: HNI_ACCOUNT, amount: "1000", payerName: "X" })).status).toBe(404)
  })

  test("an imported statement is matched; unmatched credits and the request's credit become draft receipts, once", async () => {
    const statement = mt940Statement({
      id: "VCB250620",
      account: ACCOUNT,
      day: DAY,
      opening: 1_000_000_000n,
      entries: [
        { amount: 125_500_000n, ref: "FT25171000001", memo: "NGUYEN VAN HOA NOP TIEN THA THEO QD 1234/QD-CTHADS" },
        { amount: 700_000n, ref: "FT25171000002", memo: "CHUYEN TIEN" },
        { amount: 3_500_000n, ref: "FT25171000003", memo: `TRAN THI BICH ${requestRef} NOP THA` },
        { amount: 2_000_000n, ref: "FT25171000004", memo: "PHAM VAN DUC NOP TIEN THEO QD 55/QD-CCTHADS" }
      ]
    })
    // An auditor may not import.
    expect((await upload("auditor", "vcb.mt940", statement)).status).toBe(403)
    const imported = await upload("officer", "vcb.mt940", statement)
    expect(imported.status).toBe(201)
    expect((imported.json["summary"] as { newEntries: number }).newEntries).toBe(4)

    const run = await api("officer", "POST", "/run")
    expect(run.status).toBe(200)
    const drafts = (run.json["drafts"] as { made: Array<{ receiptId: string; source: string; bankReference: string; madeFor: string }> }).made
    expect(drafts.map((d) => [d.bankReference, d.source, d.madeFor]).sort()).toEqual([
      ["FT25171000002", "unmatched", "lan.nguyen"],
      ["FT25171000003", "request", "lan.nguyen"],
      ["FT25171000004", "unmatched", "lan.nguyen"]
    ])
    expect(run.json["queued"]).toBe(1)

    // Real drafts in the receipts' tables, prefilled from the statement, made by the importing officer.
    const duc = drafts.find((d) => d.bankReference === "FT25171000004")!
    const draft = (await receiptOf(duc.receiptId))
    expect(draft["status"]).toBe("draft")
    expect(draft["maker"]).toBe("lan.nguyen")
    expect(draft["amount"]).toBe("2000000")
    expect(draft["amountInWords"]).toBe("Hai triệu đồng")
    expect(draft["payer"]["name"]).toBe("PHAM VAN DUC")
    expect(draft["case"]["decisionNumber"]).toBe("55/QĐ-CCTHADS")
    expect(draft["payment"]).toEqual({ method: "bank_transfer", reference: "FT25171000004" })
    expect(draft["reason"]).toContain("nộp qua chuyển khoản")
    // A credit with no name: the placeholder keeps the draft from being submitted until an officer types it.
    const nameless = drafts.find((d) => d.bankReference === "FT25171000002")!
    const d2 = (await receiptOf(nameless.receiptId))
    expect(d2["payer"]["name"]).toBe(NOT_READ)
    // The request's credit: its draft names the request's payer and decision.
    const req = drafts.find((d) => d.source === "request")!
    const d3 = (await receiptOf(req.receiptId))
    expect([d3["payer"]["name"], d3["case"]["decisionNumber"], d3["amount"]]).toEqual(["Trần Thị Bích", "88/QĐ-CCTHADS", "3500000"])
    expect(d3["reason"]).toContain(requestRef)
    // The audit trail says the run made it on the importing officer's behalf.
    const trail = await f.h.db.db.query<{ action: string; actor: string; detail: { via?: string; onBehalfOf?: string; credit?: string } | string }>(
      "SELECT action, actor, detail FROM audit_log WHERE receipt_id = $1::uuid", [duc.receiptId])
    const created = trail.map((t) => ({ ...t, detail: typeof t.detail === "string" ? JSON.parse(t.detail) : t.detail })).find((t) => t.action === "draft_created")
    expect([created?.actor, created?.detail.via, created?.detail.onBehalfOf, created?.detail.credit]).toEqual(["lan.nguyen", "reconciliation", "lan.nguyen", `${ACCOUNT}/FT25171000004`])

    // The unmatched credits are now matched to their own drafts: the report counts them matched.
    const report = await api("officer", "GET", `/report?account=${ACCOUNT}&day=${DAY}`)
    expect(report.status).toBe(200)
    expect([report.json["matched"], report.json["queued"], report.json["unmatched"], report.json["balance"]]).toEqual([3, 1, 0, "balanced"])

    // The same report as CSV and XLSX downloads.
    const csv = await f.app.request(`/api/officer/reconciliation/report?account=${ACCOUNT}&day=${DAY}&format=csv`, { headers: { authorization: `Bearer ${f.tokens.auditor}` } })
    expect(csv.headers.get("content-disposition")).toContain(`doi-chieu-${ACCOUNT}-${DAY}.csv`)
    expect((await csv.text()).split("\r\n")[1]).toBe(`HCM,${ACCOUNT},${DAY},1000000000,4,131700000,0,0,1131700000,balanced,3,1,0,0,0`)
    const xlsx = await f.app.request(`/api/officer/reconciliation/report?account=${ACCOUNT}&day=${DAY}&format=xlsx`, { headers: { authorization: `Bearer ${f.tokens.auditor}` } })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await xlsx.arrayBuffer())
    expect((book.worksheets[0]?.getRow(2).values as Array<unknown>).slice(1, 4)).toEqual(["HCM", ACCOUNT, DAY])

    // Idempotent: running again makes no second draft.
    const again = await api("approver", "POST", "/run")
    expect((again.json["drafts"] as { made: Array<unknown> }).made).toEqual([])
    expect(((await api("officer", "GET", "/drafts")).json["drafts"] as Array<unknown>).length).toBe(3)
    const count = await f.h.db.db.query<{ n: string }>("SELECT count(*)::text AS n FROM receipts WHERE agency = 'HCM' AND status = 'draft'")
    expect(count[0]?.n).toBe("3")
  }, 60_000)

  test("four eyes: the importing officer may not approve the draft made on their behalf", async () => {
    const drafts = (await api("officer", "GET", "/drafts")).json["drafts"] as Array<{ receiptId: string; bankReference: string }>
    const duc = drafts.find((d) => d.bankReference === "FT25171000004")!
    const submitted = await f.app.request(`/api/officer/drafts/${duc.receiptId}/submit`, { method: "POST", headers: { authorization: `Bearer ${f.tokens.officer}` } })
    expect(submitted.status).toBe(200)
    const { contentHash } = (await submitted.json()) as { contentHash: string }
    // lan.nguyen is the maker; an approver who imported it would be refused just the same (maker-checker in the store).
    const own = await f.app.request(`/api/officer/drafts/${duc.receiptId}/approve`, { method: "POST", headers: { authorization: `Bearer ${f.tokens.officer}`, "content-type": "application/json" }, body: JSON.stringify({ contentHash }) })
    expect(own.status).toBe(403)
    const approved = await f.app.request(`/api/officer/drafts/${duc.receiptId}/approve`, { method: "POST", headers: { authorization: `Bearer ${f.tokens.approver}`, "content-type": "application/json" }, body: JSON.stringify({ contentHash }) })
    expect(approved.status).toBe(201)
  }, 30_000)

  test("the queue shows the evidence side by side; sums that disagree are refused; a choice settles it", async () => {
    const queue = (await api("officer", "GET", "/queue")).json["queue"] as Array<Record<string, any>>
    expect(queue.length).toBe(1)
    const item = queue[0]!
    expect([item["bankReference"], item["amount"], item["bookingDate"], item["reason"]]).toEqual(["FT25171000001", "125500000", DAY, "several_candidates"])
    expect(item["memo"]).toContain("1234/QD-CTHADS")
    expect((item["candidates"] as Array<{ id: string; amount: string; payerName: string; decisionNumber: string; label: string }>).map((c) => [c.id, c.amount, c.payerName, c.decisionNumber]).sort())
      .toEqual(ambiguous.map((id) => [id, "125500000", "Nguyễn Văn Hòa", "1234/QĐ-CTHADS"]))
    // Both candidates: 251,000,000 owed for a 125,500,000 credit.
    const both = await api("officer", "POST", `/queue/${ACCOUNT}/FT25171000001/resolve`, { targets: ambiguous.map((id) => ({ kind: "receipt", id })) })
    expect(both.status).toBe(422)
    expect(both.json["error"]).toBe("sums_differ")
    expect(String(both.json["message"])).toContain("Số tiền không khớp")
    // Another agency's officer cannot settle it (not in their queue).
    expect((await api("otherAgency", "POST", `/queue/${ACCOUNT}/FT25171000001/resolve`, { targets: [{ kind: "receipt", id: ambiguous[0] }] })).status).toBe(404)
    const ok = await api("officer", "POST", `/queue/${ACCOUNT}/FT25171000001/resolve`, { targets: [{ kind: "receipt", id: ambiguous[0] }] })
    expect(ok.status).toBe(200)
    expect(((await api("officer", "GET", "/queue")).json["queue"] as Array<unknown>).length).toBe(0)
    const report = await api("officer", "GET", `/report?account=${ACCOUNT}&day=${DAY}`)
    expect([report.json["matched"], report.json["queued"]]).toEqual([4, 0])
  })

  test("rejecting every candidate gives the credit a draft receipt of its own, matched to it by the officer", async () => {
    const day = "2025-06-22"
    const statement = mt940Statement({ id: "VCB250622", account: ACCOUNT, day, opening: 1_131_700_000n, entries: [{ amount: 125_500_000n, ref: "FT25173000001", memo: "TRAN VAN KHOA NOP TIEN THA THEO QD 1234/QD-CTHADS" }] })
    expect((await upload("officer", "vcb22.mt940", statement)).status).toBe(201)
    expect((await api("officer", "POST", "/run")).json["queued"]).toBe(1)
    const queued = ((await api("officer", "GET", "/queue")).json["queue"] as Array<Record<string, unknown>>)[0]!
    expect([queued["bankReference"], queued["reason"]]).toEqual(["FT25173000001", "name_differs"])
    // An auditor may not decide; another agency's officer finds nothing to decide.
    expect((await api("auditor", "POST", `/queue/${ACCOUNT}/FT25173000001/reject`)).status).toBe(403)
    expect((await api("otherAgency", "POST", `/queue/${ACCOUNT}/FT25173000001/reject`)).status).toBe(404)
    const made = await api("colleague", "POST", `/queue/${ACCOUNT}/FT25173000001/reject`)
    expect(made.status).toBe(201)
    expect([made.json["source"], made.json["madeFor"]]).toEqual(["officer", "vy.truong"])
    const draft = await receiptOf(String(made.json["receiptId"]))
    expect([draft["maker"], draft["payer"]["name"], draft["amount"], draft["payment"]["reference"]]).toEqual(["vy.truong", "TRAN VAN KHOA", "125500000", "FT25173000001"])
    const match = await f.h.db.db.query<{ target_id: string; rule: string; matched_by: string }>("SELECT target_id, rule, matched_by FROM recon_matches WHERE bank_reference = 'FT25173000001'")
    expect(match).toEqual([{ target_id: String(made.json["receiptId"]), rule: "officer", matched_by: "vy.truong" }])
    const report = await api("officer", "GET", `/report?account=${ACCOUNT}&day=${day}`)
    expect([report.json["matched"], report.json["queued"], report.json["unmatched"]]).toEqual([1, 0, 0])
    // Rejecting again: the credit is no longer queued.
    expect((await api("colleague", "POST", `/queue/${ACCOUNT}/FT25173000001/reject`)).json["error"]).toBe("not_queued")
  })

  test("a payment request's draft is paid by the request's credit: no second target, no no-credit flag", async () => {
    const drafts = (await api("officer", "GET", "/drafts")).json["drafts"] as Array<{ receiptId: string; source: string }>
    const req = drafts.find((d) => d.source === "request")!
    expect(await f.h.db.db.query("SELECT id FROM recon_targets WHERE id = $1::text", [req.receiptId])).toEqual([])
    const requests = (await api("officer", "GET", "/payment-requests")).json["requests"] as Array<{ reference: string; paid: string; amount: string }>
    expect(requests.map((r) => [r.reference, r.paid])).toEqual([[requestRef, "3500000"]])
  })

  test("another agency's statement and account are refused, naming no other agency", async () => {
    const hni = mt940Statement({ id: "HNI250620", account: HNI_ACCOUNT, day: DAY, opening: 0n, entries: [{ amount: 1000n, ref: "FT1", memo: "X" }] })
    const refused = await upload("officer", "hni.mt940", hni)
    expect(refused.status).toBe(403)
    expect(refused.json["error"]).toBe("other_agency")
    expect(String(refused.json["message"])).not.toContain("HNI")
    expect((await api("otherAgency", "GET", `/report?account=${ACCOUNT}&day=${DAY}`)).status).toBe(404)
    expect((await api("otherAgency", "GET", "/queue")).json["queue"]).toEqual([])
    const csv = await f.app.request(`/api/officer/reconciliation/report?account=${ACCOUNT}&day=${DAY}&format=csv`, { headers: { authorization: `Bearer ${f.tokens.otherAgency}` } })
    expect(csv.status).toBe(404)
  })

  test("a statement whose balances do not add up is refused, and nothing changes", async () => {
    const before = await f.h.db.db.query<{ n: string }>("SELECT count(*)::text AS n FROM bank_entries")
    const bad = mt940Statement({ id: "VCB250621", account: ACCOUNT, day: "2025-06-21", opening: 1_131_700_000n, entries: [{ amount: 5_000n, ref: "FT25172000001", memo: "X" }], closingOff: 1n })
    const r = await upload("officer", "bad.mt940", bad)
    expect(r.status).toBe(422)
    expect(String(r.json["message"]).length).toBeGreaterThan(20)
    expect(await f.h.db.db.query<{ n: string }>("SELECT count(*)::text AS n FROM bank_entries")).toEqual(before)
  })

  test("two runs at once: each credit still becomes one draft", async () => {
    const day = "2025-06-23"
    const statement = mt940Statement({ id: "VCB250623", account: ACCOUNT, day, opening: 1_257_200_000n, entries: [{ amount: 1_100_000n, ref: "FT25174000001", memo: "DOAN THI HUE NOP TIEN" }, { amount: 2_200_000n, ref: "FT25174000002", memo: "VO VAN AN NOP TIEN" }] })
    expect((await upload("officer", "vcb23.mt940", statement)).status).toBe(201)
    const [a, b] = await Promise.all([api("officer", "POST", "/run"), api("approver", "POST", "/run")])
    expect([a.status, b.status]).toEqual([200, 200])
    const made = [a, b].flatMap((r) => (r.json["drafts"] as { made: Array<{ bankReference: string }> }).made.map((d) => d.bankReference)).sort()
    expect(made).toEqual(["FT25174000001", "FT25174000002"])
    const rows = await f.h.db.db.query<{ n: string }>("SELECT count(*)::text AS n FROM receipts WHERE draft->'payment'->>'reference' IN ('FT25174000001', 'FT25174000002')")
    expect(rows[0]?.n).toBe("2")
    const report = await api("officer", "GET", `/report?account=${ACCOUNT}&day=${day}`)
    expect([report.json["matched"], report.json["unmatched"]]).toEqual([2, 0])
  })

  test("a matched draft edited below what its credit paid is flagged with both figures; the run goes on", async () => {
    const drafts = (await api("officer", "GET", "/drafts")).json["drafts"] as Array<{ receiptId: string; bankReference: string }>
    const nameless = drafts.find((d) => d.bankReference === "FT25171000002")!
    const edited = await f.app.request(`/api/officer/drafts/${nameless.receiptId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${f.tokens.officer}`, "content-type": "application/json" },
      body: JSON.stringify({ amount: "600000", payer: { name: "Ngô Văn Tám" } })
    })
    expect(edited.status).toBe(200)
    const run = await api("officer", "POST", "/run")
    expect(run.status).toBe(200)
    expect(run.json["flags"]).toBe(1)
    const flag = await f.h.db.db.query<{ subject: string; credit_amount: string; target_amount: string }>("SELECT subject, credit_amount::text AS credit_amount, target_amount::text AS target_amount FROM recon_flags WHERE agency = 'HCM'")
    expect(flag).toEqual([{ subject: `${nameless.receiptId} ${ACCOUNT}/FT25171000002`, credit_amount: "700000", target_amount: "600000" }])
    expect((await api("officer", "GET", `/report?account=${ACCOUNT}&day=${DAY}`)).json["flagged"]).toBe(1)
    // Put right, the flag goes with the next run.
    await f.app.request(`/api/officer/drafts/${nameless.receiptId}`, { method: "PATCH", headers: { authorization: `Bearer ${f.tokens.officer}`, "content-type": "application/json" }, body: JSON.stringify({ amount: "700000" }) })
    expect((await api("officer", "POST", "/run")).json["flags"]).toBe(0)
  })

  test("closing a day needs the approver role; a closed day refuses change", async () => {
    const byOfficer = await api("officer", "POST", "/days/close", { account: ACCOUNT, day: DAY })
    expect(byOfficer.status).toBe(403)
    expect(byOfficer.json["error"]).toBe("forbidden")
    expect((await api("otherAgency", "POST", "/days/close", { account: ACCOUNT, day: DAY })).status).toBe(403)
    const closed = await api("approver", "POST", "/days/close", { account: ACCOUNT, day: DAY })
    expect(closed.status).toBe(201)
    expect(closed.json["matched"]).toBe(4)
    expect((await api("approver", "POST", "/days/close", { account: ACCOUNT, day: DAY })).json["error"]).toBe("already_closed")
    // A new entry on the closed day (an overlapping statement) is refused naming the day; nothing changes.
    const late = mt940Statement({
      id: "VCB250620B",
      account: ACCOUNT,
      day: DAY,
      opening: 1_000_000_000n,
      entries: [{ amount: 9_000n, ref: "FT25171000099", memo: "LATE" }]
    })
    const refused = await upload("officer", "late.mt940", late)
    expect(refused.status).toBe(409)
    expect(refused.json["error"]).toBe("day_closed")
    expect(String(refused.json["message"])).toContain("khóa sổ")
  })
})
