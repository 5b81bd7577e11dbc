import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { vietnamDateOf } from "../../domain/dates.ts"
import { draftReplacement, issue, markReplaced, submit, voidReceipt } from "../../domain/lifecycle.ts"
import { decodeReceipt, type IssuedReceipt } from "../../domain/receipt.ts"
import { payoutEvent, receiptEvents, type ReportEvent } from "../../domain/reports/events.ts"
import { addEvent, type Figures, netCollected, sumFigures, zeroFigures } from "../../domain/reports/figures.ts"
import { type MoneyReport, moneyReport, type MoneyReportInput, type PeriodClosing } from "../../domain/reports/money-report.ts"
import { periodEnd, periodEndsAt, periodStart, type StatisticalPeriod } from "../../domain/reports/period.ts"
import { issuedJson } from "../domain/receipt.fixtures.ts"
import { DAY, eventsArb, iso, monthsArb, yearArb, yearBounds } from "./report.arbitraries.ts"

const report = (input: MoneyReportInput): MoneyReport => {
  const r = moneyReport(input)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const figuresOf = (r: MoneyReport) => ({ groups: r.groups, monthly: r.monthly, total: r.total })

/** An oracle written differently: by the Vietnamese calendar day of each event, against the period's first and last day. */
const naiveTotal = (events: ReadonlyArray<ReportEvent>, p: StatisticalPeriod, cutoff: string): Figures =>
  events
    .filter((e) => e.recordedAt <= cutoff)
    .filter((e) => {
      const day = vietnamDateOf(e.at)
      return periodStart(p) <= day && day <= periodEnd(p)
    })
    .reduce((f, e) => addEvent(f, e.kind, e.amount), zeroFigures)

const farFuture = "2199-01-01T00:00:00.000Z"

describe("cumulative figures", () => {
  test("a period's figures are the sum of its monthly figures, and each month is the same in every longer period", () => {
    fc.assert(
      fc.property(yearArb.chain((y) => fc.tuple(fc.constant(y), monthsArb, eventsArb(y))), ([year, months, events]) => {
        const full = report({ period: { year, months }, asOf: farFuture, closings: [], events })
        expect(full.total).toEqual(sumFigures(full.monthly))
        expect(full.total).toEqual(sumFigures(full.groups.map((g) => g.total)))
        for (const g of full.groups) {
          expect(g.total).toEqual(sumFigures(g.monthly))
          expect(g.total).toEqual(sumFigures(g.rows.map((r) => r.total)))
          for (const r of g.rows) expect(r.total).toEqual(sumFigures(r.monthly))
        }
        for (let k = 1; k <= months; k++) {
          const shorter = report({ period: { year, months: k }, asOf: farFuture, closings: [], events })
          expect(shorter.monthly[k - 1]).toEqual(full.monthly[k - 1]!)
          expect(full.monthly.slice(0, k)).toEqual(shorter.monthly as Array<Figures>)
        }
        expect(full.total).toEqual(naiveTotal(events, { year, months }, farFuture))
      }),
      { numRuns: 60 }
    )
  })

  test("net collected is issued less voided less replaced", () => {
    const f = [
      ["issued", 100n],
      ["issued", 50n],
      ["voided", 30n],
      ["replaced", 20n],
      ["paid", 7n]
    ].reduce((acc, [k, a]) => addEvent(acc, k as "issued", a as bigint), zeroFigures)
    expect(netCollected(f)).toBe(100n)
    expect(f.paid).toEqual({ count: 1, amount: 7n })
  })
})

describe("closing a period", () => {
  const scenario = yearArb.chain((year) =>
    fc
      .record({
        months: monthsArb,
        closeAfterMs: fc.integer({ min: 0, max: 20 * DAY }),
        askAfterMs: fc.integer({ min: 0, max: 20 * DAY }),
        laterMs: fc.integer({ min: 1, max: 200 * DAY })
      })
      .chain((s) => {
        const closedAt = iso(Date.parse(periodEndsAt({ year, months: s.months })) + s.closeAfterMs)
        const asOf = iso(Date.parse(closedAt) + s.askAfterMs)
        return fc.record({
          year: fc.constant(year),
          months: fc.constant(s.months),
          closedAt: fc.constant(closedAt),
          asOf: fc.constant(asOf),
          laterAsOf: fc.constant(iso(Date.parse(asOf) + s.laterMs)),
          before: eventsArb(year, { prefix: "a" }),
          // Recorded after the first report was asked for, so after the closing: some fall in the closed months.
          after: eventsArb(year, { prefix: "b", notRecordedBefore: Date.parse(asOf) + 1 })
        })
      })
  )

  test("a closed period's figures never change; later events show up as dated adjustments", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const period = { year: s.year, months: s.months }
        const closing: PeriodClosing = { ...period, closedAt: s.closedAt }
        const first = report({ period, asOf: s.asOf, closings: [closing], events: s.before })
        const again = report({ period, asOf: s.laterAsOf, closings: [closing], events: [...s.before, ...s.after] })
        expect(first.status).toBe("closed")
        expect(again.status).toBe("closed")
        expect(figuresOf(again)).toEqual(figuresOf(first))
        expect(first.total).toEqual(naiveTotal(s.before, period, s.closedAt))

        const inPeriod = (e: ReportEvent) => {
          const day = vietnamDateOf(e.at)
          return periodStart(period) <= day && day <= periodEnd(period)
        }
        const expected = [...s.before, ...s.after]
          .filter((e) => inPeriod(e) && e.recordedAt > s.closedAt && e.recordedAt <= s.laterAsOf)
          .map((e) => e.id)
          .sort()
        expect(again.adjustments.map((a) => a.eventId).sort()).toEqual(expected)
        for (const a of again.adjustments) {
          expect(a.recordedAt > s.closedAt).toBe(true)
          expect(a.missingFrom.map((c) => c.months)).toContain(s.months)
        }
        // What was an adjustment stays one, with the same dates.
        for (const a of first.adjustments) expect(again.adjustments).toContainEqual(a)
      }),
      { numRuns: 80 }
    )
  })

  test("the same report asked twice for a closed period is equal", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const period = { year: s.year, months: s.months }
        const input = { period, asOf: s.laterAsOf, closings: [{ ...period, closedAt: s.closedAt }], events: [...s.before, ...s.after] }
        expect(report(input)).toEqual(report(input))
      }),
      { numRuns: 30 }
    )
  })

  test("a later period counts a late event and says which closed report lacks it", () => {
    const march = Date.parse("2025-03-10T03:00:00.000Z")
    const closing: PeriodClosing = { year: 2025, months: 6, closedAt: "2025-04-03T02:00:00.000Z" }
    const late: ReportEvent = {
      id: "paid:line-7",
      kind: "paid",
      agency: "HCM",
      office: "HCM-KV01",
      amount: 43_000_000n,
      at: iso(march),
      recordedAt: "2025-04-05T09:30:00.000Z",
      ref: "line-7",
      label: "Đợt 8 – dòng 7"
    }
    const onTime: ReportEvent = { ...late, id: "paid:line-6", ref: "line-6", label: "Đợt 8 – dòng 6", recordedAt: iso(march) }

    const six = report({ period: { year: 2025, months: 6 }, asOf: "2025-05-01T00:00:00.000Z", closings: [closing], events: [late, onTime] })
    expect(six.total.paid).toEqual({ count: 1, amount: 43_000_000n })
    expect(six.adjustments).toHaveLength(1)
    expect(six.adjustments[0]).toMatchObject({ eventId: "paid:line-7", month: "2025-03", recordedAt: "2025-04-05T09:30:00.000Z" })
    expect(six.adjustments[0]!.missingFrom).toEqual([closing])

    const seven = report({ period: { year: 2025, months: 7 }, asOf: "2025-05-01T00:00:00.000Z", closings: [closing], events: [late, onTime] })
    expect(seven.status).toBe("provisional")
    expect(seven.monthly[5]!.paid).toEqual({ count: 2, amount: 86_000_000n })
    expect(seven.adjustments).toEqual([])
    expect(seven.lateEntries.map((a) => a.eventId)).toEqual(["paid:line-7"])
    expect(seven.lateEntries[0]!.missingFrom).toEqual([closing])
  })

  test("before its closing a period is provisional and shows everything recorded by then", () => {
    const period = { year: 2025, months: 1 }
    const e: ReportEvent = {
      id: "issued:x",
      kind: "issued",
      agency: "HCM",
      amount: 5n,
      at: "2024-10-31T16:59:59.999Z",
      recordedAt: "2024-11-02T00:00:00.000Z",
      ref: "x",
      label: "AA/24E 0000001"
    }
    const closing = { ...period, closedAt: "2024-11-03T00:00:00.000Z" }
    const early = report({ period, asOf: "2024-11-02T12:00:00.000Z", closings: [closing], events: [e] })
    expect(early.status).toBe("provisional")
    expect(early.cutoff).toBe("2024-11-02T12:00:00.000Z")
    expect(early.total.issued.amount).toBe(5n)
    const closed = report({ period, asOf: "2024-12-01T00:00:00.000Z", closings: [closing], events: [e] })
    expect(closed.status).toBe("closed")
    expect(closed.cutoff).toBe(closing.closedAt)
    expect(figuresOf(closed)).toEqual(figuresOf(early))
  })
})

