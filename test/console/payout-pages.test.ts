/**
 * The payout console's controls attacked over HTTP, through the app as `npm
 * start` builds it, with real console sessions: a form that is not shown to
 * a role is posted anyway (an officer or auditor approving), a wrong
 * SHA-256, the planner approving their own round, another agency's officer
 * opening the round, a cross-site form, and a creditor name carrying markup.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { formatVndDigits } from "../../domain/money.ts"
import { cccdFor } from "../payout/fixtures.ts"
import { consoleSessions, type ConsoleFixture, makeConsoleFixture } from "./fixture.ts"

setDefaultTimeout(60_000)
const CASE = "757/QĐ-CTHADS"
const header = "Mã khoản,Số CCCD,Họ tên,Hạng,Số tiền được thi hành án,Ngày yêu cầu,Mã ngân hàng,Số tài khoản"
const csv = [header, ...Array.from({ length: 6 }, (_, i) =>
  [`K${i + 1}`, cccdFor(i + 1), i === 0 ? "<script>alert(1)</script> Lê" : `Lê Văn ${i + 1}`, "c", formatVndDigits(BigInt(i + 1) * 10_000_000n), "01/06/2025", "970436", String(3_000_000_000 + i)].join(","))].join("\n")

describe("payout console controls, attacked over HTTP", () => {
  let f: ConsoleFixture
  const as = consoleSessions(() => f, "/console/payout")
  const get = async (token: string, path: string) => f.app.request(path, { headers: { cookie: await as(token) } })
  const post = async (token: string, path: string, body: Record<string, string> | FormData, headers: Record<string, string> = {}) =>
    f.app.request(path, { method: "POST", body: body instanceof FormData ? body : new URLSearchParams(body), headers: { cookie: await as(token), "sec-fetch-site": "same-origin", ...headers } })
  const flash = (r: Response) => new URL(r.headers.get("location") ?? "/", "http://x").searchParams
  const statusOf = async (roundPath: string) => /id="round-status">([^<]+)</.exec(await (await get(f.tokens.auditor, roundPath)).text())?.[1]

  let roundPath = ""
  let sha = ""

  beforeAll(async () => {
    f = await makeConsoleFixture()
    const form = new FormData()
    form.set("case", CASE)
    form.set("file", new File([csv], "ds.csv"))
    const imported = await post(f.tokens.officer, "/console/payout/creditors", form)
    expect(imported.status).toBe(303)
    expect(flash(imported).get("ok")).toContain("Đã nhập 6 người")
    const planned = await post(f.tokens.officer, "/console/payout/rounds", { case: CASE, legalDate: "2025-07-01", available: "21000000", fee: "waived" })
    expect(planned.status).toBe(303)
    roundPath = new URL(planned.headers.get("location")!, "http://x").pathname
    sha = /id="plan-sha256">([0-9a-f]{64})</.exec(await (await get(f.tokens.approver, roundPath)).text())![1]!
  })
  afterAll(async () => {
    await f.close()
  })

  test("an officer, an auditor, a wrong SHA-256 and a cross-site form do not approve; the approver does", async () => {
    // The form is not shown to an officer or an auditor: posting it anyway is refused.
    expect(await (await get(f.tokens.officer, roundPath)).text()).not.toContain('id="approve"')
    const byOfficer = await post(f.tokens.officer, `${roundPath}/approve`, { planSha256: sha })
    expect(flash(byOfficer).get("error")).toContain("Vai trò cán bộ không được phê duyệt đợt chi trả")
    const byAuditor = await post(f.tokens.auditor, `${roundPath}/approve`, { planSha256: sha })
    expect(flash(byAuditor).get("error")).toContain("Vai trò kiểm soát không được phê duyệt đợt chi trả")
    const wrong = await post(f.tokens.approver, `${roundPath}/approve`, { planSha256: "f".repeat(64) })
    expect(flash(wrong).get("error")).toContain("Mã SHA-256 không khớp với kế hoạch đã lưu")
    const crossSite = await post(f.tokens.approver, `${roundPath}/approve`, { planSha256: sha }, { "sec-fetch-site": "cross-site" })
    expect(crossSite.status).toBe(403)
    expect(await statusOf(roundPath)).toBe("Chờ phê duyệt")

    const ok = await post(f.tokens.approver, `${roundPath}/approve`, { planSha256: sha })
    expect(flash(ok).get("ok")).toContain("Đã phê duyệt và ký số đợt 1")
    expect(await statusOf(roundPath)).toBe("Đã phê duyệt")
  })

  test("the planner cannot approve their own round, even as an approver", async () => {
    const planned = await post(f.tokens.approver, "/console/payout/rounds", { case: CASE, legalDate: "2025-08-01", available: "1000000" })
    const path = new URL(planned.headers.get("location")!, "http://x").pathname
    const own = /id="plan-sha256">([0-9a-f]{64})</.exec(await (await get(f.tokens.approver, path)).text())![1]!
    const refused = await post(f.tokens.approver, `${path}/approve`, { planSha256: own })
    expect(flash(refused).get("error")).toContain("Người lập đợt chi trả không được tự phê duyệt")
    expect(await statusOf(path)).toBe("Chờ phê duyệt")
  })

  test("another agency's officer sees no round, case or creditor of this one", async () => {
    const other = await get(f.tokens.otherAgency, roundPath)
    expect(other.status).toBe(404)
    const list = await (await get(f.tokens.otherAgency, "/console/payout")).text()
    expect(list).not.toContain(CASE)
    const history = await get(f.tokens.otherAgency, `/console/payout/creditor?case=${encodeURIComponent(CASE)}&claim=K2`)
    expect(history.status).toBe(404)
  })

  test("the plan form's enforcement costs come off first and a coercion decision is recorded in the terms", async () => {
    const form = new FormData()
    form.set("case", "2/QĐ-CCTHADS")
    form.set("file", new File([csv.replaceAll(",K", ",Q").replace(/\nK/g, "\nQ")], "ds2.csv"))
    expect((await post(f.tokens.colleague, "/console/payout/creditors", form)).status).toBe(303)
    const planned = await post(f.tokens.colleague, "/console/payout/rounds", {
      case: "2/QĐ-CCTHADS", legalDate: "2025-07-01", available: "10.000.000", costs: "1.000.000", coercionNumber: "12/QĐ-CCTHADS", coercionDate: "2025-06-20", fee: "waived"
    })
    const path = new URL(planned.headers.get("location")!, "http://x").pathname
    expect(path).toStartWith("/console/payout/rounds/")
    const page = await (await get(f.tokens.auditor, path)).text()
    expect(/id="round-paid">([^<]+)</.exec(page)?.[1]).toBe("9.000.000 đ")
    expect(page).toContain("12/QĐ-CCTHADS")
  })

  test("a creditor's name is printed as text, never as markup", async () => {
    const page = await (await get(f.tokens.auditor, `/console/payout/creditor?case=${encodeURIComponent(CASE)}&claim=K1`)).text()
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Lê")
    expect(page).not.toContain("<script>alert(1)")
  })

  test("a list that is not UTF-8 or lacks a column is refused in Vietnamese, nothing stored", async () => {
    const form = new FormData()
    form.set("case", "1/QĐ-CCTHADS")
    form.set("file", new File(["Mã khoản,Họ tên\nK1,Lê"], "thieu-cot.csv"))
    const refused = await post(f.tokens.officer, "/console/payout/creditors", form)
    expect(flash(refused).get("error")).toContain("Không đọc được danh sách")
    const latin = new FormData()
    latin.set("case", "1/QĐ-CCTHADS")
    latin.set("file", new File([new Uint8Array([0x4d, 0xe3, 0x20, 0xff, 0xfe])], "latin.csv"))
    expect(flash(await post(f.tokens.officer, "/console/payout/creditors", latin)).get("error")).toContain("CSV UTF-8")
    expect(await (await get(f.tokens.officer, "/console/payout")).text()).not.toContain("1/QĐ-CCTHADS</a>")
  })
})
