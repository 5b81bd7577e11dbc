/**
 * Issue #12 item 5 through the app as `npm start` builds it: one officer
 * could change the payer's name shown to the public and printed on the PDF
 * with an annotation alone, while the signed name stayed different. Now a
 * correction is requested by one officer and approved by another, naming
 * the exact text; until then nothing public changes, and after it the
 * public pages and the PDF show the signed text and, beside it and
 * labelled, the approved correction.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { tokenToPathSegment } from "../../domain/signing/url.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"
import { pdfText } from "../support/pdf-text.ts"

describe("corrections need four eyes (issue #12 item 5)", () => {
  let f: ConsoleFixture
  type Who = keyof ConsoleFixture["tokens"]
  const api = async (who: Who, method: string, path: string, body?: unknown) => {
    const res = await f.app.request(`/api/officer${path}`, {
      method,
      headers: { Authorization: `Bearer ${f.tokens[who]}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    return { status: res.status, body: (text === "" ? null : JSON.parse(text)) as any }
  }
  const lookupPage = async (code: string, idNumber = "") =>
    (await f.app.request("/tra-cuu", { method: "POST", body: new URLSearchParams({ code, idNumber }) })).text()
  const pdf = async (code: string, idNumber?: string) => {
    const res = await f.app.request("/api/lookup/pdf", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ lookupCode: code, ...(idNumber === undefined ? {} : { idNumber }) })
    })
    expect(res.status).toBe(200)
    return (await pdfText(new Uint8Array(await res.arrayBuffer()))).replace(/\s+/g, " ")
  }
  let cookie = ""

  beforeAll(async () => {
    f = await makeConsoleFixture({ read: async () => Promise.reject(new Error("no scans here")) })
    const r = await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: f.tokens.approver, next: "/console" }) })
    cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  test("an officer's request changes nothing public; another officer's approval of the exact text shows it beside the signed name", async () => {
    const { receipt, token } = await f.h.issue({ payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234", address: "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" } })
    const verifyPath = `/v/${tokenToPathSegment(token)}`

    // The attack of the issue: an officer, with the annotate permission alone, changes the payer's name.
    const request = await api("officer", "POST", `/receipts/${receipt.id}/corrections`, { field: "payerName", value: "Lê Thị Mận", note: "Người nộp thực tế" })
    expect(request.status).toBe(201)
    expect(request.body).toMatchObject({ status: "pending", requestedBy: "lan.nguyen", value: "Lê Thị Mận" })
    // Nothing changed anywhere: the receipt, the public pages, the PDF, the search.
    expect((await api("officer", "GET", `/receipts/${receipt.id}`)).body.annotations).toEqual([])
    const before = await lookupPage(receipt.lookupCode, "079085001234")
    expect(before).toContain("Nguyễn Văn Hòa")
    expect(before).not.toContain("Lê Thị Mận")
    expect(before).not.toContain("Đã đính chính")
    expect(await (await f.app.request(verifyPath)).text()).not.toContain("Đã đính chính")
    const pdfBefore = await pdf(receipt.lookupCode, "079085001234")
    expect(pdfBefore).toContain("Người nộp tiền: Nguyễn Văn Hòa")
    expect(pdfBefore).not.toContain("Lê Thị Mận")
    expect((await api("auditor", "GET", "/receipts?name=le%20thi%20man")).body.items).toEqual([])

    // The officer cannot approve it; neither can an approver who requested a correction themselves.
    expect((await api("officer", "POST", `/corrections/${request.body.id}/approve`, { value: "Lê Thị Mận" })).status).toBe(403)
    const own = await api("approver", "POST", `/receipts/${receipt.id}/corrections`, { field: "payerAddress", value: "14 Lê Lợi, phường Sài Gòn, TP. Hồ Chí Minh" })
    const ownApproval = await api("approver", "POST", `/corrections/${own.body.id}/approve`, { value: own.body.value })
    expect(ownApproval.status).toBe(409)
    expect(ownApproval.body).toMatchObject({ error: "invalid_correction", reason: "requester_cannot_approve" })
    expect(ownApproval.body.message).toContain("không được tự duyệt đính chính")
    // The approval names the exact text: another text is refused, and nothing is corrected.
    const other = await api("approver", "POST", `/corrections/${request.body.id}/approve`, { value: "Lê Thị Mẫn" })
    expect(other.status).toBe(409)
    expect(other.body.reason).toBe("text_differs")
    expect((await api("officer", "GET", `/receipts/${receipt.id}`)).body.annotations).toEqual([])

    // Approved by another approver, in the console, with the text it showed.
    const page = await (await f.app.request(`/console/receipts/${receipt.id}`, { headers: { cookie } })).text()
    expect(page).toContain(`<form method="post" action="/console/corrections/${request.body.id}/approve" class="inline"><input type="hidden" name="value" value="Lê Thị Mận">`)
    const approved = await f.app.request(`/console/corrections/${request.body.id}/approve`, {
      method: "POST",
      body: new URLSearchParams({ value: "Lê Thị Mận" }),
      headers: { cookie, "sec-fetch-site": "same-origin" }
    })
    expect(approved.status).toBe(303)
    expect(new URL(approved.headers.get("location")!, "http://x").searchParams.get("ok")).toBe("Đã duyệt đính chính.")
    const annotations = (await api("officer", "GET", `/receipts/${receipt.id}`)).body.annotations
    expect(annotations).toEqual([expect.objectContaining({ field: "payerName", value: "Lê Thị Mận", by: "lan.nguyen", approvedBy: "hung.tran" })])

    // Public: the signed name stays, and the approved correction is shown beside it, labelled.
    const full = await lookupPage(receipt.lookupCode, "079085001234")
    expect(full).toMatch(/<th>Người nộp<\/th><td>Nguyễn Văn Hòa<\/td>/)
    expect(full).toMatch(/<th>Đã đính chính — người nộp<\/th><td>Lê Thị Mận \(/)
    // By the lookup code alone the summary names nobody: only that the name was corrected, and when.
    const masked = await lookupPage(receipt.lookupCode)
    expect(masked).toMatch(/<th>Đã đính chính — người nộp<\/th><td>đã được đính chính \(xem đầy đủ khi tra cứu với số định danh\) \(/)
    expect(masked).not.toContain("Lê Thị Mận")
    expect(masked).not.toContain("Lê T. M.")
    const summary = (await (await f.app.request("/api/lookup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lookupCode: receipt.lookupCode }) })).json()) as any
    expect(summary.summary.corrections).toEqual([{ field: "payerName", at: expect.any(String) }])
    expect(JSON.stringify(summary)).not.toContain("Mận")
    const verify = await (await f.app.request(verifyPath)).text()
    expect(verify).toMatch(/<th>Người nộp<\/th><td>Nguyễn V\. H\.<\/td>/)
    expect(verify).toMatch(/<th>Đã đính chính — người nộp<\/th><td>Lê T\. M\. \(/)
    const verifyEn = await (await f.app.request(`${verifyPath}?lang=en`)).text()
    expect(verifyEn).toMatch(/<th>Corrected — payer<\/th><td>Lê T\. M\. \(/)
    const pdfAfter = await pdf(receipt.lookupCode, "079085001234")
    expect(pdfAfter).toContain("Người nộp tiền: Nguyễn Văn Hòa")
    expect(pdfAfter).toContain("Đã đính chính: tên người nộp: Lê Thị Mận (")
    // Officers find the receipt by the corrected name too.
    expect((await api("auditor", "GET", "/receipts?name=le%20thi%20man")).body.items.map((i: { id: string }) => i.id)).toEqual([receipt.id])
  })

  test("a request is rejected with a reason or withdrawn by its requester, and decided once", async () => {
    const { receipt } = await f.h.issue()
    const q = (await api("officer", "POST", `/receipts/${receipt.id}/corrections`, { field: "payerAddress", value: "20 Nguyễn Huệ, phường Sài Gòn" })).body
    expect((await api("colleague", "POST", `/corrections/${q.id}/withdraw`)).body.reason).toBe("only_requester_can_withdraw")
    expect((await api("approver", "POST", `/corrections/${q.id}/reject`, {})).status).toBe(422)
    const rejected = await api("approver", "POST", `/corrections/${q.id}/reject`, { reason: "Địa chỉ không khớp hồ sơ" })
    expect(rejected.body).toMatchObject({ status: "rejected", decidedBy: "hung.tran", decisionNote: "Địa chỉ không khớp hồ sơ" })
    expect((await api("approver", "POST", `/corrections/${q.id}/approve`, { value: q.value })).body.reason).toBe("not_pending")
    const q2 = (await api("officer", "POST", `/receipts/${receipt.id}/corrections`, { field: "payerAddress", value: "21 Nguyễn Huệ, phường Sài Gòn" })).body
    expect((await api("officer", "POST", `/corrections/${q2.id}/withdraw`)).body.status).toBe("withdrawn")
    const nothing = await api("officer", "POST", `/receipts/${receipt.id}/corrections`, { field: "payerName", value: receipt.payer.name })
    expect(nothing.status).toBe(409)
    expect(nothing.body.reason).toBe("changes_nothing")
    const audit = (await api("approver", "GET", `/receipts/${receipt.id}/audit`)).body.entries.map((e: { action: string }) => e.action)
    expect(audit).toEqual(["draft_submitted", "issued", "correction_requested", "correction_rejected", "correction_requested", "correction_withdrawn"])
    expect((await api("officer", "GET", `/receipts/${receipt.id}`)).body.annotations).toEqual([])
  })

  test("in the console, a refused request keeps what was typed", async () => {
    const { receipt } = await f.h.issue()
    const officerCookie = (
      (await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: f.tokens.officer, next: "/console" }) })).headers.get("set-cookie") ?? ""
    ).split(";")[0]!
    const r = await f.app.request(`/console/receipts/${receipt.id}/corrections`, {
      method: "POST",
      body: new URLSearchParams({ field: "payerName", value: receipt.payer.name, note: "Kiểm tra lại chính tả" }),
      headers: { cookie: officerCookie, "sec-fetch-site": "same-origin" }
    })
    expect(r.status).toBe(422)
    const page = await r.text()
    expect(page).toContain("giống hệt nội dung hiện có")
    expect(page).toContain(`id="an-value" name="value" required value="${receipt.payer.name}"`)
    expect(page).toContain('id="an-note" name="note" value="Kiểm tra lại chính tả"')
  })
})
