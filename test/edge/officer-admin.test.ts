/**
 * Officer administration through the shipped app (buildApp over the real
 * store, PGlite and PostgreSQL): no admin alone can create an officer, raise
 * a role, re-enable or re-enrol someone, or make a token for anyone else;
 * a second admin approves exactly what was asked, and the enrolment code
 * that approval gives is used once by the new officer for their own token;
 * tokens expire and are revoked; every step is in officer_audit.
 */
import { describe, expect, test } from "bun:test"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { targets } from "../store/databases.ts"
import { officerSuite } from "./officer-setup.ts"

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))

const draftBody = {
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234" },
  case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" },
  reason: "Nộp tiền thi hành án",
  amount: "999000000",
  payment: { method: "cash" }
}

for (const target of targets) {
  describe(`officer administration on ${target.name}`, () => {
    const { harness, tokens, call } = officerSuite(target, [
      ["admin.a", "HCM", "admin"],
      ["admin.b", "HCM", "admin"],
      ["lan.nguyen", "HCM", "officer"],
      ["hung.tran", "HCM", "approver"],
      ["mai.le", "HCM", "auditor"],
      ["admin.hni", "HNI", "admin"],
      ["thu.pham", "HNI", "officer"]
    ])
    const officerIds = async (who: string) => ((await call(who, "GET", "/officers")).body.officers as Array<{ id: string }>).map((o) => o.id)
    const auditActions = async (officer: string) =>
      ((await call("admin.b", "GET", `/officer-audit?officer=${officer}`)).body.entries as Array<{ actor: string; action: string }>).reverse().map((e) => `${e.actor}:${e.action}`)

    test("the attack of issue 12: one admin cannot make a maker and an approver and issue a receipt alone", async () => {
      const h = harness()
      // 1. Create a maker and an approver: each is only a request.
      const maker = await call("admin.a", "POST", "/officers", { id: "x.maker", name: "Người Lập Giả", role: "officer" })
      expect(maker.status).toBe(202)
      expect(maker.body.token).toBeUndefined()
      const approver = await call("admin.a", "POST", "/officers", { id: "x.approver", name: "Người Duyệt Giả", role: "approver" })
      expect(approver.status).toBe(202)
      expect(await officerIds("admin.a")).not.toContain("x.maker")
      // 2. Approve them himself: refused, four eyes.
      for (const r of [maker.body.request, approver.body.request]) {
        const self = await call("admin.a", "POST", `/officer-requests/${r.id}/approve`, { officer: r.officer, name: r.name, role: r.role })
        expect(self.status).toBe(403)
        expect(self.body.error).toBe("four_eyes")
      }
      expect(await officerIds("admin.a")).not.toContain("x.approver")
      // 3. Mint tokens for existing officers instead: there is no such thing.
      expect((await call("admin.a", "POST", "/officers/hung.tran/tokens")).status).toBe(404)
      expect((await call("admin.a", "POST", "/officers/lan.nguyen/tokens")).status).toBe(404)
      const forOther = await call("admin.a", "POST", "/tokens", { officer: "hung.tran" })
      expect(forOther.status).toBe(422)
      expect(forOther.body.message).toContain("only ever made for the officer who asks")
      // 4. A fresh enrolment code for the existing approver and officer: only requests again.
      for (const id of ["hung.tran", "lan.nguyen"]) {
        const enrol = await call("admin.a", "POST", `/officers/${id}/enrol`)
        expect(enrol.status).toBe(202)
        const r = enrol.body.request
        const self = await call("admin.a", "POST", `/officer-requests/${r.id}/approve`, { officer: r.officer, name: r.name, role: r.role })
        expect(self.status).toBe(403)
        expect(self.body.enrolment).toBeUndefined()
      }
      // 5. Make himself an approver: a request too.
      const raise = await call("admin.a", "POST", "/officers/admin.a/role", { role: "approver" })
      expect(raise.status).toBe(202)
      const r = raise.body.request
      expect((await call("admin.a", "POST", `/officer-requests/${r.id}/approve`, { officer: "admin.a", name: "admin.a", role: "approver" })).status).toBe(403)
      expect((await call("admin.a", "GET", "/me")).body.role).toBe("admin")
      // 6. Draft and approve as an admin: the role may not.
      const draft = await call("admin.a", "POST", "/drafts", draftBody)
      expect(draft.status).toBe(403)
      const someone = await h.draft({ amount: 999_000_000n })
      expect((await call("admin.a", "POST", `/drafts/${someone.id}/approve`)).status).toBe(403)
      // Nothing was issued, and the database itself refuses an approval by the requester.
      expect((await h.db.db.query("SELECT 1 FROM receipts WHERE status = 'issued'")).length).toBe(0)
      await expect(h.db.db.query("UPDATE officer_requests SET decision = 'approved', decided_by = requested_by, decided_at = now() WHERE requested_by = 'admin.a'")).rejects.toThrow()
      // The requests are recorded, and left for a second admin to reject.
      expect(await auditActions("x.maker")).toEqual(["admin.a:request_created"])
      for (const pending of (await call("admin.b", "GET", "/officer-requests")).body.requests as Array<{ id: string }>) {
        expect((await call("admin.b", "POST", `/officer-requests/${pending.id}/reject`)).body.request.decision).toBe("rejected")
      }
      expect((await call("admin.b", "GET", "/officer-requests")).body.requests).toEqual([])
    })

    test("a second admin approves exactly what was asked; the enrolment code gives the new officer their own token, once", async () => {
      const h = harness()
      const asked = await call("admin.a", "POST", "/officers", { id: "vy.truong", name: "Trương Thảo Vy", role: "approver" })
      expect(asked.status).toBe(202)
      const r = asked.body.request
      expect(r).toMatchObject({ kind: "create", officer: "vy.truong", name: "Trương Thảo Vy", role: "approver", requestedBy: "admin.a", decision: null })
      expect((await call("admin.b", "GET", "/officer-requests")).body.requests.map((x: { id: string }) => x.id)).toContain(r.id)
      // The approver names what they approve: anything else is refused and changes nothing.
      for (const seen of [{ officer: "vy.truong", name: "Trương Thảo Vy", role: "admin" }, { officer: "vy.truong", name: "Trương Vy", role: "approver" }]) {
        const wrong = await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, seen)
        expect(wrong.status).toBe(409)
        expect(wrong.body.error).toBe("content_differs")
      }
      expect((await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, {})).status).toBe(422)
      // Admins of another agency do not see it.
      expect((await call("admin.hni", "POST", `/officer-requests/${r.id}/approve`, { officer: "vy.truong", name: "Trương Thảo Vy", role: "approver" })).status).toBe(404)
      // Roles other than admin may not approve.
      expect((await call("hung.tran", "POST", `/officer-requests/${r.id}/approve`, { officer: "vy.truong", name: "Trương Thảo Vy", role: "approver" })).status).toBe(403)

      h.log.length = 0
      const approved = await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, { officer: "vy.truong", name: "Trương Thảo Vy", role: "approver" })
      expect(approved.status).toBe(200)
      expect(approved.body.request).toMatchObject({ decision: "approved", decidedBy: "admin.b" })
      const code: string = approved.body.enrolment.code
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/)
      expect(Date.parse(approved.body.enrolment.expiresAt) - h.services.now().getTime()).toBe(72 * 3_600_000)
      // Decided once.
      expect((await call("admin.b", "POST", `/officer-requests/${r.id}/approve`, { officer: "vy.truong", name: "Trương Thảo Vy", role: "approver" })).status).toBe(409)

      // The officer exchanges the code, typed sloppily, for their own token.
      const enrolled = await call(undefined, "POST", "/enrol", { code: code.toLowerCase().replace(/-/g, " ") })
      expect(enrolled.status).toBe(201)
      expect(enrolled.headers.get("cache-control")).toBe("no-store")
      expect(approved.headers.get("cache-control")).toBe("no-store")
      expect(enrolled.body).toMatchObject({ officer: "vy.truong", agency: "HCM", role: "approver" })
      tokens["vy.truong"] = enrolled.body.token
      expect((await call("vy.truong", "GET", "/me")).body).toEqual({ officer: "vy.truong", agency: "HCM", role: "approver" })
      const again = await call(undefined, "POST", "/enrol", { code })
      expect(again.status).toBe(401)
      expect(again.body.message).toContain("already used")
      expect((await call(undefined, "POST", "/enrol", { code: "7KQ2M-9XWPD-3HRTA-0BCVE" })).status).toBe(401)
      expect((await call(undefined, "POST", "/enrol", { code: "not a code" })).status).toBe(400)

      // Both steps and the exchange are in the trail; the code and the token are in no log and no trail.
      expect(await auditActions("vy.truong")).toEqual([
        "admin.a:request_created",
        "admin.b:request_approved",
        "admin.b:enrolment_code_issued",
        "vy.truong:enrolment_redeemed",
        "anonymous:enrolment_refused"
      ])
      const trail = JSON.stringify((await call("mai.le", "GET", "/officer-audit?officer=vy.truong")).body)
      for (const secret of [code, enrolled.body.token]) {
        expect(trail).not.toContain(secret)
        expect(h.logText()).not.toContain(secret)
      }
      await expect(h.db.db.query("DELETE FROM officer_audit")).rejects.toThrow()
      expect((await call("lan.nguyen", "GET", "/officer-audit")).status).toBe(403)
    })

    test("an enrolment code lasts 72 hours", async () => {
      const h = harness()
      const r = (await call("admin.b", "POST", "/officers", { id: "khoa.do", name: "Đỗ Minh Khoa", role: "officer" })).body.request
      const code = (await call("admin.a", "POST", `/officer-requests/${r.id}/approve`, { officer: r.officer, name: r.name, role: r.role })).body.enrolment.code
      h.advance(72 * 3_600_000 + 1000)
      const late = await call(undefined, "POST", "/enrol", { code })
      expect(late.status).toBe(401)
      expect(late.body.message).toContain("expired")
    })

    test("role changes and re-enabling need a second admin; disabling is at once and ends every token", async () => {
      const raise = (await call("admin.a", "POST", "/officers/lan.nguyen/role", { role: "approver" })).body.request
      expect((await call("admin.a", "POST", "/officers/lan.nguyen/role", { role: "auditor" })).status).toBe(409)
      expect((await call("admin.b", "POST", `/officer-requests/${raise.id}/approve`, { officer: "lan.nguyen", name: "lan.nguyen", role: "approver" })).body.enrolment).toBeNull()
      expect((await call("lan.nguyen", "GET", "/me")).body.role).toBe("approver")

      const extra = (await call("lan.nguyen", "POST", "/tokens", { label: "script" })).body.token as string
      expect((await call("admin.a", "POST", "/officers/lan.nguyen/disable")).status).toBe(200)
      expect((await call("lan.nguyen", "GET", "/me")).status).toBe(401)
      expect((await call(extra, "GET", "/me")).status).toBe(401)
      expect((await call("admin.a", "POST", "/officers/admin.a/disable")).status).toBe(409)
      expect((await call("admin.a", "POST", "/officers/thu.pham/disable")).status).toBe(404)

      const enable = (await call("admin.a", "POST", "/officers/lan.nguyen/enable")).body.request
      expect((await call("admin.a", "POST", `/officer-requests/${enable.id}/approve`, { officer: "lan.nguyen", name: "lan.nguyen", role: "approver" })).status).toBe(403)
      const back = await call("admin.b", "POST", `/officer-requests/${enable.id}/approve`, { officer: "lan.nguyen", name: "lan.nguyen", role: "approver" })
      expect(back.status).toBe(200)
      // Re-enabling brings no old token back; the officer enrols again.
      expect((await call("lan.nguyen", "GET", "/me")).status).toBe(401)
      const enrolled = await call(undefined, "POST", "/enrol", { code: back.body.enrolment.code })
      expect(enrolled.status).toBe(201)
      tokens["lan.nguyen"] = enrolled.body.token
      expect((await call("lan.nguyen", "GET", "/me")).body.role).toBe("approver")
      expect(await auditActions("lan.nguyen")).toEqual([
        // The first test's enrolment request, rejected.
        "admin.a:request_created",
        "admin.b:request_rejected",
        "admin.a:request_created",
        "admin.b:request_approved",
        "lan.nguyen:token_created",
        "admin.a:officer_disabled",
        "admin.a:request_created",
        "admin.b:request_approved",
        "admin.b:enrolment_code_issued",
        "lan.nguyen:enrolment_redeemed"
      ])
    })

    test("tokens are one's own: they expire, never outlive the token that asked, and are revoked by their officer or an admin", async () => {
      const h = harness()
      await insertOfficer(h.db.db, { id: "tam.ly", agency: "HCM", name: "Lý Thanh Tâm", role: "officer" })
      tokens["tam.ly"] = await grantToken(h.db.db, "tam.ly", "test", randomBytes, { now: h.services.now(), days: 10 })
      const day = 86_400_000
      const now = h.services.now().getTime()

      const short = await call("tam.ly", "POST", "/tokens", { label: "scanner", expiresInDays: 3 })
      expect(short.status).toBe(201)
      expect(Date.parse(short.body.expiresAt)).toBe(now + 3 * day)
      expect(short.body.cappedByPresentingToken).toBe(false)
      const long = await call("tam.ly", "POST", "/tokens", { expiresInDays: 90 })
      expect(long.body.cappedByPresentingToken).toBe(true)
      expect(Date.parse(long.body.expiresAt)).toBe(now + 10 * day)
      expect((await call("tam.ly", "POST", "/tokens", { expiresInDays: 366 })).status).toBe(422)
      expect((await call("tam.ly", "POST", "/tokens")).status).toBe(201)

      const mine = (await call("tam.ly", "GET", "/tokens")).body.tokens as Array<{ id: string; label: string; expiresAt: string }>
      expect(mine.map((t) => t.label).sort()).toEqual(["api", "api", "scanner", "test"])
      expect(JSON.stringify(mine)).not.toContain("blk_")

      // Expiry: the short token stops after 3 days, the others go on.
      h.advance(3 * day + 1000)
      expect((await call(short.body.token, "GET", "/me")).status).toBe(401)
      expect((await call(long.body.token, "GET", "/me")).status).toBe(200)

      // Revocation: by the officer, by an admin of the agency, by nobody else.
      const longId = long.body.id as string
      expect((await call("hung.tran", "POST", `/tokens/${longId}/revoke`)).status).toBe(404)
      expect((await call("admin.hni", "POST", `/tokens/${longId}/revoke`)).status).toBe(404)
      expect((await call("admin.a", "GET", "/officers/tam.ly/tokens")).body.tokens.map((t: { id: string }) => t.id)).toContain(longId)
      expect((await call("admin.a", "POST", `/tokens/${longId}/revoke`)).status).toBe(200)
      expect((await call(long.body.token, "GET", "/me")).status).toBe(401)
      expect((await call("admin.a", "POST", `/tokens/${longId}/revoke`)).status).toBe(409)
      const own = (await call("tam.ly", "GET", "/tokens")).body.tokens.find((t: { label: string }) => t.label === "test").id
      expect((await call("tam.ly", "POST", `/tokens/${own}/revoke`)).status).toBe(200)
      expect((await call("tam.ly", "GET", "/me")).status).toBe(401)
      expect(await auditActions("tam.ly")).toEqual([
        "tam.ly:token_created",
        "tam.ly:token_created",
        "tam.ly:token_created",
        "admin.a:token_revoked",
        "tam.ly:token_revoked"
      ])
    })
  })
}
