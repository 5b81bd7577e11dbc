/**
 * The payout officer API (/api/officer/payout) through the app as `npm
 * start` builds it: a creditor list uploaded (a bad one refused row by row,
 * in Vietnamese, nothing stored), a round planned, every way around four
 * eyes attacked (the planner approving, an officer or auditor approving, a
 * wrong SHA-256, another agency's approver, a body naming another agency),
 * the approval, the pain.001 and CSV batches, the bank's pain.002 (a bad
 * one refused naming the element), the returned line sent again and found
 * paid in a CSV statement through the standard mapping, the deposit, the
 * report and a creditor's history.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import ExcelJS from "exceljs"
import { formatVndDigits } from "../../domain/money.ts"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { pain002Document } from "../bank/iso-writers.ts"
import { xsdErrors } from "../bank/xsd.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"
import { cccdFor } from "../payout/fixtures.ts"

setDefaultTimeout(120_000)
const CASE = "3699/QĐ-CTHADS"
const header = "Mã khoản,Số CCCD,Họ tên,Hạng,Số tiền được thi hành án,Ngày yêu cầu,Mã ngân hàng,Số tài khoản"
const row = (n: number, over: Partial<Record<"owed" | "bin" | "cccd", string>> = {}) =>
  [`C${String(n).padStart(4, "0")}`, over.cccd ?? cccdFor(n), `Nguyễn Văn ${n}`, "c", over.owed ?? formatVndDigits(BigInt(n) * 1_000_000n), "16/06/2025",
    over.bin ?? (n % 5 === 0 ? "" : "970436"), n % 5 === 0 ? "" : String(1_000_000_000 + n)].join(",")
const debtor = { debtorName: "Cục THADS TP. Hồ Chí Minh", debtorBin: "970436", debtorAccount: "0071000123456" }

describe("payout officer API through the shipped app", () => {
  let f: ConsoleFixture
  let hniApprover = ""
  type Who = keyof ConsoleFixture["tokens"] | "hniApprover"
  const token = (who: Who) => (who === "hniApprover" ? hniApprover : f.tokens[who])
  const api = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    f.app.request(`/api/officer/payout${path}`, {
      method,
      headers: { authorization: `Bearer ${token(who)}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
  const upload = (who: Who, path: string, name: string, content: string) => {
    const form = new FormData()
    form.set("file", new File([content], name))
    return f.app.request(`/api/officer/payout${path}`, { method: "POST", headers: { authorization: `Bearer ${token(who)}`, "accept-language": "vi" }, body: form })
  }

  beforeAll(async () => {
    f = await makeConsoleFixture()
    await insertOfficer(f.h.db.db, { id: "nam.do", agency: "HNI", name: "Đỗ Văn Nam", role: "approver" })
    hniApprover = await grantToken(f.h.db.db, "nam.do", "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
  })
  afterAll(async () => {
    await f.close()
  })

  let roundId = ""
  let planSha256 = ""

  test("a creditor list: a bad one refused row by row in Vietnamese, nothing stored; a good one imported", async () => {
    const bad = [header, row(1), row(2), row(3, { cccd: cccdFor(1) }), row(4, { owed: "0" }), row(6, { bin: "999999" })].join("\n")
    const refused = await upload("officer", `/creditors?case=${encodeURIComponent(CASE)}`, "bad.csv", bad)
    expect(refused.status).toBe(422)
    const body = await refused.json() as { error: string; message: string; rejects: Array<{ row: number; reasons: Array<string> }> }
    expect(body.error).toBe("rows_refused")
    expect(body.message).toContain("3 trong 5 dòng bị từ chối; chưa nhập dòng nào")
    expect(body.rejects.map((r) => r.row)).toEqual([4, 5, 6])
    expect(body.rejects[0]!.reasons.join()).toContain("listed twice")
    expect(body.rejects[2]!.reasons.join()).toContain("999999")
    expect(await (await api("officer", "GET", "/cases")).json()).toEqual({ cases: [] })
    // An auditor uploads nothing.
    expect((await upload("auditor", `/creditors?case=${encodeURIComponent(CASE)}`, "c.csv", [header, row(1)].join("\n"))).status).toBe(403)

    const good = [header, ...Array.from({ length: 20 }, (_, i) => row(i + 1))].join("\n")
    const imported = await upload("officer", `/creditors?case=${encodeURIComponent(CASE)}`, "creditors.csv", good)
    expect(imported.status).toBe(201)
    expect(await imported.json()).toEqual({ claims: 20, owed: String(210n * 1_000_000n) })
    // The same list again clashes with itself, row by row: an upload needs no Idempotency-Key to be safe to retry.
    const twice = await upload("officer", `/creditors?case=${encodeURIComponent(CASE)}`, "creditors.csv", good)
    expect(twice.status).toBe(422)
    expect((await twice.json() as { rejects: Array<unknown> }).rejects.length).toBe(20)
    expect(await (await api("auditor", "GET", "/cases")).json()).toEqual({ cases: [{ caseDecision: CASE, claims: 20, owed: "210000000", rounds: 0 }] })
    const audited = await f.h.db.db.query<{ actor: string }>("SELECT actor FROM payout_audit WHERE agency = 'HCM' AND action LIKE '%import%'")
    expect(audited.map((a) => a.actor)).toEqual(["lan.nguyen"])
    // Another agency sees none of it.
    expect(await (await api("otherAgency", "GET", "/cases")).json()).toEqual({ cases: [] })
  })

  test("a case that is not a decision number is refused before anything is stored; a lower-case one is made canonical", async () => {
    const list = [header, row(1)].join("\n")
    const bad = await upload("colleague", "/creditors?case=3699", "c.csv", list)
    expect(bad.status).toBe(422)
    expect(await bad.json()).toMatchObject({ error: "invalid_case", message: expect.stringContaining("không phải số quyết định thi hành án") })
    expect((await upload("colleague", `/creditors?case=${encodeURIComponent("77/qd-cthads")}`, "c.csv", list)).status).toBe(201)
    const cases = await (await api("colleague", "GET", "/cases")).json() as { cases: Array<{ caseDecision: string }> }
    expect(cases.cases.map((c) => c.caseDecision)).toContain("77/QĐ-CTHADS")
    expect(cases.cases.map((c) => c.caseDecision)).not.toContain("3699")
  })

  test("an XLSX list, as the body, is read like its CSV", async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet("DS")
    sheet.addRow(header.split(","))
    for (let n = 1; n <= 3; n++) sheet.addRow(row(n).split(","))
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
    const r = await f.app.request(`/api/officer/payout/creditors?case=${encodeURIComponent("9/QĐ-CCTHADS")}`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.tokens.colleague}`, "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
      body: bytes
    })
    expect(r.status).toBe(201)
    expect(await r.json()).toEqual({ claims: 3, owed: "6000000" })
  })

  test("a list larger than a JSON body (1,500 creditors, ~100 KB) is taken by the upload limit", async () => {
    const big = [header, ...Array.from({ length: 1500 }, (_, i) => row(i + 1))].join("\n")
    expect(big.length).toBeGreaterThan(64 * 1024)
    const imported = await upload("colleague", `/creditors?case=${encodeURIComponent("1/QĐ-CCTHADS")}`, "big.csv", big)
    expect(imported.status).toBe(201)
    expect(await imported.json()).toMatchObject({ claims: 1500 })
  })

  test("planning: bad terms named in Vietnamese; a round of 100,000,000 đồng planned by an officer", async () => {
    const tooMuch = await api("officer", "POST", "/rounds", { case: CASE, legalDate: "2025-07-01", available: "999000000" }, { "accept-language": "vi" })
    expect(tooMuch.status).toBe(422)
    expect((await tooMuch.json() as { message: string }).message).toContain("Số tiền chi trả lớn hơn số tiền còn phải thi hành án")
    const badDate = await api("officer", "POST", "/rounds", { case: CASE, legalDate: "2025-02-30", available: "1000" })
    expect(badDate.status).toBe(422)
    const planned = await api("officer", "POST", "/rounds", { case: CASE, legalDate: "2025-07-01", available: "100.000.000" })
    expect(planned.status).toBe(201)
    const p = await planned.json() as { roundId: string; planSha256: string; planner: string; paid: string; lines: number; round: number }
    expect(p).toMatchObject({ planner: "lan.nguyen", paid: "100000000", lines: 20, round: 1 })
    roundId = p.roundId
    planSha256 = p.planSha256
  })

  test("four eyes: no officer, auditor, wrong hash, other agency or other-agency body approves; an approver does", async () => {
    const approve = (who: Who, body: unknown) => api(who, "POST", `/rounds/${roundId}/approve`, body, { "accept-language": "vi" })
    const officer = await approve("officer", { planSha256 })
    expect(officer.status).toBe(403)
    expect((await officer.json() as { message: string }).message).toContain("Vai trò cán bộ không được phê duyệt đợt chi trả")
    expect((await approve("auditor", { planSha256 })).status).toBe(403)
    const wrong = await approve("approver", { planSha256: "0".repeat(64) })
    expect(wrong.status).toBe(409)
    expect(await wrong.json()).toMatchObject({ error: "payout_plan_changed" })
    const malformed = await approve("approver", { planSha256: "abc" })
    expect(malformed.status).toBe(422)
    // Another agency's approver cannot even see the round.
    const other = await approve("hniApprover", { planSha256 })
    expect(other.status).toBe(404)
    expect((await api("hniApprover", "GET", `/rounds/${roundId}`)).status).toBe(404)
    const naming = await approve("approver", { planSha256, agency: "HNI" })
    expect(naming.status).toBe(403)
    expect(await naming.json()).toMatchObject({ error: "other_agency" })
    // Still planned after every attempt.
    expect(await (await api("auditor", "GET", `/rounds/${roundId}`)).json()).toMatchObject({ report: { status: "planned" } })

    const ok = await approve("approver", { planSha256 })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ round: 1, approver: "hung.tran" })
    expect(await (await api("auditor", "GET", `/rounds/${roundId}`)).json()).toMatchObject({ report: { status: "approved", approver: "hung.tran", addsUp: true } })
    // The audit names the two people: the officer who planned and the approver, each as their token says.
    const audit = await f.h.db.db.query<{ action: string; actor: string }>(
      "SELECT action, actor FROM payout_audit WHERE agency = 'HCM' AND round_id = $1::uuid AND line_id IS NULL ORDER BY seq", [roundId])
    expect(audit).toEqual([{ action: "planned", actor: "lan.nguyen" }, { action: "approved", actor: "hung.tran" }])
  })

  test("the planner never approves their own round, even as an approver", async () => {
    const planned = await api("approver", "POST", "/rounds", { case: CASE, legalDate: "2025-08-01", available: "10000000" })
    expect(planned.status).toBe(201)
    const p = await planned.json() as { roundId: string; planSha256: string }
    const own = await api("approver", "POST", `/rounds/${p.roundId}/approve`, { planSha256: p.planSha256 }, { "accept-language": "vi" })
    expect(own.status).toBe(403)
    const body = await own.json() as { error: string; message: string }
    expect(body.error).toBe("payout_maker_cannot_approve")
    expect(body.message).toContain("Người lập đợt chi trả không được tự phê duyệt")
  })

  test("to the bank and back: pain.001 valid against the XSD, again byte for byte, CSV; pain.002 refused then applied; report and history", async () => {
    const exported = await api("officer", "POST", `/rounds/${roundId}/export`, debtor)
    expect(exported.status).toBe(200)
    expect(exported.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.xml"/)
    const xml = await exported.text()
    expect(await xsdErrors("pain.001.001.09", xml)).toEqual([])
    const ids = [...xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]!)
    expect(ids.length).toBe(16) // 20 creditors, 4 without an account
    expect(exported.headers.get("x-payout-fresh")).toBe("true")
    const again = await api("officer", "POST", `/rounds/${roundId}/export`, debtor)
    expect(again.headers.get("x-payout-fresh")).toBe("false")
    expect(await again.text()).toBe(xml)
    const csv = await (await api("officer", "POST", `/rounds/${roundId}/export`, { ...debtor, format: "csv" })).text()
    expect(csv.split("\r\n")[0]).toBe("end_to_end_id,creditor_name,bank_bin,account_number,amount_vnd,remittance")
    expect(csv.split("\r\n").filter((l) => l !== "").length).toBe(17)

    const messageId = /<MsgId>([^<]+)<\/MsgId>/.exec(xml)![1]!
    const bad = pain002Document(messageId, [{ endToEndId: ids[0]!, status: "ACSC" }, { endToEndId: "000000000000-0000009", status: "ACSC" }])
    const refused = await upload("officer", "/answers", "bad.xml", bad)
    expect(refused.status).toBe(422)
    const rb = await refused.json() as { error: string; message: string }
    expect(rb.error).toBe("payout_unknown_line")
    expect(rb.message).toContain("pain.002 TxInfAndSts 2 (000000000000-0000009)")
    // Another agency cannot answer for these lines.
    const foreign = await upload("otherAgency", "/answers", "p.xml", pain002Document(messageId, [{ endToEndId: ids[0]!, status: "ACSC" }]))
    expect(foreign.status).toBe(422)

    const answer = pain002Document(messageId, ids.map((id, i) => ({ endToEndId: id, status: i === 0 ? "RJCT" as const : "ACSC" as const, ...(i === 0 ? { reason: "AC04" } : {}) })))
    const applied = await upload("officer", "/answers", "pain002.xml", answer)
    expect(applied.status).toBe(200)
    expect(await applied.json()).toMatchObject({ format: "pain.002", paid: 15, returned: 1 })

    // The returned line goes again, alone, in batch 2; the bank's CSV statement (standard mapping) shows it debited: paid.
    const second = await api("officer", "POST", `/rounds/${roundId}/export`, debtor)
    expect(second.headers.get("x-payout-batch")).toBe("2")
    const xml2 = await second.text()
    expect([...xml2.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1])).toEqual([ids[0]])
    const net = /<InstdAmt Ccy="VND">(\d+)<\/InstdAmt>/.exec(xml2)![1]!
    const statement = "Ngày hạch toán,Số tham chiếu,Ghi nợ,Ghi có,Nội dung,Mã giao dịch gốc\n" +
      `06/07/2025,FT0001,${net},,Chi tra tien THA,${ids[0]}\n06/07/2025,FT0002,500000,,Phi dich vu,\n`
    const fromCsv = await upload("officer", `/answers?mapping=bienlai-standard&account=${debtor.debtorAccount}`, "statement.csv", statement)
    expect(fromCsv.status).toBe(200)
    expect(await fromCsv.json()).toMatchObject({ paid: 1, returned: 0, other: 1 })

    const deposited = await api("officer", "POST", `/rounds/${roundId}/deposit`, { reference: "STK-001" })
    expect(await deposited.json()).toMatchObject({ count: 4 })

    const round = await (await api("auditor", "GET", `/rounds/${roundId}`)).json() as { report: { addsUp: boolean; byState: Record<string, { lines: number; amount: string }>; total: { amount: string } } }
    expect(round.report.addsUp).toBe(true)
    expect(round.report.byState["paid"]!.lines).toBe(16)
    expect(round.report.byState["deposited"]!.lines).toBe(4)
    expect(BigInt(round.report.byState["paid"]!.amount) + BigInt(round.report.byState["deposited"]!.amount)).toBe(100_000_000n)

    const history = await (await api("auditor", "GET", `/creditors/history?case=${encodeURIComponent(CASE)}&claim=C0002`)).json() as { name: string; lines: Array<{ round: number; state: string; amount: string }> }
    expect(history.name).toBe("Nguyễn Văn 2")
    expect(history.lines[0]).toMatchObject({ round: 1, state: "paid" })
    expect((await api("otherAgency", "GET", `/creditors/history?case=${encodeURIComponent(CASE)}&claim=C0002`)).status).toBe(404)
  })
})
