/**
 * The receipt every numbering benchmark issues: a draft submitted by its
 * maker, and an approval request for a copy of it with a fresh id and lookup
 * code. bench/numbering.ts and bench/group-batching.ts measure the same
 * workload, so they build it here once.
 */
import { Result } from "effect"
import { lookupCodeFromBytes, uuidFromBytes } from "../domain/ids.ts"
import { createDraft, submit } from "../domain/lifecycle.ts"
import type { IssueRequest } from "../domain/ports/receipt-store.ts"
import type { Receipt } from "../domain/receipt.ts"

export const random = (n: number) => crypto.getRandomValues(new Uint8Array(n))
export const now = () => new Date().toISOString()

/** A submitted draft of series (HCM, 01-BLTHADS, `symbol`). */
export const template = (symbol: string): Receipt =>
  Result.getOrThrow(Result.flatMap(createDraft({
    agency: "HCM",
    office: "HCM-KV01",
    series: { form: "01-BLTHADS", symbol },
    payer: { name: "Nguyễn Văn An", idNumber: "079090001234", address: "12 Lý Tự Trọng, phường Sài Gòn, TP. Hồ Chí Minh" },
    case: { decisionNumber: "1234/QĐ-CTHADS" },
    reason: "Nộp tiền thi hành án theo quyết định",
    amount: 125_500_000n,
    payment: { method: "bank_transfer", reference: "FT25174123456" }
  }, { id: uuidFromBytes(random(16)), maker: "lan.nguyen", now: now() }), (d) => submit(d, { by: "lan.nguyen" })))

/** The approver's request to issue a copy of `draft` (its own id and lookup code). */
export const requestFrom = (draft: Receipt): IssueRequest => ({
  draft: { ...draft, id: uuidFromBytes(random(16)) },
  approver: "hung.tran",
  lookupCode: lookupCodeFromBytes(random(8)),
  now: now()
})
