/**
 * Statistical reports through the app as `npm start` builds it (the
 * program's own edge layer over the test's database and clock): who may
 * read and close, agency scope (an officer of another agency is refused),
 * closing a period with four eyes, a closed period's report giving the same
 * bytes whoever asks and whenever, later corrections landing in the next
 * open period, the database refusing to change a closed period, and the
 * PDF read back by an independent reader (PDF.js).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect } from "effect"
import ExcelJS from "exceljs"
import { formatVndDigits } from "../../domain/money.ts"
import { grantToken, insertOfficer, type Role } from "../../edge/officers/tokens.ts"
import { parseCsv } from "../../adapters/reports/csv.ts"
import { setAgencyLetterhead } from "../../store/agencies/letterhead.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "../edge/harness.ts"
import { pdfPagesText } from "./pdf-text.ts"

for (const target of targets) {
  describe(`statistical reports over HTTP on ${target.name}`, () => {
    let h: Harness
    const tokens: Record<string, string> = {}
    const officers: Array<[string, string, Role, string]> = [
      ["lan.nguyen", "HCM", "officer", "Nguyễn Thị Lan"],
      ["hung.tran", "HCM", "approver", "Trần Văn Hùng"],
      ["mai.le", "HCM", "auditor", "Lê Thị Mai"],
      ["admin.hcm", "HCM", "admin", "Phạm Quốc Bảo"],
      ["quang.vo", "HNI", "approver", "Võ Minh Quang"]
    ]
    const issuedIds: Array<string> = []

    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null }, "2025-06-10T03:00:00.000Z")
      await h.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Thi hành án dân sự Thành phố Hồ Chí Minh'), ('HNI', 'Thi hành án dân sự Thành phố Hà Nội')")
      await setAgencyLetterhead(h.db.db, "HCM", { parentName: "BỘ TƯ PHÁP", place: "TP. Hồ Chí Minh" })
      for (const [id, agency, role, name] of officers) {
        await insertOfficer(h.db.db, { id, agency, name, role })
        tokens[id] = await grantToken(h.db.db, id, "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
      }
      await h.db.db.query("UPDATE officers SET title = 'Phó Cục trưởng' WHERE id = 'admin.hcm'")
      // June 2025 (month 9 of the statistical year 2025): three receipts in HCM, one voided; one in HNI.
      for (const [amount, office] of [[125_500_000n, "HCM-KV01"], [2_000_000n, "HCM-KV02"], [37_250_000n, "HCM-KV01"]] as const) {
        const { receipt } = await h.issue({ amount, office })
        issuedIds.push(receipt.id)
        h.advance(3600_000)
      }
      await h.issue({ agency: "HNI", office: "HNI-KV01", amount: 999_000n })
      await Effect.runPromise(h.services.store.voidReceipt("HCM", issuedIds[1]!, { by: "hung.tran", reason: "Nhập sai số tiền", now: h.services.now().toISOString() }))
    }, 120_000)
    afterAll(async () => {
      await h?.close()
    })

    const call = async (who: string | undefined, method: string, path: string, body?: unknown) => {
      const res = await h.app.request(`/api/officer/reports${path}`, {
        method,
        headers: {
          ...(who === undefined ? {} : { Authorization: `Bearer ${tokens[who]}` }),
          ...(body === undefined ? {} : { "Content-Type": "application/json" })
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      const bytes = new Uint8Array(await res.arrayBuffer())
      const text = new TextDecoder().decode(bytes)
      const json = res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : undefined
      return { status: res.status, headers: res.headers, bytes, text, body: json as any }
    }

    test("who may read: approvers, auditors and admins; not officers, not without a token", async () => {
      expect((await call(undefined, "GET", "/money?period=2025/9")).status).toBe(401)
      const officer = await call("lan.nguyen", "GET", "/money?period=2025/9")
      expect(officer.status).toBe(403)
      expect(officer.body.error).toBe("forbidden")
      for (const who of ["hung.tran", "mai.le", "admin.hcm"]) expect((await call(who, "GET", "/money?period=2025/9")).status).toBe(200)
    })

    test("an auditor's report holds their agency's figures, month by month, provisional before closing", async () => {
      const r = await call("mai.le", "GET", "/money?period=2025/9")
      expect(r.body.status).toBe("provisional")
      expect(r.body.groups.map((g: any) => g.agency)).toEqual(["HCM"])
      expect(r.body.total.issued).toEqual({ count: 3, amount: String(125_500_000 + 2_000_000 + 37_250_000) })
      expect(r.body.total.voided).toEqual({ count: 1, amount: "2000000" })
      // Everything in June, the ninth month; the other eight are zero.
      expect(r.body.monthly[8].issued.count).toBe(3)
      expect(r.body.monthly.slice(0, 8).every((m: any) => m.issued.count === 0)).toBe(true)
      expect(r.body.groups[0].rows.map((row: any) => row.office)).toEqual(["HCM-KV01", "HCM-KV02"])
    })

    test("an officer of another agency is refused, and sees only their own agency", async () => {
      const other = await call("mai.le", "GET", "/money?period=2025/9&agency=HNI")
      expect(other.status).toBe(403)
      expect(other.body.error).toBe("other_agency")
      const hni = await call("quang.vo", "GET", "/money?period=2025/9")
      expect(hni.body.groups.map((g: any) => g.agency)).toEqual(["HNI"])
      expect(hni.body.total.issued).toEqual({ count: 1, amount: "999000" })
    })

    test("bad questions get a clear 400, never a 500", async () => {
      for (const [path, code] of [
        ["/money", "invalid_period"],
        ["/money?period=2025/13", "invalid_period"],
        ["/money?period=hôm-qua", "invalid_period"],
        ["/money?period=2025/9&format=docx", "invalid_format"],
        ["/money?period=2025/9&asOf=yesterday", "invalid_as_of"],
        ["/money?period=2025/9&asOf=2031-01-01T00:00:00Z", "invalid_as_of"]
      ] as const) {
        const r = await call("mai.le", "GET", path)
        expect({ path, status: r.status, error: r.body.error }).toEqual({ path, status: 400, error: code })
        expect(r.body.message.length).toBeGreaterThan(10)
      }
    })

    let closingId = ""
    let sha = ""

    test("a period is closed by two people: one asks, another approves exactly the figures asked", async () => {
      const early = await call("hung.tran", "POST", "/closings", { period: "2025/9" })
      expect(early.status).toBe(409)
      expect(early.body.error).toBe("period_not_ended")
      expect((await call("mai.le", "POST", "/closings", { period: "2025/9" })).status).toBe(403)

      h.setNow("2025-07-01T02:00:00.000Z")
      const asked = await call("hung.tran", "POST", "/closings", { period: "2025/9" })
      expect(asked.status).toBe(201)
      closingId = asked.body.closing.id
      sha = asked.body.figuresSha256
      expect(asked.body.closing.figuresSha256).toBe(sha)
      expect((await call("admin.hcm", "POST", "/closings", { period: "2025/9" })).body.error).toBe("pending_exists")

      const own = await call("hung.tran", "POST", `/closings/${closingId}/approve`, { figuresSha256: sha })
      expect(own.status).toBe(403)
      expect(own.body.error).toBe("own_request")
      const wrong = await call("admin.hcm", "POST", `/closings/${closingId}/approve`, { figuresSha256: "0".repeat(64) })
      expect(wrong.status).toBe(409)
      expect(wrong.body.error).toBe("content_differs")
      expect((await call("admin.hcm", "POST", `/closings/${closingId}/approve`, {})).status).toBe(422)
      // Another agency's approver does not even find it.
      expect((await call("quang.vo", "POST", `/closings/${closingId}/approve`, { figuresSha256: sha })).status).toBe(404)
      // Not closed yet: still provisional.
      expect((await call("mai.le", "GET", "/money?period=2025/9")).body.status).toBe("provisional")

      h.advance(3600_000)
      const closed = await call("admin.hcm", "POST", `/closings/${closingId}/approve`, { figuresSha256: sha })
      expect(closed.status).toBe(200)
      expect(closed.body.closing.decision).toBe("closed")
      expect(closed.body.closing.decidedBy).toBe("admin.hcm")
      expect((await call("hung.tran", "POST", "/closings", { period: "2025/9" })).body.error).toBe("already_closed")
      expect((await call("admin.hcm", "POST", `/closings/${closingId}/approve`, { figuresSha256: sha })).body.error).toBe("already_decided")
      const list = await call("mai.le", "GET", "/closings")
      expect(list.body.closings.map((c: any) => [c.period, c.decision])).toEqual([["2025/9", "closed"]])
    })

    test("a closing request is rejected with a reason by another officer, and withdrawn only by its asker", async () => {
      const asked = await call("hung.tran", "POST", "/closings", { period: "2025/8" })
      expect(asked.status).toBe(201)
      const id = asked.body.closing.id
      const sha8 = asked.body.figuresSha256
      expect((await call("admin.hcm", "POST", `/closings/${id}/reject`, { figuresSha256: sha8 })).body.error).toBe("reason_required")
      const rejected = await call("admin.hcm", "POST", `/closings/${id}/reject`, { figuresSha256: sha8, reason: "Chưa đối chiếu xong" })
      expect(rejected.status).toBe(200)
      expect(rejected.body.closing.decision).toBe("rejected")
      const again = await call("hung.tran", "POST", "/closings", { period: "2025/8" })
      expect(again.status).toBe(201)
      const other = await call("admin.hcm", "POST", `/closings/${again.body.closing.id}/withdraw`)
      expect(other.status).toBe(403)
      expect(other.body.error).toBe("not_requester")
      const withdrawn = await call("hung.tran", "POST", `/closings/${again.body.closing.id}/withdraw`)
      expect(withdrawn.body.closing.decision).toBe("withdrawn")
      expect((await call("mai.le", "GET", "/money?period=2025/8")).body.status).toBe("provisional")
    })

    const files = async (who: string) => {
      const out: Record<string, Uint8Array> = {}
      for (const format of ["pdf", "xlsx", "csv", "adjustments.csv"]) {
        const r = await call(who, "GET", `/money?period=2025/9&format=${format}`)
        expect(r.status).toBe(200)
        expect(r.headers.get("content-disposition")).toContain("chinh-thuc")
        out[format] = r.bytes
      }
      return out
    }
    let first: Record<string, Uint8Array> = {}

    test("the closed period's PDF reads as an official document with the figures and the closer's signature", async () => {
      first = await files("mai.le")
      const text = (await pdfPagesText(first["pdf"]!)).join(" ")
      for (const words of [
        "BỘ TƯ PHÁP",
        "THI HÀNH ÁN DÂN SỰ THÀNH PHỐ HỒ CHÍ MINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TP. Hồ Chí Minh, ngày",
        "KẾT QUẢ THU, CHI TIỀN THI HÀNH ÁN DÂN SỰ THEO BIÊN LAI ĐIỆN TỬ",
        "Số liệu chính thức",
        formatVndDigits(164_750_000n),
        formatVndDigits(2_000_000n),
        "PHÓ CỤC TRƯỞNG",
        "Phạm Quốc Bảo",
        "Nơi nhận"
      ]) expect(text).toContain(words)
      expect(text).not.toContain("HNI")
    })

    test("later corrections go into the next open period; the closed report gives the same bytes whoever asks, whenever", async () => {
      // July: a June receipt is voided and a new one issued.
      h.setNow("2025-07-15T03:00:00.000Z")
      await Effect.runPromise(h.services.store.voidReceipt("HCM", issuedIds[0]!, { by: "hung.tran", reason: "Sai người nộp", now: h.services.now().toISOString() }))
      await h.issue({ amount: 5_000_000n })
      h.setNow("2025-08-20T03:00:00.000Z")
      // The agency's letterhead and the closer's title change later: the closed report still prints what it was closed with.
      await setAgencyLetterhead(h.db.db, "HCM", { parentName: "BỘ TƯ PHÁP", place: "Thành phố Hồ Chí Minh" })
      await h.db.db.query("UPDATE officers SET title = 'Cục trưởng', name = 'Phạm Q. Bảo' WHERE id = 'admin.hcm'")

      const again = await files("hung.tran")
      for (const format of Object.keys(first)) expect(Buffer.from(again[format]!).equals(Buffer.from(first[format]!))).toBe(true)
      const closedJson = (await call("admin.hcm", "GET", "/money?period=2025/9")).body
      expect(closedJson.status).toBe("closed")
      expect(closedJson.total.voided).toEqual({ count: 1, amount: "2000000" })

      const provisionalPdf = (await pdfPagesText((await call("mai.le", "GET", "/money?period=2025/10&format=pdf")).bytes)).join(" ")
      expect(provisionalPdf).toContain("Thành phố Hồ Chí Minh, ngày")
      expect(provisionalPdf).toContain("Số liệu tạm thời")
      const next = (await call("mai.le", "GET", "/money?period=2025/10")).body
      expect(next.status).toBe("provisional")
      expect(next.monthly[9].voided).toEqual({ count: 1, amount: "125500000" })
      expect(next.monthly[9].issued).toEqual({ count: 1, amount: "5000000" })
      // June in the longer period is what the closed report says.
      expect(next.monthly[8]).toEqual(closedJson.monthly[8])

      const csv = parseCsv(new TextDecoder().decode(first["csv"]!))
      const totals = csv.filter((row) => row[3] === "HCM" && row[5] === "total")
      expect(totals.map((row) => [row[1], row[4], row[6], row[7]])).toEqual([
        ["closed", "HCM-KV01", "2", "162750000"],
        ["closed", "HCM-KV02", "1", "2000000"]
      ])

      const book = new ExcelJS.Workbook()
      await book.xlsx.load(first["xlsx"]!.buffer.slice(first["xlsx"]!.byteOffset, first["xlsx"]!.byteOffset + first["xlsx"]!.byteLength) as ArrayBuffer)
      expect(book.worksheets.map((w) => w.name)).toContain("Báo cáo")
    })

    test("the console page chooses the period and downloads the same file as the API; an officer is refused", async () => {
      const signIn = async (who: string) => {
        const r = await h.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: tokens[who]!, next: "/console/reports" }) })
        return (r.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
      }
      const auditor = await signIn("mai.le")
      const page = await h.app.request("/console/reports?period=2025/9", { headers: { cookie: auditor } })
      expect(page.status).toBe(200)
      const body = await page.text()
      expect(body).toContain("Đã khóa sổ")
      expect(body).toContain(formatVndDigits(164_750_000n))
      expect(body).toContain('href="/console/reports"')
      const download = await h.app.request("/console/reports/download?year=2025&months=9&format=pdf&asOf=", { headers: { cookie: auditor } })
      expect(download.status).toBe(200)
      expect(download.headers.get("content-type")).toBe("application/pdf")
      expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(first["pdf"]!))).toBe(true)
      const bad = await h.app.request("/console/reports/download?year=2025&months=14&format=pdf", { headers: { cookie: auditor } })
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain("Kỳ báo cáo")

      // Closing July (2025/10) in the console: one approver asks, an admin approves the figures the page shows.
      const asker = await signIn("hung.tran")
      const notice = (r: Response, kind: "ok" | "error") => new URL(r.headers.get("location") ?? "/", "http://x").searchParams.get(kind) ?? ""
      const post = (cookie: string, path: string, form: Record<string, string>) =>
        h.app.request(path, { method: "POST", headers: { cookie, "sec-fetch-site": "same-origin" }, body: new URLSearchParams(form) })
      const asked = await post(asker, "/console/reports/closings", { period: "2025/10" })
      expect(asked.status).toBe(303)
      expect(notice(asked, "ok")).toContain("Đã đề nghị khóa sổ")
      const ownPage = await (await h.app.request("/console/reports?period=2025/10", { headers: { cookie: asker } })).text()
      expect(ownPage).not.toContain("Phê duyệt khóa sổ")
      const admin = await signIn("admin.hcm")
      const adminPage = await (await h.app.request("/console/reports?period=2025/10", { headers: { cookie: admin } })).text()
      const [, action, sha10] = /action="(\/console\/reports\/closings\/[0-9a-f-]+\/approve)"><input type="hidden" name="figuresSha256" value="([0-9a-f]{64})"/.exec(adminPage) ?? []
      expect(action).toBeDefined()
      expect(notice(await post(admin, action!, { figuresSha256: "0".repeat(64) }), "error")).toContain("khác số liệu")
      const approved = await post(admin, action!, { figuresSha256: sha10! })
      expect(notice(approved, "ok")).toContain("Đã khóa sổ kỳ báo cáo")
      expect((await call("mai.le", "GET", "/money?period=2025/10")).body.status).toBe("closed")
      // A cross-site form post is refused.
      expect((await h.app.request("/console/reports/closings", { method: "POST", headers: { cookie: asker, "sec-fetch-site": "cross-site" }, body: new URLSearchParams({ period: "2025/11" }) })).status).toBe(403)

      const officer = await h.app.request("/console/reports", { headers: { cookie: await signIn("lan.nguyen") } })
      expect(officer.status).toBe(403)
      const hni = await (await h.app.request("/console/reports?period=2025/9", { headers: { cookie: await signIn("quang.vo") } })).text()
      expect(hni).toContain(formatVndDigits(999_000n))
      expect(hni).not.toContain(formatVndDigits(164_750_000n))
    })

    test("the console rejects and withdraws a closing: another officer rejects, the asker withdraws, anyone else is refused", async () => {
      const signIn = async (who: string) => {
        const r = await h.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: tokens[who]!, next: "/console/reports" }) })
        return (r.headers.get("set-cookie") ?? "").split(";")[0] ?? ""
      }
      const notice = (r: Response, kind: "ok" | "error") => new URL(r.headers.get("location") ?? "/", "http://x").searchParams.get(kind) ?? ""
      const post = (cookie: string, path: string, form: Record<string, string>, site = "same-origin") =>
        h.app.request(path, { method: "POST", headers: { cookie, "sec-fetch-site": site }, body: new URLSearchParams(form) })
      const page = async (cookie: string) => (await h.app.request("/console/reports?period=2025/8", { headers: { cookie } })).text()
      const pending = async () => ((await call("mai.le", "GET", "/closings")).body.closings as Array<any>).find((c) => c.period === "2025/8" && c.decision === null)
      const [asker, admin, hni, auditor] = await Promise.all(["hung.tran", "admin.hcm", "quang.vo", "mai.le"].map(signIn))

      expect(notice(await post(asker!, "/console/reports/closings", { period: "2025/8" }), "ok")).toContain("Đã đề nghị khóa sổ")
      const first = await pending()
      expect(first).toBeDefined()
      const reject = `/console/reports/closings/${first.id}/reject`
      // The asker is offered withdrawing, not rejecting; the other officer rejecting, not withdrawing.
      const askerPage = await page(asker!)
      expect(askerPage).toContain(`action="/console/reports/closings/${first.id}/withdraw"`)
      expect(askerPage).not.toContain(`action="${reject}"`)
      const adminPage = await page(admin!)
      expect(adminPage).not.toContain(`action="/console/reports/closings/${first.id}/withdraw"`)
      const [, sha] = new RegExp(`action="${reject}"><input type="hidden" name="figuresSha256" value="([0-9a-f]{64})"`).exec(adminPage) ?? []
      expect(sha).toBe(first.figuresSha256)
      expect(adminPage).toContain("Từ chối")

      // Wrong people and wrong forms change nothing.
      expect(notice(await post(asker!, reject, { figuresSha256: sha!, reason: "tự từ chối" }), "error")).toContain("Bạn là người đề nghị khóa sổ")
      expect(notice(await post(hni!, reject, { figuresSha256: sha!, reason: "đơn vị khác" }), "error")).toContain("Không có đề nghị khóa sổ này")
      expect((await post(auditor!, reject, { figuresSha256: sha!, reason: "kiểm soát" })).status).toBe(403)
      expect(notice(await post(admin!, reject, { figuresSha256: sha!, reason: "  " }), "error")).toContain("Cần lý do từ chối")
      expect(notice(await post(admin!, reject, { figuresSha256: "0".repeat(64), reason: "sai số" }), "error")).toContain("khác số liệu")
      expect((await post(admin!, reject, { figuresSha256: sha!, reason: "sai số" }, "cross-site")).status).toBe(403)
      expect((await pending())?.id).toBe(first.id)

      const rejected = await post(admin!, reject, { figuresSha256: sha!, reason: "Chưa đối chiếu xong tháng 5" })
      expect(notice(rejected, "ok")).toContain("Đã từ chối đề nghị khóa sổ")
      const decided = ((await call("mai.le", "GET", "/closings")).body.closings as Array<any>).find((c) => c.id === first.id)
      expect([decided.decision, decided.decidedBy]).toEqual(["rejected", "admin.hcm"])

      // Asked again: only the asker withdraws it.
      expect(notice(await post(asker!, "/console/reports/closings", { period: "2025/8" }), "ok")).toContain("Đã đề nghị khóa sổ")
      const second = await pending()
      const withdraw = `/console/reports/closings/${second.id}/withdraw`
      expect(notice(await post(admin!, withdraw, {}), "error")).toContain("Chỉ người đề nghị mới rút lại")
      expect(notice(await post(hni!, withdraw, {}), "error")).toContain("Không có đề nghị khóa sổ này")
      expect((await post(asker!, withdraw, {}, "cross-site")).status).toBe(403)
      expect((await pending())?.id).toBe(second.id)
      expect(notice(await post(asker!, withdraw, {}), "ok")).toContain("Đã rút đề nghị khóa sổ")
      expect(await pending()).toBeUndefined()
      expect((await call("mai.le", "GET", "/money?period=2025/8")).body.status).toBe("provisional")
      // Recorded in the edge audit log as the API records them, each by who did it; the refusals left nothing.
      const trail = await h.db.db.query<{ actor: string; action: string }>(
        "SELECT actor, action FROM edge_audit WHERE detail->>'closing' IN ($1::text, $2::text) ORDER BY at, action", [first.id, second.id])
      expect(trail.map((e) => `${e.action} ${e.actor}`).sort()).toEqual([
        "closing_rejected admin.hcm", "closing_requested hung.tran", "closing_requested hung.tran", "closing_withdrawn hung.tran"
      ])
    })

    test("the database refuses to change a closed period", async () => {
      // Issuing or voiding at an instant inside the closed period (a clock set back) is refused.
      h.setNow("2025-06-28T03:00:00.000Z")
      await expect(h.issue({ amount: 1_000n })).rejects.toThrow(/closed statistical period 2025\/(9|10)/)
      const voided = await Effect.runPromise(Effect.result(h.services.store.voidReceipt("HCM", issuedIds[2]!, { by: "hung.tran", reason: "lùi ngày", now: h.services.now().toISOString() })))
      expect(voided._tag).toBe("Failure")
      h.setNow("2025-08-20T03:00:00.000Z")
      // Directly in SQL too.
      await expect(
        h.db.db.query("UPDATE receipts SET status = 'voided', voided_at = '2025-06-20T00:00:00Z', voided_by = 'x', voided_reason = 'y', status_by = 'x', status_at = '2025-06-20T00:00:00Z' WHERE agency = 'HCM' AND id = $1::uuid", [issuedIds[2]])
      ).rejects.toThrow(/closed statistical period 2025\/(9|10)/)
      await expect(h.db.db.query("UPDATE report_closings SET snapshot = '{}' WHERE id = $1::uuid", [closingId])).rejects.toThrow(/never changes/)
      await expect(h.db.db.query("UPDATE report_closings SET cutoff = now() WHERE id = $1::uuid", [closingId])).rejects.toThrow()
      await expect(h.db.db.query("DELETE FROM report_closings WHERE id = $1::uuid", [closingId])).rejects.toThrow(/never deleted/)
      // And the closed report is still what was approved.
      expect((await call("mai.le", "GET", "/money?period=2025/9")).body.total.issued.count).toBe(3)
    })
  })
}
