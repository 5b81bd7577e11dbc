/**
 * Console sessions through the shipped app (buildApp, PGlite and
 * PostgreSQL): the cookie is a random session id, never the API token; a
 * session ends at sign-out, after 30 idle minutes, 12 hours after sign-in,
 * and when its token is revoked or its officer disabled; behind TLS the
 * cookie is `__Host-` and Secure and answers carry HSTS; a first sign-in
 * with an enrolment code shows the officer's new token once. A model test
 * (fc.commands) walks random timelines of clicks, waits, sign-ins and
 * sign-outs against a model of the two timeouts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { grantToken, insertOfficer, type Role } from "../../edge/officers/tokens.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))
const MINUTE = 60_000

for (const target of targets) {
  describe(`console sessions on ${target.name}`, () => {
    let h: Harness
    let tls: Harness
    const tokens: Record<string, string> = {}

    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null })
      tls = await makeHarness(await target.make(), { rateLimit: null, secureCookies: true })
      for (const x of [h, tls]) {
        await x.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục THADS HCM')")
        const officers: Array<[string, Role]> = [["lan.nguyen", "officer"], ["hung.tran", "approver"], ["admin.a", "admin"], ["admin.b", "admin"]]
        for (const [id, role] of officers) {
          await insertOfficer(x.db.db, { id, agency: "HCM", name: id, role })
          tokens[`${x === h ? "" : "tls:"}${id}`] = await grantToken(x.db.db, id, "test", randomBytes, { now: x.services.now() })
        }
      }
    }, 60_000)
    afterAll(async () => {
      await h?.close()
      await tls?.close()
    })

    const signIn = async (token: string, app = h) => {
      const r = await app.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token, next: "/console/search" }) })
      return { response: r, cookie: (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "" }
    }
    const page = (cookie: string, path = "/console/search", app = h) => app.app.request(path, { headers: { cookie } })
    const signedIn = async (cookie: string) => (await page(cookie)).status === 200
    const signOut = (cookie: string) => h.app.request("/console/sign-out", { method: "POST", headers: { cookie, "sec-fetch-site": "same-origin" } })
    const api = (bearer: string, cookie?: string) =>
      h.app.request("/api/officer/me", { headers: { Authorization: `Bearer ${bearer}`, ...(cookie === undefined ? {} : { cookie }) } })

    test("the cookie holds a random session id, never the token; after sign-out it opens neither the console nor the API", async () => {
      const token = tokens["lan.nguyen"]!
      const { response, cookie } = await signIn(token)
      expect(response.status).toBe(303)
      const header = response.headers.get("set-cookie") ?? ""
      expect(header).not.toContain(token)
      expect(header).toMatch(/^bl_session=bls_[A-Za-z0-9_-]{43};/)
      expect(header).toContain("HttpOnly")
      expect(header).toContain("SameSite=Strict")
      expect(header).toContain("Path=/console")
      expect(header).toContain(`Max-Age=${12 * 3600}`)
      expect(header).not.toContain("Secure")
      const sessionId = cookie.split("=")[1]!
      expect(await signedIn(cookie)).toBe(true)
      // The session id is no API credential, and the API reads no cookie.
      expect((await api(sessionId)).status).toBe(401)
      expect((await h.app.request("/api/officer/me", { headers: { cookie } })).status).toBe(401)
      // No row holds the session id or the token in clear.
      const stored = JSON.stringify(await h.db.db.query("SELECT * FROM console_sessions"))
      expect(stored).not.toContain(sessionId)
      expect(stored).not.toContain(token)

      const out = await signOut(cookie)
      expect(out.status).toBe(303)
      expect(out.headers.get("set-cookie")).toContain("bl_session=;")
      // The old cookie, kept by an attacker, is worthless.
      const replay = await page(cookie)
      expect(replay.status).toBe(303)
      expect(replay.headers.get("location")).toContain("/console/sign-in")
      expect((await api(sessionId, cookie)).status).toBe(401)
      // Signing out does not revoke the officer's token.
      expect((await api(token)).status).toBe(200)
      const ended = await h.db.db.query<{ end_reason: string }>("SELECT end_reason FROM console_sessions WHERE ended_at IS NOT NULL")
      expect(ended.map((r) => r.end_reason)).toContain("signed_out")
    })

    test("a wrong token or code is refused on the sign-in page; a cross-site sign-out is refused", async () => {
      const bad = await signIn("blk_" + "x".repeat(43))
      expect(bad.response.status).toBe(401)
      expect(bad.response.headers.get("set-cookie")).toBeNull()
      expect(await bad.response.text()).toContain("Mã truy cập không đúng")
      const { cookie } = await signIn(tokens["lan.nguyen"]!)
      const cross = await h.app.request("/console/sign-out", { method: "POST", headers: { cookie, origin: "https://evil.example" } })
      expect(cross.status).toBe(403)
      expect(await signedIn(cookie)).toBe(true)
    })

    test("a session ends after 30 idle minutes, and 12 hours after sign-in however busy", async () => {
      const idle = (await signIn(tokens["lan.nguyen"]!)).cookie
      h.advance(29 * MINUTE)
      expect(await signedIn(idle)).toBe(true)
      h.advance(29 * MINUTE)
      expect(await signedIn(idle)).toBe(true)
      h.advance(30 * MINUTE + 1000)
      const late = await page(idle)
      expect(late.headers.get("location")).toContain("expired=1")

      const busy = (await signIn(tokens["lan.nguyen"]!)).cookie
      for (let t = 0; t < 12 * 60 - 20; t += 20) {
        h.advance(20 * MINUTE)
        expect(await signedIn(busy)).toBe(true)
      }
      h.advance(20 * MINUTE)
      expect(await signedIn(busy)).toBe(false)
      const reasons = await h.db.db.query<{ end_reason: string }>("SELECT end_reason FROM console_sessions WHERE ended_at IS NOT NULL")
      expect(reasons.map((r) => r.end_reason)).toEqual(expect.arrayContaining(["idle", "expired"]))
    })

    test("revoking the token a session was opened with, or disabling the officer, ends the session at the next click", async () => {
      const made = await h.app.request("/api/officer/tokens", { method: "POST", headers: { Authorization: `Bearer ${tokens["hung.tran"]}`, "Content-Type": "application/json" }, body: JSON.stringify({ label: "console" }) })
      const { token, id } = (await made.json()) as { token: string; id: string }
      const cookie = (await signIn(token)).cookie
      expect(await signedIn(cookie)).toBe(true)
      await h.app.request(`/api/officer/tokens/${id}/revoke`, { method: "POST", headers: { Authorization: `Bearer ${tokens["hung.tran"]}` } })
      expect(await signedIn(cookie)).toBe(false)

      const other = (await signIn(tokens["hung.tran"]!)).cookie
      expect(await signedIn(other)).toBe(true)
      const disabled = await h.app.request("/api/officer/officers/hung.tran/disable", { method: "POST", headers: { Authorization: `Bearer ${tokens["admin.a"]}` } })
      expect(disabled.status).toBe(200)
      expect(await signedIn(other)).toBe(false)
    })

    test("the first sign-in with an enrolment code shows the officer's own token once and opens a session with it", async () => {
      const asked = await h.app.request("/api/officer/officers", {
        method: "POST",
        headers: { Authorization: `Bearer ${tokens["admin.a"]}`, "Content-Type": "application/json" },
        body: JSON.stringify({ id: "vy.truong", name: "Trương Thảo Vy", role: "officer" })
      })
      const r = ((await asked.json()) as { request: { id: string } }).request
      const approved = await h.app.request(`/api/officer/officer-requests/${r.id}/approve`, {
        method: "POST",
        headers: { Authorization: `Bearer ${tokens["admin.b"]}`, "Content-Type": "application/json" },
        body: JSON.stringify({ officer: "vy.truong", name: "Trương Thảo Vy", role: "officer" })
      })
      const code = ((await approved.json()) as { enrolment: { code: string } }).enrolment.code
      const first = await signIn(code)
      expect(first.response.status).toBe(200)
      const html = await first.response.text()
      expect(html).toContain("Tài khoản đã được kích hoạt")
      const token = /id="new-token" readonly value="(blk_[A-Za-z0-9_-]{43})"/.exec(html)?.[1]
      expect(token).toBeDefined()
      expect(first.response.headers.get("cache-control")).toBe("no-store")
      expect(await signedIn(first.cookie)).toBe(true)
      expect(((await (await api(token!)).json()) as { officer: string }).officer).toBe("vy.truong")
      const again = await signIn(code)
      expect(again.response.status).toBe(401)
      expect(await again.response.text()).toContain("đã được dùng")
      expect((await signIn(token!)).response.status).toBe(303)
    })

    test("behind TLS the cookie is __Host-, Secure and host-wide, and every answer carries HSTS; without TLS there is no HSTS", async () => {
      const { response, cookie } = await signIn(tokens["tls:lan.nguyen"]!, tls)
      const header = response.headers.get("set-cookie") ?? ""
      expect(header).toMatch(/^__Host-bl_session=bls_/)
      expect(header).toContain("Secure")
      expect(header).toContain("Path=/;")
      expect(header).not.toContain("Domain")
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000")
      expect((await page(cookie, "/console/search", tls)).status).toBe(200)
      expect((await tls.app.request("/healthz")).headers.get("strict-transport-security")).toBe("max-age=31536000")
      expect((await h.app.request("/healthz")).headers.get("strict-transport-security")).toBeNull()
    })

    test("model: any timeline of clicks, waits, sign-ins and sign-outs keeps a session exactly while the two timeouts allow", async () => {
      type Model = { session: { readonly cookie: string; lastSeen: number; readonly started: number } | undefined; now: number }
      type Real = { cookie: string | undefined }
      const idleMs = 30 * MINUTE
      const maxMs = 12 * 60 * MINUTE
      const alive = (m: Model) => m.session !== undefined && m.now - m.session.lastSeen < idleMs && m.now - m.session.started < maxMs

      class SignIn implements fc.AsyncCommand<Model, Real> {
        check = () => true
        async run(m: Model, r: Real) {
          const { response, cookie } = await signIn(tokens["lan.nguyen"]!)
          expect(response.status).toBe(303)
          r.cookie = cookie
          m.session = { cookie, lastSeen: m.now, started: m.now }
        }
        toString = () => "signIn"
      }
      class Wait implements fc.AsyncCommand<Model, Real> {
        readonly minutes: number
        constructor(minutes: number) {
          this.minutes = minutes
        }
        check = () => true
        async run(m: Model) {
          h.advance(this.minutes * MINUTE)
          m.now += this.minutes * MINUTE
        }
        toString = () => `wait ${this.minutes} min`
      }
      class Click implements fc.AsyncCommand<Model, Real> {
        check = (m: Readonly<Model>) => m.session !== undefined
        async run(m: Model, r: Real) {
          const expected = alive(m)
          expect(await signedIn(r.cookie!)).toBe(expected)
          if (expected) m.session!.lastSeen = m.now
          else m.session = undefined
        }
        toString = () => "click"
      }
      class SignOut implements fc.AsyncCommand<Model, Real> {
        check = (m: Readonly<Model>) => m.session !== undefined
        async run(m: Model, r: Real) {
          expect((await signOut(r.cookie!)).status).toBe(303)
          expect(await signedIn(r.cookie!)).toBe(false)
          m.session = undefined
        }
        toString = () => "signOut"
      }
      await fc.assert(
        fc.asyncProperty(
          fc.commands([
            fc.constant(new SignIn()),
            fc.oneof(fc.integer({ min: 1, max: 35 }), fc.constantFrom(29, 30, 31, 60, 240)).map((n) => new Wait(n)),
            fc.constant(new Click()),
            fc.constant(new SignOut())
          ], { maxCommands: 25 }),
          async (commands) => {
            const start = h.services.now().getTime()
            await fc.asyncModelRun(() => ({ model: { session: undefined, now: start }, real: { cookie: undefined } }), commands)
          }
        ),
        { numRuns: 25 }
      )
    }, 120_000)
  })
}
