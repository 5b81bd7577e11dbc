/**
 * The ingest committer's pieces, each on its own (jobs/ingest/commit/): the
 * batch's rows and series groups, lookup codes, the sign items, the numbers
 * used per series, and signing ahead with a stand-in worker pool. The
 * composed committer is driven end to end by test/ingest/ingest.test.ts,
 * races.test.ts, kill.test.ts and speculation.test.ts.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { seriesKey } from "../../domain/series-key.ts"
import type { Sql } from "../../store/database/db.ts"
import type { Part } from "../../jobs/ingest/parts.ts"
import type { WorkPool } from "../../jobs/ingest/pool.ts"
import type { AcceptedRow, SignItem } from "../../jobs/ingest/work.ts"
import { batchRows, groupBySeries, type Held } from "../../jobs/ingest/commit/batch-rows.ts"
import { drawCodes, freshCodes } from "../../jobs/ingest/commit/lookup-codes.ts"
import { makeSeriesTally } from "../../jobs/ingest/commit/series-usage.ts"
import { makeSignAhead } from "../../jobs/ingest/commit/sign-ahead.ts"
import { signItems } from "../../jobs/ingest/commit/worker-signing.ts"
import { seededBytes } from "./harness.ts"

const series = fc.record({ agency: fc.constantFrom("HCM", "HNI"), form: fc.constant("01-BLTHADS"), symbol: fc.constantFrom("AA/25E", "AB/25E") })
/** Parts of accepted rows, ids drawn from a small pool so that repeats happen. */
const partsArb: fc.Arbitrary<Array<Part>> = fc.array(
  fc.array(fc.record({ id: fc.constantFrom("a", "b", "c", "d", "e", "f"), s: series }), { maxLength: 8 }),
  { minLength: 1, maxLength: 3 }
).map((parts) => {
  let index = 0
  return parts.map((rows, worker): Part => ({
    worker,
    prepared: {
      batchId: 1,
      rejects: [],
      accepted: rows.map((r): AcceptedRow => ({ index: index, row: ++index, id: r.id, ...r.s }))
    }
  }))
})

describe("the batch's rows (batch-rows.ts)", () => {
  test("property: the first row of each id is pending, later ones are repeats, in file order, each with its part", () => {
    fc.assert(fc.property(partsArb, (parts) => {
      const { all, pending, first, repeats } = batchRows(parts)
      const file = parts.flatMap((p) => p.prepared.accepted)
      expect(all.map((r) => r.row)).toEqual(file.map((r) => r.row))
      all.forEach((r) => expect(parts[r.part]?.prepared.accepted.some((a) => a.row === r.row)).toBe(true))
      expect(new Set(pending.map((r) => r.id)).size).toBe(pending.length)
      expect([...pending, ...repeats].map((r) => r.row).sort((a, b) => a - b)).toEqual(file.map((r) => r.row))
      for (const r of pending) expect(first.get(r.id)).toBe(r)
      for (const r of repeats) expect(first.get(r.id)!.row).toBeLessThan(r.row)
    }))
  })

  test("property: groups by series hold one series each, every row once, in file order", () => {
    fc.assert(fc.property(partsArb, (parts) => {
      const { pending } = batchRows(parts)
      const groups = groupBySeries(pending)
      const keys = groups.map((g) => seriesKey(g[0] as Held))
      expect(new Set(keys).size).toBe(groups.length)
      for (const g of groups) {
        expect(g.every((r) => seriesKey(r) === seriesKey(g[0] as Held))).toBe(true)
        expect(g.map((r) => r.row)).toEqual([...g.map((r) => r.row)].sort((a, b) => a - b))
      }
      expect(groups.flat().length).toBe(pending.length)
    }))
  })
})

describe("lookup codes (lookup-codes.ts)", () => {
  test("property: drawn codes are 12 Crockford base-32 characters, distinct, none already held, as many as asked", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1 << 30 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 10 }), (seed, n, h) => {
      const random = seededBytes(seed)
      const held = new Set(drawCodes(random, new Set(), Math.min(h, n)))
      const drawn = drawCodes(random, held, n)
      expect(drawn.length).toBe(n - held.size)
      expect(new Set(drawn).size).toBe(drawn.length)
      for (const c of drawn) {
        expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/)
        expect(held.has(c)).toBe(false)
      }
    }))
  })

  test("codes the agency already uses are drawn again", async () => {
    const random = seededBytes(7)
    // The first codes this generator gives are "taken" in the database.
    const taken = new Set(drawCodes(seededBytes(7), new Set(), 5))
    let asked = 0
    const sql = {
      query: async (_text: string, params?: ReadonlyArray<unknown>) => {
        asked++
        const codes = JSON.parse(String(params?.[1])) as Array<string>
        return codes.filter((c) => taken.has(c)).map((code) => ({ code }))
      }
    } as unknown as Sql
    const codes = await freshCodes(sql, random, "HCM", 8)
    expect(codes.length).toBe(8)
    expect(new Set(codes).size).toBe(8)
    expect(codes.some((c) => taken.has(c))).toBe(false)
    expect(asked).toBe(2)
  })
})

