/**
 * The officer API under bad input and a failing database, through the
 * shipped app (buildApp over the real store): a malformed search cursor, or
 * any query value, gets 400 naming it, never 500; when the database fails the
 * answer is 503 with Retry-After and a sentence, on the officer API and on
 * public routes, never the database's own text, which goes to the log with
 * the request id; and with connections killed on a PostgreSQL server
 * (pg_terminate_backend, as test/store/postgres-connection-loss.test.ts does
 * for the store), drafts, submissions and approvals answer 2xx, 4xx or 503, never 500.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { decodeCursor, encodeCursor } from "../../edge/officers/search.ts"
import type { Db, Sql } from "../../store/database/db.ts"
import { freshPostgres, targets, type TestDatabase, testDatabaseUrl } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))
const SECRET = "relation receipts_private on 10.20.30.40 (password authentication)"

const draftBody = (amount = "125500000") => ({
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234" },
  case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" },
  reason: "Nộp tiền thi hành án",
  amount,
  payment: { method: "cash" }
})

/**
 * A database that fails like a PostgreSQL server whose backends are being
 * terminated: every statement while `state.fails` is "all", or only the
 * statements that write receipts while it is "receipts".
 */
const flaky = (db: Db) => {
  const state: { fails: "none" | "all" | "receipts" } = { fails: "none" }
  const failing = (text: string) => state.fails === "all" || (state.fails === "receipts" && /INSERT INTO receipts\b/i.test(text))
  const fail = () => Promise.reject(Object.assign(new Error(`terminating connection due to administrator command: ${SECRET}`), { code: "57P01" }))
  const wrap = (sql: Sql): Sql => ({
    query: (text, params, options) => (failing(text) ? fail() : sql.query(text, params, options)) as never,
    copyIn: (table, columns, data) => (state.fails !== "none" ? fail() : sql.copyIn(table, columns, data)) as never,
    exec: (script) => (failing(script) ? fail() : sql.exec(script)) as never
  })
  const wrapped: Db = {
    ...wrap(db),
    driver: db.driver,
    transaction: (body, options) => (state.fails === "all" ? fail() : db.transaction((tx) => body(wrap(tx)), options)) as never,
    close: () => db.close()
  }
  return { db: wrapped, state }
}

