/** The final summary of a bulk job, as people read it. */
import { formatReceiptNumber } from "../../domain/receipt.ts"
import type { BulkSummary } from "./ingest.ts"

const n = (x: number) => x.toLocaleString("en-US")

export const summaryLines = (s: BulkSummary, extra: ReadonlyArray<string> = []): Array<string> => [
  `read ${n(s.read)} = accepted ${n(s.accepted)} + rejected ${n(s.rejected)}`,
  `accepted: ${n(s.inserted)} new, ${n(s.duplicates)} already present (duplicates)`,
  ...extra,
  ...(s.series.length === 0
    ? ["numbers used: none"]
    : s.series.map((u) => `numbers used: ${u.agency} ${u.form} ${u.symbol}: ${n(u.count)} (${formatReceiptNumber(u.first)}–${formatReceiptNumber(u.last)})`)),
  `elapsed ${(s.elapsedMs / 1000).toFixed(1)} s (${n(Math.round(s.read / Math.max(s.elapsedMs / 1000, 0.001)))} rows/s)`
]