describe("determinism", () => {
  test("the same events and closings in any order, and repeated, give the same report", () => {
    fc.assert(
      fc.property(
        yearArb.chain((year) =>
          fc.record({
            year: fc.constant(year),
            months: monthsArb,
            events: eventsArb(year),
            closeAfter: fc.array(fc.integer({ min: 0, max: 30 * DAY }), { minLength: 12, maxLength: 12 }),
            seed: fc.integer()
          })
        ),
        ({ year, months, events, closeAfter, seed }) => {
          const closings = closeAfter.map((d, i) => ({ year, months: i + 1, closedAt: iso(Date.parse(periodEndsAt({ year, months: i + 1 })) + d) }))
          const asOf = iso(yearBounds(year).end + 40 * DAY)
          const input = { period: { year, months }, asOf, closings, events }
          const shuffled = fc.sample(fc.shuffledSubarray([...events], { minLength: events.length }), { seed, numRuns: 1 })[0]!
          const reordered = {
            ...input,
            events: [...shuffled, ...shuffled.slice(0, 3)],
            closings: [...closings].reverse()
          }
          expect(report(reordered)).toEqual(report(input))
        }
      ),
      { numRuns: 60 }
    )
  })
})

describe("units and scope", () => {
  const event = (id: string, agency: string, office?: string): ReportEvent => ({
    id,
    kind: "issued",
    agency,
    office,
    amount: 10n,
    at: "2024-10-05T03:00:00.000Z",
    recordedAt: "2024-10-05T03:00:00.000Z",
    ref: id,
    label: id
  })
  test("rows are sorted by agency then office, the agency's own row first; listed units appear with zeros", () => {
    const r = report({
      period: { year: 2025, months: 2 },
      asOf: farFuture,
      closings: [],
      events: [event("1", "HNI", "HNI-KV02"), event("2", "HCM", "HCM-KV01"), event("3", "HCM")],
      units: [{ agency: "HCM", office: "HCM-KV09" }, { agency: "DNG" }]
    })
    expect(r.groups.map((g) => [g.agency, g.rows.map((row) => row.office ?? "-")])).toEqual([
      ["DNG", ["-"]],
      ["HCM", ["-", "HCM-KV01", "HCM-KV09"]],
      ["HNI", ["HNI-KV02"]]
    ])
    expect(r.groups[0]!.total).toEqual(zeroFigures)
    expect(r.total.issued).toEqual({ count: 3, amount: 30n })
  })

  test("an agency's report holds only that agency", () => {
    const r = report({
      period: { year: 2025, months: 2 },
      asOf: farFuture,
      closings: [],
      events: [event("1", "HNI"), event("2", "HCM")],
      agencies: ["HCM"],
      units: [{ agency: "HNI" }]
    })
    expect(r.groups.map((g) => g.agency)).toEqual(["HCM"])
  })
})