describe("sign items and the numbers used (worker-signing.ts, series-usage.ts)", () => {
  test("rows are numbered from first in their order, each with its code", () => {
    const rows = [{ index: 4 }, { index: 9 }, { index: 2 }] as Array<Held>
    expect(signItems(rows, 41, ["a", "b", "c"])).toEqual([
      { index: 4, number: 41, lookupCode: "a" },
      { index: 9, number: 42, lookupCode: "b" },
      { index: 2, number: 43, lookupCode: "c" }
    ])
  })

  test("property: per series, the count adds up and the range runs from the first note to the last", () => {
    fc.assert(fc.property(fc.array(fc.tuple(series, fc.integer({ min: 1, max: 100 })), { maxLength: 20 }), (notes) => {
      const tally = makeSeriesTally()
      const next = new Map<string, number>()
      for (const [s, count] of notes) {
        const first = next.get(seriesKey(s)) ?? 1
        tally.note(s, first, count)
        next.set(seriesKey(s), first + count)
      }
      const usage = tally.usage()
      expect(usage.length).toBe(next.size)
      for (const u of usage) {
        const mine = notes.filter(([s]) => seriesKey(s) === seriesKey(u))
        expect(u.count).toBe(mine.reduce((n, [, c]) => n + c, 0))
        expect([u.first, u.last]).toEqual([1, (next.get(seriesKey(u)) ?? 1) - 1])
      }
    }))
  })
})

describe("signing ahead (sign-ahead.ts)", () => {
  const hcm = { agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E" }
  const partOf = (ids: ReadonlyArray<string>, s = hcm, worker = 0): Part => ({
    worker,
    prepared: { batchId: 2, rejects: [], accepted: ids.map((id, i): AcceptedRow => ({ index: i, row: i + 1, id, ...s })) }
  })
  const poolWith = (signed: Array<ReadonlyArray<SignItem>>, fail = false): WorkPool => ({
    size: 1,
    prepare: async () => {
      throw new Error("not used")
    },
    sign: async (_w, _b, items) => {
      signed.push(items)
      if (fail) throw new Error("worker died")
      return { receipts: items.map((i) => `${i.number}\n`).join(""), search: "" }
    },
    release: async () => {},
    close: async () => {}
  })
  const free = { query: async () => [] } as unknown as Sql
  const fresh = (ids: ReadonlyArray<string>) => batchRows([partOf(ids)]).pending

  test("the next batch is signed with the numbers that follow; used when the reservation matches", async () => {
    const signed: Array<ReadonlyArray<SignItem>> = []
    const ahead = makeSignAhead(poolWith(signed), seededBytes(1))
    ahead.start([partOf(["x", "y"])], hcm, 11)
    expect(signed.map((items) => items.map((i) => i.number))).toEqual([[11, 12]])
    const head = await ahead.claim(free, hcm, 11, fresh(["x", "y"]))
    expect(await head?.text).toEqual({ receipts: "11\n12\n", search: "" })
    // Used once.
    expect(await ahead.claim(free, hcm, 11, fresh(["x", "y"]))).toBeUndefined()
  })

  test("dropped when the numbers, the rows or the series differ, or a code was taken meanwhile", async () => {
    const ahead = makeSignAhead(poolWith([]), seededBytes(2))
    const misses: Array<() => Promise<unknown>> = [
      () => ahead.claim(free, hcm, 12, fresh(["x", "y"])),
      () => ahead.claim(free, hcm, 11, fresh(["x"])),
      () => ahead.claim(free, { ...hcm, symbol: "AB/25E" }, 11, fresh(["x", "y"])),
      () => ahead.claim({ query: async () => [{ code: "taken" }] } as unknown as Sql, hcm, 11, fresh(["x", "y"]))
    ]
    for (const miss of misses) {
      ahead.start([partOf(["x", "y"])], hcm, 11)
      expect(await miss()).toBeUndefined()
    }
  })

  test("not started for a batch of two series, past the last number, or with nothing next", async () => {
    const signed: Array<ReadonlyArray<SignItem>> = []
    const ahead = makeSignAhead(poolWith(signed), seededBytes(3))
    ahead.start([partOf(["x"]), partOf(["y"], { ...hcm, symbol: "AB/25E" }, 1)], hcm, 1)
    ahead.start([partOf(["x", "y"])], hcm, 9_999_999)
    ahead.start(undefined, hcm, 1)
    expect(signed).toEqual([])
  })

  test("a failed head start is only lost time: the claim gives no text, and settled waits for it", async () => {
    const ahead = makeSignAhead(poolWith([], true), seededBytes(4))
    ahead.start([partOf(["x"])], hcm, 1)
    await ahead.settled()
    ahead.start([partOf(["x"])], hcm, 1)
    const head = await ahead.claim(free, hcm, 1, fresh(["x"]))
    expect(head).toBeDefined()
    expect(await head?.text).toBeUndefined()
  })
})
