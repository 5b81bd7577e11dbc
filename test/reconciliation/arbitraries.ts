/** Generators of credits and targets for the matching properties. */
import fc from "fast-check"
import { type Credit, makeCredit, type Target } from "../../domain/reconciliation/credit.ts"
import { formatPaymentReference } from "../../domain/reconciliation/payment-reference.ts"

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const refBody = fc.array(fc.constantFrom(...alphabet), { minLength: 10, maxLength: 10 }).map((cs) => cs.join(""))
const names = ["NGUYEN VAN A", "TRAN THI B", "LE VAN C", "PHAM THI D"]
const decisions = ["757/QĐ-PTHADS", "1234/QĐ-CTHADS", "56/QĐ-THADS"]

export const targetArb = (i: number): fc.Arbitrary<Target> =>
  fc.record({
    body: refBody,
    amount: fc.constantFrom(1_000_000n, 2_500_000n, 5_000_000n, 125_500_000n),
    kind: fc.constantFrom("receipt" as const, "draft" as const, "request" as const),
    bank: fc.option(fc.constantFrom("FT001", "FT002", "FT003"), { nil: undefined }),
    decision: fc.option(fc.constantFrom(...decisions), { nil: undefined }),
    name: fc.constantFrom(...names)
  }).map((r) => ({
    id: `t${String(i).padStart(3, "0")}`,
    kind: r.kind,
    amount: r.amount,
    paid: 0n,
    paymentReference: formatPaymentReference(r.body),
    ...(r.bank === undefined ? {} : { bankReference: r.bank }),
    ...(r.decision === undefined ? {} : { decisionNumber: r.decision }),
    payerName: r.name
  }))

/** Targets and credits that pay them in every way the matcher knows, plus noise. */
export const scenarioArb: fc.Arbitrary<{ readonly targets: Array<Target>; readonly credits: Array<Credit> }> = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => targetArb(i))))
  .chain((targets) =>
    fc.record({
      targets: fc.constant(targets),
      payments: fc.array(
        fc.record({
          target: fc.nat(targets.length - 1),
          other: fc.nat(targets.length - 1),
          how: fc.constantFrom("ref", "ref-split", "two-refs", "bank", "decision", "decision-wrong-name", "nothing", "ref-wrong-amount"),
          name: fc.constantFrom(...names)
        }),
        { maxLength: 10 }
      )
    })
  )
  .map(({ targets, payments }) => {
    const credits: Array<Credit> = []
    let n = 0
    const credit = (amount: bigint, memo: string, bankReference?: string) =>
      credits.push(makeCredit({ account: "0071000123456", bankReference: bankReference ?? `FT9${String(n++).padStart(5, "0")}`, bookingDate: "2025-06-16", amount, memo }))
    for (const p of payments) {
      const t = targets[p.target] as Target
      const o = targets[p.other] as Target
      switch (p.how) {
        case "ref":
          credit(t.amount, `${t.payerName} NOP TIEN ${t.paymentReference}`)
          break
        case "ref-split":
          credit(t.amount / 2n, `${t.payerName} NOP ${t.paymentReference} LAN 1`)
          credit(t.amount - t.amount / 2n, `${t.payerName} NOP ${t.paymentReference} LAN 2`)
          break
        case "two-refs":
          credit(p.target === p.other ? t.amount : t.amount + o.amount, `NOP ${t.paymentReference} VA ${o.paymentReference}`)
          break
        case "bank":
          credit(t.amount, "CHUYEN KHOAN", t.bankReference ?? undefined)
          break
        case "decision":
          credit(t.amount, `${t.payerName} NOP TIEN THA THEO QD ${(t.decisionNumber ?? "1/QĐ-X").replace("Đ", "D")}`)
          break
        case "decision-wrong-name":
          credit(t.amount, `${p.name} NOP TIEN THA THEO QD ${(t.decisionNumber ?? "1/QĐ-X").replace("Đ", "D")}`)
          break
        case "ref-wrong-amount":
          credit(t.amount + 1n, `NOP ${t.paymentReference}`)
          break
        case "nothing":
          credit(700_000n, "CHUYEN TIEN")
          break
      }
    }
    // The store keys credits by account and bank reference: a reference is never seen twice.
    return { targets, credits: [...new Map(credits.map((c) => [c.key, c])).values()].reverse() }
  })