describe("bad input", () => {
  const good: ReportEvent = {
    id: "issued:a",
    kind: "issued",
    agency: "HCM",
    amount: 1n,
    at: "2024-10-05T03:00:00.000Z",
    recordedAt: "2024-10-05T03:00:00.000Z",
    ref: "a",
    label: "a"
  }
  const problems = (input: Partial<MoneyReportInput>): ReadonlyArray<string> => {
    const r = moneyReport({ period: { year: 2025, months: 3 }, asOf: farFuture, closings: [], events: [good], ...input })
    if (Result.isSuccess(r)) throw new Error("expected a refusal")
    expect(r.failure.message).toContain("the report cannot be computed")
    return r.failure.problems
  }

  test("every problem is named, all at once", () => {
    const found = problems({
      period: { year: 2025, months: 13 },
      asOf: "yesterday",
      events: [
        good,
        { ...good, amount: 2n },
        { ...good, id: "neg", amount: -1n },
        { ...good, id: "early", recordedAt: "2024-10-01T00:00:00.000Z" },
        { ...good, id: "bad-at", at: "2024-10-05" }
      ],
      closings: [{ year: 2025, months: 3, closedAt: "2024-12-15T00:00:00.000Z" }]
    })
    expect(found).toEqual([
      "a period has 1 to 12 months, not 13",
      `"asOf" is not an ISO instant like 2025-06-23T08:15:30.000Z`,
      `event "issued:a" appears twice with different content`,
      `event "neg": the amount must be whole đồng from 0 to below 10^15`,
      `event "early": recorded before it happened`,
      `event "bad-at": "at" is not an ISO instant like 2025-06-23T08:15:30.000Z`,
      "closing of 2025/3: closed at 2024-12-15T00:00:00.000Z, before the period ended (2024-12-31)"
    ])
  })

  test("a period is closed once", () => {
    expect(
      problems({
        closings: [
          { year: 2025, months: 3, closedAt: "2025-01-03T00:00:00.000Z" },
          { year: 2025, months: 3, closedAt: "2025-01-04T00:00:00.000Z" }
        ]
      })
    ).toEqual(["the period 2025/3 is closed twice (2025-01-03T00:00:00.000Z and 2025-01-04T00:00:00.000Z); a period is closed once"])
  })
})

