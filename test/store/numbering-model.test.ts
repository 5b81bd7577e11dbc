/**
 * Model-based test of numbering (fc.commands): random sequences of issue,
 * concurrent issue, bulk range, void, replace and the year rolling over run
 * against the store and against an in-memory model, on PGlite always and on
 * PostgreSQL when TEST_DATABASE_URL is set. After every command the stored
 * statuses agree with the model, each series holds exactly 1..N, the counter
 * says N, and every issued receipt still has the canonical bytes and seal it
 * was issued with.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Effect, Result } from "effect"
import { draftReplacement } from "../../domain/lifecycle.ts"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import type { ReceiptStore } from "../../domain/ports/receipt-store.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { canonicalText } from "../../store/receipts/receipt-rows.ts"
import { type TestDatabase, targets } from "./databases.ts"
import { draftInput, makeDraft, newId, requestFor } from "./fixtures.ts"
import { makeTestSigner } from "./test-signer.ts"

const SYMBOLS = ["AA/25E", "AB/25E", "AA/26E"] as const
/** Issue instants: mid-2025, and 00:30 on 1 January 2026 in Vietnam (still 2025 in UTC). */
const CLOCK = { 2025: "2025-06-23T03:00:00.000Z", 2026: "2025-12-31T17:30:00.000Z" } as const
const VOID_AT = "2026-03-01T01:00:00.000Z"
const MAKER = "lan.nguyen"

type Status = "issued" | "voided" | "replaced"

interface ModelReceipt {
  readonly issued: IssuedReceipt
  readonly canonical: string
  status: Status
}

interface Model {
  year: 2025 | 2026
  readonly counters: Map<string, number>
  readonly receipts: Array<ModelReceipt>
}

interface Real {
  readonly store: ReceiptStore["Service"]
  readonly db: TestDatabase["db"]
  /** A form of its own per run, so runs never share a series. */
  readonly form: string
}

type Cmd = fc.AsyncCommand<Model, Real>

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.result(effect))
const tagOf = (r: Result.Result<unknown, unknown>): string | undefined =>
  Result.isFailure(r) ? (r.failure as { _tag?: string })._tag : undefined
const yearOf = (symbol: string) => 2000 + Number(symbol.slice(3, 5))
const counterOf = (m: Model, symbol: string) => m.counters.get(symbol) ?? 0

const record = (m: Model, issued: IssuedReceipt) => {
  m.counters.set(issued.series.symbol, counterOf(m, issued.series.symbol) + 1)
  m.receipts.push({ issued, canonical: canonicalText(issued), status: "issued" })
}

/** Everything the database holds for this run, compared with the model. */
const check = async (m: Model, r: Real) => {
  const rows = await r.db.query<{ id: string; symbol: string; number: number; status: string; canonical: string; seal_signature: string }>(
    `SELECT id::text AS id, symbol, number, status, canonical, seal_signature FROM receipts
      WHERE agency = 'HCM' AND form = $1::text AND status <> 'draft'`,
    [r.form]
  )
  const byId = new Map(rows.map((row) => [row.id, row]))
  expect(rows.length).toBe(m.receipts.length)
  for (const e of m.receipts) {
    const row = byId.get(e.issued.id)
    expect(row).toBeDefined()
    expect({ status: row?.status, number: row?.number, symbol: row?.symbol }).toEqual({
      status: e.status,
      number: e.issued.number,
      symbol: e.issued.series.symbol
    })
    // Issued content never changes, whatever happened to the receipt since.
    expect(row?.canonical).toBe(e.canonical)
    expect(row?.seal_signature).toBe(e.issued.seal?.signature)
  }
  const counters = await r.db.query<{ symbol: string; last_number: number }>(
    "SELECT symbol, last_number FROM series_counter WHERE agency = 'HCM' AND form = $1::text",
    [r.form]
  )
  for (const symbol of SYMBOLS) {
    const numbers = rows.filter((row) => row.symbol === symbol).map((row) => row.number).sort((a, b) => a - b)
    expect(numbers).toEqual(Array.from({ length: counterOf(m, symbol) }, (_, i) => i + 1))
    expect(counters.find((c) => c.symbol === symbol)?.last_number ?? 0).toBe(counterOf(m, symbol))
  }
}

