/**
 * Ingestion builds drafts with createDraftFast; it must be createDraft,
 * draft for draft and issue for issue, on what an office enters and on
 * every way that entry can be wrong.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { createDraft, type DraftInput } from "../../domain/lifecycle.ts"
import { createDraftFast } from "../../jobs/ingest/draft-json.ts"
import { draftInputArbitrary, officerArbitrary, yearArbitrary } from "../domain/receipt.arbitraries.ts"

const DAY = 86_400_000

const inputArbitrary = yearArbitrary.chain((year) => draftInputArbitrary(year, Date.UTC(year, 5, 15)))

type Breakage = (d: DraftInput) => DraftInput
const breakages: ReadonlyArray<Breakage> = [
  (d) => ({ ...d, amountInWords: undefined }),
  (d) => ({ ...d, amountInWords: "Một trăm đồng" }),
  (d) => ({ ...d, amountInWords: d.amountInWords?.normalize("NFD") }),
  (d) => ({ ...d, amount: -5n, amountInWords: undefined }),
  (d) => ({ ...d, amount: 10n ** 15n, amountInWords: undefined }),
  (d) => ({ ...d, agency: "hcm" }),
  (d) => ({ ...d, office: "HCM KV01" }),
  (d) => ({ ...d, office: undefined }),
  (d) => ({ ...d, series: { ...d.series, symbol: "AA/2026E" } }),
  (d) => ({ ...d, series: { ...d.series, form: "" } }),
  (d) => ({ ...d, payer: { ...d.payer, name: " Nguyễn Văn An" } }),
  (d) => ({ ...d, payer: { ...d.payer, name: d.payer.name.normalize("NFD") } }),
  (d) => ({ ...d, payer: { ...d.payer, address: "" } }),
  (d) => ({ ...d, payer: { ...d.payer, idNumber: "079 085 001 234" } }),
  (d) => ({ ...d, payer: { ...d.payer, idNumber: undefined, address: undefined } }),
  (d) => ({ ...d, case: { ...d.case, judgmentNumber: "12/2025/ds-st" } }),
  (d) => ({ ...d, case: { ...d.case, judgmentNumber: "12/2025/HNGĐ-ST".normalize("NFD") } }),
  (d) => ({ ...d, case: { ...d.case, decisionDate: "2025-02-30" } }),
  (d) => ({ ...d, case: { judgmentDate: "2025-05-02", decisionDate: "2025-05-01" } }),
  (d) => ({ ...d, reason: "ạ".repeat(501) }),
  (d) => ({ ...d, reason: "Nộp tiền thi hành án".normalize("NFD") }),
  (d) => ({ ...d, payment: { method: "bank_transfer", reference: "" } }),
  (d) => ({ ...d, payment: { method: "bank_transfer", reference: "FT 123 " } })
]

const ctxArbitrary = fc.record({
  id: fc.uuid({ version: 4 }),
  maker: fc.oneof(officerArbitrary, fc.constantFrom("unknown.maker", "Lan.Nguyen", "x")),
  now: fc.oneof(
    fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => new Date(ms).toISOString()),
    fc.constantFrom("2026-01-05", "2026-01-05T02:00:00Z", String(5 * DAY))
  )
})

const sameAsCreateDraft = (input: DraftInput, ctx: { id: string; maker: string; now: string }) => {
  const slow = createDraft(input, ctx)
  const fast = createDraftFast(input, ctx)
  expect(Result.isSuccess(fast)).toBe(Result.isSuccess(slow))
  if (Result.isSuccess(fast) && Result.isSuccess(slow)) expect(fast.success).toEqual(slow.success)
  if (Result.isFailure(fast) && Result.isFailure(slow)) expect(fast.failure.issues).toEqual(slow.failure.issues)
}

describe("createDraftFast", () => {
  test("is createDraft on what offices enter", () => {
    fc.assert(fc.property(inputArbitrary, ctxArbitrary, sameAsCreateDraft), { numRuns: 300 })
  })

  test("is createDraft on every kind of wrong entry, alone or together", () => {
    const broken = fc
      .tuple(inputArbitrary, fc.array(fc.constantFrom(...breakages), { minLength: 1, maxLength: 3 }))
      .map(([input, bs]) => bs.reduce((d, b) => b(d), input as DraftInput))
    fc.assert(fc.property(broken, ctxArbitrary, sameAsCreateDraft), { numRuns: 400 })
  })
})