describe("events from receipts and payouts", () => {
  test("issue, void and replace become dated events that the report counts", () => {
    const ok = <A>(r: Result.Result<A, { message: string }>): A => {
      if (Result.isFailure(r)) throw new Error(r.failure.message)
      return r.success
    }
    const original = ok(decodeReceipt(issuedJson)) as IssuedReceipt
    const second = ok(decodeReceipt({ ...issuedJson, id: "11111111-2222-4333-8444-555555555555", number: 43, lookupCode: "7KQ2M9XH4T8Q" })) as IssuedReceipt
    const voided = ok(voidReceipt(second, { by: "le.minh.cuong", reason: "Nhập trùng", now: "2025-07-02T02:00:00.000Z" }))
    const draft = ok(
      draftReplacement(original, { ...original, amount: 125_000_000n, amountInWords: undefined }, {
        id: "22222222-3333-4444-8555-666666666666",
        maker: "tran.thi.binh",
        now: "2025-06-24T01:00:00.000Z"
      })
    )
    const replacement = ok(issue(ok(submit(draft, { by: "tran.thi.binh" })), { approver: "le.minh.cuong", number: 44, lookupCode: "7KQ2M9XH4T8R", now: "2025-06-24T02:00:00.000Z" }))
    const replaced = ok(markReplaced(original, replacement, { now: "2025-06-24T02:00:00.000Z" }))

    const events = ok(receiptEvents([replaced, voided, replacement]))
    expect(events.map((e) => `${e.kind} ${e.label} ${e.at}`).sort()).toEqual([
      "issued AA/25E 0000042 2025-06-23T03:40:00.000Z",
      "issued AA/25E 0000043 2025-06-23T03:40:00.000Z",
      "issued AA/25E 0000044 2025-06-24T02:00:00.000Z",
      "replaced AA/25E 0000042 2025-06-24T02:00:00.000Z",
      "voided AA/25E 0000043 2025-07-02T02:00:00.000Z"
    ])
    const payout = payoutEvent({
      kind: "deposited",
      lineId: "line-1",
      agency: "HCM",
      office: "HCM-KV01",
      amount: 9_000_000n,
      at: "2025-07-20T02:00:00.000Z",
      recordedAt: "2025-07-21T02:00:00.000Z"
    })
    const r = report({ period: { year: 2025, months: 10 }, asOf: farFuture, closings: [], events: [...events, payout] })
    expect(r.monthly[8]).toMatchObject({
      issued: { count: 3, amount: 376_000_000n },
      replaced: { count: 1, amount: 125_500_000n }
    })
    expect(r.monthly[9]).toMatchObject({ voided: { count: 1, amount: 125_500_000n }, deposited: { count: 1, amount: 9_000_000n } })
    expect(netCollected(r.total)).toBe(125_000_000n)

    const missing = receiptEvents([replacement])
    expect(Result.isFailure(missing) && missing.failure.message).toContain("AA/25E 0000042")
  })
})
