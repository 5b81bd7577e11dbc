/**
 * Idempotency: a row's receipt id is derived, never random, so the same row
 * ingested twice (a rerun, a resumed job, two offices sending one file) maps
 * to the same primary key and is stored once.
 *
 * - With an external id (the legacy system's key): SHA-256 of agency and
 *   external id.
 * - Without: SHA-256 of the row's canonical content (agency, series, payer,
 *   case, reason, amount, payment), so two identical rows are one receipt.
 *   Give an external id when two real payments can look exactly alike.
 *
 * The first 16 bytes become a UUID (version bits set as for v4).
 */
import { createHash } from "node:crypto"
import { canonicalJson } from "../../domain/canonical.ts"
import { uuidFromBytes } from "../../domain/ids.ts"
import type { Receipt } from "../../domain/receipt.ts"

/** What identifies a payment: a draft's fields, or a stored receipt's JSON (draft or canonical), whose amount is a string. */
export interface ContentFields {
  readonly agency: string
  readonly office?: string | undefined
  readonly series: { readonly form: string; readonly symbol: string }
  readonly payer: { readonly name: string; readonly idNumber?: string | undefined; readonly address?: string | undefined }
  readonly case: {
    readonly judgmentNumber?: string | undefined
    readonly judgmentDate?: string | undefined
    readonly decisionNumber?: string | undefined
    readonly decisionDate?: string | undefined
  }
  readonly reason: string
  readonly amount: bigint | string
  readonly payment: { readonly method: string; readonly reference?: string | undefined }
}

/** The content that identifies a row without an external id: what was paid, by whom, for what. */
export const contentKey = (draft: ContentFields): string =>
  canonicalJson({
    agency: draft.agency,
    office: draft.office,
    series: { form: draft.series.form, symbol: draft.series.symbol },
    payer: { name: draft.payer.name, idNumber: draft.payer.idNumber, address: draft.payer.address },
    case: {
      judgmentNumber: draft.case.judgmentNumber,
      judgmentDate: draft.case.judgmentDate,
      decisionNumber: draft.case.decisionNumber,
      decisionDate: draft.case.decisionDate
    },
    reason: draft.reason,
    amount: String(draft.amount),
    payment: draft.payment.method === "cash" ? { method: "cash" } : { method: "bank_transfer", reference: draft.payment.reference }
  })

/**
 * A short fingerprint of `contentKey`: rows with an external id carry it, so
 * a rerun can tell a row already stored from a row whose external id was
 * reused for another payment.
 */
export const contentHash = (draft: ContentFields): string =>
  createHash("sha256").update(contentKey(draft), "utf8").digest("base64url")

const uuidOf = (text: string): string => uuidFromBytes(createHash("sha256").update(text, "utf8").digest())

export const receiptIdFor = (draft: Receipt, externalId: string | undefined): string =>
  externalId === undefined
    ? uuidOf(`bienlai-ingest/v1\u0000content\u0000${contentKey(draft)}`)
    : uuidOf(`bienlai-ingest/v1\u0000external\u0000${draft.agency}\u0000${externalId}`)
