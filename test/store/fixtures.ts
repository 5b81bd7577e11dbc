/** Drafts and issue requests with real Vietnamese content for the store tests. */
import { Result } from "effect"
import { createDraft, type DraftInput, submit } from "../../domain/lifecycle.ts"
import type { Receipt } from "../../domain/receipt.ts"
import type { IssueRequest } from "../../domain/ports/receipt-store.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../../domain/ids.ts"
import { contentSha256 } from "../../store/receipts/content-hash.ts"

let counter = 0
const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n))

export const newId = (): string => uuidFromBytes(randomBytes(16))
export const newLookupCode = (): string => lookupCodeFromBytes(randomBytes(8))

const payers = ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Minh Châu", "Công ty TNHH Xây dựng Phú Mỹ"]

export const draftInput = (over: Partial<DraftInput> = {}): DraftInput => {
  counter++
  return {
    agency: "HCM",
    office: "HCM-KV01",
    series: { form: "01-BLTHADS", symbol: "AA/25E" },
    payer: { name: payers[counter % payers.length] as string, address: "12 Lý Tự Trọng, phường Sài Gòn, TP. Hồ Chí Minh" },
    case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-03-14" },
    reason: "Nộp tiền thi hành án theo quyết định",
    amount: 125_500_000n + BigInt(counter),
    payment: { method: "bank_transfer", reference: `FT25${String(counter).padStart(8, "0")}` },
    ...over
  }
}

export const makeDraft = (over: Partial<DraftInput> = {}, ctx: { maker?: string; now?: string } = {}): Receipt =>
  Result.getOrThrow(createDraft(draftInput(over), { id: newId(), maker: ctx.maker ?? "lan.nguyen", now: ctx.now ?? "2025-06-23T02:00:00.000Z" }))

/** The same draft, submitted by its maker (only a submitted draft is issued). */
export const submitted = (draft: Receipt): Receipt => (draft.status === "draft" ? Result.getOrThrow(submit(draft, { by: draft.maker })) : draft)

/** A request to issue `draft`, which its maker has submitted (a draft is submitted first, as its maker would). */
export const requestFor = (draft: Receipt, over: Partial<IssueRequest> = {}): IssueRequest => ({
  draft: submitted(draft),
  approver: "hung.tran",
  lookupCode: newLookupCode(),
  now: "2025-06-23T03:00:00.000Z",
  ...over
})

/** An approval of the stored submitted `draft`, naming its content as the officer API does. */
export const approvalFor = (draft: Receipt, over: Partial<IssueRequest> = {}): IssueRequest => {
  const request = requestFor(draft, over)
  return { ...request, contentHash: contentSha256(request.draft), ...over }
}
