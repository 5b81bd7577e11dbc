/** Every payout refusal has a sentence in Vietnamese and in English. */
import { expect, test } from "bun:test"
import { PlanRefusal } from "../../domain/payout/allocate.ts"
import { RoundRefusal } from "../../domain/payout/approval.ts"
import { LineRefusal } from "../../domain/payout/line-state.ts"
import { lineRefusalText, planRefusalText, roundRefusalText } from "../../domain/payout/messages.ts"

test.each([
  ["plan", PlanRefusal.literals, planRefusalText],
  ["round", RoundRefusal.literals, roundRefusalText],
  ["line", LineRefusal.literals, lineRefusalText]
] as const)("every %s refusal reads in Vietnamese and English", (_what, reasons, table) => {
  expect(Object.keys(table).sort()).toEqual([...reasons].sort())
  for (const reason of reasons) {
    const sentence = (table as Record<string, { vi: string; en: string }>)[reason]!
    expect(sentence.vi.length).toBeGreaterThan(10)
    expect(sentence.en.length).toBeGreaterThan(10)
    expect(sentence.vi).not.toBe(sentence.en)
  }
})
