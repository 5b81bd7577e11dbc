/**
 * Verification as the public endpoints give it: the offline verification of
 * the domain (signature, trust list, then status), fed with this server's
 * own signed status list of the token's series, plus how fresh that status
 * is.
 *
 * The signature comes first: only a token its agency really signed makes
 * the server build (and cache) a status list, so forged tokens naming made-up
 * series cost a signature check and nothing else. If the list cannot be had
 * (database down, no key), the answer is "authentic, status unknown", never
 * "valid"; the cause is logged, not shown.
 */
import { indexStatusLists } from "../../domain/signing/status-list.ts"
import { authenticate, judgeStatus } from "../../domain/signing/verify.ts"
import type { VerifyResult } from "../../domain/signing/verify.ts"
import type { StatusListService } from "./status-lists.ts"
import type { TrustSource } from "./trust-source.ts"

export interface StatusFreshness {
  /** When the status list used was signed; null when there was none. */
  readonly asOf: string | null
  readonly ageSeconds: number | null
  /** How long the list vouches for itself (signed into it). */
  readonly freshForSeconds: number | null
  /** Whether the list is within that freshness. */
  readonly fresh: boolean
  /** Set when the status could not be checked at all. */
  readonly unavailable?: string
}

export interface Verification {
  readonly result: VerifyResult
  readonly status: StatusFreshness
}

const none: StatusFreshness = { asOf: null, ageSeconds: null, freshForSeconds: null, fresh: false }

export const makeVerifier = (deps: {
  readonly trust: () => TrustSource
  readonly statusLists: StatusListService
  readonly now: () => Date
  /** Told why a status list could not be had (for the log). */
  readonly onStatusError?: (error: unknown) => void
}) =>
async (token: string): Promise<Verification> => {
  const authentic = await authenticate(token, deps.trust().anchors)
  if (authentic._tag !== "Authentic") return { result: authentic, status: none }
  const { receipt } = authentic
  let lists = indexStatusLists([])
  let unavailable: string | undefined
  try {
    const published = await deps.statusLists.getCovering({ agency: receipt.agency, ...receipt.series }, receipt.number, receipt.issuedAt)
    if (published !== undefined) lists = indexStatusLists([published.list])
  } catch (e) {
    deps.onStatusError?.(e)
    unavailable = `the status list of ${receipt.series.form} ${receipt.series.symbol} could not be had right now`
  }
  const result = judgeStatus(receipt, lists, { now: deps.now().toISOString() })
  const list = lists.values().next().value
  const ageSeconds = "statusAgeSeconds" in result ? result.statusAgeSeconds : null
  const status: StatusFreshness = list === undefined
    ? { ...none, ...(unavailable === undefined ? {} : { unavailable }) }
    : { asOf: list.issuedAt, ageSeconds, freshForSeconds: list.freshForSeconds, fresh: ageSeconds !== null && ageSeconds <= list.freshForSeconds }
  return { result, status }
}

export type Verifier = ReturnType<typeof makeVerifier>

/** The JSON form: amounts as digit strings; the status's age and freshness under `status`. */
export const verificationJson = (v: Verification) => {
  const { _tag, ...rest } = v.result
  const body: Record<string, unknown> = { result: _tag, valid: _tag === "Valid", ...rest, status: v.status }
  for (const moved of ["statusAsOf", "statusAgeSeconds", "freshForSeconds"]) delete body[moved]
  if ("receipt" in v.result) body["receipt"] = { ...v.result.receipt, amount: v.result.receipt.amount.toString(10) }
  return body
}
