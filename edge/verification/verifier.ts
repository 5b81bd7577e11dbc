/**
 * Verification as the public endpoints give it: the offline `verify` of the
 * domain (signature, trust list, status list), fed with this server's own
 * signed status list of the token's series, plus how fresh that status is.
 * If the status list cannot be had (database down, no key), the token is
 * still verified offline and the answer says the status is unknown.
 */
import { Result } from "effect"
import { indexStatusLists } from "../../domain/signing/status-list.ts"
import { decodeToken } from "../../domain/signing/token.ts"
import { verify } from "../../domain/signing/verify.ts"
import type { VerifyResult } from "../../domain/signing/verify.ts"
import type { StatusListService } from "./status-lists.ts"
import type { TrustSource } from "./trust-source.ts"

export interface StatusFreshness {
  /** When the status list used was signed; null when no list covered the receipt. */
  readonly asOf: string | null
  readonly ageSeconds: number | null
  /** Whether the list is younger than the promised maximum age. */
  readonly fresh: boolean
  /** Set when the status could not be checked at all. */
  readonly unavailable?: string
}

export interface Verification {
  readonly result: VerifyResult
  readonly status: StatusFreshness
}

export const makeVerifier = (deps: {
  readonly trust: () => TrustSource
  readonly statusLists: StatusListService
  readonly now: () => Date
  readonly freshForSeconds: number
}) =>
async (token: string): Promise<Verification> => {
  const claims = decodeToken(token)
  let unavailable: string | undefined
  let lists = indexStatusLists([])
  if (Result.isSuccess(claims)) {
    const { agency, form, symbol } = claims.success
    try {
      const published = await deps.statusLists.get({ agency, form, symbol })
      if (published !== undefined) lists = indexStatusLists([published.list])
    } catch (e) {
      unavailable = `the status list of ${form} ${symbol} could not be built: ${e instanceof Error ? e.message : String(e)}`
    }
  }
  const result = await verify(token, deps.trust().anchors, lists)
  const asOf = "statusAsOf" in result ? result.statusAsOf : null
  const ageSeconds = asOf === null ? null : Math.max(0, Math.round((deps.now().getTime() - Date.parse(asOf)) / 1000))
  const status: StatusFreshness = {
    asOf,
    ageSeconds,
    fresh: ageSeconds !== null && ageSeconds <= deps.freshForSeconds,
    ...(unavailable === undefined ? {} : { unavailable })
  }
  return { result, status }
}

export type Verifier = ReturnType<typeof makeVerifier>

/** The JSON form: amounts as digit strings. */
export const verificationJson = (v: Verification) => {
  const { _tag, ...rest } = v.result
  const body: Record<string, unknown> = { result: _tag, valid: _tag === "Valid", ...rest, status: v.status }
  delete body["statusAsOf"]
  if ("receipt" in v.result) body["receipt"] = { ...v.result.receipt, amount: v.result.receipt.amount.toString(10) }
  return body
}
