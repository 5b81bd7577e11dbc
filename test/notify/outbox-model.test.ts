/**
 * The outbox's state machine against a model (fc.commands), on the real
 * SQL (PGlite): random timelines of dispatchers leasing rows, recording
 * outcomes (delivered, try again later, dead), stale dispatchers trying to
 * record after their lease was taken over, and time passing. After every
 * step the stored states and attempt counts equal the model's; a lease
 * returns only due rows (pending and due, or leased with an expired lease),
 * as many as asked or as are due; an outcome is recorded only under the
 * current lease.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import type { Db } from "../../store/database/db.ts"
import { leaseDue, recordAttempt } from "../../store/notifications/outbox.ts"
import { freshPglite, type TestDatabase } from "../store/databases.ts"

const ROWS = 6
const LEASE_MS = 1000
const START = Date.parse("2025-06-23T03:00:00.000Z")

interface RowModel {
  state: "pending" | "leased" | "delivered" | "dead"
  attempts: number
  next: number
  lease?: { owner: string; id: string; expires: number }
}
interface Model {
  now: number
  rows: Map<string, RowModel>
  /** Every lease ever handed out, current or stale: what a dispatcher may still try to record under. */
  leases: Array<{ owner: string; row: string; id: string }>
}
interface Real {
  readonly db: Db
}

const iso = (ms: number) => new Date(ms).toISOString()
const due = (r: RowModel, now: number) => (r.state === "pending" && r.next <= now) || (r.state === "leased" && (r.lease?.expires ?? 0) <= now)

const check = async (m: Model, r: Real) => {
  const stored = await r.db.query<{ id: string; state: string; attempts: number }>("SELECT id::text AS id, state, attempts FROM notifications WHERE id::text IN (SELECT jsonb_array_elements_text($1::text::jsonb))", [JSON.stringify([...m.rows.keys()])])
  expect(stored.length).toBe(ROWS)
  for (const s of stored) {
    const want = m.rows.get(s.id)!
    expect({ id: s.id, state: s.state, attempts: Number(s.attempts) }).toEqual({ id: s.id, state: want.state, attempts: want.attempts })
  }
}

class Lease implements fc.AsyncCommand<Model, Real> {
  readonly owner: string
  readonly limit: number
  constructor(owner: string, limit: number) {
    this.owner = owner
    this.limit = limit
  }
  check = () => true
  async run(m: Model, r: Real) {
    const eligible = new Set([...m.rows].filter(([, row]) => due(row, m.now)).map(([id]) => id))
    const leased = await leaseDue(r.db, { owner: this.owner, now: iso(m.now), until: iso(m.now + LEASE_MS), limit: this.limit })
    expect(leased.length).toBe(Math.min(this.limit, eligible.size))
    for (const l of leased) {
      expect(eligible.has(l.id)).toBe(true)
      const row = m.rows.get(l.id)!
      row.state = "leased"
      row.attempts++
      row.lease = { owner: this.owner, id: l.leaseId, expires: m.now + LEASE_MS }
      expect(l.attempts).toBe(row.attempts)
      m.leases.push({ owner: this.owner, row: l.id, id: l.leaseId })
    }
    await check(m, r)
  }
  toString = () => `lease(${this.owner}, ${this.limit})`
}

class Record implements fc.AsyncCommand<Model, Real> {
  readonly pick: number
  readonly outcome: "delivered" | "pending" | "dead"
  readonly retryMs: number
  constructor(pick: number, outcome: "delivered" | "pending" | "dead", retryMs: number) {
    this.pick = pick
    this.outcome = outcome
    this.retryMs = retryMs
  }
  check = (m: Readonly<Model>) => m.leases.length > 0
  async run(m: Model, r: Real) {
    const lease = m.leases[this.pick % m.leases.length]!
    const row = m.rows.get(lease.row)!
    const current = row.state === "leased" && row.lease?.id === lease.id
    const at = iso(m.now)
    const ok = await recordAttempt(r.db, { agency: "HCM", id: lease.row, leaseId: lease.id },
      this.outcome === "delivered"
        ? { state: "delivered", at, response: "HTTP 204" }
        : this.outcome === "pending"
        ? { state: "pending", nextAttemptAt: iso(m.now + this.retryMs), error: "HTTP 503" }
        : { state: "dead", at, error: "HTTP 410" })
    expect(ok).toBe(current)
    if (current) {
      row.state = this.outcome
      row.lease = undefined
      if (this.outcome === "pending") row.next = m.now + this.retryMs
    }
    await check(m, r)
  }
  toString = () => `record(#${this.pick}, ${this.outcome}, ${this.retryMs})`
}

class Wait implements fc.AsyncCommand<Model, Real> {
  readonly ms: number
  constructor(ms: number) {
    this.ms = ms
  }
  check = () => true
  async run(m: Model) {
    m.now += this.ms
  }
  toString = () => `wait(${this.ms})`
}

describe("the outbox state machine (model-based, PGlite)", () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await freshPglite()
    await t.db.query(`INSERT INTO notify_recipients (agency, id, channel, target, events, secrets, created_by, created_at)
      VALUES ('HCM', '00000000-0000-4000-8000-000000000001', 'webhook', 'https://example.vn/hook', ARRAY['receipt.issued'],
              ARRAY['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'test', now())`)
  }, 60_000)
  afterAll(async () => {
    await t?.dispose()
  })

  test("leases, outcomes, stale dispatchers and time agree with the model", async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.commands([
          fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 1, max: 4 })).map(([o, n]) => new Lease(o, n)),
          fc.tuple(fc.nat(), fc.constantFrom("delivered" as const, "pending" as const, "dead" as const), fc.integer({ min: 1, max: 3000 })).map(([p, o, ms]) => new Record(p, o, ms)),
          fc.integer({ min: 1, max: 2500 }).map((ms) => new Wait(ms))
        ], { maxCommands: 40 }),
        async (commands) => {
          run++
          // Events are append-only: earlier runs' notifications are put out of the way, and each run checks its own.
          await t.db.exec("UPDATE notifications SET state = 'delivered', lease_owner = NULL, lease_id = NULL, lease_expires_at = NULL WHERE state <> 'delivered'")
          const rows = new Map<string, RowModel>()
          for (let i = 0; i < ROWS; i++) {
            const event = `00000000-0000-4000-9000-${String(run).padStart(6, "0")}${String(i).padStart(6, "0")}`
            const id = `00000000-0000-4000-a000-${String(run).padStart(6, "0")}${String(i).padStart(6, "0")}`
            await t.db.query(
              `INSERT INTO notify_events (agency, id, event, subject_kind, subject_id, reference, occurred_at)
               VALUES ('HCM', $1::uuid, 'receipt.issued', 'receipt', $1::text, 'AA/25E số 0000001', $2::timestamptz)`,
              [event, iso(START + i * 100)]
            )
            await t.db.query(
              `INSERT INTO notifications (agency, id, event_id, recipient_id, channel, recipient, next_attempt_at, created_at)
               VALUES ('HCM', $2::uuid, $1::uuid, '00000000-0000-4000-8000-000000000001', 'webhook', '00000000-0000-4000-8000-000000000001', $3::timestamptz, $3::timestamptz)`,
              [event, id, iso(START + i * 100)]
            )
            rows.set(id, { state: "pending", attempts: 0, next: START + i * 100 })
          }
          await fc.asyncModelRun(() => ({ model: { now: START, rows, leases: [] }, real: { db: t.db } }), commands)
        }
      ),
      { numRuns: 40 }
    )
  }, 120_000)
})
