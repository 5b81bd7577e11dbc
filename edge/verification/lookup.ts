/**
 * Lookup by code (mã tra cứu), as Circular 04/2023/TT-BTP asks for: anyone
 * holding the code sees the receipt's summary with personal data masked;
 * the full receipt appears only when the payer's identity number is given
 * too and matches. A receipt recorded without an identity number (a
 * company, say) therefore only ever shows its summary here.
 */
import { Effect, Result } from "effect"
import { normalizeIdentityNumber, maskIdentityNumber } from "../../domain/identity.ts"
import { normalizeLookupCode } from "../../domain/ids.ts"
import { maskName } from "../../domain/privacy.ts"
import { type Annotation, encodeReceipt, formatReceiptNumber, isIssued, type IssuedReceipt, type ReceiptJson } from "../../domain/receipt.ts"
import { approvedCorrections } from "../pages/corrections.ts"
import type { ReceiptRef } from "../../domain/receipt.ts"
import { ApiError } from "../http/errors.ts"
import { apiErrorOf } from "../http/domain-errors.ts"
import type { EdgeServices } from "../services.ts"

export interface LookupSummary {
  readonly lookupCode: string
  readonly agency: string
  readonly agencyName: string | null
  readonly series: { readonly form: string; readonly symbol: string }
  readonly number: number
  readonly printedNumber: string
  readonly issuedAt: string
  readonly status: "issued" | "voided" | "replaced"
  readonly amount: string
  readonly maskedName: string
  readonly maskedIdNumber: string | null
  readonly reason: string
  readonly replacedBy: ReceiptRef | null
  readonly replaces: ReceiptRef | null
  readonly voidedAt: string | null
  /** Approved corrections of the name or address (shown beside the signed values, labelled). */
  readonly corrections: ReadonlyArray<Annotation>
}

export interface LookupResult {
  readonly summary: LookupSummary
  /** Whether an identity number was given and matched. */
  readonly identityMatched: boolean
  /** The whole receipt, only when the identity number matched. */
  readonly receipt: ReceiptJson | null
}

const codePattern = /^[0-9A-HJKMNP-TV-Z]{12}$/

export const lookup = async (s: EdgeServices, typedCode: string, typedIdNumber: string | undefined): Promise<LookupResult> =>
  (await lookupWithReceipt(s, typedCode, typedIdNumber)).result

/** As `lookup`, with the receipt itself for the server's own use (the PDF). */
export const lookupWithReceipt = async (
  s: EdgeServices,
  typedCode: string,
  typedIdNumber: string | undefined
): Promise<{ readonly result: LookupResult; readonly issued: IssuedReceipt; readonly agencyName: string | null }> => {
  const code = normalizeLookupCode(typedCode)
  if (!codePattern.test(code)) {
    throw new ApiError(400, "invalid_lookup_code", `"${typedCode.slice(0, 40)}" is not a lookup code: it has 12 letters and digits, as printed on the receipt`)
  }
  const found = await Effect.runPromise(Effect.result(s.store.findByLookupCode(code)))
  if (Result.isFailure(found)) {
    if (found.failure._tag === "ReceiptNotFound") throw new ApiError(404, "not_found", `no receipt has the lookup code ${code}`)
    throw apiErrorOf(found.failure)
  }
  const r = found.success
  if (!isIssued(r) || r.status === "draft" || r.status === "submitted") throw new ApiError(404, "not_found", `no receipt has the lookup code ${code}`)
  const name = (await s.db.query<{ name: string }>("SELECT name FROM agencies WHERE code = $1::text", [r.agency]))[0]?.name ?? null
  const summary: LookupSummary = {
    lookupCode: code,
    agency: r.agency,
    agencyName: name,
    series: r.series,
    number: r.number,
    printedNumber: formatReceiptNumber(r.number),
    issuedAt: r.issuedAt,
    status: r.status,
    amount: r.amount.toString(10),
    // The signed name; an approved correction is shown beside it, never in its place.
    maskedName: maskName(r.payer.name),
    maskedIdNumber: r.payer.idNumber === undefined ? null : maskIdentityNumber(r.payer.idNumber),
    reason: r.reason,
    replacedBy: r.replacedBy ?? null,
    replaces: r.replaces ?? null,
    voidedAt: r.voided?.at ?? null,
    corrections: approvedCorrections(r.annotations)
  }
  const matched = typedIdNumber !== undefined && typedIdNumber.trim() !== "" && r.payer.idNumber !== undefined &&
    normalizeIdentityNumber(typedIdNumber) === r.payer.idNumber
  return { result: { summary, identityMatched: matched, receipt: matched ? encodeReceipt(r) : null }, issued: r, agencyName: name }
}