const issueCmd = (symbol: string, byMaker: boolean): Cmd => ({
  check: () => true,
  async run(m, r) {
    const draft = makeDraft({ series: { form: r.form, symbol } })
    const result = await run(r.store.issue(requestFor(draft, { now: CLOCK[m.year], ...(byMaker ? { approver: MAKER } : {}) })))
    if (yearOf(symbol) !== m.year) expect(tagOf(result)).toBe("SymbolYearMismatch")
    else if (byMaker) expect(tagOf(result)).toBe("TransitionError")
    else {
      expect(Result.isSuccess(result)).toBe(true)
      if (Result.isSuccess(result)) {
        expect(result.success.number).toBe(counterOf(m, symbol) + 1)
        record(m, result.success)
      }
    }
    await check(m, r)
  },
  toString: () => `issue(${symbol}${byMaker ? ", by maker" : ""})`
})

/** Several requests at once: they share group transactions; the refused ones take no number. */
const issueTogetherCmd = (symbol: string, byMaker: ReadonlyArray<boolean>): Cmd => ({
  check: (m) => yearOf(symbol) === m.year,
  async run(m, r) {
    const requests = byMaker.map((bad) =>
      requestFor(makeDraft({ series: { form: r.form, symbol } }), { now: CLOCK[m.year], ...(bad ? { approver: MAKER } : {}) }))
    const results = await Promise.all(requests.map((q) => run(r.store.issue(q))))
    const issued = results.flatMap((x) => (Result.isSuccess(x) ? [x.success] : []))
    expect(results.filter((x) => tagOf(x) === "TransitionError")).toHaveLength(byMaker.filter(Boolean).length)
    const first = counterOf(m, symbol) + 1
    expect(issued.map((x) => x.number).sort((a, b) => a - b)).toEqual(Array.from({ length: issued.length }, (_, i) => first + i))
    for (const x of [...issued].sort((a, b) => a.number - b.number)) record(m, x)
    await check(m, r)
  },
  toString: () => `issueTogether(${symbol}, ${byMaker.map((b) => (b ? "maker" : "ok")).join(" ")})`
})

const rangeCmd = (symbol: string, k: number): Cmd => ({
  check: () => true,
  async run(m, r) {
    const requests = Array.from({ length: k }, () => requestFor(makeDraft({ series: { form: r.form, symbol } }), { now: CLOCK[m.year] }))
    const result = await run(r.store.issueRange(requests))
    if (yearOf(symbol) !== m.year) expect(tagOf(result)).toBe("RangeRejected")
    else {
      expect(Result.isSuccess(result)).toBe(true)
      if (Result.isSuccess(result)) {
        const first = counterOf(m, symbol) + 1
        expect(result.success.map((x) => x.number)).toEqual(Array.from({ length: k }, (_, i) => first + i))
        for (const x of result.success) record(m, x)
      }
    }
    await check(m, r)
  },
  toString: () => `range(${symbol}, ${k})`
})

const voidCmd = (pick: number): Cmd => ({
  check: (m) => m.receipts.length > 0,
  async run(m, r) {
    const target = m.receipts[pick % m.receipts.length] as ModelReceipt
    const result = await run(r.store.voidReceipt("HCM", target.issued.id, { by: "hung.tran", reason: "Thu nhầm hồ sơ", now: VOID_AT }))
    if (target.status === "issued") {
      expect(Result.isSuccess(result)).toBe(true)
      target.status = "voided"
    } else {
      expect(tagOf(result)).toBe("TransitionError")
    }
    await check(m, r)
  },
  toString: () => `void(#${pick})`
})

