/**
 * Lookup by code (mã tra cứu), as Circular 04/2023/TT-BTP asks for.
 *
 * With the code alone anyone sees a summary that names nobody: the agency,
 * series and number, the date, the amount and the status (no payer name, no
 * digit of the identity number, no purpose text, which quotes the case). The
 * whole receipt, and its printable PDF, come only with the payer's identity
 * number, and those checks are limited per lookup code
 * (domain/lookup-guard.ts, store/public/lookup-attempts.ts): a few failures lock
 * the code for a while, so a number cannot be found by guessing, however
 * many clients guess.
 *
 * A receipt recorded without an identity number (a company, say) shows the
 * summary, and its PDF in the masked view, to the code alone.
 */
import { Effect, Result } from "effect"
import { validateIdentityNumber } from "../../domain/identity.ts"
import { normalizeLookupCode } from "../../domain/ids.ts"
import { encodeReceipt, formatReceiptNumber, isIssued, type IssuedReceipt, type ReceiptJson } from "../../domain/receipt.ts"
import { approvedCorrections, type PublicCorrection } from "../../domain/public-corrections.ts"
import type { ReceiptRef } from "../../domain/receipt.ts"
import { agencyDisplayName } from "../../store/agencies/agency-names.ts"
import { admitIdentityCheck, settleIdentityCheck } from "../../store/public/lookup-attempts.ts"
import { ApiError } from "../http/errors.ts"
import { apiErrorOf } from "../http/domain-errors.ts"
import type { EdgeServices } from "../services.ts"

export interface LookupSummary {
  /** The receipt's lookup code as printed on it. */
  readonly lookupCode: string
  readonly agency: string
  readonly agencyName: string | null
  readonly series: { readonly form: string; readonly symbol: string }
  readonly number: number
  readonly printedNumber: string
  readonly issuedAt: string
  readonly status: "issued" | "voided" | "replaced"
  readonly amount: string
  readonly replacedBy: ReceiptRef | null
  readonly replaces: ReceiptRef | null
  readonly voidedAt: string | null
  /** Approved corrections of the name or address: which field and when, not the text (shown beside the signed values, labelled). */
  readonly corrections: ReadonlyArray<PublicCorrection>
}

export interface LookupResult {
  readonly summary: LookupSummary
  /** Whether an identity number was given and matched. */
  readonly identityMatched: boolean
  /** The whole receipt, only when the identity number matched. */
  readonly receipt: ReceiptJson | null
  /** Whether this request may have the printable PDF (the number matched, or the receipt has none). */
  readonly printable: boolean
}

const codePattern = /^[0-9A-HJKMNP-TV-Z]{12}$/

/** What the person typed, shortened, for messages: never the normalised form, which they did not type. */
export const typedForMessage = (typed: string): string => typed.trim().slice(0, 40)

const checkCode = (typedCode: string): string => {
  if (typedCode.trim() === "") throw new ApiError(400, "missing_lookup_code", "give the lookup code: 12 letters and digits, as printed on the receipt")
  const code = normalizeLookupCode(typedCode)
  if (!codePattern.test(code)) {
    const typed = typedForMessage(typedCode)
    throw new ApiError(400, "invalid_lookup_code", `"${typed}" is not a lookup code: it has 12 letters and digits, as printed on the receipt`, { details: { typed } })
  }
  return code
}

/** The identity number as stored (canonical), or a 400 naming the rule it breaks; checking its shape costs no attempt. */
const checkIdNumber = (typed: string | undefined): string | undefined => {
  if (typed === undefined || typed.trim() === "") return undefined
  const valid = validateIdentityNumber(typed)
  if (Result.isFailure(valid)) {
    const e = valid.failure
    throw new ApiError(400, "invalid_id_number", e.message, { details: { rule: e.rule, kind: e.kind } })
  }
  return valid.success.value
}

export const lookup = async (s: EdgeServices, typedCode: string, typedIdNumber: string | undefined): Promise<LookupResult> =>
  (await lookupWithReceipt(s, typedCode, typedIdNumber)).result

/** As `lookup`, with the receipt itself for the server's own use (the PDF). */
export const lookupWithReceipt = async (
  s: EdgeServices,
  typedCode: string,
  typedIdNumber: string | undefined
): Promise<{ readonly result: LookupResult; readonly issued: IssuedReceipt; readonly agencyName: string | null }> => {
  const code = checkCode(typedCode)
  const idNumber = checkIdNumber(typedIdNumber)
  const notFound = () => {
    const typed = typedForMessage(typedCode)
    return new ApiError(404, "not_found", `no receipt has the lookup code ${typed}`, { details: { typed } })
  }
  const found = await s.run(Effect.result(s.store.findByLookupCode(code)))
  if (Result.isFailure(found)) {
    if (found.failure._tag === "ReceiptNotFound") throw notFound()
    throw apiErrorOf(found.failure)
  }
  const r = found.success
  if (!isIssued(r) || r.status === "draft" || r.status === "submitted") throw notFound()
  const name = (await agencyDisplayName(s.db, r.agency)) ?? null
  const summary: LookupSummary = {
    lookupCode: r.lookupCode,
    agency: r.agency,
    agencyName: name,
    series: r.series,
    number: r.number,
    printedNumber: formatReceiptNumber(r.number),
    issuedAt: r.issuedAt,
    status: r.status,
    amount: r.amount.toString(10),

    replacedBy: r.replacedBy ?? null,
    replaces: r.replaces ?? null,
    voidedAt: r.voided?.at ?? null,
    // That a field was corrected, and when; not its text: the summary names nobody.
    corrections: approvedCorrections(r.annotations).map((a) => ({ field: a.field, at: a.at }))
  }
  const matched = idNumber !== undefined && (await checkIdentity(s, code, idNumber, r.payer.idNumber))
  return {
    result: { summary, identityMatched: matched, receipt: matched ? encodeReceipt(r) : null, printable: matched || r.payer.idNumber === undefined },
    issued: r,
    agencyName: name
  }
}

/**
 * One identity check under the per-code guard. A receipt without a number
 * on record fails every check like a wrong number does, so the answers do
 * not tell the two apart.
 */
const checkIdentity = async (s: EdgeServices, code: string, given: string, onRecord: string | undefined): Promise<boolean> => {
  const policy = s.config.lookupGuard
  const admission = await admitIdentityCheck(s.db, code, s.now().toISOString(), policy)
  if (admission._tag === "Locked") {
    const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(admission.lockedUntil) - s.now().getTime()) / 1000))
    throw new ApiError(
      429,
      "identity_check_locked",
      `too many wrong identity numbers were tried with this lookup code: identity checks for it are locked until ${admission.lockedUntil}; try again then, or ask the agency that issued the receipt`,
      { details: { lockedUntil: admission.lockedUntil, retryAfterSeconds }, headers: { "Retry-After": String(retryAfterSeconds) } }
    )
  }
  const matched = onRecord !== undefined && given === onRecord
  await settleIdentityCheck(s.db, code, matched, s.now().toISOString(), policy, admission.state.windowStartedAt)
  return matched
}