const setUp = async (t: TestDatabase, db: Db = t.db) => {
  const h = await makeHarness({ ...t, db }, { rateLimit: null })
  const tokens: Record<string, string> = {}
  await t.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục THADS HCM')")
  for (const [id, role] of [["lan.nguyen", "officer"], ["hung.tran", "approver"]] as const) {
    await insertOfficer(t.db, { id, agency: "HCM", name: id, role })
    tokens[id] = await grantToken(t.db, id, "test", randomBytes, { now: h.services.now() })
  }
  const call = async (who: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await h.app.request(path, {
      method,
      headers: { Authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, text, body: (text.startsWith("{") ? JSON.parse(text) : null) as any }
  }
  return { h, call }
}

describe("search cursors", () => {
  test("a cursor round-trips, and anything else is not a cursor", () => {
    fc.assert(fc.property(fc.date({ min: new Date("1990-01-01"), max: new Date("2999-12-31"), noInvalidDate: true }), fc.uuid(), (d, id) => {
      expect(decodeCursor(encodeCursor(d.toISOString(), id))).toEqual({ createdAt: d.toISOString(), id })
    }))
    for (const bad of [["2025-01-01T00:00:00Z", "------------------------------------"], ["1", "0b7a5f0e-8f1c-4c3a-9e62-3d7f1a2b4c5d"], ["2025-13-45T99:00:00.000Z", "0b7a5f0e-8f1c-4c3a-9e62-3d7f1a2b4c5d"], { a: 1 }, null]) {
      expect(decodeCursor(Buffer.from(JSON.stringify(bad)).toString("base64url"))).toBeUndefined()
    }
  })
})

for (const target of targets) {
  describe(`officer API robustness on ${target.name}`, () => {
    let t: TestDatabase
    let f: ReturnType<typeof flaky>
    let h: Harness
    let call: Awaited<ReturnType<typeof setUp>>["call"]

    beforeAll(async () => {
      t = await target.make()
      f = flaky(t.db)
      ;({ h, call } = await setUp(t, f.db))
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    test("a malformed cursor, or any query value, is a 400 naming the parameter, never a 500", async () => {
      // The cursors that used to reach SQL: an id of 36 dashes, an instant PostgreSQL cannot read.
      for (const bad of [["2025-01-01T00:00:00Z", "------------------------------------"], ["1", "0b7a5f0e-8f1c-4c3a-9e62-3d7f1a2b4c5d"]]) {
        const r = await call("lan.nguyen", "GET", `/api/officer/receipts?cursor=${Buffer.from(JSON.stringify(bad)).toString("base64url")}`)
        expect(r.status).toBe(400)
        // Vietnamese unless the client asks for English (issue 12 item 14).
        expect(r.body.message).toContain("con trỏ trang (cursor) không do máy chủ này cấp")
        const en = await call("lan.nguyen", "GET", `/api/officer/receipts?cursor=${Buffer.from(JSON.stringify(bad)).toString("base64url")}`, undefined, { "Accept-Language": "en" })
        expect(en.body.message).toContain("cursor is not one this server handed out")
      }
      const keys = ["cursor", "name", "q", "lookupCode", "number", "idNumber", "decisionNumber", "from", "to", "minAmount", "maxAmount", "status", "limit"]
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), fc.string({ unit: "binary", maxLength: 40 }), { maxKeys: 3 }), async (query) => {
          const r = await call("lan.nguyen", "GET", `/api/officer/receipts?${new URLSearchParams(query)}`)
          expect([200, 400]).toContain(r.status)
        }),
        { numRuns: 150 }
      )
    }, 60_000)

    test("when the database fails: 503 with Retry-After and a sentence, on officer and public routes; its text only in the log", async () => {
      f.state.fails = "all"
      h.log.length = 0
      try {
        const answers = [
          await call("lan.nguyen", "GET", "/api/officer/receipts"),
          await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody()),
          await call("lan.nguyen", "POST", "/api/lookup", { lookupCode: "ABCD-EFGH-JKMN" })
        ]
        f.state.fails = "receipts"
        answers.push(await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody()))
        answers.push(await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody(), { "Accept-Language": "en" }))
        for (const [i, r] of answers.entries()) {
          expect(r.status).toBe(503)
          expect(r.headers.get("retry-after")).toMatch(/^\d+$/)
          expect(r.body.error).toBe("store_unavailable")
          expect(r.body.message).toContain(i === answers.length - 1 ? "try again" : "hãy thử lại")
          expect(r.text).not.toContain("10.20.30.40")
          expect(r.text).not.toContain("terminating connection")
          const logged = h.log.filter((l) => l["reqId"] === r.headers.get("x-request-id"))
          expect(JSON.stringify(logged)).toContain("10.20.30.40")
        }
      } finally {
        f.state.fails = "none"
      }
      expect((await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody())).status).toBe(201)
    })

    test("Idempotency-Key: a retry gets the same answer and makes nothing twice; another request with the key is refused; keys last 24 hours", async () => {
      const count = async () => (await t.db.query("SELECT 1 FROM receipts WHERE maker = 'lan.nguyen' AND amount = 4242")).length
      const key = { "Idempotency-Key": "3f0c2b1e-create-once" }
      const first = await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4242"), key)
      expect(first.status).toBe(201)
      const again = await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4242"), key)
      expect(again.status).toBe(201)
      expect(again.headers.get("idempotent-replayed")).toBe("true")
      expect(again.body).toEqual(first.body)
      expect(await count()).toBe(1)
      const other = await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4343"), key)
      expect(other.status).toBe(422)
      expect(other.body.error).toBe("idempotency_key_reused")
      // Keys are per officer: the approver's key of the same name is another key.
      expect((await call("hung.tran", "POST", "/api/officer/drafts", draftBody("4242"), key)).status).toBe(201)
      expect((await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4242"), { "Idempotency-Key": "has space" })).status).toBe(400)

      // Approving (the maker submits; the approval names the content): the replay is the same receipt with the same number, issued once.
      const submitted = await call("lan.nguyen", "POST", `/api/officer/drafts/${first.body.id}/submit`)
      expect(submitted.status).toBe(200)
      const approval = { contentHash: submitted.body.contentHash }
      const approveKey = { "Idempotency-Key": "approve-1" }
      const approved = await call("hung.tran", "POST", `/api/officer/drafts/${first.body.id}/approve`, approval, approveKey)
      expect(approved.status).toBe(201)
      const replay = await call("hung.tran", "POST", `/api/officer/drafts/${first.body.id}/approve`, approval, approveKey)
      expect(replay.status).toBe(201)
      expect(replay.body.receipt.number).toBe(approved.body.receipt.number)
      expect(replay.body.token).toBe(approved.body.token)
      const second = await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4444"))
      expect((await call("hung.tran", "POST", `/api/officer/drafts/${second.body.id}/approve`, { contentHash: second.body.contentHash }, approveKey)).status).toBe(422)

      // A failure of ours (5xx) is not kept: the retry runs.
      f.state.fails = "receipts"
      const failed = await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4545"), { "Idempotency-Key": "after-outage" })
      f.state.fails = "none"
      expect(failed.status).toBe(503)
      expect((await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4545"), { "Idempotency-Key": "after-outage" })).status).toBe(201)

      // After 24 hours the key is free again.
      h.advance(24 * 3_600_000 + 1000)
      const later = await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4242"), key)
      expect(later.status).toBe(201)
      expect(later.headers.get("idempotent-replayed")).toBeNull()
      expect(await count()).toBe(2)
    })

    test("Idempotency-Key while the first request still runs: 409 with Retry-After", async () => {
      const body = JSON.stringify(draftBody("4646"))
      // The first request holds the key; the second arrives before it answers.
      const { claimIdempotencyKey } = await import("../../store/requests/idempotency-keys.ts")
      const { sha256Hex } = await import("../../edge/officers/tokens.ts")
      const now = h.services.now().getTime()
      const hash = await sha256Hex(JSON.stringify(["POST", "/api/officer/drafts", "application/json", body]))
      expect((await claimIdempotencyKey(t.db, { officerId: "lan.nguyen", key: "running", requestSha256: hash, now: new Date(now).toISOString(), expiresAt: new Date(now + 86_400_000).toISOString(), abandonedBefore: new Date(now - 120_000).toISOString() })).state).toBe("claimed")
      const r = await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4646"), { "Idempotency-Key": "running" })
      expect(r.status).toBe(409)
      expect(r.headers.get("retry-after")).toBe("1")
      // A claim never answered (its process died) is taken over after two minutes.
      h.advance(121_000)
      expect((await call("lan.nguyen", "POST", "/api/officer/drafts", draftBody("4646"), { "Idempotency-Key": "running" })).status).toBe(201)
    })

    test("model: any sequence of keyed draft creations, retries and waits makes each draft once per live key", async () => {
      type Entry = { readonly amount: string; readonly id: string; readonly expires: number }
      type Model = { keys: Map<string, Entry>; now: number; drafts: number }
      const real = { base: 0 }
      class Send implements fc.AsyncCommand<Model, typeof real> {
        readonly key: string
        readonly amount: string
        constructor(key: string, amount: string) {
          this.key = key
          this.amount = amount
        }
        check = () => true
        async run(m: Model) {
          const r = await call("hung.tran", "POST", "/api/officer/drafts", draftBody(this.amount), { "Idempotency-Key": `model-${real.base}-${this.key}` })
          const known = m.keys.get(this.key)
          if (known !== undefined && known.expires > m.now) {
            if (known.amount === this.amount) {
              expect(r.status).toBe(201)
              expect(r.body.id).toBe(known.id)
            } else expect(r.status).toBe(422)
            return
          }
          expect(r.status).toBe(201)
          expect(r.headers.get("idempotent-replayed")).toBeNull()
          m.keys.set(this.key, { amount: this.amount, id: r.body.id, expires: m.now + 24 * 3_600_000 })
          m.drafts++
        }
        toString = () => `send ${this.key} ${this.amount}`
      }
      class Wait implements fc.AsyncCommand<Model, typeof real> {
        readonly hours: number
        constructor(hours: number) {
          this.hours = hours
        }
        check = () => true
        async run(m: Model) {
          h.advance(this.hours * 3_600_000)
          m.now += this.hours * 3_600_000
        }
        toString = () => `wait ${this.hours} h`
      }
      const drafts = async () => Number((await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM receipts WHERE maker = 'hung.tran'"))[0]!.n)
      await fc.assert(
        fc.asyncProperty(
          fc.commands([
            fc.tuple(fc.constantFrom("a", "b", "c"), fc.constantFrom("5001", "5002")).map(([k, a]) => new Send(k, a)),
            fc.constantFrom(1, 12, 23, 25).map((n) => new Wait(n))
          ], { maxCommands: 12 }),
          async (commands) => {
            real.base++
            const before = await drafts()
            const model: Model = { keys: new Map(), now: h.services.now().getTime(), drafts: 0 }
            await fc.asyncModelRun(() => ({ model, real }), commands)
            expect(await drafts()).toBe(before + model.drafts)
          }
        ),
        { numRuns: 12 }
      )
    }, 120_000)
  })
}

describe.skipIf(testDatabaseUrl === undefined)("officer API while PostgreSQL connections are killed", () => {
  let t: TestDatabase
  let s: Awaited<ReturnType<typeof setUp>>
  beforeAll(async () => {
    t = await freshPostgres(testDatabaseUrl as string, "bienlai-edge-kill")
    s = await setUp(t)
  }, 60_000)
  afterAll(async () => {
    await s?.h.close()
  })

  test("drafts and approvals answer 201, 4xx or 503 with Retry-After, never 500, and what was answered 201 exists", async () => {
    const admin = t.open(1)
    let killing = true
    let killed = 0
    const killer = (async () => {
      while (killing) {
        const rows = await admin.query<{ n: number }>(
          "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1::text AND pid <> pg_backend_pid()",
          [`bienlai-edge-kill-${t.schema}`]
        )
        killed += rows[0]?.n ?? 0
        await new Promise((r) => setTimeout(r, 15))
      }
    })()
    const statuses: Record<number, number> = {}
    const created: Array<string> = []
    const issued: Array<string> = []
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const d = await s.call("lan.nguyen", "POST", "/api/officer/drafts", draftBody(String(7000 + i)))
        statuses[d.status] = (statuses[d.status] ?? 0) + 1
        if (d.status === 503) expect(d.headers.get("retry-after")).toMatch(/^\d+$/)
        if (d.status !== 201) continue
        created.push(d.body.id)
        const sub = await s.call("lan.nguyen", "POST", `/api/officer/drafts/${d.body.id}/submit`)
        statuses[sub.status] = (statuses[sub.status] ?? 0) + 1
        if (sub.status === 503) expect(sub.headers.get("retry-after")).toMatch(/^\d+$/)
        if (sub.status !== 200) continue
        const a = await s.call("hung.tran", "POST", `/api/officer/drafts/${d.body.id}/approve`, { contentHash: sub.body.contentHash })
        statuses[a.status] = (statuses[a.status] ?? 0) + 1
        if (a.status === 503) expect(a.headers.get("retry-after")).toMatch(/^\d+$/)
        if (a.status === 201) issued.push(d.body.id)
      }
    }
    try {
      await Promise.all([worker(50), worker(50), worker(50), worker(50)])
    } finally {
      killing = false
      await killer
      await admin.close()
    }
    console.log(`statuses under killed connections: ${JSON.stringify(statuses)}, backends terminated: ${killed}`)
    expect(killed).toBeGreaterThan(10)
    expect(statuses[500] ?? 0).toBe(0)
    expect(Object.keys(statuses).every((k) => ["200", "201", "409", "503"].includes(k))).toBe(true)
    expect(statuses[503] ?? 0).toBeGreaterThan(0)
    const stored = new Set((await t.db.query<{ id: string }>("SELECT id::text AS id FROM receipts WHERE maker = 'lan.nguyen'")).map((r) => r.id))
    for (const id of created) expect(stored.has(id)).toBe(true)
    const nowIssued = new Set((await t.db.query<{ id: string }>("SELECT id::text AS id FROM receipts WHERE status = 'issued'")).map((r) => r.id))
    for (const id of issued) expect(nowIssued.has(id)).toBe(true)
  }, 180_000)
})
