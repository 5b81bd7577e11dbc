/**
 * Paying collected money out to creditors (chi trả tiền thi hành án): the
 * pure core. See docs/PAYOUT.md.
 */
export * from "./ratio.ts"
export * from "./rules.ts"
export * from "./claim.ts"
export * from "./fee.ts"
export * from "./largest-remainder.ts"
export * from "./round.ts"
export * from "./groups.ts"
export * from "./plan.ts"
export * from "./history.ts"
export * from "./allocate.ts"
export * from "./canonical.ts"
export * from "./approval.ts"
export * from "./notice.ts"
export * from "./line-state.ts"
export * from "./sha256.ts"
export * from "./messages.ts"
export * from "./sharing.ts"
export * from "./catch-up.ts"
export * from "./bank-answer.ts"
export * from "./claim-table.ts"