/**
 * Replaces a receipt from the copy made when it was issued, as an officer
 * holding an old printout would: the store, not the caller, must notice when
 * the original has been voided or replaced since.
 */
const replaceCmd = (pick: number): Cmd => ({
  check: (m) => m.receipts.length > 0,
  async run(m, r) {
    const original = m.receipts[pick % m.receipts.length] as ModelReceipt
    const symbol = original.issued.series.symbol
    const draft = Result.getOrThrow(draftReplacement(
      original.issued,
      draftInput({ series: original.issued.series, amount: original.issued.amount + 1_000n }),
      { id: newId(), maker: MAKER, now: "2025-06-23T02:30:00.000Z" }
    ))
    const result = await run(r.store.issue(requestFor(draft, { now: CLOCK[m.year] })))
    if (yearOf(symbol) !== m.year) expect(tagOf(result)).toBe("SymbolYearMismatch")
    else if (original.status !== "issued") expect(tagOf(result)).toBe("StoreConflict")
    else {
      expect(Result.isSuccess(result)).toBe(true)
      if (Result.isSuccess(result)) {
        expect(result.success.number).toBe(counterOf(m, symbol) + 1)
        record(m, result.success)
        original.status = "replaced"
      }
    }
    await check(m, r)
  },
  toString: () => `replace(#${pick})`
})

const newYearCmd: Cmd = {
  check: (m) => m.year === 2025,
  async run(m, r) {
    m.year = 2026
    await check(m, r)
  },
  toString: () => "newYear"
}

const symbolArb = fc.constantFrom(...SYMBOLS)
const commands = [
  fc.tuple(symbolArb, fc.boolean()).map(([s, bad]) => issueCmd(s, bad)),
  symbolArb.map((s) => issueCmd(s, false)),
  fc.tuple(symbolArb, fc.array(fc.boolean(), { minLength: 2, maxLength: 6 })).map(([s, bad]) => issueTogetherCmd(s, bad)),
  fc.tuple(symbolArb, fc.integer({ min: 1, max: 4 })).map(([s, k]) => rangeCmd(s, k)),
  fc.nat(20).map(voidCmd),
  fc.nat(20).map(replaceCmd),
  fc.constant(newYearCmd)
]

for (const target of targets) {
  describe(`numbering model on ${target.name}`, () => {
    let t: TestDatabase
    let store: ReceiptStore["Service"]
    let runs = 0
    beforeAll(async () => {
      t = await target.make()
      store = makeReceiptStore(t.db, (await makeTestSigner()).sign)
    })
    afterAll(async () => {
      await t?.dispose()
    })

    test("issue, void, replace and year rollover agree with the model after every step", async () => {
      const seen = new Set<string>()
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 20 }), async (cmds) => {
          runs++
          const setup = () => ({
            model: { year: 2025 as const, counters: new Map(), receipts: [] } as Model,
            real: { store, db: t.db, form: `M${runs}-${target.name === "PGlite" ? "L" : "P"}` }
          })
          await fc.asyncModelRun(setup, cmds)
          for (const c of cmds) seen.add(String(c).replace(/\(.*/, ""))
        }),
        {
          numRuns: target.name === "PGlite" ? 25 : 40,
          // A walk that surely visits every command and both years runs first.
          examples: [[[
            issueCmd("AA/25E", false),
            issueTogetherCmd("AA/25E", [false, true, false, false]),
            replaceCmd(0),
            replaceCmd(0),
            voidCmd(1),
            voidCmd(1),
            rangeCmd("AB/25E", 3),
            issueCmd("AA/26E", false),
            newYearCmd,
            issueCmd("AA/25E", false),
            replaceCmd(2),
            rangeCmd("AA/26E", 2),
            issueCmd("AA/26E", true),
            issueTogetherCmd("AA/26E", [false, false, false])
          ]]]
        }
      )
      expect([...seen].sort()).toEqual(["issue", "issueTogether", "newYear", "range", "replace", "void"])
    }, 90_000)
  })
}
