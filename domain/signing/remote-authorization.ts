/**
 * Remote signing (ký số từ xa: VNPT SmartCA, Viettel MySign and the like),
 * the authorisation as a pure state machine. Modelled on the Cloud
 * Signature Consortium API v2: the signer asks to authorise a credential
 * for N signatures over given hashes (credentials/authorize), the approver
 * confirms on the phone, the service hands back activation data (SAD) valid
 * for a while, and the hashes are signed with it (signatures/signHash).
 *
 *   pending ──confirm (before the deadline)──▶ authorized ──sign k (k ≤ remaining)──▶ authorized | exhausted
 *      │                                            │
 *      ├──refuse──▶ refused                          └──time passes validUntil──▶ lapsed
 *      └──the deadline passes──▶ expired
 *
 * refused, expired, exhausted and lapsed are final. Never more than N
 * signatures, no hash twice. An authorisation either names its hashes
 * (CSC's SCAL2: only those may be signed, what the approver confirmed is
 * exactly what gets signed) or only their number (SCAL1: the approver
 * confirms "N signatures for these receipts", for bytes not known yet, such
 * as receipts whose numbers are given under the series lock afterwards).
 *
 * Time is a parameter (epoch milliseconds); nothing here reads a clock.
 */
import { Result, Schema } from "effect"

export interface AuthorizationRequest {
  readonly id: string
  readonly credentialId: string
  /** N: how many signatures the approver is asked for. */
  readonly count: number
  /** The hashes (hex) to sign, when they are known (N of them); absent: any N distinct hashes. */
  readonly hashes?: ReadonlyArray<string>
  readonly requestedAt: number
  /** The approver must confirm before this (epoch ms). */
  readonly deadline: number
}

export type Authorization =
  | { readonly _tag: "Pending"; readonly request: AuthorizationRequest }
  | {
    readonly _tag: "Authorized"
    readonly request: AuthorizationRequest
    /** Signature activation data from the service, sent with each signHash. */
    readonly sad: string
    /** The SAD is good until this (epoch ms). */
    readonly validUntil: number
    /** Hashes signed so far. */
    readonly signed: ReadonlyArray<string>
  }
  | { readonly _tag: "Refused"; readonly request: AuthorizationRequest; readonly at: number; readonly reason: string }
  | { readonly _tag: "Expired"; readonly request: AuthorizationRequest; readonly at: number }
  | { readonly _tag: "Exhausted"; readonly request: AuthorizationRequest; readonly at: number }
  | { readonly _tag: "Lapsed"; readonly request: AuthorizationRequest; readonly at: number }

export type AuthorizationTag = Authorization["_tag"]

export const isFinal = (a: Authorization): boolean => a._tag !== "Pending" && a._tag !== "Authorized"

export class AuthorizationRefused extends Schema.TaggedError<AuthorizationRefused>()("AuthorizationRefused", {
  /** not_pending, deadline_passed, not_authorized, lapsed, too_many, not_authorized_hash, already_signed, bad_request */
  reason: Schema.String,
  message: Schema.String
}) {}

const refuse = (reason: string, message: string) => Result.fail(new AuthorizationRefused({ reason, message }))

const hexHash = /^[0-9a-f]{64}$/

/** A new authorisation, waiting for the approver. */
export const request = (r: AuthorizationRequest): Result.Result<Authorization, AuthorizationRefused> => {
  if (!Number.isInteger(r.count) || r.count < 1) return refuse("bad_request", "an authorisation asks for at least one signature")
  if (r.hashes !== undefined) {
    if (r.hashes.length !== r.count) return refuse("bad_request", `${r.hashes.length} hashes named for ${r.count} signatures`)
    const bad = r.hashes.find((h) => !hexHash.test(h))
    if (bad !== undefined) return refuse("bad_request", `"${bad.slice(0, 80)}" is not a SHA-256 hash in hex`)
    if (new Set(r.hashes).size !== r.hashes.length) return refuse("bad_request", "the same hash is named twice")
  }
  if (!(r.deadline > r.requestedAt)) return refuse("bad_request", "the deadline must come after the request")
  return Result.succeed({ _tag: "Pending", request: r })
}

/** What time alone does: a pending request past its deadline expires; an authorisation past its SAD's validity lapses. */
export const tick = (a: Authorization, at: number): Authorization => {
  if (a._tag === "Pending" && at > a.request.deadline) return { _tag: "Expired", request: a.request, at }
  if (a._tag === "Authorized" && at > a.validUntil) return { _tag: "Lapsed", request: a.request, at }
  return a
}

/** The approver confirmed on the phone; the service gave activation data valid for `validForMs`. */
export const confirm = (a: Authorization, at: number, sad: string, validForMs: number): Result.Result<Authorization, AuthorizationRefused> => {
  const now = tick(a, at)
  if (now._tag === "Expired") return refuse("deadline_passed", `the confirmation came after the deadline (${new Date(a.request.deadline).toISOString()})`)
  if (now._tag !== "Pending") return refuse("not_pending", `the authorisation is ${now._tag.toLowerCase()}, not waiting for a confirmation`)
  if (!(validForMs > 0)) return refuse("bad_request", "the activation data must be valid for some time")
  return Result.succeed({ _tag: "Authorized", request: a.request, sad, validUntil: at + validForMs, signed: [] })
}

/** The approver declined, or the service refused. */
export const decline = (a: Authorization, at: number, reason: string): Result.Result<Authorization, AuthorizationRefused> => {
  const now = tick(a, at)
  if (now._tag !== "Pending") return refuse("not_pending", `the authorisation is ${now._tag.toLowerCase()}, not waiting for a confirmation`)
  return Result.succeed({ _tag: "Refused", request: a.request, at, reason })
}

/** How many signatures an authorisation still allows. */
export const remaining = (a: Authorization): number => (a._tag === "Authorized" ? a.request.count - a.signed.length : 0)

/**
 * Uses the authorisation for `hashes`: never more than it has left, no hash
 * twice, only hashes the approver confirmed when it names them, and while
 * the activation data is valid.
 */
export const useFor = (a: Authorization, at: number, hashes: ReadonlyArray<string>): Result.Result<Authorization, AuthorizationRefused> => {
  const now = tick(a, at)
  if (now._tag === "Lapsed") return refuse("lapsed", "the approver's authorisation is no longer valid: ask again")
  if (now._tag !== "Authorized") return refuse("not_authorized", `the authorisation is ${now._tag.toLowerCase()}: nothing may be signed with it`)
  if (hashes.length === 0) return refuse("bad_request", "nothing to sign")
  const left = remaining(now)
  if (hashes.length > left) return refuse("too_many", `${hashes.length} signatures asked, ${left} left of the ${now.request.count} authorised`)
  const done = new Set(now.signed)
  for (const h of hashes) {
    if (!hexHash.test(h)) return refuse("bad_request", `"${h.slice(0, 80)}" is not a SHA-256 hash in hex`)
    if (now.request.hashes !== undefined && !now.request.hashes.includes(h)) return refuse("not_authorized_hash", `hash ${h.slice(0, 16)}… is not one the approver confirmed`)
    if (done.has(h)) return refuse("already_signed", `hash ${h.slice(0, 16)}… was already signed (or is named twice)`)
    done.add(h)
  }
  const signed = [...now.signed, ...hashes]
  return Result.succeed(signed.length === now.request.count ? { _tag: "Exhausted", request: now.request, at } : { ...now, signed })
}
