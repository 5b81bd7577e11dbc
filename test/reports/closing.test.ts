/**
 * The calendar as the store reads it, and the closing rules:
 * - every instant is in exactly one statistical month, and the window the
 *   store reads a period's events from ([periodStartsAt, periodEndsAt)) holds
 *   exactly the instants of the period's months;
 * - every event counts in exactly one month of one 12-month report;
 * - closing, as a state machine (fc.commands): requests, approvals,
 *   rejections and withdrawals by officers of two agencies and roles, checked
 *   against a model: never closed by the asker, twice, before the period
 *   ended, by another agency, or with figures other than those asked.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  checkClosingDecision,
  checkClosingRequest,
  checkWithdrawal,
  type ClosingRequest,
  closingsKnownAt,
  type Decider
} from "../../domain/reports/closing.ts"
import { moneyReport } from "../../domain/reports/money-report.ts"
import { periodEndsAt, periodStartsAt, statisticalMonthOfInstant } from "../../domain/reports/period.ts"
import { eventsArb, iso, yearArb } from "./report.arbitraries.ts"

const instantArb = fc.integer({ min: Date.UTC(2002, 0, 1), max: Date.UTC(2198, 0, 1) }).map(iso)

describe("the calendar the store reads by", () => {
  test("an instant is in the window of a period exactly when its statistical month is one of the period's", () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: -1, max: 1 }), fc.integer({ min: 1, max: 12 }), (t, shift, months) => {
        const m = statisticalMonthOfInstant(t)
        const p = { year: m.year + shift, months }
        const inWindow = periodStartsAt(p) <= t && t < periodEndsAt(p)
        expect(inWindow).toBe(m.year === p.year && m.index <= months)
      }),
      { numRuns: 2000 }
    )
  })

  test("every instant is in exactly one month: the one-month windows of its year and the next do not overlap", () => {
    fc.assert(
      fc.property(instantArb, (t) => {
        const m = statisticalMonthOfInstant(t)
        let holders = 0
        for (const year of [m.year - 1, m.year, m.year + 1]) {
          for (let i = 1; i <= 12; i++) {
            const from = i === 1 ? periodStartsAt({ year, months: 1 }) : periodEndsAt({ year, months: i - 1 })
            if (from <= t && t < periodEndsAt({ year, months: i })) {
              holders++
              expect({ year, index: i }).toEqual(m)
            }
          }
        }
        expect(holders).toBe(1)
      }),
      { numRuns: 1000 }
    )
  })

  test("every event counts in exactly one month of one year's 12-month report", () => {
    fc.assert(
      fc.property(yearArb.chain((y) => fc.tuple(fc.constant(y), eventsArb(y))), ([year, events]) => {
        const asOf = "2199-01-01T00:00:00.000Z"
        const counted = new Map<string, number>()
        for (const y of [year - 1, year, year + 1]) {
          const r = moneyReport({ period: { year: y, months: 12 }, asOf, closings: [], events })
          if (Result.isFailure(r)) throw new Error(r.failure.message)
          r.success.monthly.forEach((f, i) => {
            const n = f.issued.count + f.voided.count + f.replaced.count + f.paid.count + f.deposited.count
            if (n > 0) counted.set(`${y}/${i + 1}`, n)
          })
        }
        const expected = new Map<string, number>()
        for (const e of events) {
          const m = statisticalMonthOfInstant(e.at)
          expected.set(`${m.year}/${m.index}`, (expected.get(`${m.year}/${m.index}`) ?? 0) + 1)
        }
        expect(counted).toEqual(expected)
      }),
      { numRuns: 80 }
    )
  })
})

// ---------------------------------------------------------------------------
// Closing as a state machine over the pure rules, with a store that keeps requests.

const officers: ReadonlyArray<Decider> = [
  { officer: "a1", agency: "HCM", role: "approver" },
  { officer: "a2", agency: "HCM", role: "admin" },
  { officer: "a3", agency: "HCM", role: "auditor" },
  { officer: "b1", agency: "HNI", role: "approver" }
]

interface Real {
  requests: Array<ClosingRequest>
  now: string
  seq: number
}
interface Model {
  closed: Set<string>
  pending: Map<string, { id: string; by: string; sha: string }>
  now: string
}

const key = (agency: string, months: number) => `${agency}:2025/${months}`
const shaFor = (agency: string, months: number, seq: number) => `${agency}-${months}-${seq}`.padEnd(64, "0")

class Ask implements fc.Command<Model, Real> {
  readonly who: Decider
  readonly months: number
  constructor(who: Decider, months: number) {
    this.who = who
    this.months = months
  }
  check = () => true
  run(m: Model, r: Real) {
    const period = { year: 2025, months: this.months }
    const result = checkClosingRequest(this.who, period, r.now, r.requests)
    const k = key(this.who.agency, this.months)
    const allowed = (this.who.role === "approver" || this.who.role === "admin") && r.now >= periodEndsAt(period) && !m.closed.has(k) && !m.pending.has(k)
    expect(Result.isSuccess(result)).toBe(allowed)
    if (!allowed) return
    r.seq++
    const id = `req-${r.seq}`
    const sha = shaFor(this.who.agency, this.months, r.seq)
    r.requests.push({ id, agency: this.who.agency, year: 2025, months: this.months, cutoff: r.now, snapshotSha256: sha, requestedBy: this.who.officer, requestedAt: r.now, decision: undefined, decidedBy: undefined, decidedAt: undefined })
    m.pending.set(k, { id, by: this.who.officer, sha })
  }
  toString = () => `ask(${this.who.officer}, ${this.months})`
}

class Decide implements fc.Command<Model, Real> {
  readonly who: Decider
  readonly pick: number
  readonly honest: boolean
  readonly decision: "closed" | "rejected"
  constructor(who: Decider, pick: number, honest: boolean, decision: "closed" | "rejected") {
    this.who = who
    this.pick = pick
    this.honest = honest
    this.decision = decision
  }
  check = () => true
  run(m: Model, r: Real) {
    const target = r.requests[this.pick % Math.max(1, r.requests.length)]
    const id = target?.id ?? "req-none"
    const sha = this.honest ? target?.snapshotSha256 ?? "" : "f".repeat(64)
    const result = checkClosingDecision(target, this.who, sha, id)
    const k = target === undefined ? "" : key(target.agency, target.months)
    const waiting = target !== undefined && m.pending.get(k)?.id === id
    const allowed = waiting && (this.who.role === "approver" || this.who.role === "admin") && this.who.agency === target.agency &&
      m.pending.get(k)?.by !== this.who.officer && this.honest
    expect(Result.isSuccess(result)).toBe(allowed)
    if (!allowed || target === undefined) return
    const i = r.requests.indexOf(target)
    r.requests[i] = { ...target, decision: this.decision, decidedBy: this.who.officer, decidedAt: r.now }
    m.pending.delete(k)
    if (this.decision === "closed") m.closed.add(k)
  }
  toString = () => `${this.decision}(${this.who.officer}, #${this.pick}, ${this.honest ? "same figures" : "other figures"})`
}

class Withdraw implements fc.Command<Model, Real> {
  readonly who: Decider
  readonly pick: number
  constructor(who: Decider, pick: number) {
    this.who = who
    this.pick = pick
  }
  check = () => true
  run(m: Model, r: Real) {
    const target = r.requests[this.pick % Math.max(1, r.requests.length)]
    const result = checkWithdrawal(target, this.who, target?.id ?? "req-none")
    const k = target === undefined ? "" : key(target.agency, target.months)
    const allowed = target !== undefined && m.pending.get(k)?.id === target.id && m.pending.get(k)?.by === this.who.officer
    expect(Result.isSuccess(result)).toBe(allowed)
    if (!allowed || target === undefined) return
    r.requests[r.requests.indexOf(target)] = { ...target, decision: "withdrawn", decidedBy: this.who.officer, decidedAt: r.now }
    m.pending.delete(k)
  }
  toString = () => `withdraw(${this.who.officer}, #${this.pick})`
}

class Tick implements fc.Command<Model, Real> {
  readonly days: number
  constructor(days: number) {
    this.days = days
  }
  check = () => true
  run(m: Model, r: Real) {
    r.now = iso(Date.parse(r.now) + this.days * 86_400_000)
    m.now = r.now
    // What a report knows: exactly the periods closed so far, per agency, each once.
    for (const agency of ["HCM", "HNI"]) {
      const known = closingsKnownAt(r.requests, [agency], r.now)
      expect(known.map((c) => key(agency, c.months)).sort()).toEqual([...m.closed].filter((k) => k.startsWith(`${agency}:`)).sort())
    }
  }
  toString = () => `tick(${this.days})`
}

describe("closing a period (fc.commands)", () => {
  test("never by the asker, never twice, never early, never another agency's, never other figures", () => {
    const who = fc.constantFrom(...officers)
    const commands = [
      fc.tuple(who, fc.integer({ min: 1, max: 12 })).map(([w, n]) => new Ask(w, n)),
      fc.tuple(who, fc.nat(30), fc.boolean(), fc.constantFrom("closed" as const, "rejected" as const)).map(([w, p, h, d]) => new Decide(w, p, h, d)),
      fc.tuple(who, fc.nat(30)).map(([w, p]) => new Withdraw(w, p)),
      fc.integer({ min: 1, max: 40 }).map((d) => new Tick(d))
    ]
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        const start = "2024-12-15T03:00:00.000Z"
        fc.modelRun(() => ({ model: { closed: new Set<string>(), pending: new Map(), now: start }, real: { requests: [], now: start, seq: 0 } }), cmds)
      }),
      { numRuns: 200 }
    )
  })
})
