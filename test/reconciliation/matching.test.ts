/**
 * Matching credits to receipts, drafts and payment requests: a credit is
 * never matched twice, matched sums agree, the result does not depend on the
 * order credits and targets arrive in, and every way of matching and of
 * refusing to match on an example each.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { type Credit, makeCredit, type Target } from "../../domain/reconciliation/credit.ts"
import { proposeDraft } from "../../domain/reconciliation/draft-proposal.ts"
import { matchCredits } from "../../domain/reconciliation/matching.ts"
import { formatPaymentReference } from "../../domain/reconciliation/payment-reference.ts"
import { scenarioArb } from "./arbitraries.ts"

const credit = (ref: string, amount: bigint, memo: string, counterpartyName?: string): Credit =>
  makeCredit({ account: "0071000123456", bankReference: ref, bookingDate: "2025-06-16", amount, memo, counterpartyName })
const target = (id: string, amount: bigint, extra: Partial<Target> = {}): Target => ({
  id,
  kind: "receipt",
  amount,
  paid: 0n,
  paymentReference: formatPaymentReference(`${id.toUpperCase().padEnd(10, "0").slice(0, 10).replace(/[ILOU]/g, "0")}`),
  payerName: "NGUYEN VAN A",
  ...extra
})

describe("matching: properties", () => {
  test("every credit is decided once: matched, queued or unmatched, never two of those and never matched twice", () => {
    fc.assert(fc.property(scenarioArb, ({ targets, credits }) => {
      const r = matchCredits(credits, targets)
      const matched = new Set(r.allocations.map((a) => a.creditKey))
      const queued = r.queue.map((q) => q.creditKey)
      expect(new Set(queued).size).toBe(queued.length)
      for (const k of queued) expect(matched.has(k)).toBe(false)
      for (const k of r.unmatched) {
        expect(matched.has(k)).toBe(false)
        expect(queued.includes(k)).toBe(false)
      }
      expect(matched.size + queued.length + r.unmatched.length).toBe(new Set(credits.map((c) => c.key)).size)
    }))
  })

  test("matched sums agree: a credit's allocations add up to its amount, a target's to what it asked for", () => {
    fc.assert(fc.property(scenarioArb, ({ targets, credits }) => {
      const r = matchCredits(credits, targets)
      const perCredit = new Map<string, bigint>()
      const perTarget = new Map<string, bigint>()
      for (const a of r.allocations) {
        expect(a.amount > 0n).toBe(true)
        perCredit.set(a.creditKey, (perCredit.get(a.creditKey) ?? 0n) + a.amount)
        perTarget.set(a.targetId, (perTarget.get(a.targetId) ?? 0n) + a.amount)
      }
      for (const [k, sum] of perCredit) expect(sum).toBe(credits.find((c) => c.key === k)?.amount as bigint)
      for (const [id, sum] of perTarget) expect(sum).toBe(targets.find((t) => t.id === id)?.amount as bigint)
    }))
  })

  test("the result does not depend on the order credits and targets arrive in", () => {
    fc.assert(fc.property(scenarioArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.credits, { minLength: s.credits.length }), fc.shuffledSubarray(s.targets, { minLength: s.targets.length }))), ([s, credits, targets]) => {
      expect(matchCredits(credits, targets)).toEqual(matchCredits(s.credits, s.targets))
    }))
  })

  test("a credit carrying the one reference of a target, for its amount, and alone in wanting it, is matched with confidence 1", () => {
    fc.assert(fc.property(scenarioArb, ({ targets, credits }) => {
      const r = matchCredits(credits, targets)
      for (const c of credits) {
        const ts = targets.filter((t) => c.reading.references.includes(t.paymentReference))
        const rivals = credits.filter((o) => o.key !== c.key && o.reading.references.some((ref) => ts.some((t) => t.paymentReference === ref)))
        const shared = targets.filter((t) => ts.some((x) => x !== t && x.paymentReference === t.paymentReference))
        if (ts.length === 1 && rivals.length === 0 && shared.length === 0 && ts[0]?.amount === c.amount) {
          expect(r.allocations.filter((a) => a.creditKey === c.key).map((a) => [a.targetId, a.rule, a.confidence])).toEqual([[ts[0]?.id, "payment_reference", 1]])
        }
      }
    }))
  })
})

describe("matching: examples", () => {
  const a = target("A1", 5_000_000n, { decisionNumber: "757/QĐ-PTHADS" })
  const b = target("B2", 2_000_000n, { bankReference: "FT25167001234", payerName: "TRAN THI B" })

  test("reference beats a weaker rule and the evidence says why", () => {
    const c = credit("FT1", 5_000_000n, `NGUYEN VAN A NOP TIEN ${a.paymentReference}`)
    const r = matchCredits([c], [a, b])
    expect(r.allocations).toHaveLength(1)
    expect(r.allocations[0]).toMatchObject({ targetId: "A1", rule: "payment_reference", confidence: 1, amount: 5_000_000n })
    expect(r.allocations[0]?.evidence).toMatchObject({ joinedBy: [a.paymentReference], creditAmount: "5000000", targetAmount: "5000000" })
  })

  test("the bank reference written on a receipt", () => {
    const r = matchCredits([credit("FT25167001234", 2_000_000n, "CHUYEN KHOAN")], [a, b])
    expect(r.allocations.map((x) => [x.targetId, x.rule, x.confidence])).toEqual([["B2", "bank_reference", 0.95]])
  })

  test("decision + amount + name from the issue's memo", () => {
    const r = matchCredits([credit("FT2", 5_000_000n, "NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS")], [a, b])
    expect(r.allocations.map((x) => [x.targetId, x.rule, x.confidence])).toEqual([["A1", "decision_amount_name", 0.8]])
  })

  test("one credit pays two receipts; two credits pay one; sums agree", () => {
    const one = matchCredits([credit("FT3", 7_000_000n, `NOP ${a.paymentReference} ${b.paymentReference}`)], [a, b])
    expect(one.allocations.map((x) => [x.targetId, x.amount])).toEqual([["A1", 5_000_000n], ["B2", 2_000_000n]])
    const two = matchCredits([credit("FT4", 3_000_000n, `NOP ${a.paymentReference}`), credit("FT5", 2_000_000n, `NOP ${a.paymentReference} LAN 2`)], [a])
    expect(two.allocations.map((x) => [x.creditKey, x.amount])).toEqual([["0071000123456/FT4", 3_000_000n], ["0071000123456/FT5", 2_000_000n]])
  })

  test("an amount that differs goes to the queue and is flagged with both figures", () => {
    const r = matchCredits([credit("FT6", 4_900_000n, `NOP ${a.paymentReference}`)], [a])
    expect(r.allocations).toEqual([])
    expect(r.queue.map((q) => q.reason)).toEqual(["amount_differs"])
    expect(r.flags[0]).toMatchObject({ kind: "amount_differs", creditAmount: 4_900_000n, targetAmount: 5_000_000n })
    expect(r.flags[0]?.message).toContain("4900000")
  })

  test("ambiguous cases are never matched: two credits for one decision, two receipts for one memo, a name that differs", () => {
    const memo = "NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS"
    const contested = matchCredits([credit("FT7", 5_000_000n, memo), credit("FT8", 5_000_000n, memo)], [a])
    expect(contested.allocations).toEqual([])
    expect(contested.queue.map((q) => q.reason)).toEqual(["contested", "contested"])
    const twin = target("A2", 5_000_000n, { decisionNumber: "757/QĐ-PTHADS" })
    const several = matchCredits([credit("FT9", 5_000_000n, memo)], [a, twin])
    expect(several.queue.map((q) => [q.reason, q.candidates])).toEqual([["several_candidates", ["A1", "A2"]]])
    const other = matchCredits([credit("FT10", 5_000_000n, "LE VAN C NOP TIEN THA THEO QD 757/QD-PTHADS")], [a])
    expect(other.queue.map((q) => q.reason)).toEqual(["name_differs"])
  })

  test("an unmatched credit becomes a prefilled draft proposal", () => {
    const c = credit("FT11", 1_005_000n, "TRAN VAN D NOP TIEN THI HANH AN QD 88/QD-CTHADS")
    const r = matchCredits([c], [a])
    // Decision 88 belongs to no receipt: no candidate at all.
    expect(r.unmatched).toEqual(["0071000123456/FT11"])
    expect(r.queue).toEqual([])
    expect(proposeDraft(c)).toMatchObject({
      payerName: "TRAN VAN D",
      amount: 1_005_000n,
      amountInWords: "Một triệu không trăm linh năm nghìn đồng",
      bankReference: "FT11",
      decisionNumber: "88/QĐ-CTHADS"
    })
  })
})
