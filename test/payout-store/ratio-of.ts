/** ⌊amount × n / d⌉, halves up: what a ratio round gives one creditor (docs/PAYOUT.md). */
export const applyRatio = (amount: bigint, n: bigint, d: bigint): bigint => (2n * amount * n + d) / (2n * d)
