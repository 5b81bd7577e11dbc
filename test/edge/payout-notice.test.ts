/**
 * The public side of payouts through the shipped app (docs/PAYOUT.md,
 * "Notices"): a creditor's lookup code and identity number show their
 * payouts with the notice's QR token (stored, the same at every view);
 * a wrong number is refused and counted per notice code, and the code
 * locks; nobody sees another creditor's data; the notice's token verifies
 * on /v/ and /api/verify with its payment state from the round's signed
 * status list (a returned line shows), and a tampered token is refused.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { Result } from "effect"
import { decodeBase45, encodeBase45 } from "../../domain/signing/base45.ts"
import { openNoticeStatus } from "../../domain/payout/notice-status.ts"
import { decodeNoticeToken } from "../../domain/payout/notice-token.ts"
import { maskName } from "../../domain/privacy.ts"
import { pathSegmentToToken } from "../../domain/signing/url.ts"
import { identityCheckState } from "../../store/public/lookup-attempts.ts"
import { makeClaim, makeTerms } from "../payout/fixtures.ts"
import { approveStored, importCase, planStored } from "../payout-store/harness.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

setDefaultTimeout(120_000)

const CASE = "3699/QĐ-CTHADS"

for (const target of targets) {
  describe(`payout notices on ${target.name}`, () => {
    let h: Harness
    let roundId: string
    const own = new Map<string, { code: string; idNumber: string; name: string; lines: number }>()
    beforeAll(async () => {
      h = await makeHarness(await target.make())
      const db = h.db.db
      const claims = Array.from({ length: 12 }, (_, i) => makeClaim(i + 1, { owed: BigInt(10_000_000 + i * 1_000_003), ...(i === 3 ? { bankAccount: undefined } : {}) }))
        .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as typeof c)
      await importCase(db, claims, "HCM", CASE)
      const stored = await planStored(db, makeTerms({ caseDecision: CASE, available: 24_810_000n }))
      await approveStored(db, h.services.signer.sign, stored)
      roundId = stored.plan.id
      const rows = await db.query<{ claim_id: string; lookup_code: string }>(
        "SELECT claim_id, lookup_code FROM payout_lines WHERE round_id = $1::uuid AND lookup_code IS NOT NULL ORDER BY line_no", [roundId])
      for (const r of rows) {
        const c = claims.find((x) => x.id === r.claim_id)!
        own.set(r.claim_id, { code: r.lookup_code, idNumber: c.creditor.identityNumber, name: c.creditor.name, lines: 1 })
      }
    })
    afterAll(async () => {
      await h?.close()
    })

    const post = (body: Record<string, string>, address = "198.51.100.7") =>
      h.app.request("/api/payout-notice", { method: "POST", headers: { "Content-Type": "application/json", "X-Forwarded-For": address }, body: JSON.stringify(body) })

    test("the right code and identity number show the creditor's payouts, masked, with a stored QR token that verifies", async () => {
      const me = own.get("C0000002")!
      const res = await post({ lookupCode: me.code.toLowerCase(), idNumber: me.idNumber })
      expect(res.status).toBe(200)
      expect(res.headers.get("cache-control")).toBe("no-store")
      const body = (await res.json()) as any
      expect(body.notice).toMatchObject({ lookupCode: me.code, agency: "HCM", caseDecision: CASE, round: 1, state: "approved" })
      // Minimal personal data: a masked name and number, never the full ones.
      expect(body.notice.creditor.maskedName).toBe(maskName(me.name))
      expect(body.notice.creditor.maskedName).not.toBe(me.name)
      expect(body.notice.creditor.maskedIdNumber).toMatch(/^•+002$/)
      const text = JSON.stringify(body)
      expect(text).not.toContain(me.idNumber)
      expect(text).not.toContain(me.name)
      // The notice's amount is its lines', and the token says the same.
      const amount = body.notice.lines.reduce((s: bigint, l: any) => s + BigInt(l.amount), 0n)
      expect(body.notice.totals.amount).toBe(amount.toString())
      const token = Result.getOrThrow(decodeNoticeToken(body.token))
      expect(token).toMatchObject({ agency: "HCM", caseDecision: CASE, round: 1, amount, maskedName: body.notice.creditor.maskedName })
      expect(body.verifyUrl).toBe(`http://localhost:8787/v/${body.verifyUrl.split("/v/")[1]}`)
      expect(pathSegmentToToken(body.verifyUrl.split("/v/")[1])).toBe(body.token)
      expect(body.payouts).toEqual([{ round: 1, legalDate: "2025-07-01", amount: body.notice.totals.amount, fee: "0", state: "approved" }])
      // Stored at the first view, served as stored after: ECDSA would give another token at each signing.
      const again = (await (await post({ lookupCode: me.code, idNumber: me.idNumber })).json()) as any
      expect(again.token).toBe(body.token)
      const [row] = await h.db.db.query<{ token: string }>("SELECT token FROM payout_notice_tokens WHERE lookup_code = $1::text", [me.code])
      expect(row!.token).toBe(body.token)

      // The portal page shows the same, with the QR code drawn and a link to verify.
      const page = await h.app.request("/tra-cuu-chi-tra", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ code: me.code, idNumber: me.idNumber }).toString()
      })
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('id="notice-qr"')
      expect(html).toContain("<svg")
      expect(html).toContain("Đã duyệt, chờ chuyển tiền")
      expect(html).not.toContain(me.name)
      expect(html).toContain(`/v/${body.verifyUrl.split("/v/")[1]}`)
    })

    test("a wrong identity number is refused and counted per notice code; five lock the code, the right one included", async () => {
      const me = own.get("C0000005")!
      const other = own.get("C0000006")!
      for (let i = 0; i < 5; i++) {
        const res = await post({ lookupCode: me.code, idNumber: other.idNumber }, `203.0.113.${i + 1}`)
        expect(res.status).toBe(403)
        const body = (await res.json()) as any
        expect(body.error).toBe("identity_mismatch")
        // Nothing of the notice, nor of the creditor whose number was tried.
        expect(JSON.stringify(body)).not.toContain(me.name)
        expect(body.notice).toBeUndefined()
      }
      expect((await identityCheckState(h.db.db, `payout:${me.code}`)).failures).toBe(5)
      const locked = await post({ lookupCode: me.code, idNumber: me.idNumber })
      expect(locked.status).toBe(429)
      expect(((await locked.json()) as any).error).toBe("identity_check_locked")
      expect(locked.headers.get("retry-after")).toBe("3600")
      // The page says so in Vietnamese.
      const page = await h.app.request("/tra-cuu-chi-tra", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ code: me.code, idNumber: me.idNumber }).toString()
      })
      expect(page.status).toBe(429)
      expect(await page.text()).toContain("tạm khóa")
      // Another notice's code is not locked: the count is per code.
      expect((await post({ lookupCode: other.code, idNumber: other.idNumber })).status).toBe(200)
      h.advance(3_600_000)
      expect((await post({ lookupCode: me.code, idNumber: me.idNumber })).status).toBe(200)
      // Neither codes nor numbers reach the log.
      for (const secret of [me.code, me.idNumber, other.idNumber]) expect(h.logText()).not.toContain(secret)
    })

    test("bad input names what is wrong; a code alone, an unknown code, a receipt's code show nothing", async () => {
      const me = own.get("C0000001")!
      const missing = await post({ lookupCode: me.code })
      expect(missing.status).toBe(400)
      expect(((await missing.json()) as any).error).toBe("identity_required")
      const badId = await post({ lookupCode: me.code, idNumber: "12345" })
      expect(badId.status).toBe(400)
      expect(((await badId.json()) as any).error).toBe("invalid_id_number")
      const badCode = await post({ lookupCode: "not-a-code", idNumber: me.idNumber })
      expect(((await badCode.json()) as any).error).toBe("invalid_lookup_code")
      const unknown = await post({ lookupCode: "ABCDEFGHJKMN", idNumber: me.idNumber })
      expect(unknown.status).toBe(404)
      const { receipt } = await h.issue()
      expect((await post({ lookupCode: receipt.lookupCode, idNumber: "079085001234" })).status).toBe(404)
      const page = await h.app.request("/tra-cuu-chi-tra", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ code: me.code, idNumber: "" }).toString()
      })
      expect(page.status).toBe(400)
      expect(await page.text()).toContain("Hãy nhập số định danh")
    })

    test("/v/ and /api/verify say what the notice token is, with the state of its lines; a returned line shows; tampering is refused", async () => {
      const me = own.get("C0000003")!
      const body = (await (await post({ lookupCode: me.code, idNumber: me.idNumber })).json()) as any
      const path = body.verifyUrl.slice("http://localhost:8787".length)
      const json = (await (await h.app.request(`/api/verify/${path.slice(3)}`)).json()) as any
      expect(json).toMatchObject({ result: "Valid", valid: true, kind: "payout-notice", state: "approved", notice: { agency: "HCM", caseDecision: CASE, round: 1, amount: body.notice.totals.amount } })
      const page = await h.app.request(path)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('data-kind="payout-notice"')
      expect(html).toContain('data-result="Valid"')
      expect(html).toContain(CASE)
      // The QR's capitals path too.
      expect((await h.app.request(path.replace("/v/", "/V/"))).status).toBe(200)

      // The bank took the line, then returned it: after the list's age bound, the notice shows "returned".
      const line = body.notice.lines[0].lineId
      await h.db.db.query("UPDATE payout_lines SET state = 'sent', sends = 1, batch = 1 WHERE line_id = $1::text", [line])
      await h.db.db.query("UPDATE payout_lines SET state = 'returned' WHERE line_id = $1::text", [line])
      h.advance(61_000)
      const returned = (await (await h.app.request(`/api/verify/${path.slice(3)}`)).json()) as any
      expect(returned).toMatchObject({ result: "Valid", state: "returned", lines: ["returned"] })
      const portal = (await (await post({ lookupCode: me.code, idNumber: me.idNumber })).json()) as any
      expect(portal.notice.state).toBe("returned")
      expect(await (await h.app.request(path)).text()).toContain("Ngân hàng trả lại")

      // The round's signed status list is published, and verifies against the trust list.
      const list = await h.app.request(`/api/payout-status-list?${new URLSearchParams({ agency: "HCM", case: CASE, round: "1" })}`)
      expect(list.status).toBe(200)
      const opened = Result.getOrThrow(await openNoticeStatus(new Uint8Array(await list.arrayBuffer()), h.services.trust().anchors))
      expect(opened.states).toContain("returned")
      expect((await h.app.request("/api/payout-status-list?agency=HCM&case=x&round=0")).status).toBe(400)

      // Any changed byte of the token: refused, never valid.
      const bytes = Result.getOrThrow(decodeBase45(body.token))
      for (const at of [5, 20, bytes.length - 80, bytes.length - 3]) {
        const copy = new Uint8Array(bytes)
        copy[at]! ^= 0x01
        const forged = encodeBase45(copy)
        const res = await h.app.request(`/api/verify/${encodeURIComponent(forged)}`)
        const r = (await res.json()) as any
        expect(r.valid).toBe(false)
        expect(["SignatureInvalid", "UnknownKey", "Malformed"]).toContain(r.result)
      }
      // A receipt's token still goes to the receipts' verification.
      const { token } = await h.issue()
      expect(((await (await h.app.request(`/api/verify/${encodeURIComponent(token)}`)).json()) as any).receipt).toBeDefined()
    })
  })
}
