/** The payout core is part of the domain's public surface. */
import { expect, test } from "bun:test"
import * as domain from "../../domain/index.ts"

test("domain/index.ts exports the payout core", () => {
  const functions = [
    "decodeClaims", "decodeRoundTerms", "rulesFor", "planRound", "apportion", "historyOf", "approvePlan", "checkApprovedPlan",
    "planSha256", "plannedBytes", "approvedBytes", "noticeBytes", "lineAt", "linesOf",
    "plannedLine", "approveLine", "sendLine", "markPaid", "markReturned", "depositLine",
    "parseRatio", "formatPercent", "feeForLine", "circular216Schedule"
  ] as const
  for (const name of functions) expect(typeof (domain as Record<string, unknown>)[name]).toBe("function")
  for (const schema of ["Claim", "Creditor", "BankAccount", "RoundTerms", "FeePolicy", "Rank", "LineState"] as const) {
    expect((domain as Record<string, unknown>)[schema]).toBeDefined()
  }
  expect(domain.formatPercent(domain.ratioOf(2481n, 10_000n))).toBe("24.81%")
})
